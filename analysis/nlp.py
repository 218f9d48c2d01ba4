"""The language layer: spaCy pipelines per language, sentences, and entity mentions linked to actors and places.

Entities come from three sources, in this order: the knowledge base and gazetteer (names we know), the cues a
language gives (titles, speech verbs, organisation heads) for names we do not know, and the statistical
recogniser trained for the language (analysis/models), whose spans the first two did not cover are linked to
the knowledge base when it knows them and kept as new names otherwise; short later mentions are then resolved
to earlier full names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy
import spacy
from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from analysis.kb import Entity, KnowledgeBase, folded, load_knowledge_base, slug
from analysis.languages import LanguageProfile, load_profile, phrase_set

SENTENCE_END = frozenset({".", "!", "?", "…", "...", "***"})
CLOSERS = frozenset({'"', "”", "’", "'", ")", "]", "»"})
# Korean attaches particles to the noun: these are stripped to find the name inside a word.
# Longest first: a word is read without the first one it ends in ("자포리자에도" -> "자포리자").
KOREAN_PARTICLES = ("에서부터", "에서는", "에서도", "에서의", "에게는", "으로는", "으로의", "까지는", "부터는", "에서", "에게",
                    "으로", "과의", "와의", "과는", "와는", "이다", "에도", "에는", "에선", "까지", "부터", "처럼", "보다",
                    "로는", "로의", "은", "는", "이", "가", "을", "를", "의", "와", "과", "에", "로", "도", "만")
MAX_NAME_WORDS = 10
# A town named in Hangul by two syllables and a particle alone is read by sound only when it is this large.
SOUND_ONLY_MIN_POPULATION = 100_000
MAX_PERSON_WORDS = 5
# The second half of a hyphenated romanised Korean given name: "kyun", "hui", "yeol", "myung" (not "based", "led").
KOREAN_SYLLABLE = re.compile(r"^(?:[bcdghjkmnprstwy]{0,2}[aeiouwy]{1,3}[kmnlpg]{0,2})$")


@dataclass
class Mention:
    """A span of the article's text that names an entity."""

    start: int
    end: int
    char_start: int
    char_end: int
    entity_id: str
    surface: str
    sentence: int
    via: str
    candidates: tuple[str, ...] = ()


@dataclass
class ArticleAnalysis:
    """An article's tokens, sentences and entity mentions."""

    doc: Doc
    profile: LanguageProfile
    mentions: list[Mention]
    entities: dict[str, Entity] = field(default_factory=dict)
    headings: list[tuple[int, int]] = field(default_factory=list)
    tokens: "_Tokens | None" = None
    title_tokens: frozenset[int] = frozenset()
    text: str = ""
    kb: KnowledgeBase | None = None

    def entity(self, entity_id: str) -> Entity:
        """An entity of this article, new or from the knowledge base."""
        return self.entities.get(entity_id) or self.kb.entities[entity_id]


def token_texts(doc: Doc, text: str | None = None) -> tuple[list[str], list[int], list[bool]]:
    """Token texts, start offsets and is-space flags, read from arrays without making Token objects."""
    array = doc.to_array([IDX, LENGTH, IS_SPACE]).tolist()
    text = doc.text if text is None else text  # doc.text walks every token: pass the text when it is at hand
    return [text[i:i + n] for i, n, _ in array], [i for i, _, _ in array], [bool(s) for _, _, s in array]


def sentence_starts(texts: list[str], spaces: list[bool]) -> list[bool]:
    """Sentence starts: after a paragraph break, and after end punctuation before a capital or quote."""
    starts = [False] * len(texts)
    start_next = True
    for i, text in enumerate(texts):
        if spaces[i]:
            start_next = start_next or "\n" in text
            continue
        starts[i] = start_next or i == 0
        start_next = False
        if text in SENTENCE_END or (text in CLOSERS and i and texts[i - 1] in SENTENCE_END):
            following = texts[i + 1] if i + 1 < len(texts) else None
            if following is None or spaces[i + 1]:
                start_next = True
            elif following in CLOSERS:
                continue
            elif following[:1].isupper() or following[:1].isdigit() or following[:1] in '"“(' or (
                    following[:1].isalpha() and not following[:1].islower()):  # scripts without case: 한글
                start_next = True
    if starts:
        starts[0] = True
    return starts


@Language.component("news_sentences")
def news_sentences(doc: Doc) -> Doc:
    """Set sentence boundaries the way news paragraphs and punctuation draw them."""
    texts, _, spaces = token_texts(doc)
    # spaCy stores SENT_START as uint64: -1 (not a start) is written the way to_array gives it back.
    values = numpy.array([[1 if start else -1] for start in sentence_starts(texts, spaces)],
                         dtype="int64").astype("uint64")
    if len(values):
        doc.from_array([SENT_START], values)
    return doc


MODELS_DIR = Path(__file__).resolve().parent / "models"
# The recogniser's labels as the engine's entity types.
RECOGNISED_TYPES = {"PER": "PERSON", "PERSON": "PERSON", "ORG": "ORG", "LOC": "LOC", "GPE": "GPE", "FAC": "FAC"}


class ModelError(RuntimeError):
    """A trained pipeline is missing or cannot be loaded."""


def load_trained(name: str, models_dir: Path = MODELS_DIR, tokenizer: bool = True) -> Language:
    """A trained pipeline shipped in analysis/models; a clear error naming the folder and the rebuild command.

    The language's default tokenizer is not built first: the folder holds the trained one, and building both
    doubles the cost (Indonesian has ~16,000 special cases, seconds each time). tokenizer=False skips the
    folder's tokenizer too, for a pipeline that is only handed words someone else split."""
    path = models_dir / name
    rebuild = f"rebuild it with `python -m analysis train {name}`"
    for required in ("config.cfg", "meta.json"):
        if not (path / required).is_file():
            raise ModelError(f"{path / required}: the trained pipeline '{name}' is missing this file; {rebuild}")
    bare = "newsint.bare_tokenizer.v1"
    if not spacy.registry.has("tokenizers", bare):
        from spacy.tokenizer import Tokenizer

        # A tokenizer with no rules: the folder's rules replace whatever the first one had.
        spacy.registry.tokenizers.register(bare, func=lambda: lambda nlp: Tokenizer(nlp.vocab))
    try:
        return spacy.load(path, config={"nlp": {"tokenizer": {"@tokenizers": bare}}},
                          exclude=[] if tokenizer else ["tokenizer"])
    except Exception as exc:  # spaCy and thinc raise many kinds for a damaged model; all mean the same here
        raise ModelError(f"{path}: the trained pipeline '{name}' cannot be loaded "
                         f"({type(exc).__name__}: {str(exc)[:200]}); {rebuild}") from exc


@lru_cache(maxsize=None)
def build_pipeline(code: str) -> Language:
    """The language's pipeline: its trained recogniser when it has one, else a blank one; built once per process."""
    profile = load_profile(code)
    recogniser = profile.data.get("models", {}).get("entities")
    nlp = load_trained(recogniser) if recogniser else spacy.blank(profile.spacy)
    nlp.add_pipe("news_sentences", first=True)
    return nlp


@lru_cache(maxsize=None)
def syntax_pipeline(code: str) -> Language | None:
    """The language's trained tagger and parser, or None when it has none; loaded once per process. It reads
    words already split (a Doc built from the article's tokens), so its tokenizer has no rules: calling it on a
    raw string splits on spaces only."""
    name = load_profile(code).data.get("models", {}).get("syntax")
    return load_trained(name, tokenizer=False) if name else None


@dataclass(frozen=True)
class _Cues:
    """A profile's word lists turned into sets for fast membership tests."""

    stop: frozenset[str]
    not_places: frozenset[str]
    titles: dict[tuple[str, ...], str]
    portfolios: frozenset[tuple[str, ...]]
    determiners: frozenset[str]
    connectors: frozenset[str]
    fillers: frozenset[str]
    after_speaker: frozenset[tuple[str, ...]]
    before_speaker: frozenset[tuple[str, ...]]
    suffixed: frozenset[str]
    quoting: frozenset[str]
    org_heads: dict[tuple[str, ...], str]
    org_tails: dict[tuple[str, ...], str]
    org_descriptors: dict[str, str]
    org_descriptor_phrases: dict[tuple[str, ...], str]
    place_heads: dict[tuple[str, ...], str]
    place_of: frozenset[str]
    place_of_nouns: frozenset[str]
    place_tails: dict[tuple[str, ...], str]
    coordinators: frozenset[str]
    not_place_after: frozenset[str]
    not_name_words: frozenset[str]
    legal_forms: frozenset[str]
    group_nouns: frozenset[str]
    calendar: frozenset[str]
    place_words: frozenset[str]
    between_words: frozenset[str]
    name_particles: frozenset[str]
    government_words: frozenset[str]
    naming_words: frozenset[tuple[str, ...]]
    units_named_for_places: frozenset[str]



