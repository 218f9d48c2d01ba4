"""Cleaning: page boilerplate goes, the story and its dateline stay, nothing in boilerplate becomes an entity."""

from __future__ import annotations

from analysis.clean import clean_article
from engine_helpers import article, names_of

PAGE = """Pemimpin Korea Utara Kim Jong Un. /KCNA via REUTERS/

PYONGYANG - Kim Jong Un menerima Menteri Luar Negeri Rusia Sergei Lavrov di Pyongyang pada hari Jumat.

Baca Juga: Wisata Kuliner Murah di Yogyakarta yang Wajib Dicoba Bersama Keluarga

Lavrov menyampaikan salam dari Presiden Vladimir Putin. (Foto: Reuters)

Perkembangan Terbaru

Editor: Bambang Suryadi

Sumber: Reuters

Tags

Terkini

Terpopuler"""


def test_clean_drops_related_links_credits_captions_and_tag_blocks():
    cleaned = clean_article(PAGE, "id")
    assert "Baca Juga" not in cleaned.text and "Yogyakarta" not in cleaned.text
    assert "Bambang" not in cleaned.text and "Editor" not in cleaned.text and "Terpopuler" not in cleaned.text
    assert "KCNA" not in cleaned.text and "(Foto" not in cleaned.text
    assert cleaned.text.startswith("PYONGYANG - Kim Jong Un menerima")
    assert cleaned.text[slice(*cleaned.dateline)] == "PYONGYANG"


def test_clean_marks_subheadings_so_they_are_not_sentences():
    cleaned = clean_article(PAGE, "id")
    headings = [cleaned.text[a:b] for a, b in cleaned.headings]
    assert headings == ["Perkembangan Terbaru"]


def test_clean_nothing_from_boilerplate_becomes_an_entity_but_the_dateline_place_does():
    found = article(PAGE, published="2023-10-20", language="id")
    names = set(names_of(found))
    assert not names & {"Yogyakarta", "Bambang Suryadi", "Korean Central News Agency"}
    assert {"Pyongyang", "Kim Jong Un", "Sergei Lavrov", "Vladimir Putin"} <= names
    dateline = [m for m in found.mentions if m["start"] == 0]
    assert dateline and names_of(found)["Pyongyang"]["entity_id"] == dateline[0]["entity_id"]


def test_clean_english_read_also_and_agency_datelines():
    text = ("MOSCOW (Reuters) - Russia said on Tuesday it would hold drills.\n\nRead also: Ten Beaches Near "
            "Lisbon You Must See\n\nReporting by Anna Petrova; Editing by John Smith")
    cleaned = clean_article(text, "en")
    assert cleaned.text == "MOSCOW (Reuters) - Russia said on Tuesday it would hold drills."
    assert cleaned.dateline_agency == "Reuters"


def test_clean_a_bare_read_also_line_takes_the_headline_under_it_and_agency_initials_go():
    text = ("Jakarta, CNN Indonesia -- Menlu Retno Marsudi bertemu Menlu Jepang di Tokyo.\n\nBaca juga:\n"
            "Jokowi Resmikan Bendungan di NTT\n\n(dis/end)")
    cleaned = clean_article(text, "id")
    assert cleaned.text == "Jakarta, CNN Indonesia -- Menlu Retno Marsudi bertemu Menlu Jepang di Tokyo."
