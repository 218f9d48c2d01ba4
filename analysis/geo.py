"""Geography for the dashboard map: country outlines that draw offline, and a GeoJSON export of places."""

from __future__ import annotations

import json
import math
from functools import lru_cache

import pandas as pd


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
