"""Render a screenshot of each dashboard page into docs/screenshots/, from a shared link per page.

    python scripts/screenshots.py                       # data/processed (built from the corpus if missing)
    python scripts/screenshots.py --data /path/to/dataset

Serves the app with `streamlit run` on 127.0.0.1 and uses Debian's Chromium, headless.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis import views  # noqa: E402
from tests.dashboard.browser import chromium, serve, wait_for_charts  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def links(ds: views.Dataset) -> dict[str, tuple[str, dict, int]]:
    """One telling view per page: (URL path, query parameters, charts to wait for)."""
    choices, names = views.choices(ds), views.vocabulary(ds)
    people = ds.entities[ds.entities["is_actor"] & ds.entities["type"].eq("PERSON")]
    person = people.sort_values("mention_count", ascending=False)["entity_id"].iat[0] if len(people) else None
    place = names.place_names.get("vladivostok") or next(iter(choices.places), None)
    events = ds.events.sort_values("confidence", ascending=False)
    event = events["event_id"].iat[0] if len(events) else None
    return {
        "overview": ("", {}, 4),
        "map": ("map", {"pin": place} if place else {}, 1),
        "network": ("network", {"colour": "community"}, 1),
        "timeline": ("timeline", {}, 2),
        "evidence": ("evidence", {"event": event} if event else {}, 0),
        "profile": ("actor", {"actor": person} if person else {}, 1),
    }


def ensure_data(folder: Path) -> Path:
    """The data folder, built from the bundled corpus by the engine when it is data/processed and missing."""
    if not views.has_dataset(folder):
        from analysis.pipeline import ensure_dataset

        ensure_dataset(ROOT / "data" / "corpus", folder)
    return folder


def main() -> None:
    """Serve the app and save one PNG per page."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "processed")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=1500)
    args = parser.parse_args()
    folder = ensure_data(args.data)
    ds = views.load_dataset(folder)
    OUT.mkdir(parents=True, exist_ok=True)
    with serve(data_dir=folder) as base, chromium() as browser:
        context = browser.new_context(viewport={"width": args.width, "height": args.height}, device_scale_factor=1)
        tab = context.new_page()
        for name, (path, query, charts) in links(ds).items():
            tab.goto(f"{base}/{path}?{urlencode(query)}")
            if charts:
                wait_for_charts(tab, charts, timeout=120_000)
            else:
                tab.get_by_test_id("stDataFrame").first.wait_for(timeout=120_000)
            time.sleep(1.5)  # let fonts, legends and map layers settle
            # Streamlit scrolls an inner container, so capture the app's view element, not the page.
            tab.get_by_test_id("stAppViewContainer").screenshot(path=str(OUT / f"{name}.png"))
            print(f"{OUT / f'{name}.png'}  ←  /{path}?{urlencode(query)}")
        context.close()


if __name__ == "__main__":
    main()
