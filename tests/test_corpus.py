"""The bundled corpus: every article extracts, every milestone is found at its month, modality holds,
and one actor written in four languages is one entity."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analysis.evaluate import milestone_events
from analysis.ingest import RawArticle, read_inputs
from analysis.pipeline import ExtractOptions, run_extraction
from analysis.store import Tables, load_tables

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
MILESTONES = yaml.safe_load((CORPUS / "milestones.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, dask_scheduler: str) -> Tables:
    """The bundled corpus extracted once for this module, on the tests' two-worker cluster."""
    out = tmp_path_factory.mktemp("corpus")
    summary = run_extraction([str(CORPUS)], out, ExtractOptions(scheduler=dask_scheduler))
    assert summary.failed == [], summary.failed
    return load_tables(out)


def test_corpus_has_the_promised_size_and_languages():
    articles = [a for a in read_inputs([str(CORPUS)]) if isinstance(a, RawArticle)]
    by_language: dict[str, int] = {}
    for article in articles:
        by_language[article.language] = by_language.get(article.language, 0) + 1
        # Each article says plainly, in its own language, that it was written for this project.
        assert article.source in {"Demonstration corpus (written for this project)",
                                  "Korpus demonstrasi (ditulis untuk proyek ini)", "데모 코퍼스 (이 프로젝트를 위해 작성)"}
        assert article.url is None
    assert len(articles) >= 60
    assert by_language["id"] >= 25 and by_language["en"] >= 25
    assert by_language.get("ru", 0) + by_language.get("ko", 0) >= 3


def test_corpus_extracts_every_article_with_events(corpus: Tables):
    assert len(corpus.articles) >= 60
    with_events = set(corpus.events["article_id"])
    analysed = corpus.articles[corpus.articles["language"].isin(["id", "en"])]
    assert set(analysed["article_id"]) <= with_events


@pytest.mark.parametrize("milestone", [m for m in MILESTONES if "expect" in m], ids=lambda m: m["id"])
def test_corpus_milestone_found_with_its_type_actors_and_month(corpus: Tables, milestone: dict):
    found = milestone_events(corpus, milestone)
    assert not found.empty, f"{milestone['id']}: no {milestone['expect']} event in {milestone['date']}"


@pytest.mark.parametrize("sentence, event_type, modality", [
    ("Both Moscow and Pyongyang deny any arms transfers.", "AID", "denied"),
    ("Moscow and Pyongyang have repeatedly denied that North Korea supplies weapons to Russia.", "AID", "denied"),
    ("Rusia dan Korea Utara selama ini membantah adanya transfer senjata", "AID", "denied"),
    ("The Kremlin confirmed on Monday that Kim would visit Russia", "CONSULT", "planned"),
    ("North Korea will send 1,000 deminers", "AID", "planned"),
    ("Korea Utara akan mengirim 1.000 personel penjinak ranjau", "AID", "planned"),
    ("Kim dijadwalkan mengunjungi Komsomolsk-on-Amur dan Vladivostok", "CONSULT", "planned"),
    ("ia dijadwalkan melanjutkan lawatan ke Vietnam", "CONSULT", "planned"),
])
def test_corpus_planned_and_denied_events_are_never_asserted(corpus: Tables, sentence: str, event_type: str,
                                                              modality: str):
    events = corpus.events[corpus.events["evidence"].str.contains(sentence, regex=False)]
    events = events[events["type"] == event_type]
    assert not events.empty, f"no {event_type} event in: {sentence}"
    assert set(events["modality"]) == {modality}


@pytest.mark.parametrize("entity_id", ["vladimir-putin", "kim-jong-un"])
def test_corpus_one_actor_in_four_languages_is_one_entity(corpus: Tables, entity_id: str):
    mentioned_in = corpus.mentions[corpus.mentions["entity_id"] == entity_id]["article_id"]
    languages = set(corpus.articles[corpus.articles["article_id"].isin(mentioned_in)]["language"])
    assert languages == {"id", "en", "ru", "ko"}


def test_corpus_pyongyang_is_one_place_across_languages(corpus: Tables):
    pyongyang = corpus.entities[corpus.entities["name"] == "Pyongyang"]
    assert len(pyongyang) == 1
    mentioned_in = corpus.mentions[corpus.mentions["entity_id"] == pyongyang["entity_id"].iloc[0]]["article_id"]
    assert set(corpus.articles[corpus.articles["article_id"].isin(mentioned_in)]["language"]) >= {"id", "en", "ru", "ko"}
