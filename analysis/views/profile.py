"""The Actor profile page's data: who an actor is, what they did and when, with whom, where, and their words."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analysis.filters import ViewState
from analysis.palette import MISSING
from analysis.views.query import is_query_dataset
from analysis.views.dataset import Dataset, _event_rows, _kb_aliases, _latest, select

WIKIDATA = "https://www.wikidata.org/wiki/{}"
ROLES = ("as source", "as target")


@dataclass(frozen=True)
class ProfileView:
    """One actor's profile under the sidebar filters; without an actor, the actors one may choose."""

    actor: str | None
    name: str
    type: str
    country: str  # country name, palette.MISSING when unknown
    sector: str
    aliases: tuple[str, ...]
    wikidata: str | None
    wikidata_url: str | None
    mentions: int  # mentions in the sentences the filters keep
    events: int  # events they take part in (as source or target) that the filters keep
    as_source: int
    as_target: int
    timeline: pd.DataFrame  # month, role ("as source" | "as target"), type, events
    partners: pd.DataFrame  # entity_id, name, events (shared), sentences (named together); most shared first
    places: pd.DataFrame  # entity_id, name, country_name, sentences (named together); most first
    quotes: pd.DataFrame  # evidence sentences of events they start, newest first (see _event_rows)
    quotes_total: int
    actors: dict[str, str]  # every actor one may choose: id → canonical name, most mentioned first

    @property
    def empty(self) -> bool:
        """True when the filters leave nothing about this actor."""
        return not (self.mentions or self.events)


def profile_view(ds: Dataset, state: ViewState, partner_limit: int = 15, quote_limit: int = 20) -> ProfileView:
    """The profile of the first actor of the filters, counted over what the other filters keep."""
    if is_query_dataset(ds):
        from analysis.views.query_views import query_profile_view

        return query_profile_view(ds, state, partner_limit, quote_limit)
    f = state.filters
    actor = next((a for a in f.actors if a in ds.entity_index), None)
    if actor is None:
        return _no_actor(ds)
    number = ds.entity_index[actor]
    # The other filters apply as they are; the actor's own filter is replaced by exact roles below.
    sel = select(ds, replace(f, actors=(), match="any", role="participant"))
    row = ds.entities.iloc[number]

    mention_ents = ds.arr("mentions", "ent")
    mentions = int(((mention_ents == number) & sel.sentences[ds.arr("mentions", "sent")]).sum())
    src, tgt = ds.arr("events", "src"), ds.arr("events", "tgt")
    as_source, as_target = sel.events & (src == number), sel.events & (tgt == number)
    involved = as_source | as_target
    together = _named_together(ds, number, sel.sentences)
    return ProfileView(
        actor=actor,
        name=str(row["name"]),
        type=_text(row["type"]),
        country=_text(row["country_name"]) if _text(row["country"]) != MISSING else MISSING,
        sector=_text(row["sector"]),
        aliases=_aliases(ds, number),
        wikidata=_wikidata(row.get("wikidata")),
        wikidata_url=WIKIDATA.format(_wikidata(row.get("wikidata"))) if _wikidata(row.get("wikidata")) else None,
        mentions=mentions,
        events=int(involved.sum()),
        as_source=int(as_source.sum()),
        as_target=int(as_target.sum()),
        timeline=_timeline(ds, as_source, as_target),
        partners=_partners(ds, number, together, as_source, as_target, partner_limit),
        places=_places(ds, together, partner_limit),
        quotes=_quotes(ds, as_source, quote_limit),
        quotes_total=int(len(np.unique(ds.arr("events", "sent")[as_source]))),
        actors=_actor_choices(ds),
    )


def _no_actor(ds: Dataset) -> ProfileView:
    """A profile with no actor chosen: only the list to choose from."""
    empty = pd.DataFrame()
    return ProfileView(
        None, "", MISSING, MISSING, MISSING, (), None, None, 0, 0, 0, 0, empty, empty, empty, empty, 0,
        _actor_choices(ds),
    )


def _actor_choices(ds: Dataset) -> dict[str, str]:
    """Actors named at least once, most mentioned first: id → canonical name."""
    counts = np.bincount(ds.arr("mentions", "ent"), minlength=len(ds.entities))
    numbers = np.flatnonzero(ds.arr("entities", "is_actor") & (counts > 0))
    names = ds.arr("entities", "name")
    order = np.lexsort((names[numbers].astype(str), -counts[numbers]))
    numbers = numbers[order]
    return dict(zip(ds.arr("entities", "entity_id")[numbers], names[numbers]))


