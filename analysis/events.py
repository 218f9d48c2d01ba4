"""Events: who did what to whom, when, where, and how surely — one PLOVER event per stated interaction.

Within a sentence, a trigger word names the interaction. The source is the actor before it that is not a
preposition's or verb's object, the target the first actor after it; nouns as triggers ("kunjungan Putin ke ..."),
"antara A dan B" and "kedua negara" have rules of their own. Where the language has a trained parser, the
sentences that hold a trigger and an actor are parsed, and where word order finds no source or no target the
tree gives them: the verb's subject (through control verbs, coordination and relative clauses), the agent of a
passive ("oleh X", "by X"), its object or the oblique it governs ("dengan X", "ke X", "with X", "to X"). With a
parser trained on a few thousand sentences this order measured better than trusting the tree first. A speech frame ("X said that ...") decides
whether the event is asserted by its own actor or reported by someone else; negation and modality cues (plans,
reports, denials, conditions) and the date phrase of the trigger's own clause complete it; a sentence with no
date of its own that goes on from a dated one in the same paragraph keeps that date.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

from analysis.dates import DateMention
from analysis.languages import TriggerSpec, load_profile, phrase_set
from analysis.nlp import ArticleAnalysis, Mention, syntax_pipeline

MODALITY_ORDER = ("denied", "hypothetical", "planned", "reported")
ACTOR_TYPES = frozenset({"PERSON", "ORG", "GPE"})
QUOTES = frozenset({'"', "“", "”", "'", "‘", "’"})
# The accusative particles a bare Korean name takes from the noun it is compounded with ("북한군 파병을").
COMPOUND_OBJECT_PARTICLES = frozenset({"을", "를"})
# An acronym in brackets written onto a name ("러시아철도공사(RZD)는"): not part of the name's particle.
BRACKETED_AFTER_NAME = re.compile(r"^\([^)]*\)")
# Dependents that stay inside a noun phrase: "Menteri Pertahanan Rusia Sergei Shoigu", "Angkatan Laut Malaysia".
PHRASE_DEPS = frozenset({"flat", "flat:name", "flat:foreign", "compound", "appos", "nmod", "nmod:poss", "amod",
                         "det", "nummod", "fixed", "clf", "punct"})
# Clauses that go on a verb's subject: "berencana mengunjungi", "bertemu ... dan membahas".
SUBJECT_SHARING = frozenset({"xcomp", "conj"})
# Acts a spokesperson performs in speaking for their state; other acts they report stay the state's.
VOICED_TYPES = frozenset({"ACCUSE", "PROTEST"})
# Preference among actors inside one subject or object phrase: the person over the office's country.
ACTOR_RANK = {"PERSON": 0, "ORG": 1, "GPE": 2}


@dataclass(frozen=True)
class Event:
    """One interaction stated in one sentence."""

    sentence: int
    type: str
    mode: str | None
    source_id: str
    target_id: str | None
    place_id: str | None
    date: str
    date_precision: str
    modality: str
    trigger: str
    evidence: str
    confidence: float

    def event_id(self, article_id: str) -> str:
        """A stable id from the article, sentence, type and actors."""
        key = "|".join([article_id, str(self.sentence), self.type, self.source_id, self.target_id or "", self.trigger])
        return hashlib.sha1(key.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class _Lexicon:
    """A language's event words as fast lookups."""

    triggers: dict[str, tuple[TriggerSpec, ...]]
    stem_triggers: dict[str, tuple[TriggerSpec, ...]]  # "встрет*": phrases whose first word is a stem
    stem_lengths: tuple[int, ...]
    modality: dict[str, frozenset[tuple[str, ...]]]
    modality_sizes: dict[str, tuple[int, ...]]
    person_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    pair_phrases: frozenset[tuple[str, ...]]
    trio_phrases: frozenset[tuple[str, ...]]
    described_nouns: tuple[str, ...]
    pair_people: frozenset[tuple[str, ...]]
    complementizers: frozenset[str]
    after_speaker: frozenset[tuple[str, ...]]
    according_to: frozenset[tuple[str, ...]]
    locative: frozenset[str]
    locative_countries: frozenset[str]
    prepositions: frozenset[str]
    agent: frozenset[str]
    direction: frozenset[str]
    between: frozenset[str]
    coordinators: frozenset[str]
    clause_breaks: frozenset[str]
    reciprocal: frozenset[str]
    mutual_types: frozenset[str]
    own_state_target_types: frozenset[str]
    generic_org_nouns: frozenset[str]
    occasion_words: frozenset[str]
    control_types: frozenset[str]
    object_control_types: frozenset[str]
    addressed_types: frozenset[str]
    participle_endings: tuple[str, ...]  # a participle opens an aside like a relative word ("распространенном")
    relative: frozenset[str]
    subordinators: frozenset[str]
    before_speaker: frozenset[tuple[str, ...]]  # "kata", "по словам": the speaker follows
    determiners: frozenset[str]
    group_nouns: frozenset[str]
    definite_before: frozenset[str]
    definite_after: frozenset[str]
    subject_openers: frozenset[str]
    name_glue: frozenset[str]
    bare_passive_agent: bool
    dates_before_verb: bool  # a verb-final language writes an act's date before its verb ("지난해 10월부터 파병해")
    people: frozenset[str]
    passive_auxiliaries: frozenset[str]
    progressive_endings: tuple[str, ...]
    according_words: frozenset[str]
    origin: frozenset[str]
    negators: frozenset[str]
    companions: frozenset[str]
    not_triggers: dict[str, tuple[tuple[str, ...], ...]]
    nominal_trigger: re.Pattern[str] | None
    verb_pattern: re.Pattern[str] | None
    place_targets: frozenset[str]
    control_markers: frozenset[str]
    manner_markers: frozenset[str]
    org_descriptors: frozenset[str]
    org_descriptor_sectors: dict[str, str]
    government_words: frozenset[str]
    claim_nouns: frozenset[str]
    demonstratives: frozenset[str]
    regional_qualifiers: frozenset[str]
    home_countries: tuple[str, ...]
    member_nouns: frozenset[str]
    possessive_before: frozenset[str]
    possessive_suffixes: tuple[str, ...]
    described_heads: frozenset[str] | None
    members_of: dict[str, tuple[str, ...]]
    infinitive: re.Pattern[str] | None
    particles: dict[str, tuple[str, ...]] | None  # role -> particles ending a name's word ("김정은은", "러시아에")
    all_particles: tuple[str, ...]  # every role's particles, longest first
    list_closer: str | None  # the word that ends a list before its particle ("미국, 일본 등 우방국과")
    list_joiners: tuple[str, ...]  # particles that join a name to the next of a list ("한국과 미국")
    titles_after: tuple[str, ...]  # titles written after a name, before its particle ("푸틴 대통령은")
    head_suffixes: tuple[str, ...]  # a body's head glued to its name ("정찰총국장은")
    modality_after: dict[str, tuple[str, ...]]  # cues after the trigger, as word beginnings ("예정", "부인")
    connective_endings: tuple[str, ...]  # a verb that hands its clause on to the next one ("열어", "방문해")
    quotative_endings: tuple[str, ...]  # endings that close what someone said ("~다고", "~라며")



@lru_cache(maxsize=None)
def lexicon_for(code: str) -> _Lexicon:
    """A language's event lexicon."""
    profile = load_profile(code)
    by_first: dict[str, list[TriggerSpec]] = {}
    for spec in profile.triggers:
        by_first.setdefault(spec.words[0], []).append(spec)
    triggers = {k: tuple(sorted(v, key=lambda s: -len(s.words))) for k, v in by_first.items() if not k.endswith("*")}
    stems = {k[:-1]: tuple(sorted(v, key=lambda s: -len(s.words))) for k, v in by_first.items() if k.endswith("*")}
    modality = {kind: phrase_set(profile.words("modality", kind)) for kind in MODALITY_ORDER}
    locative = frozenset(profile.words("locative"))
    return _Lexicon(
        triggers=triggers,
        stem_triggers=stems,
        stem_lengths=tuple(sorted({len(k) for k in stems}, reverse=True)),
        modality=modality,
        modality_sizes={kind: tuple(sorted({len(c) for c in cues})) for kind, cues in modality.items()},
        person_pronouns=frozenset(profile.words("pronouns", "person")),
        group_pronouns=frozenset(profile.words("pronouns", "group")),
        pair_phrases=phrase_set(profile.words("pair_phrases")),
        trio_phrases=phrase_set(profile.words("trio_phrases")),
        described_nouns=tuple(profile.words("described_nouns")),
        pair_people=phrase_set(profile.words("pair_phrases_people")),
        complementizers=frozenset(profile.words("speech", "complementizers")),
        after_speaker=phrase_set(profile.words("speech", "after_speaker")),
        according_to=phrase_set(profile.words("speech", "according_to")),
        locative=locative,
        locative_countries=frozenset(w for w in locative if w in ("di", "in", "dalam", "inside", "within")),
        prepositions=frozenset(profile.words("partner") + profile.words("direction") + profile.words("locative")
                               + profile.words("agent") + profile.words("between")),
        agent=frozenset(profile.words("agent")),
        direction=frozenset(profile.words("direction")),
        between=frozenset(profile.words("between")),
        coordinators=frozenset(profile.words("coordinators")),
        clause_breaks=frozenset(profile.words("clause_breaks")),
        reciprocal=frozenset(profile.words("reciprocal_types")),
        mutual_types=frozenset(profile.words("mutual_types")),
        own_state_target_types=frozenset(profile.words("own_state_target_types")),
        generic_org_nouns=frozenset(profile.words("generic_org_nouns")),
        occasion_words=frozenset(profile.words("occasion_words")),
        control_types=frozenset(profile.words("control_types")),
        object_control_types=frozenset(profile.words("object_control_types")),
        addressed_types=frozenset(profile.words("addressed_types")),
        participle_endings=tuple(profile.words("participle_endings")),
        relative=frozenset(profile.words("relative")),
        subordinators=frozenset(profile.words("subordinators")),
        before_speaker=phrase_set(profile.words("speech", "before_speaker")),
        determiners=frozenset(profile.words("determiners")),
        group_nouns=frozenset(profile.words("group_nouns")),
        definite_before=frozenset(profile.words("definite", "before")),
        definite_after=frozenset(profile.words("definite", "after")),
        name_glue=frozenset(profile.words("run_connectors")),
        bare_passive_agent=bool(profile.data.get("bare_passive_agent")),
        dates_before_verb=bool(profile.data.get("dates_before_verb")),
        people=frozenset(profile.words("people")),
        # Words after which a name can still be a clause's subject (not a verb's object).
        subject_openers=frozenset(profile.words("coordinators") + profile.words("speech", "complementizers")
                                  + profile.words("relative") + profile.words("subordinators")
                                  + profile.words("clause_breaks") + profile.words("determiners")
                                  + profile.words("subject_adverbs")),
        passive_auxiliaries=frozenset(profile.words("passive_auxiliaries")),
        progressive_endings=tuple(profile.words("progressive_endings")),
        according_words=frozenset(w.split()[-1] for w in profile.words("speech", "according_to")),
        control_markers=frozenset(profile.words("control_markers")),
        manner_markers=frozenset(profile.words("manner_markers")),
        origin=frozenset(profile.words("origin")),
        negators=frozenset(profile.words("negators")),
        companions=frozenset(profile.words("companions")),
        not_triggers=_by_first_word(profile.words("not_triggers")),
        nominal_trigger=re.compile(profile.data["nominal_trigger"]) if profile.data.get("nominal_trigger") else None,
        verb_pattern=re.compile(profile.data["verb_pattern"]) if profile.data.get("verb_pattern") else None,
        place_targets=frozenset(profile.words("place_target_types")),
        org_descriptors=frozenset(profile.mapping("org_descriptors")),
        org_descriptor_sectors={k.lower(): v for k, v in profile.mapping("org_descriptors").items()},
        government_words=frozenset(w.lower() for w in profile.words("government_words")),
        claim_nouns=frozenset(profile.words("claim_nouns")),
        demonstratives=frozenset(profile.words("demonstratives")),
        regional_qualifiers=frozenset(profile.words("regional_qualifiers")),
        home_countries=tuple(profile.words("home_countries")),
        member_nouns=frozenset(profile.words("member_nouns")),
        possessive_before=frozenset(profile.words("possessives", "before")),
        possessive_suffixes=tuple(profile.words("possessives", "suffixes")),
        particles={role: tuple(sorted(map(str, words), key=len, reverse=True))
                   for role, words in profile.mapping("particles").items()} or None,
        all_particles=tuple(sorted({str(x) for words in profile.mapping("particles").values() for x in words},
                                   key=len, reverse=True)),
        list_closer=profile.data.get("list_closer"),
        list_joiners=tuple(profile.words("list_joiners")),
        titles_after=tuple(sorted(map(str, profile.words("titles_after")), key=len, reverse=True)),
        head_suffixes=tuple(map(str, profile.words("head_suffixes"))),
        modality_after={kind: tuple(map(str, profile.words("modality_after", kind))) for kind in MODALITY_ORDER},
        connective_endings=tuple(map(str, profile.words("connective_endings"))),
        quotative_endings=tuple(map(str, profile.words("quotative_endings"))),
        # "призвала Россию прекратить": where no word marks control, the infinitive right after the object does.
        infinitive=re.compile(profile.data["infinitive"]) if profile.data.get("infinitive") else None,
        members_of={str(k).lower(): tuple(str(w).lower() for w in v)
                    for k, v in profile.mapping("members_of").items()},
        # None where modifiers stand before their noun: there a noun after a noun is the head, not its modifier.
        described_heads=frozenset(profile.words("noun_modifiers", "transparent_heads") + profile.words("claim_nouns"))
        if profile.mapping("noun_modifiers").get("follow_their_noun") else None,
    )


