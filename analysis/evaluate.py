"""Evaluation: score an extracted article against hand annotations (entities, places, events).

The gold format is the one of `../shared/gold/seed_000.json`: entities with aliases, locations with
coordinates, events with type, source, target, date at its precision, modality and evidence sentences.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from analysis.dates import PRECISION_RANK
from analysis.pipeline import ExtractedArticle

COUNTRY_KINDS = ("country",)
PLACE_RADIUS_KM = 161.0


@dataclass
class Score:
    """An article's scores and what was missed, for a person to read."""

    entity_precision: float = 0.0
    entity_recall: float = 0.0
    places_within: float = 0.0
    events_found: float = 0.0
    events_modality_and_date: float = 0.0
    events_type_and_one_actor: float = 0.0
    event_precision: float = 0.0
    event_dates: float = 0.0
    boilerplate_leaks: list[str] = field(default_factory=list)
    missed_entities: list[str] = field(default_factory=list)
    spurious_entities: list[str] = field(default_factory=list)
    missed_places: list[str] = field(default_factory=list)
    missed_events: list[str] = field(default_factory=list)
    wrong_events: list[str] = field(default_factory=list)

    @property
    def entity_f1(self) -> float:
        """Harmonic mean of entity precision and recall."""
        p, r = self.entity_precision, self.entity_recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _fold(text: str | None) -> str:
    """Case- and space-insensitive form of a name."""
    return " ".join((text or "").casefold().split())


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


class _Predicted:
    """The extracted entities of an article with every name they went by."""

    def __init__(self, article: ExtractedArticle) -> None:
        self.rows = {row["entity_id"]: row for row in article.entities}
        self.names: dict[str, set[str]] = {eid: {_fold(row["name"])} for eid, row in self.rows.items()}
        for mention in article.mentions:
            self.names.setdefault(mention["entity_id"], set()).add(_fold(mention["surface"]))
        self.mentioned = {m["entity_id"] for m in article.mentions}


def _gold_names(gold: dict) -> dict[str, set[str]]:
    """Gold entity name -> its names."""
    return {e["name"]: {_fold(e["name"]), *(_fold(a) for a in e.get("aliases", []))} for e in gold["entities"]}


def _actor_matches(predicted_id: str | None, gold_name: str | None, predicted: _Predicted,
                   gold_names: dict[str, set[str]], gold_countries: dict[str, tuple[str | None, str]]) -> bool:
    """Same actor by name; or a state's organ (ministry, presidency, capital) standing for the gold state."""
    if gold_name is None:
        return True
    if predicted_id is None:
        return False
    names = gold_names.get(gold_name, {_fold(gold_name)})
    if predicted.names.get(predicted_id, set()) & names:
        return True
    country, gold_type = gold_countries.get(gold_name, (None, ""))
    row = predicted.rows.get(predicted_id) or {}
    # Roll-up: the gold codes the state; the text names an organ of it (views roll these up the same way).
    return gold_type == "GPE" and country is not None and row.get("country") == country and row.get("type") == "ORG"


def _date_matches(predicted: dict, gold_date: str | None) -> bool:
    """The predicted date, read at the gold's precision, is the gold date."""
    if not gold_date:
        return True
    value = predicted.get("date") or ""
    gold_precision = {4: "year", 7: "month"}.get(len(gold_date), "day")
    if PRECISION_RANK.get(predicted["date_precision"], 0) < PRECISION_RANK[gold_precision] and \
            predicted["date_precision"] != "article":
        return False
    return value[:len(gold_date)] == gold_date