@lru_cache(maxsize=None)
def _org_heads_by_first_word(code: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """A language's organisation heads grouped by their first word, for a lookup per token."""
    grouped: dict[str, list[tuple[str, ...]]] = {}
    for head in cues_for(code).org_heads:
        grouped.setdefault(head[0], []).append(head)
    return {first: tuple(heads) for first, heads in grouped.items()}


@lru_cache(maxsize=None)
def cues_for(code: str) -> _Cues:
    """The cue sets of a language."""
    profile = load_profile(code)
    stop = frozenset(spacy.util.get_lang_class(profile.spacy).Defaults.stop_words)
    titles: dict[tuple[str, ...], str] = {}
    for kind in ("office", "expert", "generic"):
        for phrase in profile.words("titles", kind):
            titles[tuple(str(phrase).lower().split())] = kind
    dates = profile.mapping("dates")
    calendar = frozenset(str(k).lower() for k in {**dates.get("months", {}), **dates.get("weekdays", {})})
    return _Cues(
        stop=stop,
        not_places=frozenset(profile.words("not_places")),
        titles=titles,
        portfolios=phrase_set(profile.words("portfolios")),
        determiners=frozenset(w.lower() for w in profile.words("determiners")),
        connectors=frozenset(w.lower() for w in profile.words("run_connectors")),
        fillers=frozenset(w.lower() for w in profile.words("title_fillers")),
        after_speaker=phrase_set(profile.words("speech", "after_speaker")),
        before_speaker=phrase_set(profile.words("speech", "before_speaker")),
        suffixed=frozenset(w.lower() for w in profile.words("speech", "suffixed")),
        quoting=frozenset(w.lower() for w in profile.words("speech", "quoting")),
        org_heads={tuple(k.lower().split()): v for k, v in profile.mapping("org_heads").items()},
        org_tails={tuple(k.lower().split()): v for k, v in profile.mapping("org_tails").items()},
        org_descriptors={k.lower(): v for k, v in profile.mapping("org_descriptors").items()},
        org_descriptor_phrases={tuple(k.lower().split()): v for k, v in profile.mapping("org_descriptors").items()},
        place_heads={tuple(k.lower().split()): v for k, v in profile.mapping("place_heads").items()},
        place_of=frozenset(profile.words("place_of")),
        place_of_nouns=frozenset(profile.words("place_of_nouns")),
        place_tails={tuple(k.lower().split()): v for k, v in profile.mapping("place_tails").items()},
        coordinators=frozenset(w.lower() for w in profile.words("coordinators")),
        not_place_after=frozenset(w.lower() for w in profile.words("not_place_after")),
        not_name_words=frozenset(profile.words("not_name_words")),
        legal_forms=frozenset(profile.words("legal_forms")),
        group_nouns=frozenset(w.lower() for w in profile.words("group_nouns")),
        calendar=calendar,
        place_words=frozenset(profile.words("locative") + profile.words("direction") + profile.words("origin")),
        between_words=frozenset(profile.words("between")),
        name_particles=frozenset(profile.words("name_particles")),
        government_words=frozenset(w.lower() for w in profile.words("government_words")),
        naming_words=phrase_set(profile.words("naming_words")),
        units_named_for_places=frozenset(w.lower() for w in profile.words("units_named_for_places")),
    )


class _Tokens:
    """Plain lists of token attributes: Python loops over lists are much faster than over spaCy tokens."""

    def __init__(self, doc: Doc, text: str | None = None) -> None:
        self.text, self.idx, self.space = token_texts(doc, text)
        self.lower = [t.lower() for t in self.text]
        self.end = [i + len(t) for i, t in zip(self.idx, self.text)]
        if doc.has_annotation("SENT_START"):
            self.sent_start = [value == 1 for value in doc.to_array([SENT_START]).astype("int64").ravel().tolist()]
        else:
            self.sent_start = sentence_starts(self.text, self.space)
        self.n = len(self.text)
        self.sentence: list[int] = []
        current = -1
        for start in self.sent_start:
            current += 1 if start else 0
            self.sentence.append(max(current, 0))


def _match_phrase(lower: list[str], i: int, phrases: frozenset[tuple[str, ...]] | dict, longest: int = 4) -> int:
    """Length of the longest phrase starting at token i, 0 when none."""
    for size in range(longest, 0, -1):
        if tuple(lower[i:i + size]) in phrases:
            return size
    return 0


class EntityFinder:
    """Finds and links entity mentions in one article."""

    def __init__(self, doc: Doc, profile: LanguageProfile, kb: KnowledgeBase, headings: list[tuple[int, int]],
                 dateline: tuple[int, int] | None = None, text: str | None = None) -> None:
        self.doc = doc
        self.text = doc.text if text is None else text
        self.profile = profile
        self.kb = kb
        self.cues = cues_for(profile.code)
        self.inflects = bool(inflection_of(profile.code)[0])  # names are matched by their stems too
        # Offices written after a name, longest first: "러시아대사를" holds a country before one.
        self.titles_after = tuple(sorted(map(str, profile.words("titles_after")), key=len, reverse=True))
        self.head_suffixes = tuple(map(str, profile.words("head_suffixes")))
        self.t = _Tokens(doc, self.text)
        self.heading_token = self._heading_tokens(headings)
        self.dateline = dateline
        self.taken = [None] * self.t.n  # token -> index of the mention covering it
        self.mentions: list[Mention] = []
        self.new_entities: dict[str, Entity] = {}
        self.local_aliases: dict[str, str] = {}  # acronyms and short forms this article defines
        # Known names that open a longer one spelled out by the bracketed acronym at the token given.
        self.acronym_openings: dict[int, int] = {}
        # Name word -> mentions of people and organisations whose name holds it: later short forms ("Lankov",
        # "Kim") look up their antecedent here instead of scanning every earlier mention, which made long
        # articles quadratic.
        self.by_name_word: dict[str, list[int]] = {}
        self.titles_at = self._find_titles()
        self.title_tokens = {k for end, (start, _) in self.titles_at.items() for k in range(start, end + 1)}

    # ----- helpers over tokens -----

    def _heading_tokens(self, headings: list[tuple[int, int]]) -> list[bool]:
        """Which tokens stand in a heading line."""
        flags = [False] * self.t.n
        if headings:
            for i, offset in enumerate(self.t.idx):
                flags[i] = any(start <= offset < end for start, end in headings)
        return flags

    def _surface(self, i: int, j: int) -> str:
        """The text of tokens i..j inclusive."""
        return self.text[self.t.idx[i]:self.t.end[j]]

    def is_name_word(self, i: int) -> bool:
        """A capitalised word that can be part of a name."""
        text = self.t.text[i]
        if not text[:1].isupper() or self.t.space[i]:
            return False
        if not text.replace("-", "").replace("'", "").replace("’", "").replace(".", "").isalpha():
            return False
        lower = self.t.lower[i]
        if text in self.cues.not_name_words and self._first_name_after_title(i):
            return True  # "ÖVP leader Christian Stocker": after a title the word is a given name
        if lower in self.cues.calendar or text in self.cues.not_name_words or lower in self.cues.group_nouns:
            return False  # "Delegasi Kadin ...": the group noun is not part of the organisation's name
        if lower in self.cues.stop and not (text.isupper() and len(text) > 1):
            # A capitalised function word inside a sentence belongs to a name ("Kementerian Luar Negeri").
            return not self.t.sent_start[i] and i > 0 and self.t.text[i - 1] not in '"“:(' \
                and (self.is_name_word(i - 1) or self.taken[i - 1] is not None)
        return True

    def _first_name_after_title(self, i: int) -> bool:
        """A word right after a title and before a capitalised word, once the titles are known."""
        titles = getattr(self, "titles_at", None)
        nxt = i + 1
        return bool(titles) and self._word_before(i) in titles and nxt < self.t.n and \
            self.t.text[nxt][:1].isupper() and self.t.text[nxt].isalpha() and not self.t.space[nxt] and \
            self.t.lower[nxt] not in self.profile.common_words  # "Direktur Asia Tenggara": a portfolio

    def _find_titles(self) -> dict[int, tuple[int, str]]:
        """Title phrases (with their portfolio words): end token -> (start token, kind)."""
        found: dict[int, tuple[int, str]] = {}
        lower, i = self.t.lower, 0
        while i < self.t.n:
            size = _match_phrase(lower, i, self.cues.titles)
            if not size or (i > 0 and tuple(lower[i - 1:i + size]) in self.cues.org_heads) \
                    or self._inside_org_name(i, size):
                # "Konsulat Jenderal" names an office building's organisation, not a general.
                i += 1
                continue
            kind = self.cues.titles[tuple(lower[i:i + size])]
            end = i + size
            extra = _match_phrase(lower, end, self.cues.portfolios)
            while extra:
                end += extra
                extra = _match_phrase(lower, end, self.cues.portfolios)
            end += self._portfolio_list(end)
            found[end - 1] = (i, kind)
            i = end
        return found

    def _inside_org_name(self, i: int, size: int) -> bool:
        """True for a capitalised generic title right after an organisation's head word: "Aliansi Nelayan
        Tradisional Rote" is an alliance of fishermen, not a fisherman called Tradisional Rote."""
        if self.cues.titles.get(tuple(self.t.lower[i:i + size])) != "generic" or not self.t.text[i][:1].isupper():
            return False
        k = i - 1
        return k >= 0 and self.t.text[k][:1].isupper() and not self.t.sent_start[i] and any(
            self._starts_org(j) for j in range(max(0, k - 2), k + 1))

    def _portfolio_list(self, k: int) -> int:
        """Length of a listed portfolio after a title: "Pangan, Pertanian, dan Industri Ringan"."""
        t, j, saw_comma = self.t, k, False
        while j < t.n:
            while j < t.n and t.text[j][:1].isupper() and t.text[j].isalpha():
                j += 1
            if j < t.n and t.text[j] == "," and j + 1 < t.n and t.text[j + 1][:1].isupper():
                saw_comma, j = True, j + 1
                continue
            if j + 1 < t.n and t.text[j] == "," and t.lower[j + 1] in self.cues.coordinators:
                j += 1
            if saw_comma and j + 1 < t.n and t.lower[j] in self.cues.coordinators and t.text[j + 1][:1].isupper():
                j += 1
                while j < t.n and t.text[j][:1].isupper() and t.text[j].isalpha() and \
                        not self.kb.lookup(t.text[j], self.profile.code):
                    j += 1
                return j - k
            return 0
        return 0

    # ----- recording mentions -----

    def _record(self, i: int, j: int, entity_id: str, via: str, char_span: tuple[int, int] | None = None,
                candidates: tuple[str, ...] = ()) -> Mention:
        """Add a mention over tokens i..j-1."""
        start, end = char_span or (self.t.idx[i], self.t.end[j - 1])
        mention = Mention(i, j, start, end, entity_id, self.text[start:end], self.t.sentence[i], via,
                          candidates if len(candidates) > 1 else ())
        self.mentions.append(mention)
        for k in range(i, j):
            self.taken[k] = len(self.mentions) - 1
        entity = self.entity(entity_id) if entity_id else None
        if entity is not None and entity.type in ("PERSON", "ORG"):
            for word in set(entity.name.split()) | set(entity.name.replace("-", " ").split()):
                self.by_name_word.setdefault(word, []).append(len(self.mentions) - 1)
        return mention

    def _new_entity(self, name: str, type_: str, sector: str | None, country: str | None) -> str:
        """Register an entity the knowledge base does not know, with a stable id."""
        entity_id = f"new:{type_.lower()}:{slug(name)}"
        self.local_aliases.setdefault(name, entity_id)
        if entity_id not in self.new_entities:
            kind = {"PERSON": "person", "ORG": "org"}.get(type_, "region")
            self.new_entities[entity_id] = Entity(id=entity_id, name=name, type=type_, kind=kind, country=country,
                                                  sector=sector, kb=False)
        return entity_id

    def entity(self, entity_id: str) -> Entity:
        """An entity by id, known or new."""
        return self.new_entities.get(entity_id) or self.kb.entities[entity_id]

    # ----- pass 1: names we know -----

    def _lookup_at(self, i: int) -> tuple[int, tuple[str, ...], tuple[int, int] | None]:
        """Longest known name starting at token i: (tokens, ids, char span)."""
        t, kb, code = self.t, self.kb, self.profile.code
        inside_words = bool(self.profile.data.get("match_inside_words"))
        if not inside_words and t.text[i] not in kb.first_words and t.lower[i] not in kb.first_words_folded:
            return self._lookup_inflected_at(i)
        best: tuple[int, tuple[str, ...], tuple[int, int] | None] = (0, (), None)
        sentence = t.sentence[i]
        for j in range(i, min(t.n, i + MAX_NAME_WORDS)):
            if t.sentence[j] != sentence or (t.space[j] and "\n" in t.text[j]):
                break
            surface = self._surface(i, j)
            ids = kb.lookup(surface, code)
            if ids:
                best = (j - i + 1, ids, None)
            elif inside_words:
                for particle in KOREAN_PARTICLES:
                    if surface.endswith(particle) and len(surface) > len(particle) + 1:
                        ids = kb.lookup(surface[: -len(particle)], code)
                        if ids:
                            best = (j - i + 1, ids, (t.idx[i], t.end[j] - len(particle)))
                            break
                else:
                    owner, length = self._owner_before_title(surface)
                    if owner:
                        best = (j - i + 1, owner, (t.idx[i], t.idx[i] + length))
            if not inside_words and t.text[j][:1].isalnum() and not kb.may_continue(surface):
                break  # no known name goes on from here ("Timor-" still may: punctuation is not a stop)
        inflected = self._lookup_inflected_at(i)
        return inflected if inflected[0] > best[0] else best

    def _owner_before_title(self, surface: str) -> tuple[tuple[str, ...], int]:
        """A country or an organisation written together with an office and its particle: "러시아대사를" (the
        Russian ambassador), "정찰총국장은" (the Reconnaissance General Bureau's chief); its ids and its length in
        characters."""
        if " " in surface:
            return (), 0
        for particle in ("",) + KOREAN_PARTICLES:
            base = surface[: len(surface) - len(particle)] if particle and surface.endswith(particle) else surface
            if particle and base == surface:
                continue
            for title in self.titles_after + self.head_suffixes:
                if base.endswith(title) and len(base) > len(title) + 1:
                    ids = self.kb.lookup(base[: -len(title)], self.profile.code)
                    countries = ids and all(self.kb.entities[x].kind == "country" for x in ids)
                    bodies = ids and all(self.kb.entities[x].type == "ORG" for x in ids)
                    if countries or bodies:
                        return ids, len(base) - len(title)
        return (), 0

    def _lookup_inflected_at(self, i: int) -> tuple[int, tuple[str, ...], tuple[int, int] | None]:
        """Longest known name starting at token i in another case than the one listed ("Лаврова", "Министерства
        иностранных дел Республики Корея"), in languages whose profile lists their case endings."""
        if not self.inflects or not self.t.text[i][:1].isupper():
            return 0, (), None
        index = inflected_names(self.kb, self.profile.code)
        endings, shortest = inflection_of(self.profile.code)
        best: tuple[int, tuple[str, ...], tuple[int, int] | None] = (0, (), None)
        key: list[str] = []
        for j in range(i, min(self.t.n, i + MAX_NAME_WORDS)):
            if self.t.sentence[j] != self.t.sentence[i] or (self.t.space[j] and "\n" in self.t.text[j]):
                break
            if self.t.space[j]:
                continue
            key.append(word_stem(self.t.text[j], endings, shortest))
            ids = index.get(" ".join(key))
            if ids:
                best = (j - i + 1, ids, None)
            elif " ".join(key) not in index.prefixes:
                break
        return best

    def _place_guarded(self, i: int, size: int, ids: tuple[str, ...]) -> bool:
        """True when a one-word place name is more likely a word or part of a person's name."""
        if size != 1:
            return False
        text = self.t.text[i]
        if text in self.cues.not_places or self.t.lower[i] in self.cues.stop and not text.isupper():
            return True
        if self.t.lower[i] in self.cues.calendar:
            return True
        prev = i - 1
        # "juta dolar AS": a currency's country is not a place named in the story.
        if prev >= 0 and self.t.lower[prev] in self.cues.not_place_after:
            return True
        kinds = {self.kb.entities[x].kind for x in ids}
        if "country" in kinds and self._named_like_its_country(i, ids):
            return True  # "Israeli Defense Minister Israel Katz": the title has its country; this is a given name
        if kinds & {"country", "region"}:
            return False  # "Gubernur Primorye", "Presiden Rusia": a jurisdiction after a title
        # A large city is rarely part of a person's name ("Wali Kota Surabaya Eri Cahyadi"); a town may be.
        small = max(self.kb.entities[x].population for x in ids) < 500_000
        # "Kim Jong Un": a small town's name after capitalised words we do not know is part of a person's name.
        if small and prev >= 0 and not self.t.sent_start[i] and self.is_name_word(prev) and self.taken[prev] is None:
            return True
        # "Port manager Ramon Dizon Villanueva": right after a title, a town's name is a person's name.
        after_title = self._previous_is_title(i)
        if small and after_title:
            return True
        # "Vladimir Ivanov", "Bayan-Olgii": a city name joined to another capitalised word is part of a longer name.
        nxt = i + 1
        if nxt + 1 < self.t.n and self.t.text[nxt] in self.cues.name_particles \
                and self.t.text[nxt + 1][:1].isupper() and (after_title or (
                    prev >= 0 and self.is_name_word(prev) and self.taken[prev] is None)):
            return True  # "Alexander Van der Bellen", whatever the size of Van
        if nxt + 1 < self.t.n and self.t.text[nxt] in "-‐" and self.t.text[nxt + 1][:1].isupper():
            return True
        if nxt < self.t.n and self.t.sentence[nxt] == self.t.sentence[i] and self.is_name_word(nxt):
            following = self.t.text[nxt]
            follower_kinds = {self.kb.entities[x].kind for x in self.kb.lookup(following, self.profile.code)}
            if (small or not after_title) and following not in self.cues.not_places \
                    and not follower_kinds & {"country", "region"} \
                    and not self._starts_org(nxt) and (following.lower(),) not in self.cues.org_tails \
                    and (following.lower(),) not in self.cues.place_tails:
                return True
        return False

    def _named_like_its_country(self, i: int, ids: tuple[str, ...]) -> bool:
        """True for a country's name right after a title that already names that country, followed by a name
        nothing else knows: a person named like the country ("Israeli Defense Minister Israel Katz")."""
        end = self._word_before(i)
        if end not in self.titles_at or i + 1 >= self.t.n or not self.is_name_word(i + 1) \
                or self.kb.lookup(self.t.text[i + 1], self.profile.code):
            return False
        countries = {x for x in ids if self.kb.entities[x].kind == "country"}
        start = self.titles_at[end][0]
        return any(set(self.kb.lookup(self.t.text[k], self.profile.code)) & countries
                   for k in range(max(0, start - 2), end + 1))

    def _word_before(self, i: int) -> int:
        """Index of the last non-space token before token i, -1 at the start."""
        k = i - 1
        while k >= 0 and self.t.space[k]:
            k -= 1
        return k

    def _previous_is_title(self, i: int) -> bool:
        """True when a title phrase ends right before token i."""
        return self._word_before(i) in self.titles_at

    def find_known(self) -> None:
        """Link every name the knowledge base or gazetteer knows."""
        i = 0
        while i < self.t.n:
            if self.t.space[i] or self.taken[i] is not None:
                i += 1
                continue
            size, ids, char_span = self._lookup_at(i)
            if not size:
                i += 1
                continue
            actors = [x for x in ids if not self.kb.entities[x].is_place]
            if not actors and self._place_guarded(i, size, ids):
                i += 1
                continue
            if actors and self._acronym_names_longer(i, size):
                i += size  # the organisation finder keeps the longer name and its acronym
                continue
            if actors and self._person_name_goes_on(i + size, actors):
                i += size  # "Ким Сон Гён" is not the Kim Song the knowledge base lists
                continue
            chosen = self.choose(actors or list(ids))
            self._record(i, i + size, chosen, "kb" if self.kb.entities[chosen].kb and actors else "gazetteer",
                         char_span, () if actors else tuple(ids))
            i += size

    def _person_name_goes_on(self, k: int, actors: list[str]) -> bool:
        """True when a known person's name of two words or more runs on into another capitalised name word that
        nothing names: the text speaks of someone else with a longer name."""
        if k >= self.t.n or self.t.space[k] or self.heading_token[k] or \
                not all(self.kb.entities[x].type == "PERSON" and len(self.kb.entities[x].name.split()) >= 2
                        for x in actors):
            return False
        word = self.t.text[k]
        return word.isalpha() and word[:1].isupper() and not word.isupper() and self.t.lower[k] not in self.cues.stop \
            and self.t.lower[k] not in self.cues.calendar and not self.kb.lookup(word, self.profile.code) \
            and not self.t.sent_start[k]

    def _acronym_names_longer(self, i: int, size: int, reach: int = 8) -> bool:
        """True when the known name at token i opens a longer one that a bracketed acronym right after it spells
        out: "United Nations Assistance Mission for Iraq (UNAMI)" is not the United Nations."""
        t, k = self.t, i
        while k < min(t.n, i + size + reach) and t.sentence[k] == t.sentence[i] and t.text[k] != "(":
            k += 1
        if k > i + size and self._spelled_out(i, k):
            self.acronym_openings[i] = k
            return True
        return False

    def _spelled_out(self, i: int, k: int) -> bool:
        """True when the capitalised words of tokens i..k-1 (joined by connectors only) have as initials the
        acronym in brackets at token k."""
        t, initials, every = self.t, [], []
        if k + 2 >= t.n or t.text[k] != "(" or t.text[k + 2] != ")":
            return False
        for x in range(i, k):
            if t.space[x]:
                continue
            if t.text[x][:1].isupper() and t.text[x].isalpha():
                initials.append(t.text[x][0])
            elif not (t.lower[x] in self.cues.connectors or (t.text[x].isalpha() and len(t.text[x]) <= 3)):
                return False
            every.append(t.text[x][0].upper())
        acronym = t.text[k + 1]
        # Some acronyms keep a small word's letter too: "Mission in South Sudan (UNMISS)".
        return len(acronym) >= 3 and acronym.isupper() and acronym in ("".join(initials).upper(), "".join(every))

    def choose(self, ids: list[str]) -> str:
        """Pick among same-named entities: actors first, then the largest place (context refines later)."""
        return max(ids, key=lambda x: (not self.kb.entities[x].is_place, self.kb.entities[x].kind == "country",
                                       self.kb.entities[x].population))

    # ----- pass 2: names we do not know, from the language's cues -----

    def _runs(self) -> list[tuple[int, int]]:
        """Maximal runs of capitalised words (and known places inside them), broken by known actors."""
        runs, i, t = [], 0, self.t
        while i < t.n:
            if not self._run_word(i) and not self._hyphened_particle(i):
                i += 1
                continue
            j = i + 1 if self._run_word(i) else i + 3
            org_headed = self._starts_org(i)
            while j < t.n and t.sentence[j] == t.sentence[i]:
                org_headed = org_headed or self._starts_org(j)  # "Davao City Chamber of Commerce and Industry"
                if self._run_word(j):
                    j += 1
                elif self._hyphened_particle(j) and (self.entity(self.mentions[self.taken[j - 1]].entity_id).type
                                                     == "PERSON" if self.taken[j - 1] is not None else True):
                    j += 3  # "Haidar Karim al-Musawi", "Abdel Fattah el-Sisi"
                elif t.text[j] in "-‐" and j + 1 < t.n and not t.space[j] and self.taken[j - 1] is None \
                        and KOREAN_SYLLABLE.match(t.text[j + 1]):
                    j += 2  # "Kim Hong-kyun", "Choe Son-hui": a romanised Korean given name keeps its hyphen
                elif t.text[j] == "(" and j + 3 < t.n and t.text[j + 2] == ")" and t.text[j + 1][:1].isupper() \
                        and self._run_word(j + 3):
                    j += 4  # "Kamar Dagang dan Industri (Kadin) Sumatera Utara": the acronym stays inside
                elif (t.lower[j] in self.cues.connectors or t.text[j] in "-'’") and j + 1 < t.n \
                        and (self._run_word(j + 1) or org_headed and self._closing_qualifier(j + 1)) \
                        and not t.space[j] and not self._starts_org(j + 1) \
                        and (org_headed or t.lower[j] not in self.cues.coordinators or self._tail_across(j)
                             or self._tail_ahead(j + 1)):
                    # "and" joins words inside an organisation's name ("Kamar Dagang dan Industri"), not two names.
                    j += 2
                elif t.lower[j] in ("'s", "’s") and j + 1 < t.n and not t.space[j] and self.taken[j - 1] is None \
                        and self._tail_ahead(j + 1, 2):
                    j += 1  # "People's Party", "Farmers' Union": the possessive is inside the name
                elif t.text[j] == "," and org_headed and self._list_inside_name(j):
                    j += 1  # "Ministry of Investment, Trade and Industry", "Badan Meteorologi, Klimatologi, dan ..."
                else:
                    break
            runs.append((i, j))
            i = j
        return runs

    def _hyphened_particle(self, k: int) -> bool:
        """A lower-case name particle joined by a hyphen to a capitalised word: "al-Musawi", "el-Sisi"."""
        t = self.t
        return t.lower[k] in self.cues.name_particles and k + 2 < t.n and t.text[k + 1] in "-‐" \
            and t.idx[k + 1] == t.end[k] and t.idx[k + 2] == t.end[k + 1] \
            and self.taken[k + 2] is None and self.is_name_word(k + 2)

    def _tail_ahead(self, k: int, reach: int = 4) -> bool:
        """True when the capitalised words from token k end in an organisation's tail word: "Scientific and
        Industrial Research Organisation" is one name."""
        t = self.t
        for m in range(k, min(k + reach, t.n)):
            if not self._run_word(m) or self.taken[m] is not None:
                return False
            if (t.lower[m],) in self.cues.org_tails and (m + 1 >= t.n or not self._run_word(m + 1)):
                return True
        return False

    def _list_inside_name(self, k: int, reach: int = 8) -> bool:
        """True when the comma at token k lists words of one name up to its "and": "Investment, Trade and
        Industry"."""
        t = self.t
        for m in range(k + 1, min(k + reach, t.n - 1)):
            if t.space[m]:
                continue
            if t.lower[m] in self.cues.coordinators:
                return (self._run_word(m + 1) or self._closing_qualifier(m + 1)) and self.taken[m + 1] is None
            if t.text[m] != "," and (not self._run_word(m) or self.taken[m] is not None):
                return False
        return False

    def _closing_qualifier(self, k: int) -> bool:
        """A word that makes no name alone ("Industry", "Asian") closing an organisation's name after "and" or "of":
        "Ministry of Trade and Industry"; a capitalised word or a title after it says it is no closing word."""
        t = self.t
        return t.text[k] in self.cues.not_name_words and self.taken[k] is None and k not in self.title_tokens and \
            (k + 1 >= t.n or not (t.text[k + 1][:1].isupper() or k + 1 in self.title_tokens))

    def _tail_across(self, k: int) -> bool:
        """True when an organisation's tail runs across the "and" at token k ("Chamber of Commerce and Industry")."""
        lower = self.t.lower
        for tail in self.cues.org_tails:
            if lower[k] in tail:
                at = tail.index(lower[k])
                if tuple(lower[k - at:k - at + len(tail)]) == tail:
                    return True
        return False

    def _starts_org(self, k: int) -> bool:
        """True when an organisation's head word starts at token k ("... dan Kamar Dagang ...")."""
        heads = _org_heads_by_first_word(self.profile.code).get(self.t.lower[k], ())
        return any(tuple(self.t.lower[k:k + len(head)]) == head for head in heads)

    def _run_word(self, i: int) -> bool:
        """A token that can belong to a name run: an unlinked capitalised word or a linked place."""
        owner = self.taken[i]
        if owner is not None:
            return self.entity(self.mentions[owner].entity_id).is_place
        return self.is_name_word(i) and i not in self.titles_at and not self._title_token(i)

    def _title_token(self, i: int) -> bool:
        """True when the token is inside a title phrase."""
        return i in self.title_tokens

    def _place_tokens(self, i: int, j: int) -> list[int]:
        """Indices of mentions of places covering tokens in i..j-1."""
        owners = []
        for k in range(i, j):
            owner = self.taken[k]
            if owner is not None and owner not in owners:
                owners.append(owner)
        return owners

    def _org_sector(self, i: int, j: int) -> str | None:
        """The sector when tokens i..j-1 start with an organisation head or end with a tail; None otherwise."""
        lower = self.t.lower
        for size in (3, 2, 1):
            head = tuple(lower[i:i + size])
            if len(head) == size and head in self.cues.org_heads:
                return self.cues.org_heads[head]
        # "State Committee for National Security", "Federal Bureau of Investigation": a head with its "of"/"for"
        # after a word or two of the name, with the name going on after it.
        inner = self._head_within(i, j, (1, 2))
        if inner is not None:
            return inner
        for size in (4, 3, 2, 1):
            tail = tuple(lower[j - size:j])
            if j - size >= i and tail in self.cues.org_tails:
                return self.cues.org_tails[tail]
        before = i - 1
        while before >= 0 and self.t.space[before]:
            before -= 1
        if before >= 0 and lower[before] in self.cues.org_descriptors and self.t.text[before].islower():
            return self.cues.org_descriptors[lower[before]]
        # "a criminal group known as Black Harbor", "kelompok yang dikenal sebagai ...": the group is named.
        for phrase in self.cues.naming_words:
            start = before - len(phrase) + 1
            if start > 0 and tuple(lower[start:before + 1]) == phrase:
                noun = self._word_before(start)
                if noun >= 0 and lower[noun] in self.cues.org_descriptors and self.t.text[noun].islower():
                    return self.cues.org_descriptors[lower[noun]]
        return None

    def _head_within(self, i: int, j: int, offsets: tuple[int, ...]) -> str | None:
        """The sector of an organisation's head with its "of"/"for" starting at one of these offsets from token i,
        with more of the name after it before j; None when there is none."""
        for offset in offsets:
            for size in (3, 2):
                head = tuple(self.t.lower[i + offset:i + offset + size])
                if i + offset + size < j and head in self.cues.org_heads:
                    return self.cues.org_heads[head]
        return None

    def _place_kind(self, i: int, j: int) -> tuple[str, int, int] | None:
        """A place the cues announce: "kota Darkhan", "Provinsi X", "Mangystau Region" -> (type, name start, end)."""
        lower, t = self.t.lower, self.t
        for size in (2, 1):
            head = tuple(lower[i:i + size])
            if len(head) == size and head in self.cues.place_heads and i + size < j:
                return self.cues.place_heads[head], i, j
        for size in (2, 1):
            head = tuple(lower[i - size:i])
            if i - size >= 0 and head in self.cues.place_heads and t.text[i - size].islower():
                return self.cues.place_heads[head], i, j
        for size in (2, 1):
            tail = tuple(lower[j - size:j])
            if j - size > i and tail in self.cues.place_tails:
                return self.cues.place_tails[tail], i, j
        return None

    def _title_before(self, i: int) -> tuple[str, list[int]] | None:
        """A title within a few words before token i: (kind, countries seen between); None when absent."""
        t, k, lowers_skipped, countries = self.t, i - 1, 0, []
        while k >= 0 and i - k <= 10 and t.sentence[k] == t.sentence[i]:
            if k in self.titles_at:
                start, kind = self.titles_at[k]
                before = self.taken[start - 1] if start > 0 else None
                if before is not None and self.entity(self.mentions[before].entity_id).country:
                    countries.insert(0, before)  # "White House spokeswoman X", "Russian Defence Minister X"
                return kind, countries
            owner = self.taken[k]
            if owner is not None:
                entity = self.entity(self.mentions[owner].entity_id)
                if entity.type == "PERSON":
                    return None
                if entity.kind == "country" or (entity.type == "ORG" and entity.country):
                    countries.insert(0, owner)  # "Juru bicara Gedung Putih": the White House gives USA
                inside = [x for x in range(self.mentions[owner].start, self.mentions[owner].end) if x in self.titles_at]
                if inside:
                    return self.titles_at[inside[-1]][1], countries
                k = self.mentions[owner].start - 1
                continue
            if t.lower[k] in self.cues.quoting or t.lower[k] in self.cues.suffixed or \
                    (t.lower[k],) in self.cues.after_speaker or (t.lower[k],) in self.cues.before_speaker:
                return None
            if t.space[k] or t.text[k] in ",()" or t.lower[k] in self.cues.fillers or t.lower[k] in self.cues.determiners:
                k -= 1
                continue
            if t.text[k][:1].islower() and t.text[k].isalpha() and lowers_skipped < 3:
                lowers_skipped += 1
                k -= 1
                continue
            if self.is_name_word(k):
                k -= 1
                continue
            return None
        return None

    def _name_follows(self, j: int) -> bool:
        """True when another name follows after a comma: in "Gedung Putih, John Kirby" the title is Kirby's."""
        t = self.t
        if j >= t.n or t.text[j] != ",":
            return False
        k = j + 1
        while k < t.n and t.space[k]:
            k += 1
        if k >= t.n:
            return False
        owner = self.taken[k]
        if owner is not None:
            return self.entity(self.mentions[owner].entity_id).type == "PERSON"
        return self.is_name_word(k) and k + 1 < t.n and self.is_name_word(k + 1)

    def _speech_near(self, i: int, j: int) -> bool:
        """A speech verb right after the name, or right before it."""
        t = self.t
        after = j + 1 if j < t.n and t.text[j] == "," else j
        if after < t.n and _match_phrase(t.lower, after, self.cues.after_speaker, 2):
            return True
        k = i - 1
        while k >= 0 and (t.space[k] or t.text[k] in ","):
            k -= 1
        for size in (2, 1):
            if k - size + 1 >= 0 and tuple(t.lower[k - size + 1:k + 1]) in self.cues.before_speaker:
                return True
        return False

    def _appositive(self, j: int, table: dict) -> str | None:
        """What an appositive after a name says, looked up in a table of titles or organisation words:
        "Andrei Lankov, seorang ahli ...", "Lembah Klang Marine, a shipping company ..."."""
        t = self.t
        if j >= t.n or t.text[j] != ",":
            return None
        k = j + 1
        while k < t.n and (t.space[k] or t.lower[k] in self.cues.determiners):
            k += 1
        for _ in range(3):  # up to two describing words first: "a transport economist"
            size = _match_phrase(t.lower, k, table)
            if size:
                return table[tuple(t.lower[k:k + size])]
            if k >= t.n or not t.text[k].islower() or not t.text[k].isalpha():
                return None
            k += 1
        return None

    def _title_after(self, j: int) -> str | None:
        """The kind of title an appositive after a name gives it."""
        return self._appositive(j, self.cues.titles)

    def _org_after(self, j: int) -> str | None:
        """The sector an appositive organisation word gives a name."""
        return self._appositive(j, self.cues.org_descriptor_phrases)

    def _affiliation_country(self, j: int) -> str | None:
        """The country of the first place named after an appositive title ("ahli ... di Universitas X Seoul")."""
        t = self.t
        k = j
        sentence = t.sentence[j] if j < t.n else -1
        saw_affiliation = False
        while k < t.n and t.sentence[k] == sentence and k - j < 14:
            if t.lower[k] in ("di", "at", "dari", "from", "of"):
                saw_affiliation = True
            owner = self.taken[k]
            if owner is not None and saw_affiliation:
                entity = self.entity(self.mentions[owner].entity_id)
                if entity.country:
                    return entity.country
            k += 1
        return None

    def _descriptor(self, j: int) -> bool:
        """True when a generic organisation phrase is followed by the organisation's own name."""
        t = self.t
        k = j
        while k < t.n and (t.space[k] or t.text[k] == ","):
            k += 1
        owner = self.taken[k] if k < t.n else None
        return owner is not None and self.entity(self.mentions[owner].entity_id).type == "ORG"

    def find_unknown(self) -> None:
        """Classify capitalised runs by cues: organisations by their heads, people by titles and speech."""
        for i, j in self._runs():
            if any(self.heading_token[i:j]):
                continue
            if self._link_local_alias(i, j):
                continue
            places = self._place_tokens(i, j)
            name_tokens = [k for k in range(i, j) if self.taken[k] is None]
            if not name_tokens:
                continue
            opening = next((k for k in range(i, j) if k in self.acronym_openings), None)
            if opening is not None:  # a known organisation's own body: "United Nations ... for Iraq (UNAMI)"
                end = self.acronym_openings.pop(opening)
                self._add_org(opening, end, self._org_sector(opening, end), self._place_tokens(opening, end))
                continue
            sector = self._org_sector(i, j)
            if sector is not None:
                self._add_org(self._qualifiers_before(i), j, sector, places)
                continue
            place = self._place_kind(i, j)
            if place is not None:
                self._add_place(*place)
                continue
            # The name proper: the unlinked words, without places before or after them.
            a, b = name_tokens[0], name_tokens[-1] + 1
            if any(self.taken[k] is not None for k in range(a, b)):
                continue
            surname = self._surname_like_place(b, j)
            if sum(self.t.text[k] not in "-‐" for k in range(a, b)) > 4:
                continue
            title = None if self._name_follows(b) else self._title_before(a)
            appositive = self._title_after(b)
            spoken = self._speech_near(a, b)
            if b - a == 1 and self._resolve_short(a):
                continue
            if b - a > 1 and self._resolve_partial(a, b):
                continue
            if surname and (title or self._title_after(b + 1) or self._speech_near(a, b + 1)):
                # "Kepala BPBD, Samsul Bahri, ...": a one-word town name closing a person's name is the surname.
                self._absorb(b, b + 1)
                b, title = b + 1, title or ("generic", [])
                appositive, spoken = self._title_after(b), self._speech_near(a, b)
            org_sector = self._org_after(b)
            if org_sector and b - a >= 2 and not title:
                self._record(a, b, self._new_entity(self._surface(a, b - 1), "ORG", org_sector, None), "cue")
                continue
            if b - a == 1 and (self.t.text[a].isupper() or len(self.t.text[a]) < 3 or not self._previous_is_title(a)):
                continue  # one word makes a person only right after a title ("Presiden Jokowi"), never an acronym
            if title or appositive or (spoken and b - a >= 2) or self._shaped_like_a_person(a, b):
                if not title and self._town_after_place_word(a, b):
                    continue
                a = self._split_leading_acronym(a, b)
                name = self._surface(a, b - 1)
                country = self._person_country(title, appositive, b)
                self._record(a, b, self._new_entity(name, "PERSON", None, country), "cue")

    def _qualifiers_before(self, i: int) -> int:
        """Where an organisation's name starts when words that make no name alone open it: "Northern Province
        Fisheries Federation", "Eastern Cape Health Department"."""
        t, start = self.t, i
        while i > 0 and self.taken[i - 1] is None and t.sentence[i - 1] == t.sentence[i] and (
                t.text[i - 1] in self.cues.not_name_words or (i < start and self.is_name_word(i - 1))):
            i -= 1  # past the qualifier, the name goes on: "North Atlantic Council"
        return i

    def _split_leading_acronym(self, a: int, b: int) -> int:
        """"Kepala BNPB Suharyanto": an acronym before a person's name is their organisation; returns where the
        name starts."""
        first = self.t.text[a]
        if b - a < 2 or not (first.isupper() and first.isalpha() and len(first) >= 2):
            return a
        # The recogniser may read a longer organisation there: "PDI Perjuangan Hasto Kristiyanto".
        end = next((e.end for e in self.doc.ents if e.start == a and e.label_ == "ORG" and e.end < b), a + 1)
        name = self._surface(a, end - 1)
        ids = [x for x in self.kb.lookup(name, self.profile.code) if not self.kb.entities[x].is_place]
        entity_id = self.local_aliases.get(name) or (ids[0] if ids else self._new_entity(name, "ORG", None, None))
        self._record(a, end, entity_id, "cue")
        return end

    def _shaped_like_a_person(self, a: int, b: int) -> bool:
        """For languages without a trained recogniser: two or three capitalised words inside a sentence that no
        cue claims are a person's name ("... accused Christian Stocker of ..."); the language opts in."""
        if not self.profile.data.get("names_by_shape") or not 2 <= b - a <= 3 or self.t.sent_start[a]:
            return False
        words = [self.t.text[k] for k in range(a, b)]
        if any(not w[:1].isupper() or w.isupper() or not w.replace("-", "").replace("'", "").isalpha() for w in words):
            return False  # acronyms and numbers are no given names
        before = self._word_before(a)
        if before >= 0 and (self.t.text[before] in '"“‘(' or self.t.lower[before] in self.cues.determiners):
            return False  # "the Freedom Party", a quoted title
        if b < self.t.n and _match_phrase(self.t.lower, b, self.cues.titles):
            return False  # "India's External Affairs Minister": the words name the office's portfolio
        lower = [w.lower() for w in words]
        return not any(w in self.cues.stop or (w,) in self.cues.org_tails or (w,) in self.cues.place_tails
                       or (w,) in self.cues.org_heads or (w,) in self.cues.titles for w in lower)

    def _surname_like_place(self, b: int, j: int) -> bool:
        """True when the run ends right after the name with one one-word city ("Samsul Bahri")."""
        owner = self.taken[b] if b < self.t.n else None
        if owner is None or j != b + 1:
            return False
        mention = self.mentions[owner]
        return mention.end == b + 1 and mention.via == "gazetteer" and self.entity(mention.entity_id).kind == "city"

    def _link_local_alias(self, i: int, j: int) -> bool:
        """A run that this article has already defined as a short form ("Kadin Sumatera Utara")."""
        for end in range(j, i, -1):
            entity_id = self.local_aliases.get(self._surface(i, end - 1))
            if entity_id and self._other_country_follows(entity_id, end, j):
                return False  # "Angkatan Laut Myanmar" after "Angkatan Laut Thailand" is another navy
            if entity_id:
                for k in range(i, end):
                    if self.taken[k] is not None:
                        self.mentions[self.taken[k]].entity_id = ""
                        self.taken[k] = None
                self._record(i, end, entity_id, "alias")
                return True
        return False

    def _other_country_follows(self, entity_id: str, end: int, j: int) -> bool:
        """True when tokens end..j-1 name a place in a country other than the entity's."""
        country = self.entity(entity_id).country
        return any(self.entity(self.mentions[p].entity_id).country not in (None, country)
                   for p in self._place_tokens(end, j))

    def _add_place(self, type_: str, i: int, j: int) -> None:
        """A place the cues announce but the gazetteer does not know: located later, or by Nominatim."""
        name = self._surface(i, j - 1)
        known = [x for x in self.kb.lookup(name, self.profile.code) if self.kb.entities[x].is_place]
        inner = [self.entity(self.mentions[p].entity_id) for p in self._place_tokens(i, j)]
        country = next((e.country for e in inner if e.country), None)
        self._absorb(i, j)
        entity_id = self.choose(known) if known else self._new_entity(name, type_, None, country)
        self._record(i, j, entity_id, "cue")

    def _absorb(self, i: int, j: int) -> None:
        """Drop mentions inside tokens i..j-1: a longer name found by cues replaces them."""
        for k in range(i, j):
            if self.taken[k] is not None:
                self.mentions[self.taken[k]].entity_id = ""
                self.taken[k] = None

    def _person_country(self, title: tuple[str, list[int]] | None, appositive: str | None, b: int) -> str | None:
        """A new person's country: the office's country, or an expert's affiliation."""
        if title and title[0] == "office" and title[1]:
            return self.entity(self.mentions[title[1][0]].entity_id).country
        if appositive or (title and title[0] == "expert"):
            return self._affiliation_country(b)
        return None

    def _government_of_country(self, i: int, end: int, places: list[int]) -> bool:
        """Whether tokens i..end-1 are a government word and a country: "Pemerintah Jepang", "Government of Japan"."""
        countries = [p for p in places if self.entity(self.mentions[p].entity_id).kind == "country"]
        if len(countries) != 1:
            return False
        inside = range(self.mentions[countries[0]].start, self.mentions[countries[0]].end)
        rest = [self.t.lower[k] for k in range(i, end) if k not in inside and not self.t.space[k]]
        return bool(rest) and rest[0] in self.cues.government_words and \
            all(w in self.cues.government_words or w in self.cues.connectors for w in rest)

    def _possessor_country(self, i: int) -> str | None:
        """The country a name at token i is said to belong to by a possessive: "Uganda's Ministry of Works"."""
        k = self._word_before(i)
        if k < 1 or self.t.lower[k] not in ("'s", "’s") or self.taken[k - 1] is None:
            return None
        entity = self.entity(self.mentions[self.taken[k - 1]].entity_id)
        return entity.country if entity.kind == "country" else None

    def _add_org(self, i: int, j: int, sector: str | None, places: list[int]) -> None:
        """Record an organisation run, keeping a trailing city as a separate place."""
        end = j
        while places and self.mentions[places[-1]].end == end and \
                self.entity(self.mentions[places[-1]].entity_id).kind == "city" and \
                self.t.lower[self.mentions[places[-1]].start - 1] not in self.cues.connectors:
            # "Universitas Kookmin Seoul": the city where it stands; "University of Gdansk" keeps its city.
            end = self.mentions[places.pop()].start
        if end <= i:
            return
        if end < j and all(w in self.cues.units_named_for_places for w in self.t.lower[i:end] if w.strip()):
            end, places = j, self._place_tokens(i, j)  # "Polres Bogor": a unit named for its town keeps it
        first = self.mentions[places[0]] if places else None
        owner_country = None
        if first is not None and first.start == i and self.entity(first.entity_id).kind == "country" \
                and first.surface in self.kb.demonyms and self._head_within(first.end, end, (0,)) is not None:
            # "Brazilian Association of Port Terminals": an adjective of nationality opens the name itself.
            owner_country = self.entity(first.entity_id).country
            self._absorb(first.start, first.end)
            places = places[1:]
        elif first is not None and first.start == i and self.entity(first.entity_id).kind == "country" \
                and self._head_within(first.end, end, (0, 1)) is not None:
            # "U.S. Federal Bureau of Investigation", "U.S. Department of State": the country says whose it is.
            i, owner_country = first.end, self.entity(first.entity_id).country
            while i < end and self.t.space[i]:
                i += 1
        if self._government_of_country(i, end, places):
            return  # "Pemerintah Jepang menyerahkan ...": Japan acting, as "pemerintah Jepang" is
        owner_country = owner_country or self._possessor_country(i)
        head_only = all(tuple([w]) in self.cues.org_heads or self.taken[k] is not None or
                        any(w in key for key in self.cues.org_heads) for k, w in
                        ((k, self.t.lower[k]) for k in range(i, end)))
        if head_only and self._descriptor(j):
            return
        if head_only and not any(self.taken[k] is not None for k in range(i, end)) and end - i <= 2:
            return
        countries = [self.entity(self.mentions[p].entity_id).country for p in places if self.mentions[p].end <= end]
        trailing_city = [self.entity(self.mentions[p].entity_id).country for p in self._place_tokens(end, j)]
        country = owner_country or (countries or trailing_city or [None])[-1]
        name, acronym = self._surface(i, end - 1), None
        for k in range(i, end - 2):
            if self.t.text[k] == "(" and self.t.text[k + 2] == ")":
                acronym = self.t.text[k + 1]
                # The name without the bracket; the acronym with what follows it is this article's short form.
                name = (self._surface(i, k - 1) + " " + self._surface(k + 3, end - 1)).strip() if k + 3 < end \
                    else self._surface(i, k - 1)
                rest = self._surface(k + 3, end - 1) if k + 3 < end else ""
                entity_id = self._new_entity(name, "ORG", sector, country)
                self.local_aliases[f"{acronym} {rest}".strip()] = entity_id
                self.local_aliases.setdefault(acronym, entity_id)
                break
        self._absorb(i, end)
        entity_id = self._new_entity(name, "ORG", sector, country)
        words = name.split()
        bare = [w for w in words if w.strip(".,") not in self.cues.legal_forms]
        if 1 < len(bare) < len(words):
            self.local_aliases.setdefault(" ".join(bare), entity_id)  # "Cacau Sul Bahia" for "... Ltda"
        inner = [self.mentions[p] for p in places if self.mentions[p].end == end]
        if inner and inner[-1].start > i + 1:
            # "Komite ... Epidemiologi Kazakhstan" is later just "Komite ... Epidemiologi".
            self.local_aliases.setdefault(self._surface(i, inner[-1].start - 1), entity_id)
        short = self._bracketed_short_form(j)
        if short:
            self.local_aliases.setdefault(short, entity_id)  # "... Maritim Malaysia (APMM)", "... Indonesia (BEM SI)"
        self._record(i, end, entity_id, "cue")

    def _bracketed_short_form(self, j: int, longest: int = 3) -> str | None:
        """The short form in brackets right after token j-1, opening with an acronym: "(APMM)", "(BEM SI)"."""
        t = self.t
        if j + 2 >= t.n or t.text[j] != "(" or not t.text[j + 1][:1].isupper():
            return None
        close = next((k for k in range(j + 2, min(t.n, j + longest + 2)) if t.text[k] == ")"), None)
        if close is None or any(not t.text[k][:1].isupper() for k in range(j + 1, close) if not t.space[k]):
            return None
        if close > j + 2 and not t.text[j + 1][:2].isupper():
            return None  # several words in brackets open with an acronym ("BEM SI"), or they are a place
        return self._surface(j + 1, close - 1)

    # ----- pass 3: names the trained recogniser finds -----

    def find_recognised(self) -> None:
        """Spans the trained recogniser proposes and the first two sources left: linked when known, new otherwise."""
        spans = self._recognised_spans()
        self._drop_unrecognised_guesses()
        self._split_cue_runs(spans)
        for i, j, type_ in spans:
            owners = self._place_tokens(i, j)
            if owners and not self._recognised_wins(i, j, type_, owners):
                continue
            country = next((self.entity(self.mentions[o].entity_id).country for o in owners
                            if self.entity(self.mentions[o].entity_id).country), None)
            self._absorb(i, j)
            self._link_recognised(i, j, type_, country)

    def _recognised_spans(self) -> list[tuple[int, int, str]]:
        """The recogniser's spans as (start, end, type), without titles or kinship words before them or punctuation
        after, and without those that name an event or an era."""
        spans = []
        guards = self.profile.mapping("recogniser_guards")
        drop, trim = frozenset(guards.get("drop", [])), frozenset(guards.get("trim", []))
        for span in self.doc.ents:
            type_ = RECOGNISED_TYPES.get(span.label_)
            i, j = span.start, span.end
            if self.t.lower[i] in drop:
                continue  # "Perang Dingin", "Hari Kemenangan"
            while i < j and (i in self.title_tokens or self.t.space[i] or (self.t.lower[i] in trim and i + 1 < j)):
                i += 1  # "Presiden Joko Widodo", "Ayah Kim": the title or kinship word is not part of the name
            while j > i and not self.t.text[j - 1][:1].isalnum() and not self._closes_inside(i, j - 1):
                j -= 1
            while j > i + 1 and j - 1 in self.title_tokens and j < self.t.n and self.is_name_word(j):
                j -= 1  # "Kapolres Bogor AKBP Budi": the rank before the next name is no part of this one
            if type_ is None or i >= j or any(self.heading_token[i:j]) or not self.t.text[i][:1].isupper():
                continue
            inner = "".join(self.t.text[i:j])
            if inner.count("(") != inner.count(")"):
                continue  # "BPBD) Maluku Utara": a span cut across brackets is no name
            words = [self.t.text[k] for k in range(i, j) if self.t.text[k][:1].isalpha()]
            if type_ == "PERSON" and all(w.isupper() and len(w) > 1 for w in words):
                type_ = "ORG"  # "IEU-CEPA", "KPK": capitals alone spell an acronym, never a person's name
            if type_ == "PERSON":
                i, j = self._whole_person_name(i, j)
            spans += self._split_office_holder(i, j, type_)
        return spans

    def _whole_person_name(self, i: int, j: int) -> tuple[int, int]:
        """A person's name the recogniser cut short, widened over the unfamiliar capitalised words beside it:
        "Purbaya Yudhi Sadewa" where it marked only "Sadewa"."""
        everyday = self.profile.common_words
        honorifics = frozenset(self.profile.mapping("recogniser_guards").get("trim", []))

        def joins(k: int) -> bool:
            return 0 <= k < self.t.n and self.t.sentence[k] == self.t.sentence[i] and self.is_name_word(k) \
                and self.taken[k] is None and k not in self.title_tokens and not self._title_token(k) \
                and self.t.lower[k] not in everyday and self.t.lower[k] not in honorifics \
                and not self.t.text[k].isupper() and self.doc[k].ent_iob_ != "I" and self.doc[k].ent_type == 0

        while j - i < MAX_PERSON_WORDS and joins(i - 1):
            i -= 1
        while j - i < MAX_PERSON_WORDS and joins(j):
            j += 1
        return i, j

    def _split_office_holder(self, i: int, j: int, type_: str) -> list[tuple[int, int, str]]:
        """After a title, an organisation with its short form and then a name are the organisation and the holder
        of the office: "Ketua Komisi Pemilihan Umum (KPU) Hasyim Asy'ari", which the recogniser may read as one
        name. A place after the short form stays part of the organisation ("(Kemlu) RI", "(BPBD) Maluku Utara")."""
        if type_ == "PERSON" or not self._previous_is_title(i):
            return [(i, j, type_)]
        closing = next((k for k in range(i + 2, j - 1) if self.t.text[k] == ")"), None)
        if closing is None:
            # "Kepala BNPB Suharyanto": an organisation this article or the knowledge base knows, then a name.
            closing = next((k for k in range(i + 1, j) if self._known_organisation(i, k)), None)
            if closing is None:
                return [(i, j, type_)]
            closing -= 1
        rest = [k for k in range(closing + 1, j) if not self.t.space[k]]
        words = [self.t.text[k] for k in rest]
        if not 1 <= len(words) <= 4 or (len(words) == 1 and self.t.text[closing] == ")") or \
                any(not w[:1].isupper() or w.isupper() for w in words) or \
                any(self.taken[k] is not None and self.entity(self.mentions[self.taken[k]].entity_id).is_place
                    for k in rest):
            return [(i, j, type_)]
        return [(i, closing + 1, type_), (rest[0], j, "PERSON")]

    def _known_organisation(self, i: int, j: int) -> bool:
        """Whether tokens i..j-1 name an organisation this article defined or the knowledge base knows."""
        surface = self._surface(i, j - 1)
        known = self.local_aliases.get(surface)
        if known is not None:
            return self.entity(known).type == "ORG"
        return any(self.kb.entities[x].type == "ORG" for x in self.kb.lookup(surface, self.profile.code))

    def _drop_unrecognised_guesses(self) -> None:
        """A person the cues guessed from everyday words alone ("Menteri Perumahan Rakyat" read as title + name)
        whom the recogniser reads as no name anywhere in the article is no person: its mentions go. Foreign
        names the recogniser misses ("Oleg Kozhemyako") stay."""
        everyday = self.profile.common_words
        if "recognised" not in self.doc.user_data or not everyday:
            return  # no recogniser or no word list for this language: the cues are all the evidence there is
        covered = numpy.zeros(len(self.taken) + 1, dtype=bool)
        for span in self.doc.ents:
            covered[span.start:span.end] = True
        guessed: dict[str, list[Mention]] = {}
        for mention in self.mentions:
            entity = self.new_entities.get(mention.entity_id)
            if entity is not None and entity.type == "PERSON":
                guessed.setdefault(entity.id, []).append(mention)
        for entity_id, mentions in guessed.items():
            if any(m.via != "cue" for m in mentions) or any(covered[m.start:m.end].any() for m in mentions):
                continue
            if any(word.lower() not in everyday for word in self.new_entities[entity_id].name.split()):
                continue
            for mention in mentions:
                self._absorb(mention.start, mention.end)
            for surface in [k for k, v in self.local_aliases.items() if v == entity_id]:
                del self.local_aliases[surface]

    def _closing_bracket_group(self, i: int, j: int) -> int | None:
        """Where a span's closing "(short form)" opens, when the span ends with one after a name: "Bursa Efek
        Indonesia (BEI)"."""
        if j - i < 4 or self.t.text[j - 1] != ")":
            return None
        for k in range(j - 3, max(i, j - 7) - 1, -1):
            if self.t.text[k] == "(":
                return k if k > i and self.t.text[k + 1][:1].isupper() else None
        return None

    def _closes_inside(self, i: int, k: int) -> bool:
        """Whether token k is a bracket closing one opened within tokens i..k: "Bursa Efek Indonesia (BEI)"."""
        return self.t.text[k] == ")" and "(" in self.t.text[i:k]

    def _split_cue_runs(self, spans: list[tuple[int, int, str]]) -> None:
        """A cue's run that the recogniser reads as names of different kinds is those names:
        "Partai Golkar Aburizal Bakrie" is a party and a person."""
        for mention in self.mentions:
            if mention.via != "cue" or not mention.entity_id:
                continue
            inside = [s for s in spans if mention.start <= s[0] and s[1] <= mention.end]
            kinds = {s[2] for s in inside}
            if len(inside) >= 2 and "PERSON" in kinds and len(kinds) >= 2:
                self._absorb(mention.start, mention.end)

    def _recognised_wins(self, i: int, j: int, type_: str, owners: list[int]) -> bool:
        """Whether a recognised name replaces the mentions inside it. It may take in places the gazetteer found
        ("Bank Indonesia"), a small town's name the context makes a person or group ("Vena", "Hamas"), and a name the cues
        took for a person on weak evidence ("PDI Perjuangan, kata ..."); never a known actor or a cue's
        organisation, nor a list of places it read as one ("Moskow dan Pyongyang")."""
        inside = {k for owner in owners for k in range(self.mentions[owner].start, self.mentions[owner].end)}
        rest = [k for k in range(i, j) if k not in inside and not self.t.space[k]]
        joins = [k for k in rest if self.t.lower[k] in self.cues.coordinators]
        if joins and all(k in joins or not self.t.text[k][:1].isalnum() for k in rest):
            return False
        for owner in owners:
            mention = self.mentions[owner]
            entity = self.entity(mention.entity_id)
            same = (mention.start, mention.end) == (i, j)
            if mention.via == "cue" and same and entity.type == "PERSON" and type_ != "PERSON":
                continue
            if mention.via == "cue" and entity.type == type_ == "ORG" and self._cut_short_before(mention, j):
                continue  # "Organisasi Kesehatan" cut before "Dunia": the recogniser read the whole name
            if mention.via == "gazetteer" and same and entity.kind == "city" and type_ in ("PERSON", "ORG") \
                    and max(self.kb.entities[x].population for x in mention.candidates or (entity.id,)) < 500_000 \
                    and not self._after_place_word(i):
                continue  # a large city's name stays the city ("kepada Washington"), whatever the recogniser says
            if mention.via != "gazetteer" or mention.start < i or mention.end > j or mention.end - mention.start >= j - i:
                return False
            if type_ == "PERSON" and entity.kind != "city":
                return False
            if type_ == "ORG" and entity.kind == "country" and (mention.start == i or not self._starts_org(i)):
                return False  # "pemerintah Rusia" is Russia acting; "Bank Indonesia" is an organisation
            if type_ in ("LOC", "GPE", "FAC") and entity.kind == "country":
                return False
        return True

    def _cut_short_before(self, mention: Mention, j: int) -> bool:
        """Whether a cue's name stops short of the capitalised words that end the recogniser's span at j (a closing
        "(short form)" aside)."""
        end = self._closing_bracket_group(mention.start, j) or j
        rest = range(mention.end, end)
        return mention.start < mention.end < end and all(
            self.t.text[k][:1].isupper() and self.taken[k] is None for k in rest)

    def _after_place_word(self, i: int) -> bool:
        """True right after "di", "ke", "dari" (or "in", "to", "from"): what follows is a place, whatever its name."""
        k = self._word_before(i)
        return k >= 0 and self.t.lower[k] in self.cues.place_words

    def _listed_after_place_word(self, i: int) -> bool:
        """True for a later item of a list of places after "di", "ke", "dari" ("dari Luwu dan Bone") or "antara"
        ("antara Surabaya dan George Town")."""
        k = self._word_before(i)
        while k >= 0 and (self.t.lower[k] in self.cues.coordinators or self.t.text[k] == ","):
            previous = self._word_before(k)
            owner = self.taken[previous] if previous >= 0 else None
            if owner is None or not self.mentions[owner].entity_id \
                    or not self.entity(self.mentions[owner].entity_id).is_place:
                return False
            head = self._word_before(self.mentions[owner].start)
            if self._after_place_word(self.mentions[owner].start) or \
                    head >= 0 and self.t.lower[head] in self.cues.between_words:
                return True
            k = head
        return False

    def _town_after_place_word(self, i: int, j: int) -> bool:
        """Record tokens i..j as a town when they follow "di", "ke", "dari" ("in", "to", "from"), or go on a list of
        places after one ("dari Luwu dan Bone"), and name a town of a country the article speaks of: there a name
        that looks like a person's ("in Port Vila said") is the town."""
        if not (self._after_place_word(i) or self._listed_after_place_word(i)):
            return False
        countries = self._article_countries()
        towns = tuple(x for x in self.kb.places_named(self._surface(i, j - 1), self.profile.code)
                      if self.kb.entities[x].country in countries)
        if towns:
            self._record(i, j, self.choose(list(towns)), "gazetteer", candidates=towns)
        return bool(towns)

    def _link_recognised(self, i: int, j: int, type_: str, country: str | None) -> None:
        """Link a recognised span to a name this article or the knowledge base knows, or make it a new entity."""
        opening = self._closing_bracket_group(i, j)
        if opening is not None:
            # "Komisi Pemilihan Umum (KPU)", "TNI Angkatan Laut (TNI AL)": the name, and its short form.
            self._link_recognised(i, opening, type_, country)
            named = self.taken[i]
            if named is not None and self.mentions[named].entity_id:
                entity_id = self.mentions[named].entity_id
                short = self._surface(opening + 1, j - 2)
                earlier = self.local_aliases.get(short)
                if earlier in self.new_entities and earlier != entity_id:
                    for mention in self.mentions:  # the short form's other mentions follow the name it stands for
                        if mention.entity_id == earlier:
                            mention.entity_id = entity_id
                self.local_aliases[short] = entity_id
                self._record(opening + 1, j - 1, entity_id, "alias")
            return
        surface = self._surface(i, j - 1)
        if surface in self.local_aliases and (_same_kind(self.entity(self.local_aliases[surface]).type, type_)
                                              or not self._after_place_word(i)):
            # The article's earlier reading stands, unless "di", "ke" or "dari" make the recognised place plain.
            self._record(i, j, self.local_aliases[surface], "alias")
            return
        ids = self.kb.lookup(surface, self.profile.code)
        places = [x for x in ids if self.kb.entities[x].is_place]
        actors = [x for x in ids if not self.kb.entities[x].is_place and self.kb.entities[x].type == type_]
        if actors:
            self._record(i, j, self.choose(actors), "kb")
            return
        if places and type_ in ("LOC", "GPE", "FAC"):
            self._record(i, j, self.choose(places), "gazetteer", candidates=tuple(places))
            return
        if type_ == "PERSON" and self._town_after_place_word(i, j):
            return
        if type_ == "PERSON":
            i = self._split_leading_acronym(i, j)
            surface = self._surface(i, j - 1)
            if (j - i == 1 and self._resolve_short(i)) or (j - i > 1 and self._resolve_partial(i, j)):
                return
            country = self._person_country(self._title_before(i), self._title_after(j), j)
        elif type_ == "ORG" and j - i == 1 and self._resolve_short(i):
            return
        sector = self._org_sector(i, j) if type_ == "ORG" else None
        entity_id = self._new_entity(surface, type_, sector, country)
        self.local_aliases[surface] = entity_id  # later mentions follow the recogniser's reading, not an earlier guess
        self._record(i, j, entity_id, "model")

    # ----- pass 3: short later mentions -----

    def _resolve_short(self, i: int) -> bool:
        """Link a lone capitalised word to the last entity whose full name contains it ("Lankov", "Kim", "Times")."""
        word = self.t.text[i]
        for mention in self._before_naming(i, (word,)):
            entity = self.entity(mention.entity_id)
            if entity.type not in ("PERSON", "ORG"):
                continue
            names = entity.name.replace("-", " ").split()
            if names == [word] and entity.type == "PERSON":
                self._record(i, i + 1, entity.id, "coref")  # people known by one name: "Suharyanto", "Sugiono"
                return True
            if len(names) < 2:
                continue
            if entity.type == "PERSON" and (word in (names[0], names[-1]) or
                                             (word in names[1:-1] and len(word) > 3 and word[0].isupper())):
                # "Lankov" (last name), "Kim" (Korean family name first), "Faizal" in "Mohd Faizal Abdullah".
                self._record(i, i + 1, entity.id, "coref")
                return True
            if entity.type == "ORG" and word == names[-1] and word not in self.cues.not_places:
                self._record(i, i + 1, entity.id, "coref")
                return True
        return False

    def _resolve_partial(self, a: int, b: int) -> bool:
        """"Ahmad Zulkifli" after "Ahmad Zulkifli Hamzah": the start or end of a person named before."""
        words = self._surface(a, b - 1).split()
        for mention in self._before_naming(a, (words[0], words[-1]) if words else ()):
            entity = self.entity(mention.entity_id)
            names = entity.name.split()
            if entity.type == "PERSON" and len(names) > len(words) and \
                    (names[:len(words)] == words or names[-len(words):] == words):
                self._record(a, b, entity.id, "coref")
                return True
        return False

    def relink_surnames(self) -> None:
        """A one-word place that is also the name of a person named before is that person ("Villanueva said")."""
        person_by_name: dict[str, str] = {}  # first or last name -> the person last named with it, in reading order
        for mention in sorted(self.mentions, key=lambda m: m.start):
            if not mention.entity_id:
                continue
            if mention.end - mention.start == 1 and mention.via == "gazetteer" and mention.surface in person_by_name:
                mention.entity_id, mention.via, mention.candidates = person_by_name[mention.surface], "coref", ()
            entity = self.entity(mention.entity_id)
            names = entity.name.split()
            if entity.type == "PERSON" and len(names) > 1:
                person_by_name[names[0]] = person_by_name[names[-1]] = entity.id

    def _before_naming(self, i: int, words: tuple[str, ...]) -> list[Mention]:
        """Linked mentions of people and organisations whose name holds one of the words and that start before
        token i, the nearest first (ties in the order they were found)."""
        indices = sorted({k for word in words for k in self.by_name_word.get(word, ())})
        found = [self.mentions[k] for k in indices]
        return sorted((m for m in found if m.entity_id and m.start < i), key=lambda m: -m.start)

    def resolve_remaining_short_names(self) -> None:
        """Resolve lone capitalised words not yet linked, in reading order."""
        for i in range(self.t.n):
            if self.taken[i] is None and self.is_name_word(i) and not self.heading_token[i] \
                    and not (i + 1 < self.t.n and self.is_name_word(i + 1)) \
                    and not (i > 0 and self.is_name_word(i - 1) and not self.t.sent_start[i]):
                self._resolve_short(i)

    # ----- datelines and site names -----

    def find_dateline(self) -> None:
        """Link the dateline's place (or the publisher's desk name) at the start of the body."""
        if not self.dateline:
            return
        start, end = self.dateline
        raw = self.text[start:end].strip()
        tokens = [k for k in range(self.t.n) if start <= self.t.idx[k] < end and not self.t.space[k]]
        if not tokens:
            return
        ids = self.kb.lookup(raw, self.profile.code)
        actors = [x for x in ids if not self.kb.entities[x].is_place]
        if actors:
            self._record(tokens[0], tokens[-1] + 1, actors[0], "dateline")
            return
        candidates = self.kb.lookup(raw.title(), self.profile.code) or self.kb.lookup(raw, self.profile.code)
        if candidates:
            self._record(tokens[0], tokens[-1] + 1, self.choose(list(candidates)), "dateline",
                         candidates=candidates)

    def find_site_names(self) -> None:
        """News sites named by their address ("PikiranRakyat-Depok.com") are organisations."""
        pattern = self.profile.data.get("site_name")
        if not pattern:
            return
        for match in re.finditer(pattern, self.text):
            span = self.doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is None or any(self.taken[k] is not None for k in range(span.start, span.end)):
                continue
            if any(self.heading_token[k] for k in range(span.start, span.end)):
                continue
            ids = [x for x in self.kb.lookup(match.group(0), self.profile.code) if not self.kb.entities[x].is_place]
            entity_id = ids[0] if ids else self._new_entity(match.group(0), "ORG", "JRN", None)
            self._record(span.start, span.end, entity_id, "site", (match.start(), match.end()))

    # ----- pass 4: small places nothing else read -----

    def _article_countries(self) -> set[str]:
        """Countries the article names so far, with its language's home countries."""
        return countries_named(self.mentions, self.entity, self.profile)

    def _after_place_of(self, i: int) -> bool:
        """True after "coast of", "outskirts of", "north of": what follows is a place."""
        k = self._word_before(i)
        before = self._word_before(k) if k >= 0 else -1
        return before >= 0 and self.t.lower[k] in self.cues.place_of \
            and self.t.lower[before] in self.cues.place_of_nouns

    def find_places_before_titles(self) -> None:
        """A region or town the gazetteer lists only under a minor name, right before a title ("Amambay Governor
        Rodrigo Núñez", "Tamil Nadu Chief Minister ..."): the office's place, in a country the article names."""
        countries = self._article_countries()
        for start, _ in sorted(self.titles_at.values()):
            i = start
            while i > 0 and start - i < 3 and self.taken[i - 1] is None and self.is_name_word(i - 1) \
                    and self.t.sentence[i - 1] == self.t.sentence[start] and i - 1 not in self.title_tokens:
                i -= 1
            for a in range(i, start):  # the longest name first
                name = self._surface(a, start - 1)
                places = self.kb.places_in(name, self.profile.code, countries)
                listed = self.kb.lookup(name, self.profile.code)
                known = [x for x in places if x in listed]
                if known:  # a name the gazetteer lists ("Ternate Governor"): that place itself
                    self._record(a, start, self.choose(known), "gazetteer", candidates=tuple(known))
                    break
                if places:  # a minor name or another spelling: placed later by _locate_by_name, named as written
                    country = self.kb.entities[places[0]].country
                    self._record(a, start, self._new_entity(name, "GPE", None, country), "cue")
                    break

    def find_minor_places(self) -> None:
        """A capitalised name nothing else read, right after "di", "ke", "dari" ("in", "to", "from", "coast of"),
        that names a small town or a region in a country the article speaks of ("from Belém to Port Klang",
        "off the coast of Hokkaido"): the gazetteer leaves such names out of running text, as many are words."""
        countries = self._article_countries()
        i = 0
        while i < self.t.n:
            if self.taken[i] is not None or not self.is_name_word(i) or not (
                    self._after_place_word(i) or self._after_place_of(i)):
                i += 1
                continue
            j = i
            while j < self.t.n and self.t.sentence[j] == self.t.sentence[i] and self.taken[j] is None and (
                    self.is_name_word(j) or (self.t.text[j] in "-‐" and j + 1 < self.t.n and self.is_name_word(j + 1))):
                j += 1
            for end in range(j, i, -1):
                ids = tuple(x for x in self.kb.places_named(self._surface(i, end - 1), self.profile.code)
                            if self.kb.entities[x].country in countries)
                if ids:
                    self._record(i, end, self.choose(list(ids)), "gazetteer", candidates=ids)
                    break
            i = max(j, i + 1)

    def run(self) -> list[Mention]:
        """All passes, in order; returns mentions sorted by position."""
        self.find_dateline()
        self.find_site_names()
        self.find_known()
        self.find_embassies()
        if self.profile.full:
            self.find_unknown()
            self.find_recognised()
            self.resolve_remaining_short_names()
            self.relink_surnames()
            self.find_places_before_titles()
            self.find_minor_places()
        elif self.profile.words("titles_after"):
            self.link_surnames_before_titles()
            self.find_known_before_brackets()
            self.find_city_regions()
            self.find_city_facilities()
            self.find_places_by_sound()
            self.find_suffixed_organisations()
            self.find_bodies_of_named_states()
            self.find_people_before_titles()
            self.link_surnames_before_titles()  # again: "박 부상" after a person these cues found ("박경일 ... 부상이")
        else:
            self.find_adjectival_regions()
            self.find_quoted_organisations()
            self.find_headed_organisations()
            self.find_regional_branches()
            self.find_titled_people()
            self.link_inflected_people()
            self.find_romanised_places()
        return sorted((m for m in self.mentions if m.entity_id), key=lambda m: m.char_start)

    def find_quoted_organisations(self) -> None:
        """"профсоюз «Рабочее единство»", "АО «Уральский завод гидромашин»": a name in quotes right after a word
        for a kind of body (listed as word beginnings under quoted_org_heads) is an organisation; the same name in
        quotes later, in any case, is the same one."""
        heads = tuple(str(w) for w in self.profile.words("quoted_org_heads"))
        if not heads:
            return
        endings, shortest = inflection_of(self.profile.code)
        named: dict[str, str] = {}
        k = 0
        while k < self.t.n:
            if self.t.text[k] not in "«„\"" or k + 1 >= self.t.n:
                k += 1
                continue
            close = next((j for j in range(k + 1, min(self.t.n, k + 9)) if self.t.text[j] in "»“\""), None)
            inner = [j for j in range(k + 1, close or k + 1) if not self.t.space[j]]
            if close is None or not inner or not self.t.text[inner[0]][:1].isupper() or any(
                    self.taken[j] is not None and not self.entity(self.mentions[self.taken[j]].entity_id).is_place
                    for j in inner):
                k += 1
                continue
            key = " ".join(word_stem(self.t.text[j], endings, shortest) for j in inner)
            before = self._word_before(k)
            entity_id = named.get(key)
            if entity_id is None and before >= 0 and self.t.lower[before].startswith(heads):
                entity_id = self._new_entity(self._surface(inner[0], inner[-1]), "ORG", None, None)
                named[key] = entity_id
            if entity_id is not None:
                self._absorb(inner[0], inner[-1] + 1)  # "«Уральский завод ...»" is no town Уральск
                self._record(inner[0], inner[-1] + 1, entity_id, "cue")
            k = close + 1

    def find_headed_organisations(self) -> None:
        """"Министерство промышленности и торговли России", "Следственного комитета": an unlinked body named by a
        word for its kind (headed_orgs in the language's profile), with its adjectives, the genitive words after it
        and the place it serves; the same body in another case is the same one."""
        data = self.profile.mapping("headed_orgs")
        heads = tuple(str(w) for w in data.get("heads", ()))
        if not heads:
            return
        endings, shortest = inflection_of(self.profile.code)
        adjective = tuple(str(w) for w in data.get("adjective_endings", ()))
        run_on = tuple(str(w) for w in data.get("run_on_endings", ()))
        run_on_words = frozenset(str(w) for w in data.get("run_on_words", ()))
        plural = tuple(str(w) for w in data.get("plural_genitive_endings", ())) or ("\0",)
        noun_endings = tuple(str(w) for w in data.get("noun_endings", ())) or ("\0",)
        verb = re.compile(self.profile.data["verb_pattern"]) if self.profile.data.get("verb_pattern") else None
        named: dict[tuple[str, ...], str] = {}

        def is_head(k: int) -> bool:
            """A word for a kind of body followed only by a case ending."""
            word = self.t.lower[k]
            stem = next((h for h in heads if word.startswith(h)), None)
            return stem is not None and (word == stem or word[len(stem):] in endings)

        def runs_on(k: int) -> bool:
            """A lower-case genitive word that continues a body's name, not a verb; or a capitalised adjective
            of a name within the name ("Генерального штаба Вооруженных сил России")."""
            word = self.t.text[k]
            if self.t.lower[k] in run_on_words:
                return True
            if word[:1].isupper() and self.t.lower[k].endswith(plural) and k + 1 < self.t.n and \
                    self.taken[k + 1] is None and self.t.text[k + 1].islower() and self.t.text[k + 1].isalpha():
                return True
            if k > 0 and self.t.lower[k - 1].endswith(plural) and word.isalpha() and word.islower() and \
                    not (verb and verb.match(word)):
                return True  # "железных дорог", "Вооруженных сил": a plural genitive's noun may end in nothing
            # "торговли" is a noun, "заявили" a verb: a past plural has a vowel before its "-ли"
            return word.isalpha() and word.islower() and word.endswith(run_on) and not (
                verb and verb.match(word) and not re.search("[^аеёиоуыэюя]ли$", word))

        for k in range(self.t.n):
            if self.taken[k] is not None or not is_head(k):
                continue
            start = k
            while start > 0 and k - start < 3 and self.taken[start - 1] is None and \
                    self.t.text[start - 1].isalpha() and self.t.lower[start - 1].endswith(adjective) and \
                    not self.t.lower[start - 1].endswith(noun_endings):
                start -= 1
            while start < k and not self.t.text[start][:1].isupper():
                start += 1  # "новое Министерство": only capitalised adjectives belong to the name
            if not self.t.text[start][:1].isupper():
                continue
            end = k + 1
            while end < self.t.n and end - k <= 5 and self.taken[end] is None and runs_on(end) and \
                    not (self.t.lower[end] in run_on_words and self.t.lower[end] != "дел" and
                         not (end + 1 < self.t.n and (runs_on(end + 1) or self.taken[end + 1] is not None))):
                end += 1
            while end > k + 1 and self.t.lower[end - 1] in ("по", "и"):
                end -= 1
            own = end
            place = self._place_starting_at(end)
            if place is not None:
                end = place.end
            if end - start < 2 or (end < self.t.n and self.t.text[end] in "«„\""):
                continue  # "профсоюз «Рабочее единство»": the name in quotes is the body's own
            key = tuple(word_stem(self.t.lower[j], endings, shortest) for j in range(start, own))
            entity_id = next((e for known, e in named.items()
                              if known[:len(key)] == key or key[:len(known)] == known), None)
            if entity_id is None:
                country = self.entity(place.entity_id).country if place is not None else None
                entity_id = self._new_entity(self._surface(start, end - 1), "ORG", None, country)
                named[key] = entity_id
            self._absorb(start, end)
            self._record(start, end, entity_id, "cue")

    def find_titled_people(self) -> None:
        """In a language read by linking alone, two or three capitalised words right after an office title are a
        person, past the country or body the title names ("министр обороны США Ллойд Остин")."""
        verb = re.compile(self.profile.data["verb_pattern"]) if self.profile.data.get("verb_pattern") else None

        def body_word(x: int) -> bool:
            """A lower-case word of the body the title names, not a verb."""
            return x < self.t.n and self.t.text[x].isalpha() and self.t.text[x].islower() \
                and not (verb and verb.match(self.t.lower[x]))

        for end in sorted(self.titles_at):
            k, skipped = end + 1, 0
            while k < self.t.n and (self.t.space[k] or (self.taken[k] is not None and
                                                        self.entity(self.mentions[self.taken[k]].entity_id).type
                                                        != "PERSON") or (skipped < 3 and body_word(k)) or (
                    skipped < 3 and self.t.text[k][:1].isupper() and body_word(k + 1)) or (
                    skipped < 3 and self.t.text[k] in "«»\"„“") or self._acronym_of_office(k)):
                skipped += self.t.text[k].islower()
                k += 1  # "Губернатор Оренбургской области Денис Паслер": past the body the title names
            j, words = k, 0
            while j < self.t.n and words < 3 and self.taken[j] is None and not self.t.sent_start[j]:
                if self.t.text[j] in "-‐" and j > k and j + 1 < self.t.n and self.t.text[j + 1][:1].isupper():
                    j += 1  # "Касым-Жомарт Токаев": a hyphen joins two given names
                    continue
                if not (self.t.text[j][:1].isupper() and self.t.text[j].replace("-", "").isalpha()):
                    break
                j += 1
                words += 1
            if words >= 2:
                name = self._surface(k, j - 1)
                self._record(k, j, self._new_entity(name, "PERSON", None, None), "cue")

    def find_regional_branches(self) -> None:
        """"ГУ МВД по Челябинской области", "УФСБ по Москве": unlinked acronyms, "по" and a place name a body's
        branch for that place; the same acronyms alone later ("В ГУ МВД заявили") are the same branch."""
        branch_word = self.profile.data.get("branch_preposition")
        if not branch_word:
            return
        named: dict[tuple[str, ...], str] = {}
        k = 0
        while k < self.t.n:
            end = k
            while end < self.t.n and end - k < 3 and self.taken[end] is None and self._acronym(end):
                end += 1
            if end == k:
                k += 1
                continue
            letters = tuple(self.t.text[k:end])
            place = self._place_starting_at(end + 1)
            if self.t.lower[end] == branch_word and place is not None:
                if letters not in named:
                    named[letters] = self._new_entity(self._surface(k, place.end - 1), "ORG", None,
                                                      self.entity(place.entity_id).country)
                self._absorb(k, place.end)
                self._record(k, place.end, named[letters], "cue")
                k = place.end
                continue
            if letters in named:
                self._record(k, end, named[letters], "coref")
            k = end

    def _state_named_before(self, k: int) -> Mention | None:
        """The country named right before token k, by name, adjective or possessive ("Russian", "Russia's")."""
        j = self._word_before(k)
        if j >= 0 and self.t.lower[j] in ("'s", "’s"):
            j = self._word_before(j)
        held = self.mentions[self.taken[j]] if j >= 0 and self.taken[j] is not None else None
        return held if held is not None and held.end == j + 1 and self.entity(held.entity_id).kind == "country" \
            else None

    def _embassy(self, sender: str | None, host: str | None) -> str | None:
        """The one entity for a state's embassy in another ("Embassy of Russia in South Korea"), in any language."""
        sending = self.kb.country(sender)
        if sending is None or host == sender:
            return None
        posted = [x for x in self.new_entities if x.startswith(f"new:org:embassy-{sender.lower()}-")]
        if host is None and len(posted) == 1:
            return posted[0]  # "러시아 대사관은" after "주한 러시아대사관": the embassy the article already placed
        hosting = self.kb.country(host)
        name = f"Embassy of {sending.name}" + (f" in {hosting.name}" if hosting is not None else "")
        entity_id = f"new:org:embassy-{sender.lower()}" + (f"-{host.lower()}" if hosting is not None else "")
        if entity_id not in self.new_entities:
            self.new_entities[entity_id] = Entity(id=entity_id, name=name, type="ORG", kind="org", country=sender,
                                                  sector="GOV", kb=False)
        return entity_id

    def find_embassies(self) -> None:
        """"Посольство России в Сеуле", "주한 러시아대사관은": a state's embassy, named by a word for an embassy with
        the sending state and the town or state it is in (listed under embassy in the language's profile)."""
        data = self.profile.mapping("embassy")
        if data.get("heads"):
            self._embassies_by_head(data)
        if data.get("suffix"):
            self._embassies_by_suffix(data)

    def _embassies_by_head(self, data: dict) -> None:
        """"Посольство России в Сеуле", "the Russian Embassy in Seoul": a head word with the state after or before it."""
        heads = [tuple(str(h).lower().split()) for h in data.get("heads", ())]
        linking = frozenset(str(w) for w in data.get("state_after_words", ()))
        for k in range(self.t.n):
            size = next((len(h) for h in heads if k + len(h) <= self.t.n and all(
                self.taken[k + n] is None and self.t.lower[k + n].startswith(w) for n, w in enumerate(h))), 0)
            if not size:
                continue
            sender = self._state_named_before(k) if data.get("state_before") else None
            if sender is not None:
                end = k + size  # "the Russian Embassy", "Russia's embassy": the state stays named before the head
            else:
                j = k + size + (k + size < self.t.n and self.t.lower[k + size] in linking)  # "embassy of Russia"
                sender = self._place_starting_at(j)
                if sender is None or self.entity(sender.entity_id).kind != "country":
                    continue
                end = sender.end
            host = None
            if end + 1 < self.t.n and self.t.lower[end] in self.cues.place_words:
                place = self._place_starting_at(end + 1)
                host = self.entity(place.entity_id).country if place is not None else None
            entity_id = self._embassy(self.entity(sender.entity_id).country, host)
            if entity_id is not None:
                # the embassy's name takes its state's after it; the town it is in stays a place of its own
                self._absorb(k, end)
                self._record(k, end, entity_id, "cue")

    def _embassies_by_suffix(self, data: dict) -> None:
        """"주한 러시아대사관은", "러시아 대사관은": the state's name and the suffix, after a word saying where."""
        hosts = {str(k): str(v) for k, v in (data.get("host_prefixes") or {}).items()}
        suffix = str(data["suffix"])
        for k, base in self._unlinked_word_bases():
            if not base.endswith(suffix):
                continue
            start = k
            senders = [x for x in self.kb.lookup(base[:-len(suffix)], self.profile.code)
                       if self.kb.entities[x].kind == "country"]
            if not senders and base == suffix:  # "러시아 대사관은": the state in the word before
                held = self._state_named_before(k)
                if held is not None:
                    senders, start = [held.entity_id], held.start
            if not senders:
                continue
            before = self._word_before(start)
            host = hosts.get(self.t.text[before]) if before >= 0 and self.taken[before] is None else None
            if host is not None:
                start = before  # "주한 러시아대사관": Russia's embassy in Korea
            entity_id = self._embassy(self.kb.entities[senders[0]].country, host)
            if entity_id is not None:
                self._absorb(start, k + 1)
                self._record(start, k + 1, entity_id, "cue", char_span=(self.t.idx[start], self.t.idx[k] + len(base)))

    def _place_starting_at(self, k: int) -> Mention | None:
        """The place mention that begins at token k, if one does: the place a body's name ends with."""
        held = self.mentions[self.taken[k]] if k < self.t.n and self.taken[k] is not None else None
        return held if held is not None and held.start == k and self.entity(held.entity_id).is_place else None

    def _acronym(self, k: int) -> bool:
        """A word of two to six capital letters: "МВД", "ГКНБ"."""
        word = self.t.text[k]
        return 2 <= len(word) <= 6 and word.isalpha() and word.isupper() and not self.t.space[k]

    def _acronym_of_office(self, k: int) -> bool:
        """"глава МЧС", "председателем ГКНБ Таджикистана": an unlinked acronym right after an office title is the
        body it names; recorded as an organisation, with the place it serves."""
        if self.taken[k] is not None or not self._acronym(k) or self._word_before(k) not in self.titles_at:
            return False
        end = k + 1
        place = self._place_starting_at(end)
        if place is not None:
            end = place.end
        country = self.entity(place.entity_id).country if place is not None else None
        surface = self._surface(k, end - 1)
        entity_id = self.local_aliases.get(surface) or self._new_entity(surface, "ORG", None, country)
        self._absorb(k, end)
        self._record(k, end, entity_id, "cue")
        return True

    def find_adjectival_regions(self) -> None:
        """"Оренбургской области", "Челябинская область": a region named by the adjective of its capital city and a
        word for the kind of region, in any case; linked to the gazetteer's region of that name in the city's
        country."""
        data = self.profile.mapping("adjectival_regions")
        kinds, endings = data.get("kinds", {}), tuple(data.get("endings", ()))
        if not kinds or not endings:
            return
        for k in range(self.t.n - 1):
            word, nxt = self.t.text[k], self.t.lower[k + 1]
            kind = next((label for stem, label in kinds.items() if nxt.startswith(stem)), None)
            if kind is None or self.taken[k + 1] is not None or not word[:1].isupper():
                continue
            held = self.mentions[self.taken[k]] if self.taken[k] is not None else None
            if held is not None and (held.end != k + 1 or self.entity(held.entity_id).kind != "city"):
                continue  # only the city the adjective was read as gives way ("Челябинской" is not Chelyabinsk)
            region = self._region_of_city_adjective(word, endings, kind)
            if region is None:
                continue
            if held is not None:
                held.entity_id = ""  # dropped from the results, which keep linked mentions only
            self._record(k, k + 2, region, "gazetteer")
        for mention in list(self.mentions):
            kind = next((label for stem, label in kinds.items()
                         if mention.entity_id and mention.end - mention.start == 2
                         and self.t.lower[mention.end - 1].startswith(stem)), None)
            if kind is not None and self.entity(mention.entity_id).is_place:
                self._coordinated_adjectival_region(mention.start, endings, kind)

    def _coordinated_adjectival_region(self, k: int, endings: tuple[str, ...], kind: str) -> None:
        """"Белгородской и Курской областях": the adjective listed before the one that has the region's word
        shares that word."""
        joiner = self._word_before(k)
        first = self._word_before(joiner) if joiner >= 0 else -1
        if first < 0 or not (self.t.lower[joiner] in self.profile.words("coordinators") or self.t.text[joiner] == ",") \
                or not self.t.text[first][:1].isupper() or not self.t.text[first].endswith(endings):
            return
        held = self.mentions[self.taken[first]] if self.taken[first] is not None else None
        if held is not None and (held.end != first + 1 or self.entity(held.entity_id).kind != "city"):
            return
        region = self._region_of_city_adjective(self.t.text[first], endings, kind)
        if region is not None:
            if held is not None:
                held.entity_id = ""
            self._record(first, first + 1, region, "gazetteer")

    def find_romanised_places(self) -> None:
        """"в Ворухе", "села Кок-Таш": a capitalised name nothing else read, after a place preposition or a word for
        a settlement, that the gazetteer knows by its romanised spelling in a country the article speaks of."""
        if not self.profile.mapping("romanisation"):
            return
        settlements = frozenset(self.profile.words("settlement_words"))
        countries = self._article_countries()
        i = 0
        while i < self.t.n:
            before = self._word_before(i)
            if self.taken[i] is not None or not self.is_name_word(i) or self.t.sent_start[i] or before < 0 or not (
                    self.t.lower[before] in self.cues.place_words or self.t.lower[before] in settlements):
                i += 1
                continue
            end = i + 1
            if end + 1 < self.t.n and self.t.text[end] in "-‐" and self.is_name_word(end + 1):
                end += 2  # "Кок-Таш"
            ids = tuple(x for name in self._place_spellings(self._surface(i, end - 1))
                        for x in self.kb.places_named(name, "en") if self.kb.entities[x].country in countries)
            if ids:
                self._record(i, end, self.choose(list(dict.fromkeys(ids))), "gazetteer", candidates=ids)
            i = end

    def _place_spellings(self, surface: str) -> list[str]:
        """Romanised spellings a place name in the text may stand for: as written, and its case ending undone."""
        table = {str(k): str(v) for k, v in self.profile.mapping("romanisation").items()}
        case_endings = tuple(str(e) for e in self.profile.words("place_case_endings"))
        name_endings = [str(e) for e in self.profile.words("place_name_endings")] or [""]
        forms = [surface] + [surface[: -len(e)] + n for e in case_endings if surface.endswith(e)
                             and len(surface) - len(e) >= 3 for n in name_endings]
        spelled = []
        for form in dict.fromkeys(forms):
            latin = "".join(table.get(c.lower(), c) if c.islower() else table.get(c.lower(), c).capitalize()
                            for c in form)
            spelled.append(latin)
        return spelled

    def _region_of_city_adjective(self, word: str, endings: tuple[str, ...], kind: str) -> str | None:
        """The region an adjective of a city names: "Челябинской" -> Челябинск -> the Chelyabinsk region."""
        ending = next((e for e in endings if word.endswith(e)), None)
        if ending is None:
            return None
        stem = word[: -len(ending)]
        for city_name in (stem, stem + "ск"):  # "Оренбург-ской", "Челябин-ской" (Челябинск)
            cities = [x for x in self.kb.lookup(city_name, self.profile.code) if self.kb.entities[x].kind == "city"] \
                or [x for x in self.kb.lookup(self._place_spellings(city_name)[0], "en")
                    if self.kb.entities[x].kind == "city"]  # "Баткенской": Batken, known by its Latin name
            if not cities:
                continue
            region_id = self._region_named_after(cities[0], kind)
            if region_id is not None:
                return region_id
        # "Сахалинской области", "Белгородской": a region named for no city of its name, known by its Latin name
        regions = {x for x in self.kb.minor_names.get(folded(self._place_spellings(stem)[0]), ())
                   if self.kb.entities[x].kind == "region"}
        return regions.pop() if len(regions) == 1 else None

    def _region_named_after(self, city_id: str, kind: str) -> str | None:
        """The gazetteer's region that bears a city's name: "Khabarovsk Krai", "Kursk" (an oblast)."""
        city = self.kb.entities[city_id]
        for name in (f"{city.name} {kind}", city.name):
            region_id = f"region:{city.country}:{slug(name)}"
            if region_id in self.kb.entities:
                return region_id
        named = [x for x in self.kb.lookup(f"{city.name} {kind}", "en") if self.kb.entities[x].type in ("GPE", "LOC")]
        # "Актюбинская область": the gazetteer spells the region Aqtoebe, its city Aktobe
        named = named or [x for x in self.kb.places_spelled_like(city.name)
                          if self.kb.entities[x].kind == "region" and self.kb.entities[x].country == city.country]
        return named[0] if named else None

    def _unlinked_word_bases(self) -> Iterator[tuple[int, str]]:
        """Unlinked words of letters, each without the particle it ends in: (token, "하바롭스크주")."""
        for k in range(self.t.n):
            word = self.t.text[k]
            if self.taken[k] is None and not self.t.space[k] and word.isalpha():
                yield k, next((word[:-len(p)] for p in KOREAN_PARTICLES if word.endswith(p) and len(word) > len(p)),
                              word)

    def _towns_with_suffix(self, suffixes: list[str]) -> Iterator[tuple[int, str, list[str]]]:
        """Unlinked words made of a town's name and one of these suffixes ("하바롭스크주", "부산항"): the token, the
        word without its particle, and the gazetteer's towns of that name."""
        for k, base in self._unlinked_word_bases() if suffixes else ():
            suffix = next((x for x in suffixes if base.endswith(x) and len(base) > len(x) + 1), None)
            towns = [x for x in self.kb.lookup(base[:-len(suffix)], self.profile.code)
                     if self.kb.entities[x].kind == "city" and self.kb.entities[x].lat is not None] if suffix else []
            if towns:
                yield k, base, towns

    def find_city_facilities(self) -> None:
        """"부산항에", "하바롭스크역": in a language that writes a port or a station as its town's name and a suffix,
        an unlinked word made so is a facility standing where that town stands."""
        suffixes = sorted(map(str, self.profile.words("facility_suffixes")), key=len, reverse=True)
        for k, base, towns in self._towns_with_suffix(suffixes):
            entity_id = self._facility_at(base, self.kb.entities[self.choose(towns)])
            self._record(k, k + 1, entity_id, "gazetteer", char_span=(self.t.idx[k], self.t.idx[k] + len(base)))

    def _facility_at(self, name: str, town: Entity) -> str:
        """A port or a station named for its town ("부산항"), standing where the town stands."""
        entity_id = self._new_entity(name, "FAC", None, town.country)
        self.new_entities[entity_id] = replace(self.new_entities[entity_id], kind="facility", lat=town.lat,
                                               lon=town.lon)
        return entity_id

    def find_places_by_sound(self) -> None:
        """"바니노에서", "리아우주", "두마이항": an unlinked word in Hangul that sounds like a town or region of a
        country the article names, before a place's suffix or a particle of place, is that place (a port or a
        station when a facility's suffix follows); its other mentions in the article follow it."""
        if not self.profile.data.get("places_by_sound"):
            return
        countries = self._article_countries()
        facilities = tuple(sorted(map(str, self.profile.words("facility_suffixes")), key=len, reverse=True))
        suffixes = tuple(sorted(map(str, self.profile.words("place_suffixes")), key=len, reverse=True))
        particles = tuple(map(str, self.profile.words("place_particles")))
        found: dict[str, str] = {}
        for k, base in list(self._unlinked_word_bases()):
            suffix = next((x for x in facilities + suffixes if base.endswith(x) and len(base) > len(x) + 1), "")
            core = base[: len(base) - len(suffix)]
            if core not in found and (suffix or self.t.text[k][len(base):].startswith(particles)):
                places = [x for x in self.kb.places_sounding_like(core) if self.kb.entities[x].country in countries]
                if not suffix and len(core) < 3:
                    # two syllables and a particle are also everyday words ("수준에": to a level, not Suzun)
                    places = [x for x in places if self.kb.entities[x].kind == "region"
                              or self.kb.entities[x].population >= SOUND_ONLY_MIN_POPULATION]
                if places:
                    found[core] = self.choose(places)
            if core not in found:
                continue
            town = self.kb.entities[found[core]]
            entity_id = self._facility_at(base, town) if suffix in facilities else town.id
            self._record(k, k + 1, entity_id, "gazetteer", char_span=(self.t.idx[k], self.t.idx[k] + len(base)))

    def find_known_before_brackets(self) -> None:
        """"러시아철도공사(RZD)는", "국가안전보장회의(NSC)": a known name with its acronym in brackets glued to it
        (the tokenizer keeps such a word whole), alone or after the word that opens the name ("러시아 철도공사(RZD)")."""
        for k in range(self.t.n):
            word = self.t.text[k]
            if self.taken[k] is not None or "(" not in word[1:]:
                continue
            head = word[:word.index("(")]
            before = self._word_before(k)
            spans = [(k, head)]
            if before >= 0:
                spans.insert(0, (before, f"{self.t.text[before]} {head}"))
            for start, name in spans:
                ids = [x for x in self.kb.lookup(name, self.profile.code) if not self.kb.entities[x].is_place]
                if ids and len(head) >= 2:
                    if start < k and self.taken[start] is not None:
                        self._absorb(start, start + 1)  # "러시아" read alone is part of the longer name
                    self._record(start, k + 1, self.choose(ids), "kb",
                                 char_span=(self.t.idx[start], self.t.idx[k] + len(head)))
                    break

    def find_city_regions(self) -> None:
        """"하바롭스크주에", "쿠르스크주": in a language that writes a region as its city's name and a suffix, an
        unlinked word made so is the gazetteer's region of that city."""
        data = self.profile.mapping("city_regions")
        suffixes, kinds = [str(s) for s in data.get("suffixes", ())], [str(k) for k in data.get("kinds", ())]
        for k, base, cities in self._towns_with_suffix(suffixes):
            region_id = next((r for c in cities[:1] for kind in kinds if (r := self._region_named_after(c, kind))), None)
            if region_id is not None:
                self._record(k, k + 1, region_id, "gazetteer", char_span=(self.t.idx[k], self.t.idx[k] + len(base)))

    def link_inflected_people(self) -> None:
        """People the article introduced, named again in another case: "Денис Паслер" ... "с Паслером", "Дениса
        Паслера" (the whole name, or the surname alone)."""
        if not self.inflects:
            return
        endings, shortest = inflection_of(self.profile.code)
        people = [(tuple(word_stem(w, endings, shortest) for w in e.name.split()), e.id)
                  for e in self.new_entities.values() if e.type == "PERSON" and len(e.name.split()) >= 2]
        if not people:
            return
        stems = [word_stem(w, endings, shortest) if w[:1].isupper() else "" for w in self.t.text]
        for i in range(self.t.n):
            if self.taken[i] is not None or not stems[i]:
                continue
            for names, entity_id in people:
                whole = i + len(names) <= self.t.n and all(self.taken[i + n] is None and stems[i + n] == names[n]
                                                          for n in range(len(names)))
                if whole:
                    self._record(i, i + len(names), entity_id, "coref")
                    break
                if stems[i] == names[-1] and len(names[-1]) >= 4 and not (i + 1 < self.t.n and stems[i + 1]):
                    self._record(i, i + 1, entity_id, "coref")
                    break

    def find_people_before_titles(self) -> None:
        """"장호진 국가안보실장은", "바실리 네벤자 주유엔 러시아대사는": in a language that writes titles after names,
        one or two unlinked words of two to four letters right before a word holding a title (past a place or
        body it names) are a person."""
        titles = tuple(self.profile.words("titles_after"))
        collective = tuple(self.profile.words("collective_titles"))
        everyday = frozenset(self.profile.words("not_name_words"))
        clause_endings = tuple(self.profile.words("clause_word_endings"))

        def personal_title(word: str) -> bool:
            """A word ending in a person's title and its particle: "대표는", "국가안보실장은", not "대표단은", "정부가"."""
            return any(t in word and word[word.rindex(t) + len(t):] in KOREAN_PARTICLES + ("",)
                       for t in titles if t not in collective)

        body_endings = tuple(map(str, self.profile.words("office_body_endings")))

        def body_word(j: int) -> bool:
            """An unlinked word naming a body, between a person's name and their title: "육해운성", "환경부"."""
            word = self.t.text[j]
            return bool(body_endings) and self.taken[j] is None and len(word) >= 3 and word.replace("·", "").isalpha() \
                and word.endswith(body_endings) and word not in collective and not personal_title(word)

        def glued_title(j: int) -> bool:
            """A body's name with its head's title glued on: "정찰총국장은" after the mention of 정찰총국."""
            mention = self.mentions[self.taken[j]]
            rest = self.t.text[j][mention.char_end - self.t.idx[j]:] if mention.char_end < self.t.end[j] else ""
            return bool(rest) and (personal_title(rest) or any(
                rest == head + particle for head in self.head_suffixes for particle in KOREAN_PARTICLES + ("",)))

        for k in range(self.t.n):
            word = self.t.text[k]
            if self.taken[k] is not None or self.t.space[k] or not (2 <= len(word) <= 4) or not word.isalpha() \
                    or word in everyday or word.endswith(("에서", "에게", "으로")) \
                    or clause_endings and word.endswith(clause_endings):
                continue
            j = k + 1
            while j < self.t.n and self.t.space[j]:
                j += 1
            end = k + 1
            while end - k < 5 and j < self.t.n and self.taken[j] is None and 2 <= len(self.t.text[j]) <= 4 \
                    and self.t.text[j].isalpha() and self.t.text[j] not in everyday \
                    and not any(t in self.t.text[j] for t in titles) and not body_word(j) \
                    and not (clause_endings and self.t.text[j].endswith(clause_endings)):
                end, j = j + 1, j + 1  # a given name and a family name: "바실리 네벤자", "하니프 파이솔 누로픽"
                while j < self.t.n and self.t.space[j]:
                    j += 1
            bodies = []
            while j < self.t.n and (self.t.space[j] or (self.taken[j] is not None and
                                                        self.entity(self.mentions[self.taken[j]].entity_id).type
                                                        != "PERSON" and not glued_title(j)) or body_word(j)):
                if self.taken[j] is None and not self.t.space[j]:
                    bodies.append(j)
                j += 1
            titled = j < self.t.n and (personal_title(self.t.text[j]) if self.taken[j] is None else
                                       self.entity(self.mentions[self.taken[j]].entity_id).type != "PERSON"
                                       and glued_title(j))
            if titled and not any(t in word for t in titles):
                self._record(k, end, self._new_entity(self._surface(k, end - 1), "PERSON", None, None), "cue")
                for b in bodies:
                    self._record_body_of_state(b, self.t.end[b])

    def _record_body_of_state(self, j: int, char_end: int) -> None:
        """A body named in word j (up to char_end), with the state named right before it when there is one
        ("인도네시아 환경부", "박경일 북한 육해운성 부상")."""
        state = self._state_named_before(j)
        start = state.start if state is not None else j
        country = self.entity(state.entity_id).country if state is not None else None
        name = self.text[self.t.idx[start]:char_end]
        self._absorb(start, j + 1)
        self._record(start, j + 1, self._new_entity(name, "ORG", "GOV", country), "cue",
                     char_span=(self.t.idx[start], char_end))

    def find_suffixed_organisations(self) -> None:
        """"고용노동부는", "울산경찰청은": in a language that writes a body's kind at the end of its name, an unlinked
        word ending in one of those kinds (before its particle) is an organisation."""
        suffixes = tuple(sorted(map(str, self.profile.words("org_suffixes")), key=len, reverse=True))
        if not suffixes:
            return
        for k, base in self._unlinked_word_bases():
            kind = next((x for x in suffixes if base.endswith(x)), None)
            if kind is None or len(base) < len(kind) + 2:
                continue  # "노조는" alone is "the union" told before, not a name
            start, before = k, self._word_before(k)
            parent = self.mentions[self.taken[before]] if before >= 0 and self.taken[before] is not None else None
            if parent is not None and parent.end == before + 1 and self.entity(parent.entity_id).type == "ORG":
                # "국회 정보위원회", "노동당 중앙군사위원회": a body of the one named before it
                start = parent.start
                self._absorb(parent.start, parent.end)
            name = self.text[self.t.idx[start]:self.t.idx[k] + len(base)]
            entity_id = self._new_entity(name, "ORG", None, None)
            self._record(start, k + 1, entity_id, "cue", char_span=(self.t.idx[start], self.t.idx[k] + len(base)))

    def find_bodies_of_named_states(self) -> None:
        """"말레이시아 외교부", "인도네시아 국군(TNI)도": a state's name right before a word the knowledge base knows
        alone as another state's body ("외교부" is Seoul's) names the first state's body of that kind."""
        for body in list(self.mentions):
            entity = self.entity(body.entity_id) if body.entity_id else None
            state = self._state_named_before(body.start) if entity is not None and entity.type == "ORG" else None
            if state is None or body.end != body.start + 1 or state.char_end != self.t.end[state.end - 1] \
                    or entity.country in (None, self.entity(state.entity_id).country):
                continue  # no state before it, or the knowledge base's body of this very state ("러시아 외교부")
            self._record_body_of_state(body.start, body.char_end)

    def link_surnames_before_titles(self) -> None:
        """"김 위원장", "윤 대통령": a surname alone before a title is the person last named in full with it."""
        titles = tuple(self.profile.words("titles_after"))
        for k in range(self.t.n - 1):
            word = self.t.text[k]
            nxt = k + 1
            while nxt < self.t.n and self.t.space[nxt]:
                nxt += 1
            if self.taken[k] is not None or nxt >= self.t.n or not self.t.text[nxt].startswith(titles) \
                    or not word.isalpha() or len(word) > 2:
                continue
            earlier = [m for m in self.mentions if m.entity_id and m.start < k and m.surface.startswith(word)
                       and m.surface != word and self.entity(m.entity_id).type == "PERSON"]
            if earlier:
                self._record(k, k + 1, earlier[-1].entity_id, "alias")


class _StemIndex(dict):
    """Known names by the stems of their words, with every word-prefix of them."""

    prefixes: set[str]


@lru_cache(maxsize=None)
def inflection_of(code: str) -> tuple[tuple[str, ...], int]:
    """A language's case endings (longest first) and the shortest stem left after one is cut off."""
    inflection = load_profile(code).mapping("inflection")
    endings = tuple(sorted((str(e) for e in inflection.get("endings", [])), key=len, reverse=True))
    return endings, int(inflection.get("shortest_stem", 3))


def word_stem(word: str, endings: tuple[str, ...], shortest: int) -> str:
    """A word without its case ending: "Лаврова" and "Лавровым" are both "Лавров"."""
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= shortest:
            return word[: -len(ending)]
    return word


_STEM_INDEXES: dict[tuple[int, str], _StemIndex] = {}


def inflected_names(kb: KnowledgeBase, code: str) -> _StemIndex | None:
    """The knowledge base's names in a language's script, keyed by their words' stems; None where the language
    lists no case endings. Built once per knowledge base and language."""
    endings, shortest = inflection_of(code)
    if not endings:
        return None
    key = (id(kb), code)
    if key not in _STEM_INDEXES:
        script = re.compile(load_profile(code).mapping("inflection").get("script", "."))
        index = _StemIndex()
        index.prefixes = set()
        for surface, ids in kb.surfaces_in(code):
            if not script.search(surface):
                continue
            stems = [word_stem(w, endings, shortest) for w in surface.split()]
            index.setdefault(" ".join(stems), set()).update(ids)
            index.prefixes.update(" ".join(stems[:n]) for n in range(1, len(stems)))
        for name, ids in index.items():
            index[name] = tuple(sorted(ids))
        _STEM_INDEXES[key] = index
    return _STEM_INDEXES[key]


def countries_named(mentions: Iterable[Mention], entity: Callable[[str], Entity],
                    profile: LanguageProfile) -> set[str]:
    """Countries an article names through its mentions' entities, with its language's home countries."""
    countries = set(profile.words("home_countries"))
    countries.update(c for m in mentions if m.entity_id and (c := entity(m.entity_id).country))
    return countries


def recogniser_words(text: str, keep_period: frozenset[str] | dict = frozenset()) -> tuple[list[str], list[bool]]:
    """The text cut into words the way news NER corpora write them, and whether a space follows each.

    The corpora split at spaces and set off quotes and end punctuation, but keep hyphens, slashes and brackets
    inside a word ("Jokowi-JK", "(KPU)", "(22/8)"). The recogniser learnt names over such words, so it reads
    them best; whitespace other than one space becomes a word of its own, as spaCy writes it, so offsets hold.
    """
    words: list[str] = []
    spaces: list[bool] = []
    end = 0
    for match in _CHUNK.finditer(text):
        gap = text[end:match.start()]
        if gap.startswith(" ") and words:
            spaces[-1], gap = True, gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)
        chunk = match.group()
        lead: list[str] = []
        while len(chunk) > 1 and chunk[0] in _LEADING:
            lead.append(chunk[0])
            chunk = chunk[1:]
        trail: list[str] = []
        while len(chunk) > 1 and chunk[-1] in _TRAILING:
            if chunk[-1] == "." and (chunk in keep_period or _INITIALS.match(chunk)):
                break  # "Inc.", "Jl.", "N.M.": the period belongs to the word
            trail.insert(0, chunk[-1])
            chunk = chunk[:-1]
        parts = lead + [chunk] + trail
        words += parts
        spaces += [False] * len(parts)
        end = match.end()
    gap = text[end:]
    if gap.startswith(" ") and words:
        spaces[-1], gap = True, gap[1:]
    if gap:
        words.append(gap)
        spaces.append(False)
    return words, spaces


