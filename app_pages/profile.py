"""Actor profile: who an actor is, what they did, with whom, where, and the sentences quoting them."""

import streamlit as st

st.title("Actor profile")
st.info("Pick an actor in the sidebar to see their profile.")