def score_article(article: ExtractedArticle, gold: dict, reciprocal: frozenset[str] = frozenset(
        {"CONSULT", "COOPERATE", "AGREE"})) -> Score:
    """Score one extracted article against its gold annotations."""
    score = Score()
    predicted = _Predicted(article)
    gold_names = _gold_names(gold)
    gold_countries = {e["name"]: (e.get("country"), e["type"]) for e in gold["entities"]}

    # Entities: a predicted entity matches a gold one when any of their names agree.
    mentioned = [eid for eid in predicted.mentioned]
    matched_gold = {g for g, names in gold_names.items() if any(predicted.names[eid] & names for eid in mentioned)}
    matched_pred = [eid for eid in mentioned if any(predicted.names[eid] & names for names in gold_names.values())]
    score.entity_recall = len(matched_gold) / max(1, len(gold_names))
    score.entity_precision = len(matched_pred) / max(1, len(mentioned))
    score.missed_entities = sorted(set(gold_names) - matched_gold)
    score.spurious_entities = sorted(predicted.rows[e]["name"] for e in mentioned if e not in matched_pred)

    # Places: within 161 km of the gold point; a country only needs to be the right country.
    ok = 0
    for place in gold.get("locations", gold.get("places", [])):
        names = gold_names.get(place["name"], {_fold(place["name"])})
        hits = [predicted.rows[e] for e in mentioned if predicted.names[e] & names]
        good = False
        for row in hits:
            if place.get("kind") in COUNTRY_KINDS:
                good = good or row.get("country") == place.get("country")
            elif row.get("lat") is not None:
                good = good or haversine_km(row["lat"], row["lon"], place["lat"], place["lon"]) <= PLACE_RADIUS_KM
        ok += good
        if not good:
            score.missed_places.append(place["name"])
    score.places_within = ok / max(1, len(gold.get("locations", gold.get("places", []))))

    # Events: right type and actors in one of the gold evidence sentences; then modality and date.
    found = right = one = dated = 0
    true_predictions: set[str] = set()
    for event in gold.get("events", []):
        sentences = {_fold(event["evidence"]), *(_fold(s) for s in event.get("also_evidence", []))}
        # Our evidence is the whole sentence, dateline included ("PYONGYANG - ..."): containment counts.
        candidates = [e for e in article.events if e["type"] == event["type"] and
                      any(s in _fold(e["evidence"]) or _fold(e["evidence"]) in s for s in sentences)]

        def matches_side(predicted_id: str | None, gold_name: str | None) -> bool:
            return gold_name is not None and _actor_matches(predicted_id, gold_name, predicted, gold_names,
                                                            gold_countries)

        def actors_match(e: dict, swap: bool = False) -> bool:
            source, target = (e["target_id"], e["source_id"]) if swap else (e["source_id"], e["target_id"])
            return _actor_matches(source, event["source"], predicted, gold_names, gold_countries) and \
                _actor_matches(target, event["target"], predicted, gold_names, gold_countries)

        partial = [e for e in candidates if any(matches_side(x, y) for x in (e["source_id"], e["target_id"])
                                                for y in (event["source"], event["target"]))]
        one += bool(partial)
        true_predictions |= {e["event_id"] for e in partial}
        matches = [e for e in candidates if actors_match(e) or (event["type"] in reciprocal and actors_match(e, True))]
        true_predictions |= {e["event_id"] for e in matches}
        label = f"{event['type']} {event['source']} -> {event['target']} ({event['modality']}, {event['date']})"
        if not matches:
            score.missed_events.append(label)
            continue
        found += 1
        dated += any(_date_matches(e, event.get("date")) for e in matches)
        if any(e["modality"] == event["modality"] and _date_matches(e, event.get("date")) for e in matches):
            right += 1
        else:
            got = "; ".join(f"{e['modality']} {e['date']}/{e['date_precision']}" for e in matches)
            score.wrong_events.append(f"{label}: got {got}")
    total = len(gold.get("events", []))
    score.events_found = found / max(1, total)
    score.events_modality_and_date = right / max(1, found)
    score.events_type_and_one_actor = one / max(1, total)
    score.event_precision = len(true_predictions) / max(1, len(article.events)) if article.events else 1.0
    score.event_dates = dated / max(1, found)

    leaks = {_fold(b) for b in gold.get("boilerplate_only", [])}
    score.boilerplate_leaks = sorted({n for eid in mentioned for n in predicted.names[eid] if n in leaks})
    return score


# ----- milestones of a story, against a whole dataset -----

SYMMETRIC_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})


def _actor_ids(tables, name: str) -> set[str]:
    """Entity ids that count as an expected actor: the entity, or for a country its officials, organs and cities."""
    entities = tables.entities
    exact = entities[entities["name"] == name]
    ids = set(exact["entity_id"])
    countries = exact[exact["entity_id"].str.startswith("country:")]["country"].dropna()
    if not countries.empty:
        ids |= set(entities[entities["country"].isin(set(countries))]["entity_id"])
    return ids


def milestone_events(tables, milestone: dict):
    """Events of a dataset that state a milestone: its type, its actors, in its month."""
    expect = milestone["expect"]
    month = str(milestone["date"])[:7]
    events = tables.events
    events = events[(events["type"] == expect["type"]) & (events["date"].fillna("").str[:7] == month)]
    actors = [_actor_ids(tables, name) for name in expect["actors"]]
    source_ok = events["source_id"].isin(actors[0])
    if len(actors) == 1:
        return events[source_ok]
    forward = source_ok & events["target_id"].isin(actors[1])
    if expect["type"] in SYMMETRIC_TYPES:
        forward |= events["source_id"].isin(actors[1]) & events["target_id"].isin(actors[0])
    return events[forward]


# ----- entity recognition against a CoNLL NER file -----

# The engine's entity types as the three labels of Indonesian news NER corpora.
NER_LABELS = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}