_CHUNK = re.compile(r"\S+")
_LEADING = frozenset('"\'\u201c\u2018\u00ab')
_TRAILING = frozenset(',.;:!?"\'\u201d\u2019\u00bb\u2026')
_INITIALS = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?\.?$")
def _same_kind(type_a: str, type_b: str) -> bool:
    """Whether two entity types name the same kind of thing: a person, an organisation, or a place."""
    def kind(type_: str) -> str:
        return type_ if type_ in ("PERSON", "ORG") else "place"
    return kind(type_a) == kind(type_b)


_QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"


def _without_wrapping(text: str, start: int, end: int) -> tuple[int, int]:
    """A recognised name without the quotes and unpaired brackets around it: "(Jokowi)" is Jokowi, while
    "Komisi Pemilihan Umum (KPU)" keeps its acronym's brackets."""
    while start < end and text[start] in _QUOTES:
        start += 1
    while end > start and text[end - 1] in _QUOTES:
        end -= 1
    while start < end and text[start] == "(" and (text[end - 1] == ")" or text.count("(", start, end) >
                                                   text.count(")", start, end)):
        start, end = start + 1, end - (text[end - 1] == ")")
    while end > start and text[end - 1] == ")" and text.count(")", start, end) > text.count("(", start, end):
        end -= 1
    while end > start and text[end - 1] in "( ":
        end -= 1  # "Organisasi Kesehatan Dunia (": the bracket opens the acronym after the name
    return start, end