def _text(value: object) -> str:
    """A table value as text, palette.MISSING when absent."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() in ("", "Unknown"):
        return MISSING
    return str(value)


def _wikidata(value: object) -> str | None:
    """A Wikidata item id (Q followed by digits), or None."""
    text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()
    return text if text[:1] == "Q" and text[1:].isdigit() else None


def _aliases(ds: Dataset, number: int, limit: int = 12, sample: int = 5000) -> tuple[str, ...]:
    """Other names: the knowledge base's aliases, then the forms the articles use, most frequent first."""
    name = str(ds.entities["name"].iat[number])
    if "aliases" in ds.entities.columns:  # gathered once when the dataset is prepared
        found = list(ds.entities["aliases"].iat[number])
    else:
        # The first few thousand mentions show every usual spelling; counting them all would be slow.
        mentions = np.flatnonzero(ds.arr("mentions", "ent") == number)[:sample]
        seen = pd.Series(ds.arr("mentions", "surface")[mentions]).value_counts().index.tolist()
        found = _kb_aliases().get(ds.entities["entity_id"].iat[number], []) + seen
    out: dict[str, str] = {}
    for alias in found:
        key = " ".join(str(alias).split()).casefold()
        if key and key != name.casefold() and key not in out:
            out[key] = " ".join(str(alias).split())
    return tuple(out.values())[:limit]


def _timeline(ds: Dataset, as_source: np.ndarray, as_target: np.ndarray) -> pd.DataFrame:
    """Events per month, role and type (undated events cannot be placed and are left out)."""
    days = ds.arr("events", "day")
    types = ds.arr("events", "type")
    parts = []
    for role, mask in zip(ROLES, (as_source, as_target)):
        rows = np.flatnonzero(mask & ~np.isnat(days))
        parts.append(pd.DataFrame({"month": days[rows].astype("datetime64[M]"), "role": role, "type": types[rows]}))
    frame = pd.concat(parts, ignore_index=True)
    counted = frame.groupby(["month", "role", "type"], sort=True).size().rename("events").reset_index()
    counted["month"] = counted["month"].astype("datetime64[s]")
    return counted


def _partners(
    ds: Dataset, number: int, together: np.ndarray, as_source: np.ndarray, as_target: np.ndarray, limit: int
) -> pd.DataFrame:
    """Actors they share events with, and actors named in the same sentences, most shared first."""
    n = len(ds.entities)
    src, tgt = ds.arr("events", "src"), ds.arr("events", "tgt")
    other = np.concatenate([tgt[as_source & (tgt != number)], src[as_target & (src != number)]])
    shared_events = np.bincount(other[other >= 0], minlength=n)
    score = shared_events + together
    numbers = np.flatnonzero(ds.arr("entities", "is_actor") & (score > 0))
    names = ds.arr("entities", "name")[numbers].astype(str)
    numbers = numbers[np.lexsort((names, -together[numbers], -shared_events[numbers]))][:limit]
    return pd.DataFrame(
        {
            "entity_id": ds.arr("entities", "entity_id")[numbers],
            "name": ds.arr("entities", "name")[numbers],
            "events": shared_events[numbers],
            "sentences": together[numbers],
        }
    )


def _places(ds: Dataset, together: np.ndarray, limit: int) -> pd.DataFrame:
    """Places named in the same sentences as the actor, most often first."""
    numbers = np.flatnonzero(ds.arr("entities", "is_place") & (together > 0))
    numbers = numbers[np.lexsort((ds.arr("entities", "name")[numbers].astype(str), -together[numbers]))][:limit]
    return pd.DataFrame(
        {
            "entity_id": ds.arr("entities", "entity_id")[numbers],
            "name": ds.arr("entities", "name")[numbers],
            "country_name": [_text(c) for c in ds.arr("entities", "country_name")[numbers]],
            "sentences": together[numbers],
        }
    )


def _named_together(ds: Dataset, number: int, sentences: np.ndarray) -> np.ndarray:
    """Per entity, how many kept sentences name it together with the actor (the actor itself counts 0)."""
    own = ds.se_sent[ds.se_ent == number]
    own = own[sentences[own]]
    # (sentence, entity) rows are sorted by sentence: each of the actor's sentences is one run of rows.
    starts = np.searchsorted(ds.se_sent, own, side="left")
    lengths = np.searchsorted(ds.se_sent, own, side="right") - starts
    rows = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
    named = ds.se_ent[rows]
    return np.bincount(named[named != number], minlength=len(ds.entities))


def _quotes(ds: Dataset, as_source: np.ndarray, limit: int) -> pd.DataFrame:
    """The sentences of the events they start, one row per sentence, newest first."""
    rows = np.flatnonzero(as_source)
    # Several events of one sentence quote it once.
    _, first = np.unique(ds.arr("events", "sent")[rows], return_index=True)
    rows = _latest(ds.arr("events", "day"), rows[first], limit)
    return _event_rows(ds, rows)
