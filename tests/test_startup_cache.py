"""The start-up cache: the knowledge base is read back from disk, rebuilt when a knowledge file changes or the
cache file is damaged, safe when two processes build it at once, and still works when the folder is not writable."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from analysis import cache
from analysis.kb import KB_FILES, KnowledgeBase, load_actors, load_knowledge_base, start_building_in_background

ROOT = Path(__file__).resolve().parents[1]
NEW_ACTOR = """
- id: test-envoy-ardhani
  name: Ardhani Wicaksono
  type: PERSON
  country: IDN
  aliases:
    en: [Envoy Ardhani]
"""


def knowledge_files(folder: Path) -> tuple[Path, ...]:
    """A copy of the actor files in a folder of their own, free to edit."""
    folder.mkdir(parents=True, exist_ok=True)
    return tuple(Path(shutil.copy(path, folder / path.name)) for path in KB_FILES)


def entries(folder: Path, name: str) -> list[Path]:
    """The cache files of one entry in a folder."""
    return sorted(folder.glob(f"{name}-*.pickle"))


def fresh_load(files: tuple[Path, ...]) -> KnowledgeBase:
    """Load the knowledge base as a new process would (the in-process memo forgotten)."""
    load_knowledge_base.cache_clear()
    load_actors.cache_clear()
    return load_knowledge_base(files)


@pytest.fixture(scope="module")
def built_cache(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[Path, ...]]:
    """A cache folder holding the knowledge base built once from copied knowledge files."""
    folder = tmp_path_factory.mktemp("cache")
    files = knowledge_files(tmp_path_factory.mktemp("kb"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(cache.CACHE_ENV, str(folder))
        fresh_load(files)
    return folder, files


@pytest.fixture(autouse=True)
def forget_memo():
    """Each test starts, and leaves, without the knowledge base held in memory."""
    load_knowledge_base.cache_clear()
    load_actors.cache_clear()
    yield
    load_knowledge_base.cache_clear()
    load_actors.cache_clear()


def test_the_knowledge_base_read_back_from_the_cache_answers_like_the_built_one(built_cache, monkeypatch):
    folder, files = built_cache
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    [entry] = entries(folder, "knowledge-base")
    read_back = fresh_load(files)
    assert entries(folder, "knowledge-base") == [entry]  # read, not written again
    assert "vladimir-putin" in read_back.lookup("Putin", "en")
    assert read_back.country("PRK").name == "North Korea"
    assert read_back.capital_of(read_back.lookup("Pyongyang", "en")[0]) == "PRK"


def test_a_changed_knowledge_file_rebuilds_the_cache(built_cache, monkeypatch, tmp_path):
    folder, _ = built_cache
    own_folder = tmp_path / "cache"
    shutil.copytree(folder, own_folder)
    monkeypatch.setenv(cache.CACHE_ENV, str(own_folder))
    files = knowledge_files(tmp_path / "kb")  # the same content: the cached entry is the one to read
    assert fresh_load(files).lookup("Envoy Ardhani", "en") == ()
    [before] = entries(own_folder, "knowledge-base")
    with files[0].open("a", encoding="utf-8") as actors:
        actors.write(NEW_ACTOR)
    kb = fresh_load(files)
    assert kb.lookup("Envoy Ardhani", "en") == ("test-envoy-ardhani",)
    assert kb.entities["test-envoy-ardhani"].country == "IDN"
    [after] = set(entries(own_folder, "knowledge-base")) - {before}  # a new entry beside the old files' one
    with after.open("rb") as handle:
        assert "test-envoy-ardhani" in pickle.load(handle).entities


def test_a_damaged_cache_file_is_rebuilt_not_a_crash(built_cache, monkeypatch, tmp_path):
    folder, files = built_cache
    own_folder = tmp_path / "cache"
    shutil.copytree(folder, own_folder)
    monkeypatch.setenv(cache.CACHE_ENV, str(own_folder))
    [entry] = entries(own_folder, "knowledge-base")
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])  # cut off, as by a full disk or a killed writer
    kb = fresh_load(files)
    assert "vladimir-putin" in kb.lookup("Putin", "en")
    with entry.open("rb") as handle:
        assert isinstance(pickle.load(handle), KnowledgeBase)  # written again, whole


def test_two_processes_building_at_once_both_succeed_and_leave_one_valid_cache(monkeypatch, tmp_path):
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    # One is the dashboard's background builder, the other a command-line run reading an article meanwhile.
    background = start_building_in_background()
    script = "from analysis.kb import load_knowledge_base; print(len(load_knowledge_base().lookup('Putin', 'en')))"
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=240)
    assert background is not None and background.wait(timeout=240) == 0
    assert run.returncode == 0 and run.stdout.strip() == "1", run.stderr
    assert len(entries(folder, "knowledge-base")) == 1 and len(entries(folder, "actors")) == 1
    assert not list(folder.glob(".*.tmp"))  # no half-written file left behind
    with entries(folder, "knowledge-base")[0].open("rb") as handle:
        assert "vladimir-putin" in pickle.load(handle).lookup("Putin", "en")
    assert start_building_in_background() is None  # cached now: nothing more to build


def test_a_folder_that_cannot_be_written_falls_back_to_the_temporary_folder(monkeypatch, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocked))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    files = knowledge_files(tmp_path / "kb")
    actors = load_actors(files)
    assert any(actor["id"] == "vladimir-putin" for actor in actors)
    [entry] = entries(cache.fallback_cache_dir(), "actors")
    with entry.open("rb") as handle:
        assert pickle.load(handle) == actors


def test_entries_unread_for_a_month_are_removed_when_another_is_written(monkeypatch, tmp_path):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    keys = ["a" * 64, "b" * 64, "c" * 64]
    assert cache.cached("numbers", keys[0], lambda: [1]) == [1]
    assert cache.cached("numbers", keys[1], lambda: [2]) == [2]
    unread, recent = (cache.entry_path(tmp_path, "numbers", key) for key in keys[:2])
    month_ago = unread.stat().st_mtime - (cache.UNUSED_DAYS + 1) * 86400
    os.utime(unread, (month_ago, month_ago))
    assert cache.cached("numbers", keys[2], lambda: [3]) == [3]
    assert not unread.exists() and recent.exists()  # another checkout's entry, read lately, stays
    assert cache.cached("numbers", keys[1], lambda: [0]) == [2]  # read back, not built again
