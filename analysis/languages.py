"""Language profiles: what the engine knows about each language, loaded from analysis/lang/*.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LANG_DIR = Path(__file__).parent / "lang"


@dataclass(frozen=True)
class TriggerSpec:
    """One trigger phrase and the PLOVER event it signals."""

    words: tuple[str, ...]
    type: str
    mode: str | None
    target_required: bool
    alone_as: str | None
    speaker_is_source: bool = False
    passive: bool = False
    passive_self: bool = False
    mutual: bool = False  # "X and Y exchanged fire": both sides act on each other
    # The phrase counts only near one of these nouns ("troops ... sent to", "направила ... военнослужащих"): what
    # is sent decides the act. A noun ending in "*" is a stem.
    near_nouns: tuple[str, ...] = ()


@dataclass(frozen=True)
class LanguageProfile:
    """Everything language-specific, as plain data."""

    code: str
    name: str
    spacy: str
    analysis: str
    data: dict[str, Any] = field(repr=False)
    triggers: tuple[TriggerSpec, ...] = field(repr=False, default=())

    @property
    def full(self) -> bool:
        """True when names are found by the language's cues and recogniser, not only linked to known ones."""
        return self.analysis == "full"

    @property
    def reads_events(self) -> bool:
        """True when dates and events are read: languages analysed in full, and linked ones with event words."""
        return self.full or bool(self.data.get("events"))

    def words(self, *path: str) -> list[str]:
        """A list of words under a dotted path in the profile, empty when absent."""
        node: Any = self.data
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return []
            node = node[key]
        words = list(node or [])
        for word in words:
            if isinstance(word, bool):
                # YAML reads bare on/off/yes/no as booleans: the word must be quoted in the file.
                raise ProfileError(f"{self.code}.yaml: {'.'.join(path)} holds a yes/no value; quote words like \"on\"")
        return words

    @property
    def common_words(self) -> frozenset[str]:
        """Everyday lower-case words of the language (lang/<code>.common_words.txt), empty when it has none."""
        return _common_words(self.code)

    def mapping(self, *path: str) -> dict[str, Any]:
        """A mapping under a path in the profile, empty when absent."""
        node: Any = self.data
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return {}
            node = node[key]
        return dict(node or {})


@lru_cache(maxsize=None)
def _common_words(code: str) -> frozenset[str]:
    """A language's everyday-word list, read once; comment lines start with #."""
    path = LANG_DIR / f"{code}.common_words.txt"
    if not path.is_file():
        return frozenset()
    return frozenset(line for line in path.read_text(encoding="utf-8").splitlines() if line and line[0] != "#")


def phrase_set(words: list[str]) -> frozenset[tuple[str, ...]]:
    """Phrases as lower-case word tuples, for matching against token sequences."""
    return frozenset(tuple(str(w).lower().split()) for w in words)


class ProfileError(ValueError):
    """A language file is malformed."""


def _read_yaml(path: Path) -> Any:
    """Parse a YAML file, naming it in the error."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ProfileError(f"{path}: cannot read language data: {exc}") from exc


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Merge two profile dicts: lists concatenate, dicts merge, scalars override."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = merged[key] + value
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _load_triggers(path: Path) -> tuple[TriggerSpec, ...]:
    """Read a trigger lexicon file into specs."""
    if not path.exists():
        return ()
    specs = []
    for n, entry in enumerate(_read_yaml(path) or [], start=1):
        if not isinstance(entry, dict) or "type" not in entry or "words" not in entry:
            raise ProfileError(f"{path}: entry {n} needs 'type' and 'words'")
        for phrase in entry["words"]:
            specs.append(
                TriggerSpec(
                    words=tuple(str(phrase).lower().split()),
                    type=entry["type"],
                    mode=entry.get("mode"),
                    target_required=entry.get("target", "required") == "required",
                    alone_as=entry.get("alone_as"),
                    speaker_is_source=bool(entry.get("speaker_is_source")),
                    passive=entry.get("voice") == "passive",
                    passive_self=entry.get("voice") == "passive_self",
                    mutual=bool(entry.get("mutual")),
                    near_nouns=tuple(str(w).lower() for w in entry.get("near_nouns", ())),
                )
            )
    return tuple(specs)


@lru_cache(maxsize=None)
def load_profile(code: str) -> LanguageProfile:
    """The profile for a language code, merged over the common patterns."""
    path = LANG_DIR / f"{code}.yaml"
    if not path.exists():
        raise ProfileError(f"no language profile for '{code}' (expected {path})")
    common = _read_yaml(LANG_DIR / "common.yaml") or {}
    data = _merge(common, _read_yaml(path) or {})
    places = LANG_DIR / f"{code}.places.yaml"
    if places.exists():
        data = _merge(data, _read_yaml(places) or {})  # long lists of place names in their own file
    for key in ("code", "name", "spacy", "analysis"):
        if key not in data:
            raise ProfileError(f"{path}: missing '{key}'")
    return LanguageProfile(
        code=data["code"],
        name=data["name"],
        spacy=data["spacy"],
        analysis=data["analysis"],
        data=data,
        triggers=_load_triggers(LANG_DIR / f"{code}.triggers.yaml"),
    )


def known_languages() -> list[str]:
    """Codes of every language with a profile."""
    return sorted(p.stem for p in LANG_DIR.glob("*.yaml") if "." not in p.stem and p.stem != "common")


@lru_cache(maxsize=1)
def _detector():
    """A lingua detector restricted to the languages we have profiles for."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, c.upper()) for c in known_languages()]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_preloaded_language_models().build()


_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def detect_language(text: str) -> str | None:
    """The language code of a text, or None when it cannot be told."""
    sample = text[:2000]
    if not sample.strip():
        return None
    # Script decides at once for Korean and Russian; lingua separates the Latin-script languages.
    hangul, cyrillic = len(_HANGUL.findall(sample)), len(_CYRILLIC.findall(sample))
    letters = sum(ch.isalpha() for ch in sample) or 1
    if hangul / letters > 0.3:
        return "ko"
    if cyrillic / letters > 0.3:
        return "ru"
    language = _detector().detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language else None
