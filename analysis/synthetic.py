"""Seeded synthetic datasets that follow the four-table contract, for tests and the dashboard bench.

The actors come from the knowledge base (analysis/kb/actors.yaml) when it exists, so the bench
exercises real names and aliases; a small built-in list stands in until then.

`generate` returns a dataset in memory; `write_partitioned` writes one of any size chunk by chunk, each chunk a
new part of the dataset folder, so memory stays that of one chunk. Both draw whole chunks at once with numpy and
assemble the texts with Arrow kernels (about 3 s per 100,000 articles on a 2-core machine).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis import store
from analysis.store import SCHEMAS

LANGUAGES = ("en", "ru", "ko", "id")
LANGUAGE_WEIGHTS = (0.4, 0.25, 0.2, 0.15)
SOURCES = {
    "en": ("Reuters", "NK News", "The Korea Herald", "AP"),
    "ru": ("TASS", "RIA Novosti", "Kommersant"),
    "ko": ("Yonhap", "Chosun Ilbo", "Hankyoreh"),
    "id": ("Kompas", "Antara", "Tempo"),
}
SOURCE_DOMAINS = {
    "Reuters": "reuters.com",
    "NK News": "nknews.org",
    "The Korea Herald": "koreaherald.com",
    "AP": "apnews.com",
    "TASS": "tass.ru",
    "RIA Novosti": "ria.ru",
    "Kommersant": "kommersant.ru",
    "Yonhap": "yna.co.kr",
    "Chosun Ilbo": "chosun.com",
    "Hankyoreh": "hani.co.kr",
    "Kompas": "kompas.com",
    "Antara": "antaranews.com",
    "Tempo": "tempo.co",
}
FIRST_DAY = np.datetime64("2023-01-01")
DAYS = 912  # to mid-2025: the period the project studies
CHUNK_ARTICLES = 50_000  # articles per part of a large dataset: about 450 MB at the peak while generating

# (id, name, type, country, sector, wikidata, {lang: aliases}) used until analysis/kb/actors.yaml exists.
FALLBACK_ACTORS: tuple[dict, ...] = (
    {
        "id": "putin",
        "name": "Vladimir Putin",
        "type": "PERSON",
        "country": "RUS",
        "sector": "GOV",
        "wikidata": "Q7747",
        "aliases": {
            "en": ["Vladimir Putin", "Putin"],
            "ru": ["Владимир Путин", "Путин"],
            "ko": ["푸틴"],
            "id": ["Vladimir Putin", "Putin"],
        },
    },
    {
        "id": "kim_jong_un",
        "name": "Kim Jong Un",
        "type": "PERSON",
        "country": "PRK",
        "sector": "GOV",
        "wikidata": "Q56226",
        "aliases": {
            "en": ["Kim Jong Un", "Kim Jong-un"],
            "ru": ["Ким Чен Ын"],
            "ko": ["김정은"],
            "id": ["Kim Jong Un"],
        },
    },
    {
        "id": "lavrov",
        "name": "Sergei Lavrov",
        "type": "PERSON",
        "country": "RUS",
        "sector": "GOV",
        "wikidata": "Q47248",
        "aliases": {
            "en": ["Sergei Lavrov", "Lavrov"],
            "ru": ["Сергей Лавров", "Лавров"],
            "ko": ["라브로프"],
            "id": ["Sergei Lavrov"],
        },
    },
    {
        "id": "choe_son_hui",
        "name": "Choe Son Hui",
        "type": "PERSON",
        "country": "PRK",
        "sector": "GOV",
        "wikidata": "Q16254580",
        "aliases": {"en": ["Choe Son Hui"], "ru": ["Цой Сон Хи"], "ko": ["최선희"], "id": ["Choe Son Hui"]},
    },
    {
        "id": "shoigu",
        "name": "Sergei Shoigu",
        "type": "PERSON",
        "country": "RUS",
        "sector": "MIL",
        "wikidata": "Q198928",
        "aliases": {
            "en": ["Sergei Shoigu", "Shoigu"],
            "ru": ["Сергей Шойгу", "Шойгу"],
            "ko": ["쇼이구"],
            "id": ["Shoigu"],
        },
    },
    {
        "id": "kim_yo_jong",
        "name": "Kim Yo Jong",
        "type": "PERSON",
        "country": "PRK",
        "sector": "GOV",
        "wikidata": "Q3193869",
        "aliases": {"en": ["Kim Yo Jong"], "ru": ["Ким Ё Чжон"], "ko": ["김여정"], "id": ["Kim Yo Jong"]},
    },
    {
        "id": "yoon_suk_yeol",
        "name": "Yoon Suk Yeol",
        "type": "PERSON",
        "country": "KOR",
        "sector": "GOV",
        "wikidata": "Q20707",
        "aliases": {"en": ["Yoon Suk Yeol"], "ru": ["Юн Сок Ёль"], "ko": ["윤석열"], "id": ["Yoon Suk Yeol"]},
    },
    {
        "id": "kremlin",
        "name": "Kremlin",
        "type": "ORG",
        "country": "RUS",
        "sector": "GOV",
        "wikidata": "Q79942",
        "aliases": {"en": ["the Kremlin", "Kremlin"], "ru": ["Кремль"], "ko": ["크렘린"], "id": ["Kremlin"]},
    },
    {
        "id": "kcna",
        "name": "Korean Central News Agency",
        "type": "ORG",
        "country": "PRK",
        "sector": "JRN",
        "wikidata": "Q497976",
        "aliases": {"en": ["KCNA"], "ru": ["ЦТАК"], "ko": ["조선중앙통신"], "id": ["KCNA"]},
    },
    {
        "id": "unsc",
        "name": "UN Security Council",
        "type": "ORG",
        "country": None,
        "sector": "IGO",
        "wikidata": "Q37470",
        "aliases": {
            "en": ["the UN Security Council"],
            "ru": ["Совбез ООН"],
            "ko": ["유엔 안보리"],
            "id": ["Dewan Keamanan PBB"],
        },
    },
    {
        "id": "nis",
        "name": "National Intelligence Service",
        "type": "ORG",
        "country": "KOR",
        "sector": "SPY",
        "wikidata": "Q483753",
        "aliases": {"en": ["the NIS"], "ru": ["НРС"], "ko": ["국정원"], "id": ["NIS"]},
    },
    {
        "id": "russia",
        "name": "Russia",
        "type": "GPE",
        "country": "RUS",
        "sector": None,
        "wikidata": "Q159",
        "aliases": {"en": ["Russia"], "ru": ["Россия"], "ko": ["러시아"], "id": ["Rusia"]},
    },
    {
        "id": "north_korea",
        "name": "North Korea",
        "type": "GPE",
        "country": "PRK",
        "sector": None,
        "wikidata": "Q423",
        "aliases": {"en": ["North Korea", "DPRK"], "ru": ["КНДР"], "ko": ["북한"], "id": ["Korea Utara"]},
    },
    {
        "id": "south_korea",
        "name": "South Korea",
        "type": "GPE",
        "country": "KOR",
        "sector": None,
        "wikidata": "Q884",
        "aliases": {"en": ["South Korea"], "ru": ["Южная Корея"], "ko": ["한국"], "id": ["Korea Selatan"]},
    },
    {
        "id": "united_states",
        "name": "United States",
        "type": "GPE",
        "country": "USA",
        "sector": None,
        "wikidata": "Q30",
        "aliases": {"en": ["the United States"], "ru": ["США"], "ko": ["미국"], "id": ["Amerika Serikat"]},
    },
    {
        "id": "ukraine",
        "name": "Ukraine",
        "type": "GPE",
        "country": "UKR",
        "sector": None,
        "wikidata": "Q212",
        "aliases": {"en": ["Ukraine"], "ru": ["Украина"], "ko": ["우크라이나"], "id": ["Ukraina"]},
    },
)

# Places with coordinates: the synthetic gazetteer.
PLACES: tuple[dict, ...] = (
    {
        "id": "pyongyang",
        "name": "Pyongyang",
        "type": "GPE",
        "country": "PRK",
        "lat": 39.0392,
        "lon": 125.7625,
        "aliases": {"en": ["Pyongyang"], "ru": ["Пхеньян"], "ko": ["평양"], "id": ["Pyongyang"]},
    },
    {
        "id": "moscow",
        "name": "Moscow",
        "type": "GPE",
        "country": "RUS",
        "lat": 55.7558,
        "lon": 37.6173,
        "aliases": {"en": ["Moscow"], "ru": ["Москва"], "ko": ["모스크바"], "id": ["Moskow"]},
    },
    {
        "id": "vladivostok",
        "name": "Vladivostok",
        "type": "GPE",
        "country": "RUS",
        "lat": 43.1155,
        "lon": 131.8855,
        "aliases": {"en": ["Vladivostok"], "ru": ["Владивосток"], "ko": ["블라디보스토크"], "id": ["Vladivostok"]},
    },
    {
        "id": "vostochny",
        "name": "Vostochny Cosmodrome",
        "type": "FAC",
        "country": "RUS",
        "lat": 51.884,
        "lon": 128.334,
        "aliases": {
            "en": ["the Vostochny Cosmodrome"],
            "ru": ["космодром Восточный"],
            "ko": ["보스토치니 우주기지"],
            "id": ["Kosmodrom Vostochny"],
        },
    },
    {
        "id": "kursk",
        "name": "Kursk",
        "type": "GPE",
        "country": "RUS",
        "lat": 51.7304,
        "lon": 36.1926,
        "aliases": {"en": ["Kursk"], "ru": ["Курск"], "ko": ["쿠르스크"], "id": ["Kursk"]},
    },
    {
        "id": "seoul",
        "name": "Seoul",
        "type": "GPE",
        "country": "KOR",
        "lat": 37.5665,
        "lon": 126.978,
        "aliases": {"en": ["Seoul"], "ru": ["Сеул"], "ko": ["서울"], "id": ["Seoul"]},
    },
    {
        "id": "rason",
        "name": "Rason",
        "type": "GPE",
        "country": "PRK",
        "lat": 42.2569,
        "lon": 130.2977,
        "aliases": {"en": ["Rason"], "ru": ["Расон"], "ko": ["나선"], "id": ["Rason"]},
    },
    {
        "id": "tumen_river",
        "name": "Tumen River",
        "type": "LOC",
        "country": "PRK",
        "lat": 42.2906,
        "lon": 130.6972,
        "aliases": {"en": ["the Tumen River"], "ru": ["река Туманная"], "ko": ["두만강"], "id": ["Sungai Tumen"]},
    },
    {
        "id": "kyiv",
        "name": "Kyiv",
        "type": "GPE",
        "country": "UKR",
        "lat": 50.4501,
        "lon": 30.5234,
        "aliases": {"en": ["Kyiv"], "ru": ["Киев"], "ko": ["키이우"], "id": ["Kyiv"]},
    },
    {
        "id": "jakarta",
        "name": "Jakarta",
        "type": "GPE",
        "country": "IDN",
        "lat": -6.2088,
        "lon": 106.8456,
        "aliases": {"en": ["Jakarta"], "ru": ["Джакарта"], "ko": ["자카르타"], "id": ["Jakarta"]},
    },
)

# (template per language, event type or None, modality). {A} and {B} are actors, {P} a place.
TEMPLATES: tuple[tuple[dict[str, str], str | None, str], ...] = (
    (
        {
            "en": "{A} met {B} in {P}.",
            "ru": "{A} встретился с {B} в {P}.",
            "ko": "{A}은 {P}에서 {B}와 만났다.",
            "id": "{A} bertemu {B} di {P}.",
        },
        "CONSULT",
        "asserted",
    ),
    (
        {
            "en": "{A} accused {B} of escalating tensions near {P}.",
            "ru": "{A} обвинил {B} в эскалации у {P}.",
            "ko": "{A}은 {P} 인근 긴장 고조를 두고 {B}를 비난했다.",
            "id": "{A} menuduh {B} meningkatkan ketegangan di {P}.",
        },
        "ACCUSE",
        "asserted",
    ),
    (
        {
            "en": "{A} and {B} agreed in {P} to expand military cooperation.",
            "ru": "{A} и {B} договорились в {P} расширить военное сотрудничество.",
            "ko": "{A}과 {B}는 {P}에서 군사 협력 확대에 합의했다.",
            "id": "{A} dan {B} sepakat di {P} memperluas kerja sama militer.",
        },
        "AGREE",
        "asserted",
    ),
    (
        {
            "en": "Officials said {A} will visit {P} to see {B}.",
            "ru": "Чиновники заявили, что {A} посетит {P}, чтобы увидеть {B}.",
            "ko": "관리들은 {A}이 {B}를 만나러 {P}를 방문할 것이라고 말했다.",
            "id": "Pejabat mengatakan {A} akan mengunjungi {P} untuk menemui {B}.",
        },
        "CONSULT",
        "planned",
    ),
    (
        {
            "en": "{A} denied sending troops to {P} for {B}.",
            "ru": "{A} опроверг отправку войск в {P} для {B}.",
            "ko": "{A}은 {B}를 위해 {P}에 군대를 보냈다는 보도를 부인했다.",
            "id": "{A} membantah mengirim pasukan ke {P} untuk {B}.",
        },
        "MOBILIZE",
        "denied",
    ),
    (
        {
            "en": "{A} reportedly shipped artillery shells to {B} through {P}.",
            "ru": "{A}, по сообщениям, отправил {B} артиллерийские снаряды через {P}.",
            "ko": "{A}이 {P}를 거쳐 {B}에 포탄을 보낸 것으로 알려졌다.",
            "id": "{A} dilaporkan mengirim peluru artileri ke {B} melalui {P}.",
        },
        "AID",
        "reported",
    ),
    (
        {
            "en": "{A} could impose new sanctions on {B} over {P}.",
            "ru": "{A} может ввести новые санкции против {B} из-за {P}.",
            "ko": "{A}은 {P} 문제로 {B}에 새 제재를 부과할 수 있다.",
            "id": "{A} dapat menjatuhkan sanksi baru terhadap {B} terkait {P}.",
        },
        "SANCTION",
        "hypothetical",
    ),
    (
        {
            "en": "{A} threatened {B} with a response in {P}.",
            "ru": "{A} пригрозил {B} ответом в {P}.",
            "ko": "{A}은 {P}에서의 대응을 경고하며 {B}를 위협했다.",
            "id": "{A} mengancam {B} dengan tanggapan di {P}.",
        },
        "THREATEN",
        "asserted",
    ),
    (
        {
            "en": "{A} said the talks with {B} were productive.",
            "ru": "{A} заявил, что переговоры с {B} были продуктивными.",
            "ko": "{A}은 {B}와의 회담이 생산적이었다고 말했다.",
            "id": "{A} mengatakan pembicaraan dengan {B} produktif.",
        },
        None,
        "",
    ),
    (
        {
            "en": "The weather in {P} was mild.",
            "ru": "Погода в {P} была мягкой.",
            "ko": "{P}의 날씨는 온화했다.",
            "id": "Cuaca di {P} cerah.",
        },
        None,
        "",
    ),
)
TRIGGERS = {
    "CONSULT": "met",
    "ACCUSE": "accused",
    "AGREE": "agreed",
    "MOBILIZE": "sending troops",
    "AID": "shipped",
    "SANCTION": "sanctions",
    "THREATEN": "threatened",
}


@dataclass(frozen=True)
class SyntheticTables:
    """The four contract tables, shaped like analysis.store.Tables."""

    articles: pd.DataFrame
    entities: pd.DataFrame
    mentions: pd.DataFrame
    events: pd.DataFrame


def load_kb_actors() -> list[dict]:
    """Actors from the knowledge base when it exists, else the built-in list."""
    try:
        from analysis.kb import load_actors  # the engine's loader, once written

        actors = load_actors()
    except Exception:  # the engine may not exist yet: fall back to the YAML file or the built-in list
        actors = _read_actors_yaml(Path(__file__).parent / "kb" / "actors.yaml")
    return [a for a in actors if a.get("id") and a.get("name")] or list(FALLBACK_ACTORS)


def _read_actors_yaml(path: Path) -> list[dict]:
    """Parse actors.yaml directly (a list, or a mapping with an 'actors' list)."""
    if not path.exists():
        return []
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data.get("actors", []) if isinstance(data, dict) else data or [])


def _aliases(entry: dict, language: str) -> list[str]:
    """Surface forms of an entry in one language, falling back to English and the canonical name."""
    aliases = entry.get("aliases") or {}
    return list(aliases.get(language) or aliases.get("en") or [entry["name"]])


def entity_table(actors: list[dict]) -> pd.DataFrame:
    """The entities table: KB actors (no coordinates) plus the synthetic gazetteer places."""
    rows = []
    for a in actors:
        rows.append(
            {
                "entity_id": str(a["id"]),
                "name": a["name"],
                "type": a.get("type") or "ORG",
                "country": a.get("country"),
                "sector": a.get("sector"),
                "wikidata": a.get("wikidata"),
                "lat": None,
                "lon": None,
                "geocoder": None,
                "kb": True,
            }
        )
    known = {r["entity_id"] for r in rows}
    for p in PLACES:
        if p["id"] in known:
            continue
        rows.append(
            {
                "entity_id": p["id"],
                "name": p["name"],
                "type": p["type"],
                "country": p["country"],
                "sector": None,
                "wikidata": None,
                "lat": p["lat"],
                "lon": p["lon"],
                "geocoder": "gazetteer",
                "kb": False,
            }
        )
    frame = pd.DataFrame(rows)
    frame["lat"] = frame["lat"].astype("float64")
    frame["lon"] = frame["lon"].astype("float64")
    return frame


def generate(n_articles: int, seed: int = 7, actors: list[dict] | None = None) -> SyntheticTables:
    """Build n_articles synthetic articles with their mentions and events, reproducibly from seed."""
    vocabulary = _vocabulary(list(actors) if actors is not None else load_kb_actors())
    tables = _chunk(vocabulary, seed, 0, 0, n_articles)
    return SyntheticTables(
        articles=tables["articles"].to_pandas(),
        entities=vocabulary.entities,
        mentions=tables["mentions"].to_pandas(),
        events=tables["events"].to_pandas(),
    )


def write(tables: SyntheticTables, out_dir: Path) -> Path:
    """Write the four tables as a dataset folder (one part per table) into out_dir."""
    with store.lock(out_dir):
        store.write_tables(out_dir, store.Tables(tables.articles, tables.entities, tables.mentions, tables.events))
    return out_dir


def write_partitioned(
    n_articles: int,
    out_dir: Path,
    seed: int = 11,
    chunk: int = CHUNK_ARTICLES,
    actors: list[dict] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> store.WriteReport:
    """Write n_articles as a dataset folder, one part per chunk of articles, never holding more than a chunk.

    Whatever the folder held is replaced. The first chunk equals generate(chunk, seed); the dataset is the same
    for the same seed and chunk. progress(articles written, n_articles) is called after each part.
    """
    if n_articles < 1 or chunk < 1:
        raise ValueError(f"need at least one article and one article per chunk, not {n_articles} and {chunk}")
    vocabulary = _vocabulary(list(actors) if actors is not None else load_kb_actors())
    out_dir = Path(out_dir)
    files: list[Path] = []
    size = 0
    with store.lock(out_dir):
        for number, first in enumerate(range(0, n_articles, chunk)):
            report = _write_chunk(vocabulary, seed, number, first, min(chunk, n_articles - first), out_dir)
            files += report.files
            size += report.bytes
            if progress:
                progress(min(first + chunk, n_articles), n_articles)
    return store.WriteReport(tuple(files), size)


def _write_chunk(vocabulary: _Vocabulary, seed: int, number: int, first: int, n_articles: int, out_dir: Path
                 ) -> store.WriteReport:
    """Generate one chunk and store it as one part per table (call with the folder's lock held)."""
    tables = {name: table.to_pandas() for name, table in _chunk(vocabulary, seed, number, first, n_articles).items()}
    entities = vocabulary.entities if number == 0 else store.empty_table("entities")
    parts = store.Tables(tables["articles"], entities, tables["mentions"], tables["events"])
    # The first part replaces what the folder held, so a rerun never appends the same ids twice.
    return store.write_tables(out_dir, parts) if number == 0 else store.append_tables(out_dir, parts)


# ----- the vectorised generator: a chunk of articles drawn as numpy arrays and assembled with Arrow kernels

# Strings are built as large_string, the type pandas keeps them in, so handing a chunk to pandas copies nothing.
TEXT = pa.large_string()
_LARGE_SCHEMAS = {
    name: pa.schema([(field.name, TEXT if field.type == pa.string() else field.type) for field in schema])
    for name, schema in SCHEMAS.items()
}
NO_SLOT = 3  # slot code of a template with fewer than three slots: an empty surface, no mention
SLOT_CODES = {"A": 0, "B": 1, "P": 2}
ARTICLE_KEY = 15  # ids hash (article number << 4 | 15) for articles and (article number << 4 | sentence) for events
_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


@dataclass(frozen=True)
class _Vocabulary:
    """What a chunk draws from, coded as arrays: entities, their aliases per language, templates cut at slots.

    Slot entities are numbered actors first, then places, then one empty entity that fills unused slots.
    A form is a template in one language: form = template * len(LANGUAGES) + language.
    """

    entities: pd.DataFrame
    slot_entity_ids: pa.Array
    actor_names: pa.Array
    actor_weights: np.ndarray
    place_weights: np.ndarray
    alias_text: pa.Array
    alias_length: np.ndarray
    alias_first: np.ndarray
    alias_count: np.ndarray
    piece_text: pa.Array
    piece_length: np.ndarray
    form_pieces: np.ndarray
    form_slots: np.ndarray
    event_type: np.ndarray
    event_types: pa.Array
    modalities: pa.Array
    triggers: pa.Array

    @property
    def n_actors(self) -> int:
        """How many entities can stand in the actor slots."""
        return len(self.actor_weights)


def _zipf(n: int, exponent: float) -> np.ndarray:
    """Zipf-like probabilities: a few of the n dominate, as in the real corpus."""
    weights = 1.0 / np.arange(1, n + 1) ** exponent
    return weights / weights.sum()


def _vocabulary(actors: list[dict]) -> _Vocabulary:
    """Code the actors, places, aliases and templates as the arrays a chunk draws from."""
    actor_entries = [a for a in actors if (a.get("type") or "ORG") in ("PERSON", "ORG", "GPE")]
    if len(actor_entries) < 2:
        raise ValueError("a synthetic dataset needs at least two actors (people, organisations or countries)")
    slot_entries = actor_entries + list(PLACES)
    aliases, first, count = _alias_table(slot_entries)
    pieces, form_pieces, form_slots = _template_forms()
    types = sorted(TRIGGERS)
    return _Vocabulary(
        entities=entity_table(actors),
        slot_entity_ids=pa.array([str(entry["id"]) for entry in slot_entries] + [""], TEXT),
        actor_names=pa.array([str(a["name"]) for a in actor_entries], TEXT),
        actor_weights=_zipf(len(actor_entries), 0.9),
        place_weights=_zipf(len(PLACES), 0.8),
        alias_text=pa.array(aliases, TEXT),
        alias_length=np.array([len(alias) for alias in aliases], dtype=np.int64),
        alias_first=first,
        alias_count=count,
        piece_text=pa.array(pieces, TEXT),
        piece_length=np.array([len(piece) for piece in pieces], dtype=np.int64),
        form_pieces=form_pieces,
        form_slots=form_slots,
        event_type=np.array([types.index(kind) if kind else -1 for _, kind, _ in TEMPLATES], dtype=np.int64),
        event_types=pa.array(types, TEXT),
        modalities=pa.array([modality for _, _, modality in TEMPLATES], TEXT),
        triggers=pa.array([TRIGGERS[kind] for kind in types], TEXT),
    )


def _alias_table(slot_entries: list[dict]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Every alias in one list (the first is the empty slot's ''), with each [language, entity]'s first and count."""
    aliases = [""]
    first = np.zeros((len(LANGUAGES), len(slot_entries) + 1), dtype=np.int64)
    count = np.ones_like(first)
    for language_number, language in enumerate(LANGUAGES):
        for entity_number, entry in enumerate(slot_entries):
            # Words separated by single spaces, so that counting spaces counts words.
            forms = [" ".join(str(alias).split()) for alias in _aliases(entry, language)]
            forms = [form for form in forms if form] or [" ".join(str(entry["name"]).split())]
            first[language_number, entity_number] = len(aliases)
            count[language_number, entity_number] = len(forms)
            aliases += forms
    return aliases, first, count


def _template_forms() -> tuple[list[str], np.ndarray, np.ndarray]:
    """Each template in each language as four literal pieces around three slots (unused ones empty)."""
    pieces: list[str] = []
    form_pieces = np.zeros((len(TEMPLATES) * len(LANGUAGES), 4), dtype=np.int64)
    form_slots = np.full((len(TEMPLATES) * len(LANGUAGES), 3), NO_SLOT, dtype=np.int64)
    for template_number, (template, _, _) in enumerate(TEMPLATES):
        for language_number, language in enumerate(LANGUAGES):
            form = template_number * len(LANGUAGES) + language_number
            literals, slots = _cut(template[language])
            form_slots[form, : len(slots)] = [SLOT_CODES[slot] for slot in slots]
            for position, literal in enumerate(literals + [""] * (4 - len(literals))):
                if literal not in pieces:
                    pieces.append(literal)
                form_pieces[form, position] = pieces.index(literal)
    return pieces, form_pieces, form_slots


def _cut(template: str) -> tuple[list[str], list[str]]:
    """A template's literal pieces and, between them, its slot names: '{A} met {B}.' -> ['', ' met ', '.'], [A, B]."""
    literals, slots = [], []
    rest = template
    while "{" in rest:
        before, _, after = rest.partition("{")
        slot, _, rest = after.partition("}")
        literals.append(before)
        slots.append(slot)
    literals.append(rest)
    return literals, slots


def _mix(keys: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser: a bijection of 64-bit integers, so distinct keys give distinct ids."""
    z = keys.astype(np.uint64)
    z ^= z >> np.uint64(30)
    z *= np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return z


def _hex_ids(keys: np.ndarray, seed: int) -> pa.Array:
    """16 hex characters per key, the same for the same key and seed, distinct for distinct keys."""
    salt = _mix(np.array([seed], dtype=np.uint64))[0]
    hashed = _mix(keys.astype(np.uint64) ^ salt)
    digits = np.empty((len(hashed), 16), dtype=np.uint8)
    for position in range(16):
        digits[:, position] = _HEX_DIGITS[(hashed >> np.uint64(60 - 4 * position)) & np.uint64(15)]
    offsets = np.arange(0, 16 * len(hashed) + 1, 16, dtype=np.int64)
    return pa.LargeStringArray.from_buffers(len(hashed), pa.py_buffer(offsets), pa.py_buffer(digits))


def _concat(*parts: pa.Array | str) -> pa.Array:
    """Strings concatenated element by element; null where any part is null."""
    return pc.binary_join_element_wise(*(pa.scalar(part, TEXT) if isinstance(part, str) else part for part in parts),
                                       pa.scalar("", TEXT))


def _masked(indices: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    """Indices for pyarrow take, null where missing (take then yields null)."""
    return pa.array(indices, type=pa.int64(), mask=missing)


@dataclass
class _Sentences:
    """A chunk's sentences: their article, number, template, form, and the entity, alias and start of each slot."""

    article: np.ndarray
    number: np.ndarray
    template: np.ndarray
    form: np.ndarray
    actors: np.ndarray  # [sentence, 2]: the A and B actors
    place: np.ndarray
    entity: np.ndarray  # [sentence, 3]: slot entities, the empty entity in an unused slot
    alias: np.ndarray  # [sentence, 3]
    start: np.ndarray  # [sentence, 3]: slot starts in the article's text, in characters
    text: pa.Array


def _chunk(vocabulary: _Vocabulary, seed: int, number: int, first_article: int, n_articles: int
           ) -> dict[str, pa.Table]:
    """The articles, mentions and events of articles first_article .. first_article + n_articles - 1."""
    rng = np.random.default_rng([seed, number])
    language = rng.choice(len(LANGUAGES), size=n_articles, p=LANGUAGE_WEIGHTS)
    day = rng.integers(0, DAYS, size=n_articles)
    n_sentences = rng.integers(4, 11, size=n_articles)
    undated = rng.random(n_articles) < 0.02
    article_numbers = first_article + np.arange(n_articles, dtype=np.int64)
    article_ids = _hex_ids(article_numbers << 4 | ARTICLE_KEY, seed)
    sentences = _draw_sentences(vocabulary, rng, language, n_sentences)
    return {
        "articles": _articles(vocabulary, rng, sentences, article_ids, language, day, undated, n_sentences),
        "mentions": _mentions(vocabulary, sentences, article_ids),
        "events": _events(vocabulary, rng, sentences, seed, article_numbers, article_ids, day, undated),
    }


def _draw_sentences(vocabulary: _Vocabulary, rng: np.random.Generator, language: np.ndarray,
                    n_sentences: np.ndarray) -> _Sentences:
    """Draw every sentence of a chunk at once: template, two distinct actors, a place, an alias per slot."""
    article = np.repeat(np.arange(len(n_sentences)), n_sentences)
    first_sentence = np.cumsum(n_sentences) - n_sentences
    number = np.arange(len(article)) - first_sentence[article]
    template = rng.integers(len(TEMPLATES), size=len(article))
    form = template * len(LANGUAGES) + language[article]
    actors = rng.choice(vocabulary.n_actors, size=(len(article), 2), p=vocabulary.actor_weights)
    # Redraw B where it equals A: B then follows the weights of the actors other than A, as a draw without
    # replacement does.
    while (same := np.flatnonzero(actors[:, 0] == actors[:, 1])).size:
        actors[same, 1] = rng.choice(vocabulary.n_actors, size=same.size, p=vocabulary.actor_weights)
    place = rng.choice(len(PLACES), size=len(article), p=vocabulary.place_weights)
    candidates = np.column_stack([actors, vocabulary.n_actors + place,
                                  np.full(len(article), vocabulary.n_actors + len(PLACES))])
    slots = vocabulary.form_slots[form]
    entity = np.take_along_axis(candidates, slots, axis=1)
    sentence_language = language[article][:, None]
    alias = vocabulary.alias_first[sentence_language, entity] + (
        rng.random(entity.shape) * vocabulary.alias_count[sentence_language, entity]).astype(np.int64)
    text, start, length = _sentence_texts(vocabulary, form, alias)
    # Sentences are joined by one space: each starts where the previous ended, plus one.
    starts = np.cumsum(length + 1) - (length + 1)
    offset = starts - starts[first_sentence][article]
    return _Sentences(article, number, template, form, actors, place, entity, alias, start + offset[:, None], text)


def _sentence_texts(vocabulary: _Vocabulary, form: np.ndarray, alias: np.ndarray
                    ) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Each sentence's text, its slots' starts within it and its length, in characters."""
    pieces = vocabulary.form_pieces[form]
    piece_length = vocabulary.piece_length[pieces]
    alias_length = vocabulary.alias_length[alias]
    parts = []
    for position in range(3):
        parts += [vocabulary.piece_text.take(pieces[:, position]), vocabulary.alias_text.take(alias[:, position])]
    parts.append(vocabulary.piece_text.take(pieces[:, 3]))
    text = _concat(*parts)
    # A slot starts after the pieces and surfaces before it.
    before = np.cumsum(piece_length[:, :3] + np.column_stack([np.zeros(len(form), np.int64), alias_length[:, :2]]),
                       axis=1)
    return text, before, before[:, 2] + alias_length[:, 2] + piece_length[:, 3]


def _articles(vocabulary: _Vocabulary, rng: np.random.Generator, sentences: _Sentences, article_ids: pa.Array,
              language: np.ndarray, day: np.ndarray, undated: np.ndarray, n_sentences: np.ndarray) -> pa.Table:
    """The articles table: texts are their sentences joined by spaces; titles the first actor and sentence."""
    n = len(language)
    source_count = np.array([len(SOURCES[code]) for code in LANGUAGES])
    source_first = np.cumsum(source_count) - source_count
    source = source_first[language] + (rng.random(n) * source_count[language]).astype(np.int64)
    without_url = rng.random(n) < 0.05
    source_names = [name for code in LANGUAGES for name in SOURCES[code]]
    sources = pa.array(source_names, TEXT)
    link_prefixes = pa.array([f"https://{SOURCE_DOMAINS[name]}/news/" for name in source_names], TEXT)
    offsets = np.concatenate([[0], np.cumsum(n_sentences)]).astype(np.int32)
    text = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), sentences.text), pa.scalar(" ", TEXT))
    first_sentence = offsets[:-1]
    # As a reader would see it: the text up to its first full stop, at most 70 characters.
    lead = pc.utf8_slice_codeunits(
        pc.list_element(pc.split_pattern(sentences.text.take(first_sentence), ".", max_splits=1), 0), 0, 70)
    title = _concat(vocabulary.actor_names.take(sentences.actors[first_sentence, 0]), ": ", lead)
    languages = pa.array(LANGUAGES, TEXT).take(language)
    return pa.table(
        {
            "article_id": article_ids,
            "title": title,
            "published": _day_strings().take(_masked(day, undated)),
            "source": sources.take(source),
            "url": _concat(link_prefixes.take(_masked(source, without_url)), article_ids),
            "language": languages,
            "text": text,
            "n_words": pc.add(pc.count_substring(text, " "), 1).cast(pa.int64()),
            "path": _concat("synthetic/", languages, "/", article_ids, ".html"),
        },
        schema=_LARGE_SCHEMAS["articles"],
    )


def _mentions(vocabulary: _Vocabulary, sentences: _Sentences, article_ids: pa.Array) -> pa.Table:
    """One mention per filled slot, in the order of the sentences and of the slots within them."""
    filled = sentences.entity < vocabulary.n_actors + len(PLACES)
    row_sentence = np.broadcast_to(np.arange(len(sentences.article))[:, None], filled.shape)[filled]
    alias = sentences.alias[filled]
    start = sentences.start[filled]
    return pa.table(
        {
            "article_id": article_ids.take(sentences.article[row_sentence]),
            "entity_id": vocabulary.slot_entity_ids.take(sentences.entity[filled]),
            "sentence": sentences.number[row_sentence],
            "start": start,
            "end": start + vocabulary.alias_length[alias],
            "surface": vocabulary.alias_text.take(alias),
        },
        schema=_LARGE_SCHEMAS["mentions"],
    )


def _events(vocabulary: _Vocabulary, rng: np.random.Generator, sentences: _Sentences, seed: int,
            article_numbers: np.ndarray, article_ids: pa.Array, day: np.ndarray, undated: np.ndarray) -> pa.Table:
    """One event per sentence of an event template; most dated by the article's day, some only by its month."""
    rows = np.flatnonzero(vocabulary.event_type[sentences.template] >= 0)
    article = sentences.article[rows]
    kind = vocabulary.event_type[sentences.template[rows]]
    month_only = rng.random(len(rows)) < 0.15
    confidence = np.round(rng.uniform(0.5, 1.0, size=len(rows)), 3)
    no_date = undated[article]
    precision = np.where(no_date, 2, month_only.astype(np.int64))
    has_place = (vocabulary.form_slots[sentences.form[rows]] == SLOT_CODES["P"]).any(axis=1)
    return pa.table(
        {
            "event_id": _hex_ids(article_numbers[article] << 4 | sentences.number[rows], seed),
            "article_id": article_ids.take(article),
            "sentence": sentences.number[rows],
            "type": vocabulary.event_types.take(kind),
            "mode": pa.nulls(len(rows), TEXT),
            "source_id": vocabulary.slot_entity_ids.take(sentences.actors[rows, 0]),
            "target_id": vocabulary.slot_entity_ids.take(sentences.actors[rows, 1]),
            "place_id": vocabulary.slot_entity_ids.take(
                _masked(vocabulary.n_actors + sentences.place[rows], ~has_place)),
            "date": _day_strings().take(_masked(day[article] + DAYS * month_only, no_date)),
            "date_precision": pa.array(["day", "month", "article"], TEXT).take(precision),
            "modality": vocabulary.modalities.take(sentences.template[rows]),
            "trigger": vocabulary.triggers.take(kind),
            "evidence": sentences.text.take(rows),
            "confidence": confidence,
        },
        schema=_LARGE_SCHEMAS["events"],
    )


@functools.cache
def _day_strings() -> pa.Array:
    """Every day of the period as 'YYYY-MM-DD', then each day's month as 'YYYY-MM'."""
    days = [str(day) for day in FIRST_DAY + np.arange(DAYS)]
    return pa.array(days + [day[:7] for day in days], TEXT)
