"""Geocoding behind one interface: the offline gazetteer by default, geopy's Nominatim when the user opts in.

Both adapters return the same `Place`; service errors become `GeocodingError` with a message a person can act
on. Ambiguous names ("Washington") are resolved by the countries the article speaks of, then by population.
"""

from __future__ import annotations

import json
import math
import os
import threading
from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from analysis import cache
from analysis.kb import KnowledgeBase, is_gazetteer_entry, load_knowledge_base

DEFAULT_USER_AGENT = "newsint-dashboard/0.1 (research; https://github.com/newsint)"


class GeocodingError(RuntimeError):
    """A geocoding service failed in a way the user must hear about."""


@dataclass(frozen=True)
class Place:
    """A located place, whoever found it."""

    name: str
    lat: float
    lon: float
    country: str | None
    geocoder: str


class Geocoder(ABC):
    """Turns a place name (with an optional country) into a Place."""

    name: str = "geocoder"

    @abstractmethod
    def geocode(self, query: str, country: str | None = None) -> Place | None:
        """The place a name stands for, or None when the service does not know it."""


class GazetteerGeocoder(Geocoder):
    """Offline: countries, cities and the knowledge base's regions and facilities."""

    name = "gazetteer"

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        self.kb = kb or load_knowledge_base()

    def geocode(self, query: str, country: str | None = None) -> Place | None:
        """Look the name up in every language's names; prefer the given country, then the largest."""
        ids: set[str] = set()
        for code in ("en", "id", "ru", "ko"):
            ids.update(self.kb.lookup(query, code))
        places = [self.kb.entities[x] for x in sorted(ids) if self.kb.entities[x].is_place and self.kb.entities[x].lat is not None]
        if not places:
            return None
        best = max(places, key=lambda e: (e.country == country, e.kind == "country", e.population))
        return Place(best.name, float(best.lat), float(best.lon), best.country, self.name)


# How much the article's countries count against a place's size (one unit = ten times the population).
CONTEXT_WEIGHT = 2.0


def choose_place(candidates: Iterable[str], context: Counter[str], kb: KnowledgeBase) -> str:
    """Among places of the same name, the one with the best mix of size and the article's countries.

    Score: log10(population) + CONTEXT_WEIGHT × (mentions of its country / mentions of the most-named country).
    A town the article's own country dominates wins ("Washington" in a British story is the town in Tyne and
    Wear), but a capital a thousand times larger still beats a namesake ("Moscow" in a story about the US
    election is the Russian capital). A place the knowledge base lists by hand, in a country the article names,
    beats every namesake the gazetteer has ("Khasan" on the Korean border, not the Indian city Hassan).
    """
    top = max(context.values(), default=0) or 1

    def score(entity_id: str) -> tuple[bool, float, bool]:
        entity = kb.entities[entity_id]
        share = context.get(entity.country or "", 0) / top
        listed = not is_gazetteer_entry(entity_id) and share > 0
        return listed, math.log10(entity.population + 1) + CONTEXT_WEIGHT * share, entity.kind == "country"

    return max(candidates, key=score)


class _DiskCache:
    """A small JSON cache of geocoder answers, written atomically, safe across threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        # A damaged cache is only a cache: start again rather than fail.
        self._data: dict[str, list | None] = data if isinstance(data, dict) else {}

    def get(self, key: str) -> tuple[bool, list | None]:
        """(found, value)."""
        with self._lock:
            return key in self._data, self._data.get(key)

    def put(self, key: str, value: list | None) -> None:
        """Store an answer and write the file."""
        with self._lock:
            self._data[key] = value
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self._data, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.path)


class NominatimGeocoder(Geocoder):
    """OpenStreetMap's Nominatim through geopy, rate-limited and cached on disk."""

    name = "nominatim"

    def __init__(self, user_agent: str = DEFAULT_USER_AGENT, domain: str = "nominatim.openstreetmap.org",
                 scheme: str = "https", cache_dir: Path | None = None, min_delay_seconds: float = 1.0,
                 timeout: float = 10.0) -> None:
        from geopy.adapters import RequestsAdapter
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        self.domain = domain
        # Retries are the RateLimiter's job: without this the HTTP adapter retries too, and a silent server
        # would cost six timeouts before the user hears of it.
        self._service = Nominatim(user_agent=user_agent, domain=domain, scheme=scheme, timeout=timeout,
                                  adapter_factory=lambda proxies, ssl_context: RequestsAdapter(
                                      proxies=proxies, ssl_context=ssl_context, max_retries=0))
        # geopy's RateLimiter keeps us within Nominatim's usage policy (one request a second by default).
        self._limited = RateLimiter(self._service.geocode, min_delay_seconds=min_delay_seconds, max_retries=1,
                                    error_wait_seconds=min_delay_seconds, swallow_exceptions=False)
        self._cache = _DiskCache((cache_dir or default_cache_dir()) / "nominatim.json")

    def geocode(self, query: str, country: str | None = None) -> Place | None:
        """Ask Nominatim (or the cache) for a name, biased to a country."""
        from geopy.exc import GeocoderServiceError, GeopyError

        key = f"{query}|{country or ''}"
        found, cached = self._cache.get(key)
        if found:
            return Place(*cached, self.name) if cached else None
        iso2 = _alpha2(country)
        try:
            location = self._limited(query, exactly_one=True, country_codes=iso2, addressdetails=True,
                                     language="en")
        except GeocoderServiceError as exc:
            raise GeocodingError(f"Nominatim at {self.domain} could not be reached or refused the request ({exc}). "
                                 "Check the network, or run with --geocoder gazetteer to work offline.") from exc
        except GeopyError as exc:
            raise GeocodingError(f"Nominatim at {self.domain} failed: {exc}") from exc
        if location is None:
            self._cache.put(key, None)
            return None
        address = (location.raw or {}).get("address") or {}
        place_country = _alpha3(address.get("country_code")) or country
        value = [query, float(location.latitude), float(location.longitude), place_country]
        self._cache.put(key, value)
        return Place(*value, self.name)


def _alpha2(alpha3: str | None) -> str | None:
    """ISO alpha-2 from alpha-3."""
    if not alpha3:
        return None
    import pycountry

    record = pycountry.countries.get(alpha_3=alpha3)
    return record.alpha_2.lower() if record else None


def _alpha3(alpha2: str | None) -> str | None:
    """ISO alpha-3 from alpha-2."""
    if not alpha2:
        return None
    import pycountry

    record = pycountry.countries.get(alpha_2=alpha2.upper())
    return record.alpha_3 if record else None


def default_cache_dir() -> Path:
    """Where on-disk caches live: $NEWSINT_CACHE_DIR (or $NEWSINT_CACHE), else ~/.cache/newsint."""
    return cache.default_cache_dir()


def make_geocoder(name: str, **options: object) -> Geocoder:
    """A geocoder by name: 'gazetteer' (offline) or 'nominatim'."""
    if name == "gazetteer":
        return GazetteerGeocoder()
    if name == "nominatim":
        return NominatimGeocoder(**options)  # type: ignore[arg-type]
    raise ValueError(f"unknown geocoder '{name}': choose gazetteer or nominatim")