def _bio_spans(words: list[str], labels: list[str]) -> tuple[str, set[tuple[int, int, str]]]:
    """The sentence as text (words joined by spaces) and its gold spans as (start char, end char, label)."""
    spans: set[tuple[int, int, str]] = set()
    offsets, position = [], 0
    for word in words:
        offsets.append((position, position + len(word)))
        position += len(word) + 1
    current: list | None = None
    for (start, end), label in zip(offsets, labels):
        if label.startswith("B-") or label == "O":
            if current:
                spans.add(tuple(current))
            current = [start, end, label[2:]] if label.startswith("B-") else None
        elif current:
            current[1] = end
    if current:
        spans.add(tuple(current))
    return " ".join(words), spans


def _prf(gold: list[set], found: list[set], label: str | None) -> dict:
    """Exact-span precision, recall and F1 for one label (all labels when None)."""
    keep = (lambda s: True) if label is None else (lambda s: s[2] == label)
    g = sum(len({s for s in spans if keep(s)}) for spans in gold)
    f = sum(len({s for s in spans if keep(s)}) for spans in found)
    tp = sum(len({s for s in a if keep(s)} & {s for s in b if keep(s)}) for a, b in zip(gold, found))
    p, r = tp / f if f else 0.0, tp / g if g else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(2 * p * r / (p + r) if p + r else 0.0, 4),
            "gold": g, "found": f}


def recognised_names(analysis) -> set[tuple[int, int, str]]:
    """The recogniser's names exactly as it read them, as (start char, end char, corpus label)."""
    raw = analysis.doc.user_data.get("recognised")
    if raw is None:
        raw = [(e.start_char, e.end_char, e.label_) for e in analysis.doc.ents]
    return {(start, end, NER_LABELS.get(label, label)) for start, end, label in raw}


def names_as_annotated(analysis) -> set[tuple[int, int, str]]:
    """The engine's names in the convention of news NER corpora: where the recogniser (trained on that
    convention) marks a name, its span and type; elsewhere the engine's mentions, a country counting as a LOC
    only where it names a place ("di Indonesia", "ke Israel"), not where it acts or qualifies ("pemerintah
    Indonesia", "Israel menyerang")."""
    profile = analysis.profile
    place_words = frozenset(profile.words("locative") + profile.words("direction") + profile.words("origin"))
    tokens = analysis.tokens
    names = recognised_names(analysis)
    for mention in analysis.mentions:
        if any(start < mention.char_end and mention.char_start < end for start, end, _ in names):
            continue
        entity = analysis.entity(mention.entity_id)
        if entity.kind == "country":
            k = mention.start - 1
            while k >= 0 and tokens.space[k]:
                k -= 1
            if k < 0 or tokens.lower[k] not in place_words:
                continue
        names.add((mention.char_start, mention.char_end, NER_LABELS.get(entity.type, "?")))
    return _with_bracketed_acronyms(analysis, names)


def _with_bracketed_acronyms(analysis, names: set[tuple[int, int, str]]) -> set[tuple[int, int, str]]:
    """An organisation and its acronym in brackets right after it are one name in the corpus convention:
    "Bursa Efek Indonesia (BEI)"."""
    text = analysis.text or analysis.doc.text
    by_start = {start: (end, label) for start, end, label in names}
    merged = set(names)
    for start, end, label in names:
        rest = text[end:end + 3]
        opening = end + len(rest) - len(rest.lstrip(" ")) if rest.strip().startswith("(") else None
        if label != "ORG" or opening is None or text[opening] != "(":
            continue
        inner = by_start.get(opening + 1)
        if inner and text[inner[0]:inner[0] + 1] == ")":
            merged -= {(start, end, label), (opening + 1, inner[0], inner[1])}
            merged.add((start, inner[0] + 1, label))
    return merged


def score_names(path, code: str = "id", limit: int | None = None) -> dict[str, dict[str, dict]]:
    """Exact span-and-type scores on a CoNLL NER file: the recogniser alone, every mention the engine links, and
    the engine's names in the corpus's convention (see names_as_annotated)."""
    from analysis.kb import load_knowledge_base
    from analysis.nlp import analyse
    from analysis.train import read_conll_ner

    kb = load_knowledge_base()
    gold, recogniser, mentions, annotated = [], [], [], []
    for words, labels in read_conll_ner(path)[:limit]:
        text, spans = _bio_spans(words, labels)
        gold.append(spans)
        analysis = analyse(text, code, kb=kb)
        recogniser.append(recognised_names(analysis))
        mentions.append({(m.char_start, m.char_end, NER_LABELS.get(analysis.entity(m.entity_id).type, "?"))
                         for m in analysis.mentions})
        annotated.append(names_as_annotated(analysis))
    labels = sorted({s[2] for spans in gold for s in spans})
    return {system: {"all": _prf(gold, found, None), **{lb: _prf(gold, found, lb) for lb in labels}}
            for system, found in (("recogniser", recogniser), ("engine mentions", mentions),
                                  ("engine names (corpus convention)", annotated))}