def _by_first_word(phrases: list[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases as word tuples, grouped by their first word, longest first."""
    grouped: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        words = tuple(str(phrase).lower().split())
        grouped.setdefault(words[0], []).append(words)
    return {first: tuple(sorted(group, key=len, reverse=True)) for first, group in grouped.items()}


def _starts_phrase(lower: list[str], k: int, phrases: frozenset[tuple[str, ...]]) -> bool:
    """True when one of the phrases starts at token k (past spaces)."""
    while k < len(lower) and not lower[k].strip():
        k += 1
    return any(tuple(lower[k:k + len(p)]) == p for p in phrases)


def _antecedent_index(analysis: ArticleAnalysis) -> dict[tuple[str, str], list[tuple[int, int, str]]]:
    """("word", w) -> organisations and states named with w in their name or in the article's words for them
    ("the East Kazakhstan Region administration ... the region"), ("sector", s) -> organisations of sector s: each
    as (position in the mentions, first token, entity id), in reading order."""
    index: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
    for position, mention in enumerate(analysis.mentions):
        entity = analysis.entity(mention.entity_id)
        if entity.type in ("ORG", "GPE"):
            for word in set(entity.name.lower().split()) | set(mention.surface.lower().split()):
                index.setdefault(("word", word), []).append((position, mention.start, entity.id))
        if entity.type == "ORG" and entity.sector:
            index.setdefault(("sector", entity.sector), []).append((position, mention.start, entity.id))
    return index


def _last_before(entries: list[tuple[int, int, str]], k: int) -> tuple[int, str] | None:
    """The last entry (by position) whose mention starts before token k, as (position, entity id)."""
    before = bisect.bisect_left(entries, k, key=lambda entry: entry[1])  # entries are in reading order
    return (entries[before - 1][0], entries[before - 1][2]) if before else None


def _most_named_before(entries: list[tuple[int, int, str]], k: int) -> tuple[int, str] | None:
    """Of the entries whose mention starts before token k, the entity named most often (the later on a tie), as
    (position of its last mention, entity id)."""
    before = entries[:bisect.bisect_left(entries, k, key=lambda entry: entry[1])]
    if not before:
        return None
    counts = Counter(entity_id for _, _, entity_id in before)
    last = {entity_id: position for position, _, entity_id in before}
    chosen = max(counts, key=lambda entity_id: (counts[entity_id], last[entity_id]))
    return last[chosen], chosen


@dataclass
class _Actor:
    """An actor slot filled from a mention, a pronoun or a phrase like "both countries"."""

    entity_id: str
    token: int
    place_id: str | None = None
    resolved: bool = False


class EventExtractor:
    """Extracts events from one analysed article."""

    def __init__(self, analysis: ArticleAnalysis, dates: list[DateMention], published: dt.date | None) -> None:
        self.a = analysis
        self.t = analysis.tokens
        self.kb = analysis.kb
        self.lex = lexicon_for(analysis.profile.code)
        self.published = published
        self.dates = [d for d in dates if not d.not_event]
        self.date_starts = frozenset(d.start for d in dates)
        self.date_tokens = frozenset(k for d in dates for k in range(bisect.bisect_left(self.t.idx, d.start),
                                                                     bisect.bisect_left(self.t.idx, d.end)))
        self.mention_at: dict[int, Mention] = {}
        for mention in analysis.mentions:
            for k in range(mention.start, mention.end):
                self.mention_at[k] = mention
        self.antecedents = _antecedent_index(analysis)
        self.mention_starts = [mention.start for mention in analysis.mentions]  # in reading order
        self.country_counts: tuple[int, Counter[str]] = (0, Counter())  # mentions counted, countries so far
        self.text = analysis.text or analysis.doc.text
        self.sources: list[tuple[str, int]] = []  # each event's source and sentence, in reading order
        self.history: list[Event] = []  # the events found so far, in reading order
        # Each trigger token's source and targets, for verbs coordinated with it that share them.
        self.roles_at: dict[int, tuple[str, list[str]]] = {}
        # The parse of the sentences that can hold an event: head token, relation and part of speech per token.
        self.head: list[int | None] = [None] * self.t.n
        self.dep: list[str] = [""] * self.t.n
        self.tag: list[str] = [""] * self.t.n
        self.kids: dict[int, list[int]] = {}
        self.paragraph = self._paragraphs()
        self.token_at_char = {offset: k for k, offset in enumerate(self.t.idx)}
        self.sentence_dates: dict[int, tuple[str, str]] = {}  # explicit dates of earlier sentences

    # ----- actors -----

    def _as_actor(self, mention: Mention) -> _Actor | None:
        """An actor from a mention: people, organisations, countries; a city stands for its state."""
        if mention.via == "dateline":
            return None  # where the story was filed, not who acts in it
        entity = self.a.entity(mention.entity_id)
        if entity.type not in ACTOR_TYPES:
            return None
        if entity.kind == "city" and self.kb.capital_of(entity.id):
            # A capital named as an actor is its state ("Pyongyang menolak ..."); other cities act for themselves.
            state = self.kb.country(self.kb.capital_of(entity.id))
            return _Actor(state.id, mention.start, place_id=entity.id) if state else None
        if entity.kind in ("region", "facility") and entity.type != "GPE":
            return None
        return _Actor(entity.id, mention.start)

    def _preceded_by_preposition(self, mention: Mention, words: frozenset[str]) -> str | None:
        """The preposition right before a mention, when it is one of `words`."""
        k = mention.start - 1
        # "dengan Presiden Vladimir Putin": look past the title to the preposition.
        while k >= 0 and (self.t.space[k] or k in self.a.title_tokens or self.t.lower[k] in self.lex.determiners):
            k -= 1
        if k >= 0 and self.t.lower[k] in words:
            return self.t.lower[k]
        return None

    def _town_of_origin(self, mention: Mention) -> bool:
        """A town an act starts from ("mengirim bantuan dari Yangon ke Thailand"): where it comes from, not a party
        (a capital stands for its state and stays one)."""
        entity = self.a.entity(mention.entity_id)
        if entity.kind not in ("city", "region") or self.kb.capital_of(entity.id) \
                or self._preceded_by_preposition(mention, self.lex.origin) is None:
            return False
        # Only "from A to B" says so: "a request from Baucau" names who asked.
        ahead = range(mention.end, min(self.t.n, mention.end + 6))
        return any(self.t.lower[k] in self.lex.direction and (k + 1 in self.mention_at or k + 2 in self.mention_at)
                   for k in ahead if self.t.sentence[k] == self.t.sentence[mention.start])

    def _is_locative(self, mention: Mention) -> bool:
        """A place named as where something happens ("di Vladivostok"), not as an actor."""
        preposition = self._preceded_by_preposition(mention, self.lex.locative)
        if preposition is None:
            return False
        entity = self.a.entity(mention.entity_id)
        if entity.kind == "country":
            return preposition in self.lex.locative_countries
        return entity.is_place

    def _salient_countries(self, before_token: int, skip: set[str] = frozenset(), how_many: int = 2) -> list[str]:
        """The countries the article has spoken of most so far: what "both countries" (two) or "the three
        countries" (three) refers to."""
        excluded = {self.a.entity(x).country for x in skip}
        counts = Counter({c: n for c, n in self._countries_before(before_token).items() if c not in excluded})
        return [self.kb.country(c).id for c, _ in counts.most_common(how_many)]

    def _countries_before(self, before_token: int) -> Counter[str]:
        """How often each country was spoken of before a token; counted on from the last call, since calls
        come in reading order (counting from the start each time made long articles quadratic)."""
        end = bisect.bisect_left(self.mention_starts, before_token)
        done, counts = self.country_counts
        if end < done:
            done, counts = 0, Counter()
        counts = counts.copy()
        for mention in self.a.mentions[done:end]:
            country = self.a.entity(mention.entity_id).country
            if country and self.kb.country(country):
                counts[country] += 1
        self.country_counts = (end, counts)
        return counts

    def _pronoun_actor(self, k: int, frame_holder: _Actor | None) -> _Actor | None:
        """Resolve "dia"/"he" to the last person named, "mereka"/"they" to the frame's holder or last actor."""
        lower = self.t.lower[k]
        if lower in self.lex.group_pronouns:
            if frame_holder is not None:
                return _Actor(frame_holder.entity_id, k, resolved=True)
            earlier = [source for source, sentence in self.sources if sentence == self.t.sentence[k] - 1]
            if earlier:
                return _Actor(earlier[-1], k, resolved=True)  # "They also warned ...": who acted just before
            for mention in self._mentions_before(k):
                actor = self._as_actor(mention)
                if actor and self.a.entity(actor.entity_id).type in ("GPE", "ORG"):
                    return _Actor(actor.entity_id, k, resolved=True)
            return None
        if lower in self.lex.person_pronouns:
            if frame_holder is not None and self.a.entity(frame_holder.entity_id).type == "PERSON":
                return _Actor(frame_holder.entity_id, k, resolved=True)
            here = self.t.sentence[k]
            people = [(sentence, source) for source, sentence in self.sources
                      if sentence in (here, here - 1) and self.a.entity(source).type == "PERSON"]
            acted = [source for sentence, source in people if sentence == here][-1:] or \
                [source for sentence, source in people if sentence == here - 1][:1]
            if acted:
                return _Actor(acted[0], k, resolved=True)  # "Kim Yo Jong, the sister of Kim Jong Un, accused ... She"
            for mention in self._mentions_before(k):
                if self.a.entity(mention.entity_id).type != "PERSON":
                    continue
                if self.t.sentence[mention.start] == here - 1:
                    # "Kim Yo Jong, the sister of Kim Jong Un, issued a statement. She ...": the person the
                    # previous sentence is about comes first in it, before the people its phrases mention.
                    mention = self._first_person_of_sentence(here - 1) or mention
                return _Actor(mention.entity_id, k, resolved=True)
        return None

    def _first_person_of_sentence(self, sentence: int) -> Mention | None:
        """The first person named in a sentence."""
        return next((m for m in self.a.mentions if self.t.sentence[m.start] == sentence
                     and self.a.entity(m.entity_id).type == "PERSON"), None)

    def _mentions_before(self, k: int) -> Iterator[Mention]:
        """Mentions that start before token k, the nearest first."""
        for position in range(bisect.bisect_left(self.mention_starts, k) - 1, -1, -1):
            yield self.a.mentions[position]

    def _pair_at(self, k: int, skip: set[str] = frozenset()) -> tuple[int, list[_Actor]]:
        """A "both countries" / "both leaders" phrase at token k: (its length, the two it stands for)."""
        for size in (4, 3, 2, 1):
            words = tuple(self.t.lower[k:k + size])
            # a pair names two: with only one country or person spoken of, "both sides" are others (a union and a
            # company), and the phrase is left unread
            if words in self.lex.pair_phrases:
                pair = self._salient_countries(k, skip)
                return (size, [_Actor(c, k, resolved=True) for c in pair]) if len(pair) == 2 else (size, [])
            if words in self.lex.trio_phrases:
                trio = self._salient_countries(k, skip, 3)
                return (size, [_Actor(c, k, resolved=True) for c in trio]) if len(trio) == 3 else (size, [])
            if words in self.lex.pair_people:
                pair = self._salient_people(k)
                return (size, [_Actor(c, k, resolved=True) for c in pair]) if len(pair) >= 2 else (size, [])
        return 0, []

    def _salient_people(self, before_token: int) -> list[str]:
        """The two people named most so far: what "both leaders" refers to."""
        counts: Counter[str] = Counter()
        for mention in self.a.mentions:
            if mention.start >= before_token:
                break
            if self.a.entity(mention.entity_id).type == "PERSON":
                counts[mention.entity_id] += 1
        return [entity_id for entity_id, _ in counts.most_common(2)]

    # ----- sentence structure -----

    def _clause(self, p: int, start: int, end: int) -> tuple[int, int]:
        """The clause around token p: between clause-break words or semicolons."""
        lower = self.t.lower
        first = next((k for k in range(start, end) if not self.t.space[k]), start)
        if lower[first] in self.lex.subordinators:
            # "Saat AS mengungkapkan kekhawatiran ..., kabar kunjungan ...": the opening clause ends at its comma.
            comma = next((k for k in range(first, end) if self.t.text[k] == ","), None)
            if comma is not None:
                start, end = (start, comma) if p < comma else (comma + 1, end)
        def breaks(k: int) -> bool:
            """A clause-break word, not a name that is spelled like one ("с министром обороны КНДР Но Гван Чхолем")."""
            return lower[k] == ";" or (lower[k] in self.lex.clause_breaks and not (
                k in self.mention_at and self.t.text[k][:1].isupper() and not self.t.sent_start[k]))

        cs = next((k + 1 for k in range(p - 1, start - 1, -1) if breaks(k)), start)
        ce = next((k for k in range(p + 1, end) if breaks(k)), end)
        return cs, ce

    def _frame(self, p: int, cs: int) -> tuple[int, _Actor | None]:
        """The speech frame around token p: (scope start, holder) — "Kremlin said (that) ..." """
        lower = self.t.lower
        for k in range(p - 1, cs - 1, -1):
            # "rejected that account": the parse tells a determiner from the word that opens what was said.
            is_complementizer = lower[k] in self.lex.complementizers and self.tag[k] not in ("DET", "PRON")
            is_speech = (lower[k],) in self.lex.after_speaker or tuple(lower[k:k + 2]) in self.lex.after_speaker
            if not (is_complementizer or is_speech):
                continue
            if is_complementizer and k > cs and lower[k - 1] in self.lex.coordinators:
                # "... dan bahwa Shoigu ...": a second complement of the same speaker.
                _, holder = self._frame(k - 1, cs)
                return k + 1, holder
            return k + 1, self._holder_before(k, cs)
        # "menurut X, ..." — according to X.
        for k in range(cs, p):
            if (lower[k],) in self.lex.according_to or tuple(lower[k:k + 2]) in self.lex.according_to:
                mention = self.mention_at.get(k + 1) or self.mention_at.get(k + 2)
                if mention:
                    return cs, self._as_actor(mention)
        return cs, None

    def _holder_before(self, k: int, cs: int) -> _Actor | None:
        """Who says or thinks the complement after token k: the subject just before the verb."""
        for j in range(k - 1, max(cs, k - 9) - 1, -1):
            mention = self.mention_at.get(j)
            if mention is not None:
                if j != mention.end - 1:
                    continue
                if self._preceded_by_preposition(mention, self.lex.prepositions - self.lex.agent):
                    return None
                return self._as_actor(mention)
            word = self.t.lower[j]
            if word in self.lex.person_pronouns or word in self.lex.group_pronouns:
                _, outer = self._frame(j, cs)
                return self._pronoun_actor(j, outer)
            if self.t.text[j] == "," and j + 1 < self.t.n and self.t.lower[j + 1] in self.lex.relative:
                return None
        return None

    def _find_triggers(self, start: int, end: int) -> list[tuple[int, TriggerSpec]]:
        """Trigger phrases in a token range, longest first at each position, not inside names."""
        found, k, lower = [], start, self.t.lower
        while k < end:
            skip = self._not_trigger_at(k, end)
            if skip:
                k += skip
                continue
            specs = self._specs_at(k)
            if specs and k not in self.mention_at and not self._inside_title_case_name(k):
                for spec in specs:
                    size = self._phrase_length(k, spec.words, end)
                    if size and self._preposition_before_date(k + size - 1, end):
                        continue  # "a strike on Tuesday" is no "strike on" a target
                    if size and spec.near_nouns and not self._noun_near(k, size, start, end, spec.near_nouns):
                        continue  # "aid has been sent to Gaza" is no deployment
                    if size:
                        # "perjanjian itu", "the launch violated ...": a demonstrative or "the" points back to an
                        # act already told, not a new one (unless it names its sides: "the talks between A and B").
                        if not self._told_before(k, size, end):
                            found.append((k, spec))
                        k += size
                        break
                else:
                    k += 1
                continue
            k += 1
        return found

    def _without_restated_nouns(self, triggers: list[tuple[int, TriggerSpec]]) -> list[tuple[int, TriggerSpec]]:
        """Triggers without a noun the next trigger restates as a verb of the same kind: "a pact signed by Russia
        and North Korea", "perjanjian yang ditandatangani": one act, told by the verb with its sides."""
        kept = []
        for index, (k, spec) in enumerate(triggers):
            following = triggers[index + 1] if index + 1 < len(triggers) else None
            if following is not None and following[1].type == spec.type and self.tag[following[0]] == "VERB" \
                    and self.tag[k] == "NOUN":
                between = [self.t.lower[j] for j in range(k + len(spec.words), following[0]) if not self.t.space[j]]
                if all(word in self.lex.relative for word in between) and len(between) <= 1:
                    continue
            kept.append((k, spec))
        return kept

    def _noun_near(self, k: int, size: int, start: int, end: int, nouns: tuple[str, ...]) -> bool:
        """True when one of the nouns (or stems, "военнослужащ*") stands among the four words before the phrase at
        token k or the ten after it, in its sentence ("направил в Курскую область около трех тысяч военнослужащих")."""
        def fits(word: str) -> bool:
            return any(word == noun or (noun.endswith("*") and word.startswith(noun[:-1])) for noun in nouns)

        words = [j for j in range(max(start, k - 8), k) if not self.t.space[j]][-4:] + \
            [j for j in range(k + size, min(end, k + size + 16)) if not self.t.space[j]][:10]
        return any(fits(self.t.lower[j]) for j in words)

    def _preposition_before_date(self, k: int, end: int) -> bool:
        """True when token k, a trigger phrase's last word, is a preposition and a date follows it."""
        j = k + 1
        while j < end and self.t.space[j]:
            j += 1
        return self.t.lower[k] in self.lex.prepositions and (
            self.t.idx[k] in self.date_starts or (j < end and self.t.idx[j] in self.date_starts))

    def _noun_form(self, p: int, spec: TriggerSpec) -> bool:
        """True when the trigger word is its stem alone or with a particle ("파병", "파병의", "협력에"), no verb."""
        word = self.t.text[p].rstrip(".,\"'”’")
        stem = next((w.rstrip("*") for w in spec.words if word.startswith(w.rstrip("*"))), None)
        return stem is not None and (word == stem or word[len(stem):] in self.lex.all_particles)

    def _compounded_owner(self, p: int, spec: TriggerSpec) -> _Actor | None:
        """The actor named bare right before a noun trigger ("북한군 파병에"): the one whose act the noun names."""
        if not self._noun_form(p, spec):
            return None
        mention = self.mention_at.get(self._previous_word(p))
        if mention is None or mention.end != self._previous_word(p) + 1 \
                or self.text[mention.char_end:self.t.end[mention.end - 1]].strip() \
                or self.a.entity(mention.entity_id).is_place:
            return None
        return self._as_actor(mention)

    def _names_a_kind_of(self, k: int, end: int) -> bool:
        """True when the word at k is one of the nouns an act before it only describes ("여부", "근거")."""
        while k < end and self.t.space[k]:
            k += 1
        return k < end and any(self.t.text[k].startswith(noun) for noun in self.lex.described_nouns)

    def _describes_a_noun(self, p: int) -> bool:
        """"tarif impor", "lokasi penangkapan": where modifiers follow their noun, a noun trigger right after a
        common noun tells what kind of tariff or place that is, not an act ("aksi mogok" is the strike itself)."""
        heads = self.lex.described_heads
        if heads is None or self.tag[p] != "NOUN":
            return False
        k = self._previous_word(p)
        word = self.t.text[k] if k >= 0 else ""
        return word.isalpha() and word.islower() and self.tag[k] == "NOUN" and self.t.lower[k] not in heads \
            and k not in self.mention_at

    def _inside_title_case_name(self, k: int) -> bool:
        """A capitalised word inside a sentence that runs on into more capitalised words is part of a name
        ("sejak Perjanjian Kemitraan Strategis Komprehensif ditandatangani"), not an act."""
        text = self.t.text[k]
        if not text[:1].isupper() or text.isupper() or self.t.sent_start[k] or self._after_dateline(k):
            return False
        nxt = k + 1
        return nxt < self.t.n and self.t.text[nxt][:1].isupper() and not self.t.text[nxt].isupper() \
            and not self.t.space[nxt] and nxt not in self.mention_at

    def _told_before(self, k: int, size: int, end: int) -> bool:
        """True for a nominal trigger marked as already known: "perjanjian itu", "the launch"."""
        lower = self.t.lower
        if k + size < end and lower[k + size] in self.lex.definite_after:
            return True
        before = self._previous_word(k)
        if before < 0 or lower[before] not in self.lex.definite_before:
            return False
        return not any(lower[j] in self.lex.between for j in range(k + size, min(end, k + size + 3)))

    def _not_trigger_at(self, k: int, end: int) -> int:
        """Length of a phrase that looks like a trigger but is not one ("menahan diri": restrain oneself)."""
        for words in self.lex.not_triggers.get(self.t.lower[k], ()):
            size = self._phrase_length(k, words, end)
            if size:
                return size
        return 0

    def _specs_at(self, k: int) -> tuple[TriggerSpec, ...]:
        """The trigger phrases whose first word is token k's word, or a stem it begins with ("встретился")."""
        word = self.t.lower[k]
        specs = self.lex.triggers.get(word)
        if specs:
            return specs
        for size in self.lex.stem_lengths:
            if size <= len(word) and word[:size] in self.lex.stem_triggers:
                return self.lex.stem_triggers[word[:size]]
        return ()

    def _phrase_length(self, k: int, words: tuple[str, ...], end: int) -> int:
        """Tokens a trigger phrase spans from k, quotes between its words allowed; 0 when it is not there. A word
        ending in "*" is a stem: any word that begins with it fits ("встрет*": "встретился", "встретятся")."""
        j = k
        for word in words:
            while j < end and j > k and self.t.text[j] in QUOTES:
                j += 1
            if j >= end:
                return 0
            lower = self.t.lower[j]
            if lower != word and not (word.endswith("*") and lower.startswith(word[:-1])):
                return 0
            j += 1
        return j - k

    def _source(self, p: int, scope: int, holder: _Actor | None) -> _Actor | None:
        """The nearest actor before the trigger that is not a preposition's object."""
        k = p
        while k > scope:
            k -= 1
            if self.t.text[k] == ",":
                k = self._skip_relative_clause(k, scope)
                continue
            mention = self.mention_at.get(k)
            if mention is not None:
                if k != mention.start or self._short_form_of_previous(mention):
                    continue
                if self._preceded_by_preposition(mention, self.lex.prepositions | self.lex.companions) \
                        and not self._of_group(mention):
                    continue  # "Pemerintah Jepang, melalui JICA, menyerahkan": the channel is not the doer
                if (self._object_of_verb(mention, scope) and not self._controls(mention, p)) or \
                        self._modifier(mention) or self._office_country(mention):
                    continue
                actor = self._as_actor(mention)
                if actor:
                    return actor
                continue
            pronoun = self.t.lower[k]
            if pronoun in self.lex.person_pronouns or pronoun in self.lex.group_pronouns:
                return self._pronoun_actor(k, holder)
            definite = self._definite_at(k)
            # "menanggapi latihan tersebut dengan meminta": what is answered is no subject; "urged the court to
            # refuse" is one that acts
            if definite is not None and (not self._after_verb(k, scope) or self._object_acts(k + 2, p)):
                return definite
        return None

    def _short_form_of_previous(self, mention: Mention) -> bool:
        """"Japan International Cooperation Agency (JICA)": the bracketed short form; the full name decides."""
        k = self._previous_word(mention.start)
        if k < 0 or self.t.text[k] != "(":
            return False
        before = self.mention_at.get(self._previous_word(k))
        return before is not None and before.entity_id == mention.entity_id

    def _next_word(self, k: int) -> int:
        """Index of the first non-space token after k, the token count at the end."""
        k += 1
        while k < self.t.n and self.t.space[k]:
            k += 1
        return k

    def _previous_word(self, k: int) -> int:
        """Index of the last non-space token before k, -1 at the start."""
        k -= 1
        while k >= 0 and self.t.space[k]:
            k -= 1
        return k

    def _object_of_verb(self, mention: Mention, scope: int) -> bool:
        """"... thanked Darwin and called on ...": a name right after a verb is its object, not the subject; so is
        one right after a verb's trigger phrase ("memanggil duta besar Rusia")."""
        governing = self._trigger_before(mention.start)
        return self._after_verb(mention.start, scope) or (
            governing is not None and governing[0] >= scope and self.tag[governing[0]] == "VERB")

    def _after_verb(self, start: int, scope: int) -> bool:
        """True when the phrase starting at token start follows a verb: it is that verb's object."""
        k = self._previous_word(start)
        if k in self.a.title_tokens:
            return False  # "provincial secretary Yulius Rumengan will visit": a titled name starts its clause
        while k >= scope and (k in self.a.title_tokens or self.t.lower[k] in self.lex.determiners):
            k = self._previous_word(k)
        if k < scope:
            return False
        word = self.t.text[k]
        if not word.isalpha() or not word.islower():
            return False
        if self.lex.verb_pattern is not None and not self.lex.verb_pattern.match(word):
            return False
        if self.tag[k] in ("ADJ", "NUM"):
            # "Austria's conservative People's Party" is a subject; "launched multiple North Korean missiles" is not:
            # the parse tells an adjective from a verb, and what stands before the adjective decides.
            before = self._previous_word(k)
            return before >= scope and self.tag[before] in ("VERB", "AUX")
        if self.tag[k] in ("NOUN", "PROPN", "ADV"):
            return False
        # "officials of the Ministry of Labour": the small words inside names ("of", "for") are no verbs either.
        return word not in self.lex.subject_openers and word not in self.lex.group_nouns \
            and word not in self.lex.prepositions and word not in self.lex.org_descriptors \
            and word not in self.lex.name_glue

    def _new_clause_after(self, k: int) -> bool:
        """True when the coordinator at token k opens a clause: an actor, then a verb."""
        j = k + 1
        while j < self.t.n and self.t.space[j]:
            j += 1
        mention = self.mention_at.get(j)
        return mention is not None and mention.start == j and self._verb_follows(mention.end - 1)

    def _verb_follows(self, k: int) -> bool:
        """True when a lower-case word that is not a determiner or preposition follows token k."""
        j = k + 1
        while j < self.t.n and self.t.space[j]:
            j += 1
        if j >= self.t.n:
            return False
        word = self.t.text[j]
        return word.isalpha() and word.islower() and word not in self.lex.determiners \
            and word not in self.lex.prepositions and word not in self.lex.coordinators \
            and j not in self.a.title_tokens  # "и главой МЧС ...": a title opens a name

    def _skip_address(self, k: int, limit: int) -> int:
        """Past ", Sabah, Malaysia" after a place: the rest of an address."""
        while k + 1 < limit and self.t.text[k] == ",":
            following = self.mention_at.get(k + 1) or (self.mention_at.get(k + 2) if self.t.space[k + 1] else None)
            if following is None or not self.a.entity(following.entity_id).is_place:
                break
            k = following.end
        return k

    def _controls(self, mention: Mention, p: int) -> bool:
        """"accused Pyongyang of supplying", "meyakinkan Pyongyang untuk menjual": the object acts in the trigger;
        so does one the parse makes the subject of the verb right after it ("menuduh Korea Utara memasok")."""
        governing = self._trigger_before(mention.start)
        if governing is not None and governing[1].type not in self.lex.object_control_types:
            return False  # "memanggil duta besar Rusia untuk memprotes": the one who summons protests
        right_after = self._previous_word(p) == mention.end - 1
        return self._object_acts(mention.end, p) or (
            right_after and self.head[mention.start] == p and self.dep[mention.start].startswith("nsubj"))

    def _trigger_before(self, start: int, reach: int = 4) -> tuple[int, TriggerSpec] | None:
        """The trigger phrase ending right before token start (determiners and titles between allowed), with the
        token it starts at."""
        end = start
        while (k := self._previous_word(end)) >= 0 and (k in self.a.title_tokens or
                                                         self.t.lower[k] in self.lex.determiners):
            end = k
        k = end
        for _ in range(reach):
            k = self._previous_word(k)
            if k < 0:
                break
            sizes = [(self._phrase_length(k, spec.words, start), spec) for spec in self._specs_at(k)]
            # the longest phrase that reaches the name or its title: "memanggil duta besar" before "Rusia"
            reaching = [(size, spec) for size, spec in sizes if size and k + size >= end]
            if reaching:
                return k, max(reaching, key=lambda pair: pair[0])[1]
        return None

    def _object_acts(self, end: int, p: int) -> bool:
        """True when an object ending before token end is the one to do the trigger at p ("urged the court to
        refuse")."""
        # "accused Moscow on Wednesday of helping": a date between says when, not who
        between = [self.t.lower[k] for k in range(end, p) if not self.t.space[k] and k not in self.date_tokens]
        infinitive = self.lex.infinitive
        if not between:
            # "пригласил Путина посетить КНДР": the trigger itself is the infinitive the object is to do
            return infinitive is not None and infinitive.search(self.t.lower[p]) is not None
        return len(between) <= 2 and (between[0] in self.lex.control_markers or (
            infinitive is not None and infinitive.search(between[0]) is not None))

    def _possessor_of_later(self, mention: Mention, limit: int) -> bool:
        """A name followed by 's with another name shortly after it, in the same noun phrase: "Mongolia's western
        province of Bayan-Olgii", not "Hamas's response to the proposal for Gaza"."""
        k = mention.end
        if k >= self.t.n or self.t.lower[k] not in ("'s", "’s"):
            return False
        for j in range(k + 1, min(limit, k + 7)):
            if j in self.mention_at:
                return True
            if self.t.lower[j] in self.lex.prepositions and self.t.lower[j] != "of" or self.t.text[j] in ",;:":
                return False
        return False

    def _office_country(self, mention: Mention) -> bool:
        """"Presiden Rusia Vladimir Putin", "his South Korean counterpart Cho": the office's country, not an actor."""
        # "Gubernur Jawa Timur Siti Rahmawati", "Wali Kota Surabaya Eri Cahyadi" too; and a body the knowledge base
        # does not know, named by a title ("директора компании «Уралгидрострой-О» Виктора Лаптева"): a known one
        # ("Komisioner Perdagangan Uni Eropa Katrin Lindqvist") is the party its officer speaks for
        entity = self.a.entity(mention.entity_id)
        body = entity.type == "ORG" and not entity.kb and self._title_before(mention.start)
        if not entity.is_place and not body:
            return False
        k = mention.end
        while k < self.t.n and (self.t.space[k] or self.t.text[k] in ",»“\"" or k in self.a.title_tokens):
            k += 1
        following = self.mention_at.get(k)
        titled = body or self._previous_word(mention.start) in self.a.title_tokens or \
            any(j in self.a.title_tokens for j in range(mention.end, k))
        return titled and following is not None and self.a.entity(following.entity_id).type == "PERSON"

    def _title_before(self, k: int) -> bool:
        """A title (and the words of its body) right before token k: "директора подрядной компании «...»"."""
        j = self._previous_word(k)
        while j >= 0 and k - j <= 4 and (self.t.text[j] in "«„\"" or self._describing_word(j)) \
                and j not in self.a.title_tokens:
            j = self._previous_word(j)
        return j >= 0 and j in self.a.title_tokens

    def _modifier(self, mention: Mention) -> bool:
        """"Bitung-based operator", "Moscow-backed": a name used as an adjective is not an actor."""
        k = mention.end
        return k + 1 < self.t.n and self.t.text[k] in "-‐" and self.t.text[k + 1][:1].islower()

    def _acts_on_people(self, k: int, ce: int) -> bool:
        """True when the act falls on people no name stands for ("fired on protesters", "menyerang warga"): an
        event without a target, rather than none."""
        for j in range(k, min(ce, k + 4)):
            if self.t.lower[j] in self.lex.people:
                return True
            if j in self.mention_at or self.t.text[j] in ",.;":
                return False
        return False

    def _reciprocal(self, spec: TriggerSpec) -> bool:
        """True for acts two sides do to each other: meetings and deals, and a trigger marked mutual ("clashed")."""
        return spec.type in self.lex.reciprocal or spec.mutual

    def _home_origin(self, target: _Actor, source: _Actor) -> bool:
        """True for a town of the source's own country after "from"/"dari": where it sent something from
        ("New Zealand sent a navy ship from Auckland"), not whom it reached."""
        mention = self.mention_at.get(target.token)
        entity = self.a.entity(target.entity_id)
        return mention is not None and entity.kind == "city" and entity.country is not None \
            and entity.country == self.a.entity(source.entity_id).country \
            and self._preceded_by_preposition(mention, self.lex.origin) is not None

    def _directed_before(self, source: _Actor, p: int) -> list[_Actor]:
        """An actor marked as where something goes ("в КНДР", "to Russia") between the source and the trigger."""
        mention = self.mention_at.get(source.token)
        k = mention.end if mention is not None else source.token + 1
        while k < p:
            found = self.mention_at.get(k)
            if found is None or found.start != k:
                k += 1
                continue
            actor = self._as_actor(found)
            if actor is not None and actor.entity_id != source.entity_id and \
                    self._preceded_by_preposition(found, self.lex.direction) is not None:
                return [actor]
            k = found.end
        return []

    def _asked_verb_between(self, p: int, size: int, j: int) -> bool:
        """True when the parse hangs a verb of what is asked on the trigger at p, between it and token j."""
        return any(self.tag[x] == "VERB" and self.dep[x] in ("xcomp", "ccomp") and p <= (self.head[x] or -1) < p + size
                   for x in range(p + size, j))

    def _own_state(self, target: _Actor, source: _Actor, event_type: str) -> bool:
        """True when the target is the source's own country and the act is not one aimed at one's own state."""
        if event_type in self.lex.own_state_target_types:
            return False
        entity, doer = self.a.entity(target.entity_id), self.a.entity(source.entity_id)
        return entity.kind == "country" and doer.kind != "country" and doer.country is not None \
            and doer.country == entity.country

    def _owns(self, owner: _Actor, actor: _Actor) -> bool:
        """True when the actor is named as the owner's ("Uganda's Ministry of Works"): a body's own state is not
        the other side of what the body does."""
        mention = self.mention_at.get(actor.token)
        if mention is None:
            return False
        k = self._previous_word(mention.start)
        if k < 0 or self.t.lower[k] not in ("'s", "’s", "'"):
            return False
        possessor = self.mention_at.get(self._previous_word(k))
        named = self._as_actor(possessor) if possessor is not None else None
        return named is not None and named.entity_id == owner.entity_id

    def _of_group(self, mention: Mention) -> bool:
        """"officials from the Baku port", "rombongan Kadin": the group stands for its organisation."""
        k = self._previous_word(mention.start)
        while k >= 0 and self.t.lower[k] in self.lex.determiners:  # "officials of the Ministry of Labour"
            k = self._previous_word(k)
        if k >= 0 and self.t.lower[k] in self.lex.group_nouns:
            return True
        if k >= 0 and self.t.lower[k] in self.lex.locative \
                and self.a.entity(mention.entity_id).kind in ("city", "region"):
            return False  # "representatives in Brasília": where they met, not whom they speak for
        before = self._previous_word(k) if k >= 0 else -1
        return before >= 0 and self.t.lower[before] in self.lex.group_nouns

    def _government_at(self, k: int) -> _Actor | None:
        """"the government", "pemerintah" with no country named: the state the article speaks of, its language's
        home country first when the article names it ("pemerintah berencana ..." in Indonesian news is Jakarta's)."""
        lower = self.t.lower
        if lower[k] not in self.lex.government_words or k in self.mention_at:
            return None
        nxt = k + 1
        while nxt < self.t.n and self.t.space[nxt]:
            nxt += 1
        if nxt < self.t.n and (nxt in self.mention_at or self.t.text[nxt][:1].isupper()
                               or lower[nxt] in self.lex.regional_qualifiers or lower[nxt] in self.lex.between
                               or lower[nxt] in self.lex.origin):
            return None  # "Pemerintah Jepang", "pemerintah daerah", "the government of Japan": not the bare word
        before = self._previous_word(k)
        if self.lex.definite_before and not (before >= 0 and (lower[before] in self.lex.definite_before or (
                self.t.text[before].islower() and lower[self._previous_word(before)] in self.lex.definite_before))):
            return None  # English says "the government" ("the outgoing government"); a bare "government" is a word
        if before >= 0 and (before in self.mention_at or lower[before] in self.lex.regional_qualifiers):
            return None  # "the Iraqi government" is named; "the local government" is not the state
        counts = self._countries_before(k)
        home = [c for c in self.lex.home_countries if counts.get(c)]
        country = home[0] if home else next((c for c, _ in counts.most_common(1)), None)
        state = self.kb.country(country)
        return _Actor(state.id, k, resolved=True) if state else None

    def _last_organisation_before(self, k: int) -> tuple[int, str] | None:
        """The organisation named last before token k, in its sentence or the one before: what a bare "the group"
        points back to when no name holds the word."""
        for mention in self._mentions_before(k):
            if self.t.sentence[mention.start] < self.t.sentence[k] - 1:
                return None
            entity = self.a.entity(mention.entity_id)
            if entity.type == "ORG" and entity.kind != "country":
                return mention.start, entity.id
        return None

    def _definite_at(self, k: int) -> _Actor | None:
        """"the ministry", "perusahaan itu": the last organisation or place named with that word."""
        lower = self.t.lower
        government = self._government_at(k)
        if government is not None:
            return government
        owner = self._owner_of_members(k) or self._served_by(k)
        if owner is not None:
            return owner
        noun = None
        if lower[k] in self.lex.definite_before and k + 1 < self.t.n and k + 1 not in self.mention_at \
                and self.t.text[k + 1].islower():
            noun = lower[k + 1]  # "the ministry"; not "the Baku port", which is a name
        elif k + 1 < self.t.n and lower[k + 1] in self.lex.definite_after and self.t.text[k].islower():
            noun = lower[k]
        elif lower[k].endswith("nya") and len(lower[k]) > 5:
            noun = lower[k][:-3]  # "perusahaannya": its company
        elif k + 1 < self.t.n and self.t.text[k].islower() and self.t.text[k + 1].islower():
            # "union leaders", "company executives"; "pejabat perusahaan": the people stand for their organisation
            if lower[k] in self.lex.org_descriptor_sectors and lower[k + 1] in self.lex.group_nouns:
                noun = lower[k]
            elif lower[k] in self.lex.group_nouns and lower[k + 1] in self.lex.org_descriptor_sectors:
                noun = lower[k + 1]
        if not noun or not noun.isalpha():
            return None
        sector = self.lex.org_descriptor_sectors.get(noun)
        # The organisation or state last named with that word in its name, or ("perusahaannya", "the company")
        # the organisation of that sector the article has named most so far (a story about one firm may name a
        # cooperative in passing), whichever was named later.
        found = [_last_before(self.antecedents.get(("word", noun), ()), k)]
        if sector:
            found.append(_most_named_before(self.antecedents.get(("sector", sector), []), k))
        latest = max(found, default=None, key=lambda hit: -1 if hit is None else hit[0])
        if latest is None and noun in self.lex.generic_org_nouns:
            latest = self._last_organisation_before(k)  # "Hamas official Basem Naim said the group had ..."
        if latest is None:
            return None
        entity = self.a.entity(latest[1])
        if entity.type not in ACTOR_TYPES or (entity.kind in ("region", "facility") and entity.type != "GPE"):
            return None  # "the port", "pusat itu": a facility named before is a place, not who acts
        return _Actor(latest[1], k, resolved=True)

    def _owner_of_members(self, k: int) -> _Actor | None:
        """"its sailors", "personelnya": people who serve an organisation or state act for the one last named."""
        lower = self.t.lower[k]
        before = self._previous_word(k)
        possessed = lower in self.lex.member_nouns and before >= 0 and self.t.lower[before] in self.lex.possessive_before
        possessed = possessed or any(lower.endswith(suffix) and lower[: -len(suffix)] in self.lex.member_nouns
                                     for suffix in self.lex.possessive_suffixes)
        if not possessed:
            return None
        first_sentence = self.t.sentence[k] - 1
        j = k - 1
        while j >= 0 and self.t.sentence[j] >= first_sentence:
            mention = self.mention_at.get(j)
            if mention is not None and mention.start == j:
                entity = self.a.entity(mention.entity_id)
                if entity.type == "ORG" or entity.kind == "country":
                    return _Actor(mention.entity_id, k, resolved=True)
            j -= 1
        return None

    def _served_by(self, k: int) -> _Actor | None:
        """"polisi menangkap buruh", "officers had fired": a bare word for those who serve one kind of body acts
        for the body of that kind the article named last ("Polda Metro Jaya")."""
        marks = self.lex.members_of.get(self.t.lower[k])
        if not marks:
            return None
        nxt = k + 1
        while nxt < self.t.n and self.t.space[nxt]:
            nxt += 1
        if nxt < self.t.n and (nxt in self.mention_at or self.t.text[nxt][:1].isupper()):
            return None  # "polisi Malaysia", "penyidik KPK": the body is named right there
        hits = [hit for mark in marks if (hit := _last_before(self.antecedents.get(("word", mark), []), k))]
        if not hits:
            return None
        return _Actor(max(hits)[1], k, resolved=True)

    def _agent_told_before(self, event_type: str, patient: _Actor | None, sentence: int) -> _Actor | None:
        """Who did an act a passive leaves without agent: the one who just did the same to the same party, or the
        one who just acted on this party ("Kejagung menetapkan Hendra ... Hendra langsung ditahan")."""
        for event in reversed(self.history):
            if event.sentence < sentence - 1:
                break
            if event.sentence == sentence:
                continue
            same_party = patient is not None and event.target_id == patient.entity_id
            if same_party or (event.type == event_type and patient is None):
                return _Actor(event.source_id, -1, resolved=True)
        return None

    def _claim_follows(self, k: int, ce: int) -> bool:
        """True when the trigger's object is a claim already told: "rejected that account", "membantah tuduhan itu"."""
        lower = self.t.lower
        words = [j for j in range(k, min(ce, k + 5)) if not self.t.space[j]][:3]
        for n, j in enumerate(words):
            if lower[j] in self.lex.claim_nouns:
                before = [lower[x] for x in words[:n]]
                after = words[n + 1] if n + 1 < len(words) else None
                return bool(before and all(w in self.lex.determiners or w in self.lex.definite_before or
                                           w in self.lex.demonstratives for w in before)) or \
                    (after is not None and lower[after] in self.lex.definite_after)
            if j in self.mention_at:
                return False
        return False

    def _claimant_before(self, sentence: int, source_id: str) -> _Actor | None:
        """Who made the claim a trigger answers: the last accuser in the two sentences before, else the last
        speaker there ("Kyrgyzstan's GKNB said Tajik troops opened fire first. Tajikistan rejected that account.")."""
        for event in reversed(self.history):
            if event.sentence < sentence - 2:
                break
            if event.sentence < sentence and event.type == "ACCUSE" and event.source_id != source_id:
                return _Actor(event.source_id, -1, resolved=True)
        first = next((k for k in range(self.t.n) if self.t.sentence[k] >= sentence - 2), 0)
        last = next((k for k in range(first, self.t.n) if self.t.sentence[k] >= sentence), self.t.n)
        for k in range(last - 1, first - 1, -1):
            if (self.t.lower[k],) in self.lex.after_speaker:
                start = next(j for j in range(k, -1, -1) if self.t.sent_start[j])
                holder = self._holder_before(k, start)
                if holder is not None and holder.entity_id != source_id:
                    return _Actor(holder.entity_id, -1, resolved=True)
        return None

    def _doer_of_act_told(self, k: int, ce: int) -> _Actor | None:
        """The actor of an act named again after a trigger ("condemned the launch", "mengecam peluncuran itu"):
        whoever did the latest act of that kind."""
        for j in range(k, min(ce, k + 4)):
            specs = self._specs_at(j)
            told = [spec for spec in specs if (size := self._phrase_length(j, spec.words, ce))
                    and self._told_before(j, size, ce)]  # "the launch", "the arms transfers"
            if told:
                kinds = {spec.type for spec in told}
                for event in reversed(self.history):
                    if event.type in kinds:
                        return _Actor(event.source_id, j, resolved=True)
                return None
        return None

    def _pair_subject(self, p: int, scope: int, holder: _Actor | None) -> list[_Actor]:
        """"kedua negara mereka mengadakan latihan": a pair phrase as the subject gives both sides."""
        skip = {holder.entity_id} if holder else set()
        for k in range(p - 1, max(scope, p - 6) - 1, -1):
            if self.t.text[k] == ",":
                break  # "Russia, which has bases in both countries, called on ...": an aside is not the subject
            size, pair = self._pair_at(k, skip)
            if size and k + size <= p:
                return pair
        return []

    def _skip_relative_clause(self, comma: int, scope: int) -> int:
        """From a closing comma, jump back over ", yang ... ," (or a participle's ", распространенном агентством
        ЦТАК,") so its actors are not taken as the subject."""
        for k in range(comma - 1, scope - 1, -1):
            if self.t.text[k] == ",":
                opener = k + 1
                while opener < comma and self.t.space[opener]:
                    opener += 1
                # ", yang ... ," and ", pemimpin Korea Utara," are asides about the name before them; after a
                # plain noun, ", the National Reform Coalition," is the name itself ("Iraq's largest alliance, the
                # National Reform Coalition, met ...").
                named_before = self.mention_at.get(self._previous_word(k)) is not None
                participle = bool(self.lex.participle_endings) and self.t.text[opener].islower() \
                    and self.t.text[opener].endswith(self.lex.participle_endings)
                if opener < comma and (self.t.lower[opener] in self.lex.relative or opener in self.a.title_tokens
                                       or participle
                                       or (self.t.lower[opener] in self.lex.determiners and named_before)):
                    return k
                return comma
        return comma

    def _agent_after(self, p: int, ce: int, markers: frozenset[str] | None = None) -> _Actor | None:
        """A passive's agent: "ditahan oleh kapal patroli APMM", "was detained by the coast guard"."""
        for k in range(p, min(ce, p + 6)):
            if self.t.lower[k] in (markers or self.lex.agent):
                for j in range(k + 1, min(ce, k + 5)):
                    mention = self.mention_at.get(j)
                    if mention:
                        return self._as_actor(mention)
                return None
        return None

    def _name_right_after(self, k: int, ce: int) -> _Actor | None:
        """The actor named right after token k (titles and the body's members skipped: "задержан сотрудниками
        ГУ МВД"), for a passive whose agent needs no marker."""
        titled = False
        while k < ce and (self.t.space[k] or k in self.a.title_tokens or self.t.lower[k] in self.lex.member_nouns):
            titled = titled or k in self.a.title_tokens
            k += 1
        mention = self.mention_at.get(k)
        if titled and (mention is None or self._office_country(mention)):
            # "председателем Государственных дел КНДР Ким Чен Ыном": past the office's words to its holder
            for j in range(k, min(ce, k + 6)):
                held = self.mention_at.get(j)
                if held is not None and held.start == j and self.a.entity(held.entity_id).type == "PERSON":
                    return self._as_actor(held)
                if self.t.text[j] in ",.;:()":
                    break
        return self._as_actor(mention) if mention is not None and mention.start == k else None

    def _actors_from(self, k: int, limit: int, skip: set[str], list_limit: int | None = None) -> list[_Actor]:
        """Actors from token k on: the first one (before limit), plus any coordinated with it ("Rusia dan Korea
        Utara"), up to list_limit."""
        actors: list[_Actor] = []
        separated, described = False, 0
        while k < (limit if not actors or list_limit is None else list_limit):
            size, pair = self._pair_at(k, skip)
            if size:
                return pair
            if _starts_phrase(self.t.lower, k, self.lex.before_speaker) or (
                    self.t.text[k] == "," and k + 1 < limit and self.t.lower[k + 1] in self.lex.relative):
                break
            if self.t.lower[k] in self.lex.coordinators and self._verb_follows(k):
                break  # "met in Washington and urged Pyongyang ...": the next verb has its own object
            if self.t.lower[k] in self.lex.coordinators and k > 0 and self.t.text[self._previous_word(k)] == "," \
                    and self._new_clause_after(k):
                break  # "..., dan Pyongyang menyusul meratifikasinya": a new subject with its own verb
            mention = self.mention_at.get(k)
            if mention is None and not actors:
                definite = self._definite_at(k)
                if definite is not None and definite.entity_id not in skip:
                    return [definite]
            if mention is None:
                if self.t.lower[k] in self.lex.coordinators or self.t.text[k] == ",":
                    separated, described = True, 0
                elif self.t.text[k] in "»“\"" and actors and not separated:
                    pass  # the quote closing a name: «Примтрансфлот Восток»
                # "с Паслером и главой МЧС Александром Куренковым": a title opens the next name of the list; so may
                # a few describing words ("..., северокорейской внешнеторговой компании «Раджин Кёнхын»")
                elif actors and not self.t.space[k] and k not in self.a.title_tokens and not (
                        separated and described < 4 and (self._describing_word(k) or self.t.text[k] in "«„\"»“")):
                    break
                elif actors and separated and not self.t.space[k]:
                    described += 1
                k += 1
                continue
            separated = False
            k = mention.end
            if self._is_locative(mention) or self._preceded_by_preposition(mention, self.lex.agent | self.lex.companions) \
                    or self._town_of_origin(mention):
                if actors:
                    break
                k = self._skip_address(k, limit)  # "di Tawau, Sabah, Malaysia": the whole address is a place
                continue
            if actors and mention.end < self.t.n and _starts_phrase(self.t.lower, mention.end, self.lex.after_speaker):
                break  # "..., Yonhap melaporkan": a source cited, not a party
            if self._modifier(mention):
                continue  # "Baku-based Caspian Bridge Logistics": the city describes the firm
            if not actors and self._possessor_of_later(mention, limit):
                continue  # "Mongolia's western province of Bayan-Olgii": the province is the party
            actor = self._as_actor(mention)
            if actor is None or actor.entity_id in skip or self._office_country(mention):
                continue
            actors.append(actor)
        return actors

    def _targets(self, p: int, size: int, ce: int, skip: set[str]) -> list[_Actor]:
        """The first actor after the trigger and those coordinated with it."""
        return self._actors_from(p + size, min(ce, p + size + 16), skip, list_limit=ce)

    def _between(self, p: int, size: int, ce: int, skip: set[str]) -> list[_Actor]:
        """"negosiasi senjata antara A dan B": both sides, right after the trigger."""
        for k in range(p + size, min(ce, p + size + 2)):
            if self.t.lower[k] in self.lex.between:
                return self._actors_from(k + 1, ce, skip)
        return []

    def _subject_group(self, source: _Actor, p: int, scope: int) -> list[_Actor]:
        """The source and actors coordinated with it before the trigger, in reading order
        ("Amerika Serikat dan sekutunya, Korea Selatan")."""
        group = [source]
        for k in range(scope, p):
            mention = self.mention_at.get(k)
            if mention is None or k != mention.start or mention.start == source.token:
                continue
            if (self._preceded_by_preposition(mention, self.lex.prepositions) and not self._of_group(mention)) \
                    or self._office_country(mention):
                continue
            source_mention = self.mention_at.get(source.token)
            source_end = source_mention.end if source_mention else source.token + 1
            gap = range(mention.end, source.token) if k < source.token else range(source_end, k)
            between = [self.t.lower[x] for x in gap]
            # Only a list joins them: "A dan B", "A, B and C", "Amerika Serikat dan sekutunya, Korea Selatan".
            loose = [x for x in gap if x not in self.mention_at and self.t.lower[x] not in self.lex.coordinators
                     and self.t.text[x] not in ",-‐" and not self.t.space[x] and self.t.text[x - 1] not in "-‐"
                     and self.t.lower[x] not in self.lex.org_descriptors and x not in self.a.title_tokens]
            if any(w in self.lex.coordinators for w in between) and len(loose) <= 1 and \
                    not self._object_of_verb(mention, scope) and \
                    not self._preceded_by_preposition(mention, self.lex.according_words):
                actor = self._as_actor(mention)
                if actor and actor.entity_id != source.entity_id:
                    group.append(actor)
        return sorted(group, key=lambda a: a.token)

    def _object_relative_targets(self, source: _Actor, start: int, p: int) -> list[_Actor]:
        """"..., yang Korea Utara kecam": the trigger's object is the main clause's subject."""
        k = source.token - 1
        while k >= start and self.t.space[k]:
            k -= 1
        if k < start or self.t.lower[k] not in self.lex.relative or k == start \
                or self.t.lower[k] in self.lex.complementizers:
            return []  # "said that Moscow ...": "that" opens what was said, not a relative clause
        first = next((self.mention_at[j] for j in range(start, k) if j in self.mention_at), None)
        if first is None:
            return []
        head = self._as_actor(first)
        if head is None:
            return []
        return [a for a in self._subject_group(head, k, start) if a.entity_id != source.entity_id]

    def _modality(self, p: int, scope: int, cs: int, source: _Actor, holder: _Actor | None) -> str:
        """The strongest modality cue before the trigger, else reported when someone else states it."""
        lower = self.t.lower
        before = [lower[k] for k in range(max(scope, p - 3), p) if not self.t.space[k]][-2:]
        if any(word in self.lex.negators for word in before):
            return "denied"  # "tidak mengirim", "stopped supplying", "did not send": stated as not done
        # "said it will challenge the ban and accused ...": a coordinated verb starts its own modality.
        verb_start = max((k + 1 for k in range(scope, p) if lower[k] in self.lex.coordinators
                          and self._verb_follows(k)), default=scope)
        if self.dep[p] == "acl:relcl" or (self.dep[p] == "acl" and
                                          self.tag[self._previous_word(p)] in ("NOUN", "PROPN")):
            # "would consider ... a pact signed by Russia", "perjanjian yang ditandatangani": a clause that describes
            # a noun has its own modality, from its relative word on
            verb_start = max([verb_start] + [k + 1 for k in range(verb_start, p) if lower[k] in self.lex.relative]) \
                if self.dep[p] == "acl:relcl" else p
        for kind in MODALITY_ORDER:
            # A denial governs what is said after it ("X denied that ..."); other cues only their own clause.
            start = cs if kind == "denied" else verb_start
            cues = self.lex.modality[kind]
            for k in range(start, p):
                for size in self.lex.modality_sizes[kind]:
                    if k + size <= p and tuple(lower[k:k + size]) in cues:
                        return kind
        if holder is not None and holder.entity_id != source.entity_id and not self._speaks_for(holder, source):
            return "reported"
        return "asserted"

    def _speaks_for(self, holder: _Actor, source: _Actor) -> bool:
        """True when the speaker belongs to the state that acts: the Kremlin saying what Moscow does asserts it."""
        actor = self.a.entity(source.entity_id)
        return actor.kind == "country" and self.a.entity(holder.entity_id).country == actor.country

    def _date(self, p: int, sentence_range: tuple[int, int], clause: tuple[int, int],
              inherit: bool = True) -> tuple[str, str]:
        """The trigger's own date: a date phrase the parse attaches to its clause, else the nearest in its clause,
        else the nearest in the sentence (the nearest before it, in a language whose verbs close their clause);
        with none, the date of the sentence it goes on from (for what happened,
        not for plans or conditions), else the publication date."""
        char = self.t.idx[p]
        start, end = sentence_range
        in_sentence = [d for d in self.dates if start <= d.start < end]
        sentence = self.t.sentence[p]
        if in_sentence:
            clause_chars = (self.t.idx[clause[0]], self.t.end[clause[1] - 1] if clause[1] > clause[0] else end)
            attached = [d for d in in_sentence if self._attached_to(d, p)]
            # "nota kesepahaman tahun 1974": a date that describes a thing, not when the act happened.
            free = [d for d in in_sentence if d.precision != "year" or not self._describes_noun(d, p)]
            in_clause = [d for d in free if clause_chars[0] <= d.start < clause_chars[1]]
            if not (attached or in_clause or free):
                return self._undated(sentence, inherit)
            pool = attached or in_clause or free
            before = [d for d in pool if d.start < char] if self.lex.dates_before_verb else []
            best = max(before, key=lambda d: d.start) if before else min(pool, key=lambda d: abs(d.start - char))
            self.sentence_dates[sentence] = (best.value, best.precision)
            return best.value, best.precision
        return self._undated(sentence, inherit)

    def _undated(self, sentence: int, inherit: bool) -> tuple[str, str]:
        """The date of an act its sentence does not date: the sentence before it in the paragraph, or the story's."""
        previous = self.sentence_dates.get(sentence - 1)
        # A plan's date ("... will visit next month") dates no act told after it.
        ahead = previous is not None and self.published is not None and previous[0] and \
            previous[0] > self.published.isoformat()[:len(previous[0])]
        if inherit and previous is not None and not ahead and \
                self.paragraph.get(sentence) == self.paragraph.get(sentence - 1):
            self.sentence_dates[sentence] = previous
            return previous  # "Pada 19 Juni, Putin tiba di Pyongyang. Ia bertemu Kim ...": the same day
        if self.published is not None:
            return self.published.isoformat(), "article"
        return "", "article"

    def _describes_noun(self, date: DateMention, p: int) -> bool:
        """True when the parse hangs the date phrase on a noun other than the trigger ("perjanjian tahun 1974"); a
        phrase a preposition opens ("in 1990", "pada tahun 1990") says when, wherever the parse hangs it."""
        k = self.token_at_char.get(date.start)
        if k is None or self.head[k] is None or self.dep[k] == "case":
            return False
        steps = 0
        while self.dep[k] in ("case", "det", "nummod", "flat", "compound", "fixed", "amod") and self.head[k] != k \
                and steps < 6:
            k, steps = self.head[k], steps + 1  # up to the head of the date phrase
        head = self.head[k]
        return self.dep[k] in ("nmod", "nmod:poss", "appos") and head is not None and head != p \
            and self.tag[head] in ("NOUN", "PROPN")

    def _not_after_publication(self, date: str, precision: str) -> str:
        """What happened cannot be dated after the story: "vetoed in March", told in November, is last March."""
        if self.published is None or precision not in ("day", "month") or not date:
            return date
        if date[:len(self.published.isoformat()[:7])] <= self.published.isoformat()[:len(date)]:
            return date
        year = int(date[:4]) - 1
        return f"{year}{date[4:]}" if year >= self.published.year - 1 else date

    def _according_to_after(self, p: int, end: int) -> bool:
        """An "according to ..." after the trigger in the same sentence."""
        lower = self.t.lower
        return any((lower[k],) in self.lex.according_to or tuple(lower[k:k + 2]) in self.lex.according_to
                   for k in range(p + 1, end))

    def _attached_to(self, date: DateMention, p: int) -> bool:
        """True when the parse hangs the date phrase on the trigger's own verb (not on another clause's)."""
        k = self.token_at_char.get(date.start)
        if k is None or self.head[k] is None:
            return False
        while k is not None and self.dep[k] in ("case", "det", "nmod", "nummod", "flat", "amod", "compound", "fixed"):
            if self.head[k] == k:
                break
            k = self.head[k]  # from a word of the phrase up to its head ("pada Rabu (19/6)")
        return k is not None and self.head[k] == p and self.dep[k].startswith(("obl", "advmod", "nmod"))

    def _paragraphs(self) -> dict[int, int]:
        """Each sentence's paragraph number: a line break starts a new paragraph."""
        paragraphs: dict[int, int] = {}
        current = 0
        for k in range(self.t.n):
            if self.t.space[k] and "\n" in self.t.text[k]:
                current += 1
            paragraphs.setdefault(self.t.sentence[k], current)
        return paragraphs

    def _place(self, start: int, end: int, used: set[str], reached: bool = False) -> str | None:
        """Where it happened: a city, region or facility in the clause ("di Vladivostok" first), not an actor;
        with reached, only a place it goes to: "sent a navy ship from Auckland" does not reach Auckland."""
        candidates = []
        for k in range(start, end):
            if _starts_phrase(self.t.lower, k, self.lex.before_speaker):
                break
            mention = self.mention_at.get(k)
            if mention is None or k != mention.start or mention.entity_id in used:
                continue
            if reached and self._preceded_by_preposition(mention, self.lex.origin):
                continue
            entity = self.a.entity(mention.entity_id)
            if entity.kind in ("city", "region", "facility") or (
                    reached and entity.kind == "country" and self._is_locative(mention)):
                # "bantuan kepada para pengungsi di Bangladesh": aid for people in a country reaches the country.
                candidates.append((not self._is_locative(mention), k, entity.id))
        return min(candidates)[2] if candidates else None

    def _genitive_agent(self, p: int, size: int, ce: int) -> _Actor | None:
        """The actor right after a noun trigger ("kunjungan Putin", "serangan Rusia"), for languages that put it there."""
        pattern = self.lex.nominal_trigger
        if pattern is None or not pattern.match(self.t.lower[p]) or self.t.lower[p + size - 1] in self.lex.prepositions:
            return None  # the head noun decides ("pengiriman pasukan"); "lawatan ke X" names where, not who
        k = p + size
        while k < ce and self.t.space[k]:
            k += 1
        mention = self.mention_at.get(k)
        if mention is None:
            return None  # "pasukan Korea Utara" may begin inside the trigger: the mention covering k counts
        return self._as_actor(mention)

    def _possessive_agent(self, p: int, cs: int) -> _Actor | None:
        """The actor whose act a noun trigger names with a possessive: "North Korea's arms deliveries to Russia",
        "Russia's attack on Ukraine"; up to two lower-case words may stand between ("Russia's full-scale invasion")."""
        if self.tag[p] not in ("NOUN", "PROPN"):
            return None  # the parse says whether the trigger is a noun; unparsed sentences keep the other rules
        k = self._previous_word(p)
        for _ in range(2):
            if k >= cs and self.t.lower[k] not in ("'s", "’s", "'") and self.t.text[k].islower() \
                    and self.t.text[k].replace("-", "").isalpha():
                k = self._previous_word(k)
        if k < cs or self.t.lower[k] not in ("'s", "’s", "'"):
            return None
        mention = self.mention_at.get(self._previous_word(k))
        return self._as_actor(mention) if mention is not None else None

    def _origin_agent(self, p: int, size: int, ce: int) -> _Actor | None:
        """The actor a noun trigger comes from: "menuai kritik dari Jepang", "drew criticism from Japan"."""
        last = p + size - 1
        if self.tag[p] not in ("NOUN", "PROPN") or self.tag[last] not in ("NOUN", "PROPN"):
            return None  # "mengirim bantuan dari Yangon": a verb's act goes from where it starts
        k = last + 1
        while k < ce and self.t.space[k]:
            k += 1
        if k >= ce or self.t.lower[k] not in self.lex.origin:
            return None
        for j in range(k + 1, min(ce, k + 4)):
            mention = self.mention_at.get(j)
            if mention is not None:
                entity = self.a.entity(mention.entity_id)
                if self._is_locative(mention) or (entity.kind == "city" and not self.kb.capital_of(entity.id)):
                    return None  # a town is where it comes from; a capital stands for its state
                return self._as_actor(mention)
        return None

    def _named_agents(self, k: int, ce: int, skip: set[str], bare: bool = False) -> list[_Actor]:
        """The actors right after a passive trigger's agent marker ("oleh", "by"), coordinated ones included; with
        bare, also right after the trigger itself ("ditandatangani Rusia dan Korea Utara")."""
        while k < ce and self.t.space[k]:
            k += 1
        if k >= ce or (self.t.lower[k] not in self.lex.agent and not (bare and k in self.mention_at)):
            return []
        k, described = (k + 1 if self.t.lower[k] in self.lex.agent else k), 0
        while k < ce and (self.t.space[k] or k in self.a.title_tokens or self._office_country_at(k) or (
                described < 3 and k not in self.mention_at and self._describing_word(k))):
            described += self._describing_word(k) and k not in self.mention_at
            # "oleh Presiden Rusia Vladimir Putin", "oleh politikus Partai Gerindra"
            k = self.mention_at[k].end if k in self.mention_at else k + 1
        first = self.mention_at.get(k)
        actor = self._as_actor(first) if first is not None and first.start == k else None
        if actor is None or actor.entity_id in skip:
            return []
        agents = [actor]
        after = first.end
        while after < ce and self.t.space[after]:
            after += 1
        if after < ce and (self.t.lower[after] in self.lex.coordinators or self.t.text[after] == ","):
            agents += [a for a in self._actors_from(after, ce, skip | {actor.entity_id})]
        if len(agents) >= 2 and self.a.entity(agents[0].entity_id).type == "ORG" and \
                self.a.entity(agents[1].entity_id).type == "PERSON" and self._appositive(agents[0], agents[1]):
            return agents[1:]  # "oleh politikus Partai Gerindra, Darsono,": the party's man acts
        return agents

    def _describing_word(self, k: int) -> bool:
        """A lower-case word that may describe the name after it ("politikus", "the"), not a preposition."""
        word = self.t.text[k]
        return word.isalpha() and word.islower() and word not in self.lex.prepositions \
            and word not in self.lex.coordinators

    def _office_country_at(self, k: int) -> bool:
        """Whether a mention starting at token k is the country of an office: "Presiden Rusia" before a name."""
        mention = self.mention_at.get(k)
        return mention is not None and mention.start == k and self._office_country(mention)

    def _appositive(self, first: _Actor, second: _Actor) -> bool:
        """True when only a comma separates the two actors' names: "Partai Gerindra, Darsono"."""
        one, two = self.mention_at.get(first.token), self.mention_at.get(second.token)
        if one is None or two is None:
            return False
        between = [self.t.text[j] for j in range(one.end, two.start) if not self.t.space[j]]
        return between == [","]

    def _is_passive(self, p: int, spec: TriggerSpec) -> bool:
        """A passive trigger: marked so in the lexicon, or after an auxiliary ("was detained")."""
        if spec.passive:
            return True
        k = self._previous_word(p)
        # neither "is demanding" nor "будет расширять" (a future) is a passive
        return k >= 0 and self.t.lower[k] in self.lex.passive_auxiliaries \
            and not self.t.lower[p].endswith(self.lex.progressive_endings) \
            and not (self.lex.infinitive and self.lex.infinitive.search(self.t.lower[p]))

    def _speaker_for_state(self, source: _Actor, holder: _Actor | None, spec: TriggerSpec) -> _Actor:
        """When a spokesperson voices their own state's concern or protest ("Kirby said the United States is
        concerned ..."), the spokesperson is the source; what the state did or will do stays the state's
        ("Peskov denied that Moscow asked ...")."""
        if holder is None or holder.entity_id == source.entity_id or spec.type not in VOICED_TYPES \
                or spec.mode == "summon":  # "said Seoul would summon the ambassador": the state summons
            return source
        entity = self.a.entity(source.entity_id)
        speaker = self.a.entity(holder.entity_id)
        if entity.kind == "country" and speaker.country == entity.country and speaker.kind != "country":
            return _Actor(holder.entity_id, source.token, source.place_id, True)
        return source

    # ----- the parse -----

    def _parse(self, ranges: list[tuple[int, int]]) -> None:
        """Parse the given sentences with the language's trained parser and map its tokens onto the article's.

        Each name the article links is handed to the parser as one word: a parser trained on a few thousand
        sentences reads "Kadin_Sumatera_Utara bertemu dengan ..." far better than five capitalised words, and a
        dateline ("ULAANBAATAR -") is left out, since it is not part of the sentence."""
        syntax = syntax_pipeline(self.a.profile.code)
        if syntax is None or not ranges:
            return
        # All the sentences in one doc, their boundaries fixed beforehand (the parser keeps them): one pass of
        # the network per article instead of one per sentence.
        words, spaces, starts, members = [], [], [], []
        for start, end in ranges:
            sentence_words, sentence_spaces, sentence_members = self._parser_words(start, end)
            words += sentence_words
            spaces += sentence_spaces
            starts += [True] + [False] * (len(sentence_words) - 1)
            members += sentence_members
        if not words:
            return
        doc = Doc(syntax.vocab, words=words, spaces=spaces, sent_starts=starts)
        for _, component in syntax.pipeline:
            doc = component(doc)
        for token in doc:
            first, *rest = members[token.i]
            head = members[token.head.i][0]
            self.head[first], self.dep[first], self.tag[first] = head, token.dep_, token.tag_
            if head != first:
                self.kids.setdefault(head, []).append(first)
            for k in rest:  # the other words of a name hang on its first word
                self.head[k], self.dep[k], self.tag[k] = first, "flat", token.tag_

    def _parser_words(self, start: int, end: int) -> tuple[list[str], list[bool], list[list[int]]]:
        """The sentence as the parser sees it: words, trailing spaces, and the article's tokens behind each word."""
        words, spaces, members = [], [], []
        k = start
        while k < end and (self.t.space[k] or (self.mention_at.get(k) and self.mention_at[k].via == "dateline")
                           or (words == [] and k > start and self.t.text[k] in "-–—(" and self._after_dateline(k))):
            k += 1
        while k < end:
            if self.t.space[k]:
                k += 1
                continue
            mention = self.mention_at.get(k)
            j = mention.end if mention is not None and mention.start == k and mention.end - mention.start > 1 else k + 1
            while j < end and k in self.a.title_tokens and j in self.a.title_tokens:
                j += 1  # a title is one word too: "Wakil_Menteri_Pangan,_Pertanian,_dan_Industri_Ringan"
            tokens = [x for x in range(k, min(j, end)) if not self.t.space[x]]
            words.append("_".join(self.t.text[x] for x in tokens))
            members.append(tokens)
            last = tokens[-1]
            spaces.append(last + 1 < self.t.n and self.t.end[last] < self.t.idx[last + 1])
            k = j
        return words, spaces, members

    def _after_dateline(self, k: int) -> bool:
        """True when only a dateline and spaces stand before token k in its sentence."""
        j = self._previous_word(k)
        return j >= 0 and self.mention_at.get(j) is not None and self.mention_at[j].via == "dateline"

    def _case(self, k: int) -> str | None:
        """The preposition marking token k ("dengan", "oleh", "to"), if any."""
        for child in self.kids.get(k, ()):
            if self.dep[child] == "case":
                return self.t.lower[child]
        return None

    def _phrase_actors(self, k: int) -> list[_Actor]:
        """Actors named in the noun phrase headed by token k, the most specific first (a person before the
        country of their office), then those coordinated with it ("Korea Utara dan Rusia")."""
        own, stack, seen = [], [k], set()
        while stack:
            j = stack.pop()
            if j in seen:
                continue
            seen.add(j)
            mention = self.mention_at.get(j)
            if mention is not None and (j == k or self._case(j) is None or self._case(j) in self.lex.origin):
                actor = self._as_actor(mention)
                if actor and all(a.entity_id != actor.entity_id for a in own) and not self._is_locative(mention) \
                        and not self._office_country(mention):
                    own.append(actor)
            stack += [c for c in self.kids.get(j, ()) if self.dep[c] in PHRASE_DEPS]
        own.sort(key=lambda a: (ACTOR_RANK.get(self.a.entity(a.entity_id).type, 3), a.token))
        actors = own[:1]
        for child in self.kids.get(k, ()):
            if self.dep[child] == "conj":
                actors += [a for a in self._phrase_actors(child)[:1] if a.entity_id not in {b.entity_id for b in actors}]
        return actors

    def _subject(self, v: int) -> tuple[int | None, bool]:
        """The subject of verb v (climbing through control and coordination), and whether it is a passive one."""
        for _ in range(4):
            for child in self.kids.get(v, ()):
                if self.dep[child].startswith(("nsubj", "csubj")):
                    return child, self.dep[child].endswith(":pass")
            relation, head = self.dep[v], self.head[v]
            if head is None or head == v:
                return None, False
            if relation in ("acl", "acl:relcl"):
                return head, False  # "pasukan yang dikirim ...", "the envoy who met ...": the noun acts
            if relation not in SUBJECT_SHARING:
                return None, False
            v = head
        return None, False

    def _tree_roles(self, p: int, size: int) -> tuple[list[_Actor], list[_Actor]] | None:
        """Source and target actors of the verb trigger at p read from the parse; None when the parse has no say."""
        phrase = range(p, p + size)
        verb = next((k for k in phrase if self.head[k] is not None and self.head[k] not in phrase or
                     self.head[k] == k), None)
        if verb is None or self.tag[verb] not in ("VERB", "AUX"):
            return None  # nouns as triggers keep the word-order rules ("kunjungan Putin ke ...")
        subject, passive = self._subject(verb)
        agents, targets = [], []
        for child in self.kids.get(verb, ()):
            relation, case = self.dep[child], self._case(child)
            if relation.startswith("obl") and case in self.lex.agent:
                agents += self._phrase_actors(child)
            elif relation in ("obj", "iobj"):
                targets += self._phrase_actors(child)
                # "mengirim senjata ke Pyongyang": the direction may hang on the object.
                targets += [a for c in self.kids.get(child, ()) if self._case(c) in self.lex.direction
                            for a in self._phrase_actors(c)]
            elif relation.startswith("obl") and case is not None and case not in self.lex.locative and \
                    (case in self.lex.between or case in self.lex.prepositions):
                targets += self._phrase_actors(child)
        subjects = self._phrase_actors(subject) if subject is not None else []
        if passive:
            subjects, targets = agents, subjects + targets
        if not subjects:
            return None
        unique: dict[str, _Actor] = {}
        for actor in targets:
            unique.setdefault(actor.entity_id, actor)
        return subjects, list(unique.values())

    def _shared_roles(self, p: int, start: int) -> tuple[_Actor, list[_Actor]] | None:
        """The source and targets of an earlier verb of the sentence when the trigger at p is coordinated with it
        and has no subject of its own ("condemned the visit and accused Moscow")."""
        k = self._previous_word(p)
        if k < start or self.t.lower[k] not in self.lex.coordinators or self.t.text[p][:1].isupper():
            return None
        # The sentence's first act, not a noun inside its object ("kunjungan Belousov").
        earlier = [q for q in self.roles_at if start <= q < k]
        if not earlier:
            return None
        source, targets = self.roles_at[min(earlier)]
        return _Actor(source, k, None, True), [_Actor(t, k, None, True) for t in targets]

    def _tree_negated(self, p: int) -> bool:
        """The trigger's verb carries a negation ("tidak mengirim", "did not send")."""
        return any(self.t.lower[c] in self.lex.negators and self.dep[c] in ("advmod", "neg", "aux")
                   for c in self.kids.get(p, ()))

    # ----- the sentence loop -----

    def extract(self) -> list[Event]:
        """Every event in the article."""
        events: dict[tuple, Event] = {}
        starts = [k for k in range(self.t.n) if self.t.sent_start[k]] + [self.t.n]
        headings = self.a.headings
        sentences = []
        for index in range(len(starts) - 1):
            start, end = starts[index], starts[index + 1]
            char_range = (self.t.idx[start], self.t.end[end - 1])
            if any(a <= char_range[0] < b for a, b in headings):
                continue
            triggers = self._find_triggers(start, end)
            if triggers:
                sentences.append((start, end, char_range, triggers))
        # Only sentences that can hold an event are parsed: a trigger and an actor.
        candidates = [(start, end) for start, end, _, _ in sentences if any(k in self.mention_at for k in range(start, end))]
        self._parse(candidates)
        for start, end, char_range, triggers in sentences:
            for p, spec in self._without_restated_nouns(triggers):
                for event in self._events_at(p, spec, start, end, char_range):
                    key = (event.sentence, event.type, event.source_id, event.target_id)
                    if key not in events or events[key].confidence < event.confidence:
                        events[key] = event
                    self.sources.append((event.source_id, event.sentence))
                    self.history.append(event)
                    roles = self.roles_at.setdefault(p, (event.source_id, []))
                    if event.source_id == roles[0] and event.target_id and \
                            not self.a.entity(event.target_id).kind in ("city", "region", "facility"):
                        roles[1].append(event.target_id)  # a place reached is no side of what follows
        return list(events.values())

    def _events_at(self, p: int, spec: TriggerSpec, start: int, end: int,
                   char_range: tuple[int, int]) -> list[Event]:
        """The events a trigger at token p states."""
        size = self._phrase_length(p, spec.words, end)
        if self.lex.particles is not None:
            if self._noun_form(p, spec) and self._names_a_kind_of(p + size, end):
                return []  # "파병 여부를", "파병의 대가로", "협력에 관한": the act describes the noun after it
            return self._events_by_particles(p, size, spec, start, end, char_range)
        if self._describes_a_noun(p):
            return []
        if self.tag[p] == "NOUN" and self.t.lower[self._previous_word(p)] in self.lex.occasion_words:
            return []  # "saat penangkapan berlangsung", "during the search": the time of another act
        co_sources: list[_Actor] = []
        cs, ce = self._clause(p, start, end)
        scope, holder = self._frame(p, cs)
        if holder is not None and self.t.lower[self._previous_word(p)] in self.lex.manner_markers \
                and self.tag[p] == "VERB" and self.t.lower[self._previous_word(scope)] not in self.lex.complementizers:
            scope = p  # "menanggapi latihan tersebut dengan meminta ...": the one who responds asks
        skip = {holder.entity_id} if holder else set()
        tree = self._tree_roles(p, size)
        sides = self._between(p, size, ce, skip) if self._reciprocal(spec) else []
        agents = [] if sides else self._named_agents(p + size, ce, skip,
                                                     bare=spec.passive and self.lex.bare_passive_agent)
        pair = [] if sides or agents else self._pair_subject(p, scope, holder)
        if len(sides) >= 2:
            source, targets = sides[0], sides[1:]
        elif agents:
            # "ditandatangani oleh Putin dan Kim", "was signed by Putin and Kim": the named agents act.
            source = agents[0]
            patient = self._source(p, scope, holder) or self._doer_of_act_told(max(scope, cs), p)
            targets = agents[1:] if len(agents) > 1 and self._reciprocal(spec) else \
                [a for a in [patient] if a is not None]
        elif len(pair) >= 2 and not self._reciprocal(spec):
            # "Both countries condemned ...": each of them did it, to whoever is named after
            source, co_sources = pair[0], pair[1:]
            targets = self._targets(p, size, ce, skip | {a.entity_id for a in pair})
        elif len(pair) >= 2:
            source, targets = pair[0], pair[1:] + self._targets(p, size, ce, skip | {a.entity_id for a in pair})
        elif (origin := self._origin_agent(p, size, ce)) is not None and \
                (asked := self._source(p, scope, holder) or self._source(cs, start, None)) is not None:
            # "Kunjungan itu menuai kritik dari Jepang": the one criticised stands before, the critic after; "froze
            # the assets after a request from Nigeria": the one asked is the clause's subject before "after".
            source, targets = origin, [asked]
        elif (possessor := self._possessive_agent(p, cs)) is not None:
            # "condemned North Korea's arms deliveries to Russia": the possessor did the act the noun names.
            source = possessor
            targets = self._targets(p, size, ce, skip | {source.entity_id})
        elif spec.passive_self:
            # "unit militer Korea Utara telah dikerahkan ke wilayah Kursk": the subject is deployed.
            source = self._source(p, scope, holder)
            if source is None:
                return []
            targets = self._targets(p, size, ce, skip | {source.entity_id})
        elif self._genitive_agent(p, size, ce) is not None:
            # "pengiriman pasukan Korea Utara ke Rusia": a noun trigger's agent follows it.
            source = self._genitive_agent(p, size, ce)
            targets = self._targets(p, self.mention_at[source.token].end - p, ce, skip | {source.entity_id})
        elif self._is_passive(p, spec):
            patient = self._source(p, scope, holder)
            # "menerima bantuan dari Brunei": what is received comes from its giver.
            agent = self._agent_after(p + size, ce, self.lex.agent | self.lex.origin if spec.passive else None)
            if agent is None and spec.passive and self.lex.bare_passive_agent:
                agent = self._name_right_after(p + size, ce)  # "ditangkap Angkatan Laut Myanmar"
            if agent is None and not spec.passive and tree and tree[0]:
                agent, patient = tree[0][0], (tree[1] or [patient])[0]
            if agent is None:
                agent = self._agent_told_before(spec.type, patient, self.t.sentence[p])
            if agent is None:
                return []
            if patient is None:
                # "Usulan itu ditolak oleh Darsono": what is rejected is an act told before; its doer is the target.
                patient = self._doer_of_act_told(max(scope, cs), p)
            source, targets = agent, [patient] if patient else []
        elif (shared := self._shared_roles(p, start)) is not None:
            # "mengecam kunjungan Belousov dan menuding Moskow ...": the second verb has the first one's subject;
            # "провели переговоры и подписали план": a deal after a meeting is between the same sides.
            source, earlier_targets = shared
            targets = [a for a in (tree[1] if tree else []) if a.entity_id not in skip | {source.entity_id}] \
                or self._targets(p, size, ce, skip | {source.entity_id})
            if not targets and (self._reciprocal(spec) or spec.type in self.lex.addressed_types):
                targets = earlier_targets  # "вызвало посла России и потребовало ...": demanded of Russia
        elif spec.speaker_is_source and holder is not None:
            subject = self._source(p, scope, holder)
            source, targets = holder, [subject] if subject else []
        elif tree and tree[0] and self._source(p, scope, holder) is None and \
                not (holder and tree[0][0].entity_id == holder.entity_id and p - scope > 1):
            # The parse names the subject: it acts, its object or oblique is acted upon.
            subjects, objects = tree
            source = self._speaker_for_state(subjects[0], holder, spec)
            targets = [a for a in objects if a.entity_id not in skip] or self._object_relative_targets(source, start, p)
            if len(subjects) > 1 and not self._reciprocal(spec):
                co_sources = subjects[1:]  # "Japan, South Korea and the US condemned ...": each of them did
            elif not targets and len(subjects) > 1:
                targets = subjects[1:]  # "Korea Utara dan Rusia sepakat ...": the sides agree with each other
            if not targets:
                targets = self._targets(p, size, ce, skip | {source.entity_id, subjects[0].entity_id})
        else:
            first = self._source(p, scope, holder) or self._agent_after(p + size, ce)
            if first is None and holder is not None and p - scope <= 1:
                first = holder  # "Andi Irfan menyatakan dukungan ...": the speaker's own act
            if first is None:
                return []
            source = self._speaker_for_state(first, holder, spec)
            targets = self._object_relative_targets(source, start, p)
            if not targets:
                targets = self._targets(p, size, ce, skip | {source.entity_id, first.entity_id})
            if not targets and tree:
                targets = [a for a in tree[1] if a.entity_id not in skip | {source.entity_id}]
            group = self._subject_group(source, p, scope)
            if len(group) > 1 and not self._reciprocal(spec):
                # "The United States and Japan requested ...": each of them did, to the same target.
                source, co_sources = group[0], group[1:]
            elif len(group) > 1 and spec.type in self.lex.mutual_types:
                # "Цой Сон Хи и Сергей Лавров провели переговоры ...": the subjects are the sides, before any
                # name further on
                source, targets = group[0], group[1:] + [t for t in targets if t.entity_id not in
                                                         {a.entity_id for a in group}]
            elif not targets:
                source, targets = group[0], group[1:]
        return self._emit(p, size, spec, source, targets, co_sources, (cs, ce), scope, holder, start, end, char_range)

    # ----- languages that mark roles with particles (Korean) -----

    def _particle_of(self, mention: Mention) -> str:
        """The particle that ends a name's phrase: after the name in its own word ("김정은은"), or after a title
        written behind it ("푸틴 대통령은"), past a country naming the office ("푸틴 러시아 대통령이")."""
        k = mention.end - 1
        # "러시아철도공사(RZD)는": an acronym in brackets stands between the name and its particle
        rest = self._after_title(BRACKETED_AFTER_NAME.sub("", self.text[mention.char_end:self.t.end[k]]))
        while not rest.strip():
            k += 1
            while k < self.t.n and self.t.space[k]:
                k += 1
            if k >= self.t.n or k - mention.end > 3:
                return ""
            following = self.mention_at.get(k)
            if following is not None:
                if not self.a.entity(following.entity_id).is_place and not self._title_follows(following):
                    return ""  # another name: this one was only its modifier ("러시아 국방부")
                if self.a.entity(mention.entity_id).is_place and self.a.entity(following.entity_id).is_place:
                    return ""  # "하바롭스크주 콤소몰스크나아무레를": the region only says where the town is
                rest = self._after_title(self.text[following.char_end:self.t.end[k]])
                continue  # "김홍균 외교부 제1차관은": the body names the office
            word = self.t.text[k]
            if word == ",":
                # "미국, 일본 등 우방국과": a listed name takes the particle that closes the list
                nxt = self.mention_at.get(self._next_word(k))
                return self._particle_of(nxt) if nxt is not None and nxt.start > mention.start else ""
            if word == self.lex.list_closer and self._next_word(k) < self.t.n:
                return self._particle_ending(self.t.text[self._next_word(k)])
            if word[:1].isdigit():
                return self._particle_ending(word)  # "북한군 병사 2명을": a count carries the phrase's particle
            # "북한군 장병들의": the body's members stand for it
            member = next((m for m in self.lex.member_nouns if word.startswith(m)), None)
            if member is not None:
                rest = word[len(member):].removeprefix("들").strip(".,\"'“”‘’")
                continue
            # "대통령은", and titles written in one word with what they head: "국가안보실장은", "러시아대사는"
            title = next((t for t in self.lex.titles_after if t in word), None)
            if title is None:
                # "북한군 파병을 규탄했다": a bare name compounded with the noun right after it is the object
                # the noun's accusative marks (the one whose act is condemned)
                accusative = self._particle_ending(word)
                compounded = k == self._next_word(mention.end - 1) and accusative in COMPOUND_OBJECT_PARTICLES
                return accusative if compounded and k not in self.mention_at else ""
            rest = word[word.rindex(title) + len(title):]
        return rest.strip(".,\"'“”‘’")

    def _particle_ending(self, word: str) -> str:
        """The longest particle a word ends in after some letters of its own ("우방국과" -> "과"), or ""."""
        word = word.strip(".,\"'“”‘’")
        return next((x for x in self.lex.all_particles if word.endswith(x) and len(word) > len(x)), "")

    def _after_title(self, rest: str) -> str:
        """What follows an office written right after a name in the same word: "대사를" -> "를"."""
        title = next((t for t in self.lex.titles_after if rest.startswith(t)), None)
        if title is None:  # "장은" after "정찰총국": the body's head, when a particle or nothing follows
            title = next((h for h in self.lex.head_suffixes if rest.startswith(h) and (
                rest[len(h):] in self.lex.all_particles or not rest[len(h):].strip(".,\"'”’"))), None)
        return rest[len(title):] if title else rest

    def _role_of(self, mention: Mention) -> str | None:
        """"subject", "object" or "genitive" by the particle that ends the name's phrase; None for others."""
        particle = self._particle_of(mention)
        for role, particles in (self.lex.particles or {}).items():
            if particle in particles:
                return role
        return None

    def _source_of_report(self, mention: Mention) -> bool:
        """"조선중앙통신에 따르면": the one the sentence is told by, not a party to what it tells."""
        k = mention.end
        while k < self.t.n and self.t.space[k]:
            k += 1
        return k < self.t.n and self.t.text[k].startswith(tuple(self.lex.according_words)) \
            if self.lex.according_words else False

    def _title_follows(self, mention: Mention) -> bool:
        """A title right after a name, in the next word ("외교부 제1차관은") or, after a body, in its own word
        ("정찰총국장은"; an envoy's country written so, "러시아대사를", stays a party of its own)."""
        glued = self.text[mention.char_end:self.t.end[mention.end - 1]]
        if glued and self.a.entity(mention.entity_id).type == "ORG" and self._after_title(glued) != glued:
            return True  # "정찰총국장은": the head's title written in the body's own word
        k = mention.end
        while k < self.t.n and self.t.space[k]:
            k += 1
        return k < self.t.n and k not in self.mention_at and any(t in self.t.text[k] for t in self.lex.titles_after)

    def _office_country_before_title(self, mention: Mention) -> bool:
        """"푸틴 러시아 대통령", "러시아 푸틴 대통령": a country next to a person's name tells their office; so does a
        body or a region between a name and its title ("김홍균 외교부 제1차관은", "데메신 하바롭스크주 주지사와")."""
        entity = self.a.entity(mention.entity_id)
        if (entity.type == "ORG" or entity.is_place) and self._title_follows(mention):
            k = self._previous_word(mention.start)
            while k >= 0 and k not in self.mention_at and self.t.text[k] in self.lex.titles_after:
                k = self._previous_word(k)  # "로버트 우드 주유엔 미국 차석대사는": past the post
            before = self.mention_at.get(k)
            if before is not None and self.a.entity(before.entity_id).type == "PERSON":
                return True
        if entity.kind != "country":
            return False
        neighbours = [self.mention_at.get(self._previous_word(mention.start)), self.mention_at.get(mention.end)]
        return any(m is not None and m is not mention and self.a.entity(m.entity_id).type == "PERSON"
                   for m in neighbours)

    def _events_by_particles(self, p: int, size: int, spec: TriggerSpec, start: int, end: int,
                             char_range: tuple[int, int]) -> list[Event]:
        """Roles read from particles, as Korean marks them: the nearest subject before the trigger acts on the
        names marked as its partners or objects ("미국은 북한이 러시아에 포탄을 제공했다고 주장했다")."""
        actors: list[tuple[str, _Actor, Mention]] = []
        seen: set[int] = set()
        for k in range(start, p):
            mention = self.mention_at.get(k)
            if mention is None or id(mention) in seen or self._office_country_before_title(mention):
                continue
            seen.add(id(mention))
            actor = self._as_actor(mention)
            role = None if self._source_of_report(mention) else self._role_of(mention)
            if actor is not None and role is not None:
                actors.append((role, actor, mention))
        subjects = [i for i, (role, _, _) in enumerate(actors) if role in ("subject", "topic")]
        # "북한의 러시아 파병", "푸틴 대통령의 방북을": the owner right before a noun trigger did the act it names;
        # so does a bare name compounded with it ("북한군 파병에")
        # (a verb's object may have an owner too, "한국의 제재를 비난했다", but that one is the verb's other side)
        owner = next((a for role, a, m in reversed(actors) if role == "genitive" and p - m.end <= 1
                      and self._noun_form(p, spec)), None) or self._compounded_owner(p, spec)
        # "북한군이 ... 투입될 수 있다고 경고했다": a trigger inside what is reported is done by its own subject
        reported = self._quote_closed_before(p, end) is not None
        quote = None if reported else self._quote_closed_before(start, p)
        inside = [i for i in subjects if actors[i][2].start < (quote or 0)]
        if quote is not None and inside and actors[inside[0]][0] == "topic" and owner is None:
            # "밀러 대변인은 러시아가 북한을 돕고 있다고 비난했다": the verb after what was said is the speaker's
            # (the topic that opens the sentence); the one it is about is the other side
            source = actors[inside[0]][1]
            after = [a for role, a, m in actors if role == "object" and m.start > quote]
            said_about = sorted([actors[i] for i in inside[1:]] + [
                (role, a, m) for role, a, m in actors if role == "object" and actors[inside[0]][2].start < m.start < quote],
                key=lambda actor: actor[2].start)
            # "한국과 미국, 일본이 ... 확대하고 있다고 비판했다": the first one named, with those listed with it
            listed = said_about[:1]
            for entry in said_about[1:]:
                last = listed[-1][2]
                joined = (last.end < self.t.n and self.t.text[last.end] == ",") or \
                    self.t.text[last.end - 1].endswith(tuple(self.lex.list_joiners))
                if entry[2].start - last.end > 2 or not joined:
                    break
                listed.append(entry)
            targets = after or [a for _, a, _ in listed]
        elif owner is not None:
            source = owner
            targets = [a for role, a, m in actors if role == "object" and m.start > self.mention_at[owner.token].start]
        elif subjects:
            at = subjects[-1]
            source = actors[at][1]
            after = actors[at + 1:]
            # "김 위원장은 푸틴 대통령의 방북을 요청했다": the one whose act is asked for is the other side
            targets = [a for role, a, _ in after if role == "object"] or \
                [a for role, a, _ in actors[:at] if role == "object"] or \
                [a for role, a, _ in after if role == "genitive"]
        else:
            source = self._subject_of_sentence_before(start)
            if source is None:
                return []
            targets = [a for role, a, _ in actors if role == "object"]
        return self._emit(p, size, spec, source, targets, [], (start, end), start, None, start, end, char_range,
                          self._modality_after(p, size, start, end))

    def _quote_closed_before(self, start: int, p: int) -> int | None:
        """Where a quoted or reported clause closes before token p ("...돕고 있다고 비난했다"), if one does."""
        endings = self.lex.quotative_endings
        if not endings:
            return None
        return next((k for k in range(p - 1, start - 1, -1) if self.t.text[k].rstrip(".,\"'”’").endswith(endings)),
                    None)

    def _subject_of_sentence_before(self, start: int) -> _Actor | None:
        """The subject a sentence leaves unsaid: the last one marked in the sentence before."""
        k = self._previous_word(start)
        while k >= 0 and not self.t.sent_start[k]:
            k -= 1
        for j in range(start - 1, max(k, 0) - 1, -1):
            mention = self.mention_at.get(j)
            if mention is not None and mention.start == j and self._role_of(mention) in ("subject", "topic"):
                actor = self._as_actor(mention)
                if actor is not None:
                    return _Actor(actor.entity_id, j, actor.place_id, resolved=True)
        return None

    def _modality_after(self, p: int, size: int, start: int, end: int) -> str:
        """Modality from the words that close the trigger's clause ("가질 예정이다", "제공했다고 주장했다",
        "부인했다"); reported when the sentence says whom it is told by ("~에 따르면")."""
        words = [self.text[self.t.idx[p]:self.t.end[p + size - 1]]]
        k = p + size
        while k < end and len(words) < 4:
            if not self.t.space[k] and self.t.text[k] not in ".,":
                words.append(self.t.text[k])
            k += 1
        closing = " ".join(words)  # cues of two words too: "투입될 수 있다고"
        if self.lex.connective_endings and any(w.endswith(self.lex.connective_endings) for w in words[1:]):
            # "협의회를 열어 ... 논의할 예정이다": a verb joined to the next shares the sentence's closing verb
            last = [self.t.text[j] for j in range(start, end) if not self.t.space[j] and self.t.text[j] not in ".,"]
            closing += " " + " ".join(last[-3:])
        for kind in MODALITY_ORDER:
            cues = self.lex.modality_after.get(kind, ())
            if any(cue in closing for cue in cues):
                return kind
        told_by = tuple(self.lex.according_words)
        if told_by and any(self.t.text[j].startswith(told_by) for j in range(start, end)):
            return "reported"
        return "asserted"

    def _emit(self, p: int, size: int, spec: TriggerSpec, source: _Actor, targets: list[_Actor],
              co_sources: list[_Actor], clause: tuple[int, int], scope: int, holder: _Actor | None, start: int,
              end: int, char_range: tuple[int, int], modality: str | None = None) -> list[Event]:
        """The events of a trigger once its source and targets are read: the other side when none was named,
        modality, date and place."""
        cs, ce = clause
        own_state = [t for t in targets if self._own_state(t, source, spec.type)]
        targets = [t for t in targets if t.entity_id != source.entity_id and not self._home_origin(t, source)
                   and not self._owns(t, source) and t not in own_state
                   and not (spec.type in self.lex.control_types and self._asked_verb_between(p, size, t.token))]
        if own_state and not targets:
            targets = self._targets(p, size, ce, {source.entity_id} | {t.entity_id for t in own_state})
        if not targets:
            # "condemned the launch": the act told before points to who did it.
            targets = [a for a in [self._doer_of_act_told(p + size, ce)] if a and a.entity_id != source.entity_id]
        if not targets and self._claim_follows(p + size, ce):
            targets = [a for a in [self._claimant_before(self.t.sentence[p], source.entity_id)] if a]
        if not targets and spec.type in self.lex.place_targets:
            targets = self._directed_before(source, p)  # "Россия направила в КНДР гуманитарную помощь"
        met_somewhere = False
        if not targets and spec.type in self.lex.place_targets:
            # "mengirim bantuan untuk korban banjir di Tawau": aid and visits go to the place they reach; a meeting
            # only happens somewhere ("menggelar rapat di Palu"): the place is not the other side, and the meeting
            # stands with its members alone.
            place_id = self._place(p + size, ce, {source.entity_id}, reached=True)
            capital = self.kb.capital_of(place_id) if place_id and spec.mode == "visit" else None
            state = self.kb.country(capital) if capital else None
            if place_id and spec.mode == "meet":
                met_somewhere = True
            elif state is not None and state.country == self.a.entity(source.entity_id).country:
                pass  # "Lavrov flew back to Moscow": going home visits no one
            elif state is not None:
                targets = [_Actor(state.id, p, place_id=place_id)]  # "tiba di Pyongyang": a visit to the state
            elif place_id:
                targets = [_Actor(place_id, p, place_id=place_id)]
        event_type = spec.type
        if not targets:
            if spec.alone_as:
                event_type = spec.type if spec.alone_as is None else spec.alone_as
            elif spec.target_required and not met_somewhere and not self._acts_on_people(p + size, ce):
                return []
        if modality is None:
            modality = "denied" if self._tree_negated(p) else self._modality(p, scope, cs, source, holder)
        if modality == "asserted" and self._according_to_after(p, end):
            modality = "reported"  # "..., according to two diplomats": someone else states it
        date, precision = self._date(p, char_range, (cs, ce), inherit=modality in ("asserted", "reported", "hypothetical"))
        if modality in ("asserted", "reported", "denied"):
            date = self._not_after_publication(date, precision)
        # An actor named by its capital ("Washington has accused Pyongyang") places the event there: the source's
        # first, in a fixed order (a set's order would change from one process to the next).
        place = next((a.place_id for a in [source, *targets] if a.place_id), None) \
            or self._place(cs, ce, {source.entity_id})
        evidence = self.text[char_range[0]:char_range[1]].strip()
        trigger = self.text[self.t.idx[p]:self.t.end[p + size - 1]]
        confidence = 0.5 + (0.2 if targets else 0) + (0.1 if holder is None else 0) \
            - (0.1 if source.resolved else 0) + (0.1 if self.a.entity(source.entity_id).kb else 0)
        sentence = self.t.sentence[p]
        sources = [source] + [a for a in co_sources if a.entity_id != source.entity_id]
        return [
            Event(sentence, event_type, spec.mode, actor.entity_id, target.entity_id if target else None, place,
                  date, precision, modality, trigger, evidence, round(min(confidence, 1.0), 2))
            for actor in sources
            for target in ([t for t in targets if t.entity_id != actor.entity_id] or [None])
        ]


def extract_events(analysis: ArticleAnalysis, dates: list[DateMention], published: dt.date | None) -> list[Event]:
    """Events of an analysed article, for languages whose event words are known."""
    if not analysis.profile.reads_events:
        return []
    return EventExtractor(analysis, dates, published).extract()
