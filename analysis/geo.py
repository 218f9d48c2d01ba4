"""Geography for the dashboard map: country outlines that draw offline, what kind of place an entity is,
the view that fits a set of points, and a GeoJSON export of places."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

# What kind of place an entity id names, by its prefix: the engine writes states as "country:RUS" and
# gazetteer towns as "city:<geonames id>". Other places are cities when they are a GPE that is no actor
# (a town found by the language's cues), else regions, seas, facilities and former states ("other").
KIND_BY_PREFIX = {"country:": "country", "city:": "city"}
PLACE_KINDS = ("city", "country", "other")
TILE_SIZE = 512  # pixels of the whole world at zoom 0 in MapLibre, which plotly's map subplots use
MAX_FIT_ZOOM = 6.0  # one place alone: show its region, not its streets
MAX_MERCATOR_LAT = 85.0


@lru_cache(maxsize=1)
def country_outlines(precision: int = 2) -> dict:
    """All country outlines shipped with countryinfo, coordinates rounded to keep the page light."""
    from countryinfo import all_countries

    features = []
    for country in all_countries():
        try:
            collection = country.geo_json()
        except Exception:  # a few territories ship no outline: the map simply leaves them blank
            continue
        for feature in (collection or {}).get("features", []):
            geometry = feature.get("geometry") or {}
            features.append(
                {
                    "type": "Feature",
                    "id": feature.get("id"),
                    "properties": {"name": (feature.get("properties") or {}).get("name")},
                    "geometry": {
                        "type": geometry.get("type"),
                        "coordinates": _round(geometry.get("coordinates"), precision),
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}


def _round(coordinates: object, precision: int) -> object:
    """Round nested coordinate lists; about 1 km at 2 decimals, plenty for outlines at world scale."""
    if isinstance(coordinates, list):
        if coordinates and isinstance(coordinates[0], (int, float)):
            return [round(float(c), precision) for c in coordinates]
        return [_round(c, precision) for c in coordinates]
    return coordinates


@lru_cache(maxsize=512)
def country_name(alpha3: str | None) -> str:
    """A readable country name for an ISO alpha-3 code ('Unknown' when missing)."""
    if not alpha3 or not isinstance(alpha3, str):
        return "Unknown"
    try:
        import pycountry

        country = pycountry.countries.get(alpha_3=alpha3.upper())
    except Exception:  # pycountry missing or a malformed code: show the code itself
        country = None
    if country is None:
        return alpha3
    return getattr(country, "common_name", None) or country.name


def places_geojson(points: pd.DataFrame) -> dict:
    """Places shown on the map as a GeoJSON FeatureCollection, one Point per place with its counts."""
    features = []
    for row in points.itertuples(index=False):
        if row.lat is None or row.lon is None or math.isnan(row.lat) or math.isnan(row.lon):
            continue
        features.append(
            {
                "type": "Feature",
                "id": row.entity_id,
                "geometry": {"type": "Point", "coordinates": [float(row.lon), float(row.lat)]},
                "properties": {
                    "entity_id": row.entity_id,
                    "name": row.name,
                    "country": row.country,
                    "mentions": int(row.mentions),
                    "events": int(row.events),
                    "top_actors": row.top_actors,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def geojson_text(collection: dict) -> str:
    """Serialise GeoJSON compactly for a download."""
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"))


def place_kinds(entity_ids: np.ndarray, types: np.ndarray, is_actor: np.ndarray) -> np.ndarray:
    """'city', 'country' or 'other' for each place (see KIND_BY_PREFIX)."""
    ids = pd.Series(entity_ids, dtype=object).astype(str)
    kinds = np.where((np.asarray(types) == "GPE") & ~np.asarray(is_actor, bool), "city", "other").astype(object)
    for prefix, kind in KIND_BY_PREFIX.items():
        kinds[ids.str.startswith(prefix).to_numpy()] = kind
    return kinds


def longitude_arc(lons: np.ndarray) -> tuple[float, float]:
    """The shortest arc of longitude holding every point, as (west, east) with east ≥ west, maybe past 180°."""
    ordered = np.sort(np.mod(np.asarray(lons, float) + 180.0, 360.0) - 180.0)
    if len(ordered) < 2:
        return float(ordered[0]), float(ordered[0])
    # The widest gap between neighbours (the one across the antimeridian included) is what the view leaves out.
    gaps = np.append(np.diff(ordered), ordered[0] + 360.0 - ordered[-1])
    widest = int(np.argmax(gaps))
    if widest == len(ordered) - 1:
        return float(ordered[0]), float(ordered[-1])
    return float(ordered[widest + 1]), float(ordered[widest] + 360.0)


def _mercator_y(lat: np.ndarray) -> np.ndarray:
    """Web Mercator y (radians) of latitudes."""
    lat = np.radians(np.clip(np.asarray(lat, float), -MAX_MERCATOR_LAT, MAX_MERCATOR_LAT))
    return np.log(np.tan(np.pi / 4 + lat / 2))


def fit_view(lats: np.ndarray, lons: np.ndarray, width: float, height: float, margin: float = 0.1) -> MapAt:
    """The centre and zoom that show every point on a map of width × height pixels, with a margin each side."""
    lats, lons = np.asarray(lats, float), np.asarray(lons, float)
    known = ~(np.isnan(lats) | np.isnan(lons))
    lats, lons = lats[known], lons[known]
    if not len(lats):
        return MapAt(30.0, 0.0, 0.0)
    west, east = longitude_arc(lons)
    y = _mercator_y(lats)
    usable_w, usable_h = width * (1 - 2 * margin), height * (1 - 2 * margin)
    zooms = [MAX_FIT_ZOOM]
    if east > west:
        zooms.append(math.log2(usable_w / ((east - west) / 360.0 * TILE_SIZE)))
    if y.max() > y.min():
        zooms.append(math.log2(usable_h / ((y.max() - y.min()) / (2 * math.pi) * TILE_SIZE)))
    centre_y = (y.max() + y.min()) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2)
    centre_lon = (west + east) / 2
    centre_lon = (centre_lon + 180.0) % 360.0 - 180.0
    # Rounded down: a link keeps one decimal, and rounding up could push the outermost points off the map.
    return MapAt(centre_lat, centre_lon, max(0.0, math.floor(min(zooms) * 10) / 10))


@dataclass(frozen=True)
class MapAt:
    """A map view: centre latitude, longitude and MapLibre zoom; written in links as 'lat,lon,zoom'."""

    lat: float
    lon: float
    zoom: float

    def __post_init__(self) -> None:
        """Round to what a link keeps, so a view read back from its link is the same view."""
        object.__setattr__(self, "lat", round(float(self.lat), 2) + 0.0)
        object.__setattr__(self, "lon", round(float(self.lon), 2) + 0.0)
        object.__setattr__(self, "zoom", round(float(self.zoom), 1))

    def text(self) -> str:
        """The link form, 'lat,lon,zoom'."""
        return f"{self.lat:.2f},{self.lon:.2f},{self.zoom:.1f}"

    @classmethod
    def parse(cls, text: str | None) -> MapAt | None:
        """A view from its link form, or None when there is none or it is malformed."""
        try:
            lat, lon, zoom = (float(part) for part in str(text).split(","))
        except (TypeError, ValueError):
            return None
        return cls(lat, lon, zoom)


def outlines_of(codes: list[str]) -> dict:
    """The outlines of the given ISO alpha-3 countries only, so a chart does not carry the whole world twice."""
    wanted = set(codes)
    features = [f for f in country_outlines()["features"] if f["id"] in wanted]
    return {"type": "FeatureCollection", "features": features}


def outlined_countries() -> frozenset[str]:
    """ISO alpha-3 codes that have an outline to fill."""
    return frozenset(f["id"] for f in country_outlines()["features"] if f["id"])
