"""The trained pipelines: they load from the repository, read ordinary news, and fail with a message a person can act on."""

from __future__ import annotations

import shutil

import pytest

from analysis.cli import main
from analysis.evaluate import score_names
from analysis.nlp import MODELS_DIR, ModelError, load_trained
from engine_helpers import ROOT, article, events_of, names_of

NER_DEV = ROOT / "data" / "training" / "ner" / "idner2k-dev.txt"


@pytest.mark.parametrize("name", ["id_ner", "id_syntax", "en_syntax"])
def test_models_ship_with_a_model_card_and_load_offline(name):
    card = (MODELS_DIR / name / "README.md").read_text(encoding="utf-8")
    assert "## Trained on" in card and "## Licence" in card and "| measure | score |" in card
    assert load_trained(name).pipe_names  # from the folder in the repository, nothing fetched


def test_models_missing_file_names_the_file_and_the_rebuild_command(tmp_path):
    shutil.copytree(MODELS_DIR / "id_ner", tmp_path / "id_ner")
    (tmp_path / "id_ner" / "meta.json").unlink()
    with pytest.raises(ModelError) as error:
        load_trained("id_ner", tmp_path)
    assert str(tmp_path / "id_ner" / "meta.json") in str(error.value)
    assert "python -m analysis train id_ner" in str(error.value)


def test_models_damaged_weights_name_the_folder_and_the_rebuild_command(tmp_path):
    shutil.copytree(MODELS_DIR / "id_syntax", tmp_path / "id_syntax")
    (tmp_path / "id_syntax" / "parser" / "model").write_bytes(b"\x00not a model\x00" * 10)
    with pytest.raises(ModelError) as error:
        load_trained("id_syntax", tmp_path)
    assert str(tmp_path / "id_syntax") in str(error.value)
    assert "python -m analysis train id_syntax" in str(error.value)


def test_models_train_command_refuses_an_unknown_pipeline(capsys):
    assert main(["train", "fr_ner"]) == 1
    assert "unknown pipeline fr_ner" in capsys.readouterr().err


def test_models_ordinary_indonesian_news_names_come_out_typed_from_context():
    found = article("Komisi Pemberantasan Korupsi (KPK) memeriksa politikus Partai Golkar di Jakarta, Senin. "
                    "Menurut Wiranto, TNI siap membantu penyidik. Sekretaris Jenderal PDI Perjuangan Hasto "
                    "Kristiyanto menolak berkomentar.", language="id")
    types = {name: row["type"] for name, row in names_of(found).items()}
    assert types["Partai Golkar"] == types["TNI"] == types["PDI Perjuangan"] == "ORG"
    assert types["Komisi Pemberantasan Korupsi"] == "ORG"
    assert types["Wiranto"] == types["Hasto Kristiyanto"] == "PERSON"


def test_models_recogniser_and_engine_keep_their_scores_on_the_dev_split():
    scores = score_names(NER_DEV, "id", limit=150)
    # Measured on these 150 dev sentences when written: recogniser F1 0.756, engine in the corpus convention
    # 0.760 (recall 0.838); every mention the engine links recalls 0.773.
    assert scores["recogniser"]["all"]["f"] >= 0.73
    assert scores["engine names (corpus convention)"]["all"]["f"] >= 0.73
    assert scores["engine names (corpus convention)"]["all"]["r"] >= scores["recogniser"]["all"]["r"]
    assert scores["engine mentions"]["all"]["r"] >= 0.75


def test_events_a_sentence_without_a_date_keeps_the_date_of_the_one_it_goes_on_from():
    found = events_of(article("Pada 19 Juni 2024, Presiden Rusia Vladimir Putin tiba di Pyongyang. Ia menandatangani "
                              "perjanjian kemitraan strategis dengan Kim Jong Un. Putin akan mengunjungi Hanoi.",
                              published="2024-06-21", language="id"))
    assert ("AGREE", "Vladimir Putin", "Kim Jong Un", "asserted", "2024-06-19", "day") in found
    # A plan is not dated by what happened before it.
    assert ("CONSULT", "Vladimir Putin", "Vietnam", "planned", "2024-06-21", "article") in found


def test_events_the_date_of_the_triggers_own_clause_wins():
    found = events_of(article("Kim Jong Un, yang mengunjungi Vladivostok pada September 2023, bertemu dengan Putin "
                              "di Pyongyang pada 19 Juni 2024.", published="2024-06-21", language="id"))
    assert ("CONSULT", "Kim Jong Un", "Vladimir Putin", "asserted", "2024-06-19", "day") in found
    assert ("CONSULT", "Kim Jong Un", "Vladivostok", "asserted", "2023-09", "month") in found


def test_training_ner_reader_takes_crlf_files_and_repairs_entities_that_start_inside(tmp_path):
    conll = tmp_path / "news.txt"
    conll.write_bytes(b"Ketua PROPN O\r\nKPK PROPN I-ORG\r\nbertemu VERB O\r\nJoko PROPN B-PER\r\nWidodo PROPN I-PER\r\n"
                      b"\r\nDi ADP O\r\nJakarta PROPN B-LOC\r\n")
    from analysis.train import read_conll_ner

    assert read_conll_ner(conll) == [(["Ketua", "KPK", "bertemu", "Joko", "Widodo"], ["O", "B-ORG", "O", "B-PER", "I-PER"]),
                                     (["Di", "Jakarta"], ["O", "B-LOC"])]


def test_training_ner_reader_names_the_file_and_line_of_a_bad_label(tmp_path):
    conll = tmp_path / "bad.txt"
    conll.write_text("Jakarta PROPN B-LOC\nbanjir NOUN X-EVENT\n", encoding="utf-8")
    from analysis.train import TrainingDataError, read_conll_ner

    with pytest.raises(TrainingDataError, match=r"bad.txt:2: label 'X-EVENT'"):
        read_conll_ner(conll)


def test_training_every_pipeline_has_its_config_and_its_corpora_in_the_repository():
    from analysis.train import CONFIG_DIR, PIPELINES, TRAINING_DATA

    for spec in PIPELINES.values():
        assert (CONFIG_DIR / spec.config).is_file()
        for corpus in spec.train + spec.dev:
            assert (TRAINING_DATA / corpus.path).is_file(), corpus.path
