"""Training the statistical components with spaCy's own training, from the annotated corpora in data/training.

`python -m analysis train` rebuilds every shipped pipeline from the repository alone: it converts the corpora
into spaCy's binary format, runs `spacy train` with the config kept beside the models, copies the best model
into `analysis/models/<name>` and writes its model card from the scores spaCy measured on the dev data.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import spacy
from spacy.tokens import Doc, DocBin

ROOT = Path(__file__).resolve().parent.parent
TRAINING_DATA = ROOT / "data" / "training"
MODELS_DIR = Path(__file__).resolve().parent / "models"
CONFIG_DIR = MODELS_DIR / "configs"
SENTENCES_PER_DOC = 10


@dataclass(frozen=True)
class Corpus:
    """One annotated file, its format, and the credit a pipeline trained on it carries."""

    path: str
    format: str  # "conll-ner" (token, tag, BIO label) or "conllu"
    name: str
    licence: str
    credit: str


@dataclass(frozen=True)
class PipelineSpec:
    """A shipped pipeline: what it is for, its config, and which corpora train and check it."""

    name: str
    language: str
    purpose: str
    config: str
    train: tuple[Corpus, ...]
    dev: tuple[Corpus, ...]
    licence: str
    # Some corpora have no dev split of their own: the first n sentences of a training file serve as dev.
    dev_from_train: int = 0


IDNER = ("idner-news-2k (Khairunnisa, Imankulova and Komachi 2020, a re-annotation of Syaifudin and "
         "Nurwidyantoro 2016), github.com/khairunnisaor/idner-news-2k")
UD_ID_GSD = "Universal Dependencies Indonesian-GSD (McDonald et al. 2013; Alfina et al. 2019)"
UD_ID_CSUI = "Universal Dependencies Indonesian-CSUI (Alfina, Budi and Suhartanto 2020)"
UD_ID_PUD = "Universal Dependencies Indonesian-PUD (Zeman et al. 2017, CoNLL 2017 shared task parallel treebank)"
UD_EN_EWT = "Universal Dependencies English-EWT (Silveira et al. 2014)"


def _ud(path: str, name: str, licence: str, credit: str) -> Corpus:
    """A Universal Dependencies file."""
    return Corpus(f"ud/{path}", "conllu", name, licence, credit)


PIPELINES: dict[str, PipelineSpec] = {
    spec.name: spec for spec in (
        PipelineSpec(
            name="id_ner", language="id", purpose="Indonesian named entities in news: PER, ORG, LOC",
            config="id_ner.cfg",
            train=(Corpus("ner/idner2k-train.txt", "conll-ner", "idner-news-2k train", "MIT", IDNER),),
            dev=(Corpus("ner/idner2k-dev.txt", "conll-ner", "idner-news-2k dev", "MIT", IDNER),),
            licence="MIT"),
        PipelineSpec(
            name="id_syntax", language="id", purpose="Indonesian part-of-speech tags (UPOS) and dependency parses",
            config="id_syntax.cfg",
            train=(_ud("id_csui-ud-train.conllu", "UD Indonesian-CSUI train", "CC BY-SA 4.0", UD_ID_CSUI),
                   _ud("id_csui-ud-test.conllu", "UD Indonesian-CSUI test", "CC BY-SA 4.0", UD_ID_CSUI),
                   _ud("id_gsd-ud-test.conllu", "UD Indonesian-GSD test", "CC BY-SA 4.0", UD_ID_GSD),
                   _ud("id_pud-ud-test.conllu", "UD Indonesian-PUD", "CC BY-SA 3.0", UD_ID_PUD)),
            dev=(_ud("id_gsd-ud-dev.conllu", "UD Indonesian-GSD dev", "CC BY-SA 4.0", UD_ID_GSD),),
            licence="CC BY-SA 4.0"),
        PipelineSpec(
            name="en_syntax", language="en", purpose="English part-of-speech tags (UPOS) and dependency parses",
            config="en_syntax.cfg",
            train=(_ud("en_ewt-ud-test.conllu", "UD English-EWT test", "CC BY-SA 4.0", UD_EN_EWT),
                   _ud("en_ewt-ud-dev.conllu", "UD English-EWT dev (after its first 500 sentences)",
                       "CC BY-SA 4.0", UD_EN_EWT)),
            dev=(_ud("en_ewt-ud-dev.conllu", "UD English-EWT dev (its first 500 sentences)", "CC BY-SA 4.0",
                     UD_EN_EWT),),
            licence="CC BY-SA 4.0", dev_from_train=500),
    )
}


class TrainingDataError(ValueError):
    """An annotated file cannot be read."""


def read_conll_ner(path: Path) -> list[tuple[list[str], list[str]]]:
    """Sentences of a CoNLL NER file (token, tag, BIO label per line) as (words, IOB labels)."""
    sentences: list[tuple[list[str], list[str]]] = []
    words: list[str] = []
    labels: list[str] = []
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            if words:
                sentences.append((words, labels))
            words, labels = [], []
            continue
        columns = line.split()
        if len(columns) < 2:
            raise TrainingDataError(f"{path}:{number}: expected 'token ... label', found {line!r}")
        label = columns[-1]
        if label != "O" and not label.startswith(("B-", "I-")):
            raise TrainingDataError(f"{path}:{number}: label {label!r} is not O, B-X or I-X")
        if label.startswith("I-") and (not labels or labels[-1][2:] != label[2:]):
            label = "B-" + label[2:]  # an entity that starts with I- starts here all the same
        words.append(columns[0])
        labels.append(label)
    if words:
        sentences.append((words, labels))
    return sentences


def ner_docs(path: Path, nlp: spacy.Language) -> list[Doc]:
    """Docs of several sentences each, with gold entities, from a CoNLL NER file."""
    docs = []
    sentences = read_conll_ner(path)
    for first in range(0, len(sentences), SENTENCES_PER_DOC):
        words: list[str] = []
        labels: list[str] = []
        starts: list[bool] = []
        for sentence_words, sentence_labels in sentences[first:first + SENTENCES_PER_DOC]:
            starts += [True] + [False] * (len(sentence_words) - 1)
            words += sentence_words
            labels += sentence_labels
        docs.append(Doc(nlp.vocab, words=words, ents=labels, sent_starts=starts))
    return docs


def ud_docs(path: Path, nlp: spacy.Language) -> list[Doc]:
    """Docs of several sentences each from a CoNLL-U file; the tagger learns the universal tag (UPOS)."""
    from spacy.training.converters import conllu_to_docs

    text = path.read_text(encoding="utf-8")
    # Contractions ("menyetujuinya" = "menyetujui" + "nya") stay one token, as the tokenizer sees them.
    docs = list(conllu_to_docs(text, n_sents=SENTENCES_PER_DOC, merge_subtokens=True, no_print=True))
    for doc in docs:
        for token in doc:
            token.tag_ = token.pos_
    return [Doc(nlp.vocab).from_bytes(doc.to_bytes()) for doc in docs]


def sentences_of(docs: list[Doc]) -> list[Doc]:
    """Every sentence of the docs as a doc of its own."""
    return [sentence.as_doc() for doc in docs for sentence in doc.sents]


def regroup(sentences: list[Doc]) -> list[Doc]:
    """Sentences joined back into docs of several sentences."""
    return [Doc.from_docs(sentences[i:i + SENTENCES_PER_DOC]) for i in range(0, len(sentences), SENTENCES_PER_DOC)]


READERS: dict[str, Callable[[Path, spacy.Language], list[Doc]]] = {"conll-ner": ner_docs, "conllu": ud_docs}


def corpus_docs(corpus: Corpus, nlp: spacy.Language) -> list[Doc]:
    """The docs of one corpus file."""
    path = TRAINING_DATA / corpus.path
    if not path.exists():
        raise TrainingDataError(f"{path}: training file missing; it ships with the repository (data/training)")
    return READERS[corpus.format](path, nlp)


def prepare(spec: PipelineSpec, folder: Path) -> tuple[Path, Path, dict[str, int]]:
    """Write train.spacy and dev.spacy for a pipeline; returns their paths and sentence counts."""
    nlp = spacy.blank(spec.language)
    train: list[Doc] = []
    dev: list[Doc] = []
    shared = {c.path for c in spec.dev} & {c.path for c in spec.train}
    for corpus in spec.train:
        docs = corpus_docs(corpus, nlp)
        if corpus.path in shared:
            docs = regroup(sentences_of(docs)[spec.dev_from_train:])
        train += docs
    for corpus in spec.dev:
        docs = corpus_docs(corpus, nlp)
        if corpus.path in shared:
            docs = regroup(sentences_of(docs)[:spec.dev_from_train])
        dev += docs
    random.Random(0).shuffle(train)
    paths = folder / "train.spacy", folder / "dev.spacy"
    DocBin(docs=train, store_user_data=False).to_disk(paths[0])
    DocBin(docs=dev, store_user_data=False).to_disk(paths[1])
    counts = {"train_sentences": sum(len(list(d.sents)) for d in train),
              "dev_sentences": sum(len(list(d.sents)) for d in dev)}
    return paths[0], paths[1], counts


def train_pipeline(spec: PipelineSpec, models_dir: Path = MODELS_DIR, log: Callable[[str], None] = print) -> dict:
    """Train one pipeline with `spacy train` and install its best model, with a model card, in models_dir."""
    from spacy.cli.train import train as spacy_train

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"newsint-train-{spec.name}-") as work:
        folder = Path(work)
        train_path, dev_path, counts = prepare(spec, folder)
        log(f"{spec.name}: {counts['train_sentences']} training and {counts['dev_sentences']} dev sentences")
        spacy_train(CONFIG_DIR / spec.config, folder / "output", use_gpu=-1,
                    overrides={"paths.train": str(train_path), "paths.dev": str(dev_path)})
        best = folder / "output" / "model-best"
        target = models_dir / spec.name
        staged = models_dir / f".{spec.name}.new"
        shutil.rmtree(staged, ignore_errors=True)
        shutil.copytree(best, staged)
        meta = json.loads((staged / "meta.json").read_text(encoding="utf-8"))
        meta["name"] = spec.name.split("_", 1)[1]
        meta["description"] = spec.purpose
        meta["license"] = spec.licence
        meta["sources"] = [{"name": c.name, "license": c.licence, "author": c.credit}
                           for c in _unique(spec.train + spec.dev)]
        meta["newsint"] = {**counts, "minutes": round((time.monotonic() - started) / 60, 1)}
        (staged / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
        (staged / "README.md").write_text(model_card(spec, meta), encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        staged.rename(target)
    log(f"{spec.name}: installed in {target} after {meta['newsint']['minutes']} min")
    return meta


def _unique(corpora: tuple[Corpus, ...]) -> list[Corpus]:
    """Corpora without repeats of the same file."""
    seen: dict[str, Corpus] = {}
    for corpus in corpora:
        seen.setdefault(corpus.name, corpus)
    return list(seen.values())


SCORE_NAMES = {"ents_f": "entities F1", "ents_p": "entities precision", "ents_r": "entities recall",
               "tag_acc": "UPOS accuracy", "dep_uas": "UAS", "dep_las": "LAS", "sents_f": "sentence F1"}


def model_card(spec: PipelineSpec, meta: dict) -> str:
    """A model card: what the pipeline does, what it was trained on, its licence, its dev scores."""
    performance = meta.get("performance", {})
    lines = [f"# {spec.name}: {spec.purpose}", "",
             f"A spaCy {meta.get('spacy_version', '')} pipeline ({', '.join(meta.get('pipeline', []))}) trained "
             f"with `python -m analysis train {spec.name}` from the config `analysis/models/configs/{spec.config}`. "
             "It has no pretrained vectors and loads offline.", "",
             "## Trained on", ""]
    lines += [f"- {c.name} ({c.licence}): {c.credit}" for c in spec.train]
    lines += ["", "## Scored on (dev data, never trained on)", ""]
    lines += [f"- {c.name} ({c.licence})" for c in spec.dev]
    lines += ["", "| measure | score |", "| --- | --- |"]
    for key, label in SCORE_NAMES.items():
        if isinstance(performance.get(key), (int, float)):
            lines.append(f"| {label} | {performance[key] * 100:.1f} |")
    per_type = performance.get("ents_per_type") or {}
    for label, scores in sorted(per_type.items()):
        lines.append(f"| {label} F1 | {scores['f'] * 100:.1f} |")
    counts = meta.get("newsint", {})
    lines += ["", f"{counts.get('train_sentences', '?')} training sentences, {counts.get('dev_sentences', '?')} dev "
                  f"sentences; trained in {counts.get('minutes', '?')} minutes on 2 CPU cores.", "",
              "## Licence", ""]
    if spec.licence.startswith("CC BY-SA"):
        lines.append(f"The weights are derived from treebanks under CC BY-SA, so this pipeline is shared under "
                     f"{spec.licence} (ShareAlike): credit the treebanks above when you pass it on. The project's "
                     "code is under its own licence; this licence covers only this folder.")
    else:
        lines.append(f"Trained on data under the {spec.licence} licence (see data/training); the pipeline is "
                     f"shared under {spec.licence}, with the credits above.")
    return "\n".join(lines) + "\n"


# Where a language's everyday words are counted: the training splits only, so dev scores stay honest.
COMMON_WORD_SOURCES: dict[str, tuple[Corpus, ...]] = {
    "id": PIPELINES["id_syntax"].train + PIPELINES["id_ner"].train,
}
COMMON_WORD_MIN_COUNT = 1


def common_words(corpora: tuple[Corpus, ...], min_count: int = COMMON_WORD_MIN_COUNT) -> list[str]:
    """Words the annotated text writes in lower case at least min_count times: everyday words, not names."""
    counts: Counter[str] = Counter()
    for corpus in corpora:
        path = TRAINING_DATA / corpus.path
        if corpus.format == "conll-ner":
            words = [w for sentence, _ in read_conll_ner(path) for w in sentence]
        else:
            words = [line.split("\t")[1] for line in path.read_text(encoding="utf-8").splitlines()
                     if line and line[0].isdigit() and "\t" in line]
        counts.update(w for w in words if w.isalpha() and w.islower())
    return sorted(w for w, n in counts.items() if n >= min_count)


def write_common_words(code: str, lang_dir: Path = ROOT / "analysis" / "lang") -> Path:
    """Write a language's everyday-word list (one word a line) beside its profile."""
    corpora = COMMON_WORD_SOURCES[code]
    path = lang_dir / f"{code}.common_words.txt"
    header = (f"# Everyday {code} words: written in lower case in "
              f"{', '.join(c.name for c in corpora)}.\n# Rebuilt by `python -m analysis train`; "
              "a capitalised run made only of these words is a title or a common noun, not a person's name.\n")
    path.write_text(header + "\n".join(common_words(corpora)) + "\n", encoding="utf-8")
    return path


def train_all(names: list[str] | None = None, log: Callable[[str], None] = print) -> list[dict]:
    """Train the named pipelines (all when none are named), one after another, and refresh the word lists."""
    unknown = [n for n in names or [] if n not in PIPELINES]
    if unknown:
        raise TrainingDataError(f"unknown pipeline {', '.join(unknown)}; choose from {', '.join(PIPELINES)}")
    for code in COMMON_WORD_SOURCES:
        log(f"wrote {write_common_words(code)}")
    return [train_pipeline(PIPELINES[name], log=log) for name in names or list(PIPELINES)]