def recognise_names(doc: Doc, nlp: Language) -> Doc:
    """Run the trained recogniser on the text's corpus-style words and set its names on the engine's tokens.

    The names exactly as recognised (brackets included, as the corpora mark them) stay in
    doc.user_data["recognised"] as (start char, end char, label); doc.ents holds them without the brackets,
    widened to whole engine tokens.
    """
    components = [(name, proc) for name, proc in nlp.pipeline if name != "news_sentences"]
    if not components:
        return doc
    words, spaces = recogniser_words(doc.text, nlp.tokenizer.rules or {})
    recognised = Doc(nlp.vocab, words=words, spaces=spaces)
    for _, proc in components:
        recognised = proc(recognised)
    raw = [(e.start_char, e.end_char, e.label_) for e in recognised.ents]
    doc.user_data["recognised"] = raw
    spans = []
    for start, end, label in raw:
        inner_start, inner_end = _without_wrapping(doc.text, start, end)
        span = doc.char_span(inner_start, inner_end, label, alignment_mode="expand") \
            if inner_start < inner_end else None
        if span is not None:
            spans.append(span)
    doc.ents = filter_spans(spans)
    return doc


def analyse(text: str, code: str, headings: list[tuple[int, int]] | None = None,
            dateline: tuple[int, int] | None = None, kb: KnowledgeBase | None = None) -> ArticleAnalysis:
    """Tokenise an article, split sentences and find its entity mentions."""
    profile = load_profile(code)
    nlp = build_pipeline(code)
    doc = recognise_names(news_sentences(nlp.make_doc(text)), nlp)
    finder = EntityFinder(doc, profile, kb or load_knowledge_base(), headings or [], dateline, text)
    mentions = finder.run()
    return ArticleAnalysis(doc=doc, profile=profile, mentions=mentions, entities=finder.new_entities,
                           headings=headings or [], tokens=finder.t, kb=finder.kb,
                           title_tokens=frozenset(finder.title_tokens), text=text)
