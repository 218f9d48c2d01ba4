"""One colour per country, language, event type, modality, entity type and sector, on every page and filter.

A colour depends only on the value it stands for, never on which other values a filter leaves, so two
screenshots of the same dataset can be compared side by side.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

from analysis.filters import EVENT_TYPES, MODALITIES

MISSING = "unknown"  # how every page shows a value the data does not have
MISSING_COLOUR = "#9ca3af"

# The story's main states get colours people can name; any other country draws from SPARE by a stable hash.
COUNTRIES = {
    "RUS": "#d62728",
    "PRK": "#7f1d1d",
    "KOR": "#17becf",
    "USA": "#1f77b4",
    "CHN": "#ff7f0e",
    "JPN": "#e377c2",
    "UKR": "#bcbd22",
    "IDN": "#2ca02c",
    "IRN": "#8c564b",
    "BLR": "#9467bd",
    "SYR": "#a16207",
    "IND": "#f59e0b",
    "GBR": "#1e3a8a",
    "DEU": "#374151",
    "FRA": "#4f46e5",
    "ISR": "#0ea5e9",
    "PSE": "#15803d",
    "VNM": "#db2777",
    "MNG": "#65a30d",
}
SPARE = (
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
    "#e6550d",
    "#31a354",
    "#756bb1",
    "#636363",
    "#6b6ecf",
    "#b5cf6b",
    "#e7ba52",
    "#d6616b",
    "#ce6dbd",
    "#9c9ede",
)
# Sixteen PLOVER types: similar kinds of act get neighbouring hues (talk blue-green, help green, pressure
# orange, force red), so a reader sees the mood of a period before reading the legend.
EVENT_TYPE_COLOURS = dict(
    zip(
        EVENT_TYPES,
        (
            "#0f766e",  # AGREE
            "#0891b2",  # CONSULT
            "#2563eb",  # SUPPORT
            "#7c3aed",  # CONCEDE
            "#16a34a",  # COOPERATE
            "#65a30d",  # AID
            "#a3a3a3",  # RETREAT
            "#0284c7",  # REQUEST
            "#d97706",  # ACCUSE
            "#ca8a04",  # REJECT
            "#ea580c",  # THREATEN
            "#f59e0b",  # PROTEST
            "#9d174d",  # SANCTION
            "#b91c1c",  # MOBILIZE
            "#be123c",  # COERCE
            "#7f1d1d",  # ASSAULT
        ),
        strict=True,
    )
)
MODALITY_SYMBOLS = {
    "asserted": "circle",
    "planned": "circle-open",
    "reported": "diamond-open",
    "denied": "x-thin-open",
    "hypothetical": "square-open",
}
MODALITY_COLOURS = dict(zip(MODALITIES, ("#111827", "#2563eb", "#7c3aed", "#b91c1c", "#6b7280"), strict=True))
LANGUAGES = {"en": "#1f77b4", "id": "#d62728", "ko": "#2ca02c", "ru": "#9467bd", "und": MISSING_COLOUR}
ENTITY_TYPES = {"PERSON": "#f59e0b", "ORG": "#3b82f6", "GPE": "#10b981", "LOC": "#14b8a6", "FAC": "#ec4899"}
# Lighter tints of the same hues, behind highlighted names in the article reader.
ENTITY_HIGHLIGHTS = {"PERSON": "#fde68a", "ORG": "#bfdbfe", "GPE": "#bbf7d0", "LOC": "#bbf7d0", "FAC": "#fbcfe8"}
SECTORS = {
    "GOV": "#1f77b4",
    "MIL": "#b91c1c",
    "MED": "#7c3aed",
    "BUS": "#16a34a",
    "IGO": "#0891b2",
    "NGO": "#ca8a04",
    "PTY": "#db2777",
    "EDU": "#65a30d",
    "REL": "#8c564b",
    "CRM": "#374151",
}


def spare(value: str) -> str:
    """A colour for a value no table names, the same on every run (crc32, not Python's salted hash)."""
    return SPARE[zlib.crc32(value.encode("utf-8")) % len(SPARE)]


def country_colour(code: str | None) -> str:
    """The colour of a country by ISO alpha-3 code; grey when unknown."""
    if not code or not isinstance(code, str) or code == MISSING:
        return MISSING_COLOUR
    return COUNTRIES.get(code.upper()) or spare(code.upper())


def colour_of(kind: str, value: object) -> str:
    """The colour of one value of a kind: country, language, type, modality, entity_type or sector."""
    if value is None or value == "" or value == MISSING or (isinstance(value, float) and value != value):
        return MISSING_COLOUR
    text = str(value)
    if kind == "country":
        return country_colour(text)
    table = {
        "language": LANGUAGES,
        "type": EVENT_TYPE_COLOURS,
        "modality": MODALITY_COLOURS,
        "entity_type": ENTITY_TYPES,
        "sector": SECTORS,
    }[kind]
    return table.get(text) or spare(text)


def colour_map(kind: str, values: Iterable[object]) -> dict[str, str]:
    """{value: colour} for plotly's color_discrete_map, for the values a chart shows."""
    return {str(v): colour_of(kind, v) for v in dict.fromkeys(values)}


def country_colours(codes: Iterable[object], names: Iterable[object]) -> dict[str, str]:
    """{country name: colour} for charts whose legend shows names while the colour follows the code."""
    return {str(name): country_colour(code if isinstance(code, str) else None) for code, name in zip(codes, names)}
