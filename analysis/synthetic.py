"""Seeded synthetic datasets that follow the four-table contract, for tests and the dashboard bench.

The actors come from the knowledge base (analysis/kb/actors.yaml) when it exists, so the bench
exercises real names and aliases; a small built-in list stands in until then.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

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


def _stable_id(*parts: object) -> str:
    """A short stable hash, as the engine uses for article ids."""
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]


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
    rng = np.random.default_rng(seed)
    actors = list(actors) if actors is not None else load_kb_actors()
    entities = entity_table(actors)
    actor_entries = [a for a in actors if (a.get("type") or "ORG") in ("PERSON", "ORG", "GPE")]
    # A few actors dominate the news, as in the real corpus: Zipf-like weights.
    weights = 1.0 / np.arange(1, len(actor_entries) + 1) ** 0.9
    weights /= weights.sum()
    place_weights = 1.0 / np.arange(1, len(PLACES) + 1) ** 0.8
    place_weights /= place_weights.sum()

    languages = rng.choice(len(LANGUAGES), size=n_articles, p=LANGUAGE_WEIGHTS)
    days = rng.integers(0, DAYS, size=n_articles)
    n_sentences = rng.integers(4, 11, size=n_articles)

    articles, mentions, events = [], [], []
    for i in range(n_articles):
        language = LANGUAGES[languages[i]]
        source = SOURCES[language][rng.integers(len(SOURCES[language]))]
        published = str(FIRST_DAY + days[i]) if rng.random() > 0.02 else None
        article_id = _stable_id(seed, i)
        text_parts: list[str] = []
        offset = 0
        first_actor = None
        for s in range(int(n_sentences[i])):
            template, event_type, modality = TEMPLATES[rng.integers(len(TEMPLATES))]
            a, b = rng.choice(len(actor_entries), size=2, replace=False, p=weights)
            p = rng.choice(len(PLACES), p=place_weights)
            sentence, spans = _fill(
                template[language],
                {"A": (actor_entries[a], language), "B": (actor_entries[b], language), "P": (PLACES[p], language)},
                rng,
            )
            if s:
                text_parts.append(" ")
                offset += 1
            for slot, (start, end, surface) in spans.items():
                entry = {"A": actor_entries[a], "B": actor_entries[b], "P": PLACES[p]}[slot]
                mentions.append((article_id, str(entry["id"]), s, offset + start, offset + end, surface))
            if first_actor is None:
                first_actor = actor_entries[a]["name"]
            if event_type:
                events.append(
                    _event(
                        rng,
                        article_id,
                        s,
                        event_type,
                        modality,
                        actor_entries[a],
                        actor_entries[b],
                        PLACES[p],
                        published,
                        sentence,
                        "{P}" in template[language],
                    )
                )
            text_parts.append(sentence)
            offset += len(sentence)
        text = "".join(text_parts)
        title = f"{first_actor}: {text.split('.')[0][:70]}"
        url = f"https://{SOURCE_DOMAINS[source]}/news/{article_id}" if rng.random() > 0.05 else None
        articles.append(
            (
                article_id,
                title,
                published,
                source,
                url,
                language,
                text,
                len(text.split()),
                f"synthetic/{language}/{article_id}.html",
            )
        )

    # Columns in the order of the table contract (analysis.store.SCHEMAS).
    return SyntheticTables(
        articles=pd.DataFrame(articles, columns=SCHEMAS["articles"].names),
        entities=entities,
        mentions=pd.DataFrame(mentions, columns=SCHEMAS["mentions"].names),
        events=pd.DataFrame(events, columns=SCHEMAS["events"].names),
    )


def _fill(template: str, slots: dict[str, tuple[dict, str]], rng: np.random.Generator) -> tuple[str, dict]:
    """Fill a template's slots with aliases, returning the sentence and each slot's character span."""
    out, spans, cursor = [], {}, 0
    rest = template
    while "{" in rest:
        before, _, after = rest.partition("{")
        slot, _, rest = after.partition("}")
        out.append(before)
        cursor += len(before)
        entry, language = slots[slot]
        options = _aliases(entry, language)
        surface = options[rng.integers(len(options))]
        spans[slot] = (cursor, cursor + len(surface), surface)
        out.append(surface)
        cursor += len(surface)
    out.append(rest)
    return "".join(out), spans


def _event(
    rng: np.random.Generator,
    article_id: str,
    sentence: int,
    event_type: str,
    modality: str,
    source: dict,
    target: dict,
    place: dict,
    published: str | None,
    evidence: str,
    has_place: bool,
) -> tuple:
    """One events row; most dates are the article's day, some only a month, as the engine reports them."""
    if published is None:
        date, precision = None, "article"
    elif rng.random() < 0.15:
        date, precision = published[:7], "month"
    else:
        date, precision = published, "day"
    return (
        _stable_id(article_id, sentence, event_type),
        article_id,
        sentence,
        event_type,
        None,
        str(source["id"]),
        str(target["id"]),
        str(place["id"]) if has_place else None,
        date,
        precision,
        modality,
        TRIGGERS[event_type],
        evidence,
        round(float(rng.uniform(0.5, 1.0)), 3),
    )


def write(tables: SyntheticTables, out_dir: Path) -> Path:
    """Write the four tables as a dataset folder (one part per table) into out_dir."""
    with store.lock(out_dir):
        store.write_tables(out_dir, store.Tables(tables.articles, tables.entities, tables.mentions, tables.events))
    return out_dir
