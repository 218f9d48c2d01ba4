"""Whether a dataset built from the bundled corpus is still current: a fingerprint of the corpus files and of
the engine (code, knowledge, models), stored beside the tables. Kept apart from the pipeline so that a check on
start-up does not import spaCy and the rest of the engine."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from analysis import __version__

MARKER = ".built-from.json"


def corpus_fingerprint(corpus_dir: Path) -> str:
    """A hash of the corpus files and of the engine's knowledge and models: a change in either means a rebuild."""
    digest = hashlib.sha1(__version__.encode())
    package = Path(__file__).parent
    for path in sorted(list(corpus_dir.rglob("*")) + list((package / "lang").glob("*.yaml"))
                       + list((package / "lang").glob("*.txt")) + list((package / "kb").glob("*"))
                       + list(package.glob("*.py")) + list((package / "models").glob("*/meta.json"))):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.parent.name}/{path.name}:{stat.st_size}:{int(stat.st_mtime)}".encode())
    return digest.hexdigest()


def dataset_is_stale(corpus_dir: Path, out_dir: Path) -> bool:
    """True when the dataset is missing or was built from another corpus or engine."""
    marker = Path(out_dir) / MARKER
    try:
        return json.loads(marker.read_text(encoding="utf-8")).get("fingerprint") != corpus_fingerprint(Path(corpus_dir))
    except (OSError, ValueError):
        return True
