"""Model files: skops (never pickle), metadata, integrity check, model card.

A model folder holds ``model.skops`` (the fitted
:class:`~leerwerkplaats.tagging.classifier.SpanClassifier`), ``meta.json`` (label set,
training-data hash, library versions, date, seed, metrics, the sha256 of the
model file) and ``MODEL_CARD.md``. Loading checks the hash and refuses any type
outside :data:`TRUSTED_TYPES`: a model file is code-adjacent, so nothing else
may be instantiated from it.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import platform
import zipfile
from pathlib import Path

from leerwerkplaats.core import schema
from leerwerkplaats.core.errors import ModelError
from leerwerkplaats.core.io_atomic import write_bytes_atomic, write_text_atomic

log = logging.getLogger(__name__)

MODEL_FILE = "model.skops"
META_FILE = "meta.json"
CARD_FILE = "MODEL_CARD.md"

#: Every type a model file may contain beyond skops' own defaults. Explicit on purpose.
TRUSTED_TYPES: tuple[str, ...] = (
    "leerwerkplaats.tagging.classifier.SpanClassifier",
    "sklearn.compose._column_transformer.ColumnTransformer",
    "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.multiclass.OneVsRestClassifier",
    "sklearn.multiclass._ConstantPredictor",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._label.LabelBinarizer",
    "builtins.dict",
    "builtins.list",
    "builtins.tuple",
    "builtins.str",
    "builtins.int",
    "builtins.float",
    "builtins.bool",
    "builtins.NoneType",
    "builtins.slice",
    "numpy.dtype",
    "numpy.float64",
    "numpy.int64",
    "numpy.ndarray",
    "numpy.str_",
    "scipy.sparse._csr.csr_matrix",
    "collections.OrderedDict",
    "sklearn.utils._bunch.Bunch",
)


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def library_versions() -> dict[str, str]:
    """Versions of the libraries a model depends on."""
    import numpy
    import scipy
    import sklearn
    import skops
    import spacy

    from leerwerkplaats import __version__

    return {"python": platform.python_version(), "leerwerkplaats": __version__, "spacy": spacy.__version__,
            "scikit-learn": sklearn.__version__, "skops": skops.__version__, "numpy": numpy.__version__,
            "scipy": scipy.__version__}


_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _rezip(data: bytes, rename: dict[str, str] | None = None, replace: dict[str, bytes] | None = None) -> bytes:
    """The same zip archive with sorted entries, fixed timestamps and deflate compression."""
    rename, replace = rename or {}, replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        names = sorted(src.namelist(), key=lambda n: rename.get(n, n))
        for name in names:
            new = rename.get(name, name)
            info = zipfile.ZipInfo(new, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, replace.get(name, src.read(name)), compresslevel=9)
    return out.getvalue()


def canonical_skops(data: bytes) -> bytes:
    """Make a skops archive byte-for-byte reproducible, and compressed.

    skops names the objects and array files of an archive after ``id(obj)`` (and a
    random UUID for some), and zip entries carry the current time, so the same
    model gives other bytes on every save. Here the ids are renumbered in the
    order they appear in ``schema.json``, files are renamed to match, nested
    ``.npz`` archives get fixed timestamps too, and everything is deflated.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        schema_json = json.loads(src.read("schema.json"))
        members = {n: src.read(n) for n in src.namelist()}
    ids: dict[int, int] = {}
    files: dict[str, str] = {}

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("__id__"), int):
                node["__id__"] = ids.setdefault(node["__id__"], len(ids) + 1)
            if isinstance(node.get("file"), str):
                old = node["file"]
                suffix = old[old.rfind("."):]
                node["file"] = files.setdefault(old, f"{len(files) + 1:05d}{suffix}")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema_json)
    replace = {"schema.json": json.dumps(schema_json, indent=2).encode("utf-8")}
    for old in files:
        if old.endswith(".npz"):
            replace[old] = _rezip(members[old])
    return _rezip(data, rename=files, replace=replace)


def save_model(folder: Path, classifier, meta: dict, card: str) -> dict:
    """Write model, metadata (with the model's sha256) and card into ``folder``; return the metadata.

    The model file is compressed and reproducible: same classifier, same bytes.
    Vocabulary values are cast to plain ``int`` first (in place; see
    :func:`~leerwerkplaats.tagging.classifier.integer_vocabularies`), whoever fitted the classifier.
    """
    import skops.io as sio

    folder = Path(folder)
    pipeline = getattr(classifier, "pipeline_", None)
    if pipeline is not None:
        from leerwerkplaats.tagging.classifier import integer_vocabularies

        integer_vocabularies(pipeline)
    data = canonical_skops(sio.dumps(classifier))
    untrusted = set(sio.get_untrusted_types(data=data)) - set(TRUSTED_TYPES)
    if untrusted:
        raise ModelError(f"model would contain types outside the trusted list: {sorted(untrusted)}")
    meta = dict(meta, model_file=MODEL_FILE, model_sha256=sha256_bytes(data))
    write_bytes_atomic(folder / MODEL_FILE, data)
    write_text_atomic(folder / META_FILE, json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    write_text_atomic(folder / CARD_FILE, card)
    for name in (MODEL_FILE, META_FILE, CARD_FILE):
        (folder / name).chmod(0o644)  # shipped files, readable like the rest of the repository
    log.info("saved model to %s", folder)
    return meta


def read_meta(folder: Path) -> dict:
    """The metadata of a model folder."""
    path = Path(folder) / META_FILE
    if not path.is_file():
        raise ModelError(f"{folder}: no {META_FILE}; train a model with 'leerwerkplaats train' or pass --model")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: unreadable metadata ({exc.__class__.__name__})") from None


def load_model(folder: Path):
    """Load ``(classifier, meta)``; checks the hash, the trusted types and the label set."""
    import skops.io as sio

    folder = Path(folder)
    meta = read_meta(folder)
    path = folder / meta.get("model_file", MODEL_FILE)
    try:
        data = path.read_bytes()
    except OSError:
        raise ModelError(f"{path}: model file missing") from None
    if meta.get("model_sha256") and sha256_bytes(data) != meta["model_sha256"]:
        raise ModelError(f"{path}: sha256 differs from {META_FILE}; the model file was changed or damaged")
    try:
        untrusted = set(sio.get_untrusted_types(data=data)) - set(TRUSTED_TYPES)
    except Exception as exc:  # skops raises several types on damaged archives
        raise ModelError(f"{path}: not a skops model file ({exc.__class__.__name__})") from None
    if untrusted:
        raise ModelError(f"{path}: contains untrusted types {sorted(untrusted)}; refusing to load")
    classifier = sio.loads(data, trusted=list(TRUSTED_TYPES))
    unknown = set(getattr(classifier, "labels_", ())) - set(schema.LABELS)
    if unknown:
        raise ModelError(f"{path}: labels unknown to this version: {sorted(unknown)}")
    versions = library_versions()
    for lib in ("scikit-learn", "spacy"):
        trained = meta.get("versions", {}).get(lib)
        if trained and trained.split(".")[:2] != versions[lib].split(".")[:2]:
            log.warning("model trained with %s %s, running %s", lib, trained, versions[lib])
    return classifier, meta


def model_card(meta: dict) -> str:
    """A Markdown model card from the metadata."""
    m = meta.get("metrics", {})
    lines = [
        f"# Model card: {meta.get('name')} {meta.get('version')}",
        "",
        "## Intended use",
        "",
        "A **learning aid** for workshops on closed Dutch youth-care case files: it suggests",
        "unsafety triggers, strengths and workflow building blocks (ANNOTATION.md §2–3) so a",
        "trainer can prepare a discussion. It is **never** a decision, risk assessment or advice",
        "about a family or child. Every suggestion is meant to be read, checked and corrected",
        "by a professional. It runs only on pseudonymised text.",
        "",
        "## Model",
        "",
        "One logistic regression per label (scikit-learn, one-vs-rest) over sentence features:",
        "word n-grams and character n-grams over lemmas, cue-lexicon hits and ConText-style",
        "context flags (negated, ruled out, hypothetical, someone else's history). Two per-label",
        "thresholds, both chosen by grouped cross-validation (groups = case files): a case",
        "threshold decides whether a label is present in the file (its best sentence must reach",
        "it), a span threshold which sentences carry it; consecutive sentences with the same label",
        "form one span. Rules, clause by clause, keep negated / hypothetical / ruled-out signals",
        "from becoming triggers, keep labels that name their subject (parent, child) off",
        "sentences about someone else, and keep setbacks from becoming `vooruitgang`.",
        "See docs/tagging.md.",
        "",
        "## Training data",
        "",
        f"- corpus: `{meta.get('training_data', {}).get('path')}`, sha256 "
        f"`{meta.get('training_data', {}).get('sha256', '')[:16]}…`",
        f"- {meta.get('training_data', {}).get('records')} fictional case files "
        f"({meta.get('training_data', {}).get('sentences')} sentences), splits used: "
        f"{', '.join(meta.get('training_data', {}).get('splits', []))}",
        "- registers trained on (files): " + (", ".join(
            f"{k} {v}" for k, v in sorted(meta.get("training_data", {}).get("registers", {}).items())) or "-"),
        "- written for this project by several authors; no real families. Personal data is masked",
        "  before features are built, so no names are stored in the vocabulary.",
        f"- seed {meta.get('seed')}, trained {meta.get('date')}, versions: "
        + ", ".join(f"{k} {v}" for k, v in sorted(meta.get("versions", {}).items())),
        "",
        "## Evaluation",
        "",
    ]
    for key, title in (("cv", "Grouped cross-validation on the training records"),
                       ("test", "Held-out test split (never used for tuning)")):
        res = m.get(key)
        if not res:
            continue
        lines += [f"### {title}", "", "| level | group | micro-F1 | macro-F1 |", "|---|---|---:|---:|"]
        for level in ("case", "span"):
            for group in ("triggers", "bouwstenen", "all"):
                g = res[level][group]
                lines.append(f"| {level} | {group} | {g['micro']['f1']:.3f} | {g['macro']['f1']:.3f} |")
        lines.append("")
    per = (m.get("test") or m.get("cv") or {}).get("case", {}).get("per_label")
    if per:
        span = (m.get("test") or m.get("cv"))["span"]["per_label"]
        lines += ["### Per label (" + ("test" if m.get("test") else "cv") + ")", "",
                  "| label | files | case P | case R | case F1 | spans | span F1 | span thr. | case thr. |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        thresholds = meta.get("thresholds", {})
        case_thresholds = meta.get("case_thresholds", thresholds)
        for lab in schema.ALL_LABELS:
            c, s = per.get(lab.id), span.get(lab.id)
            if not c:
                continue
            lines.append(f"| `{lab.id}` | {c['support']} | {c['precision']:.2f} | {c['recall']:.2f} | "
                         f"{c['f1']:.2f} | {s['gold']} | {s['f1']:.2f} | {thresholds.get(lab.id, 0.5):.2f} | "
                         f"{case_thresholds.get(lab.id, 0.5):.2f} |")
        lines.append("")
    lines += [
        "## Caveats",
        "",
        "- Trained on a small, fictional corpus written by a few authors: style and vocabulary of real",
        "  files differ; expect lower figures on real case files, and check before trusting a label.",
        "- Rare labels (few files) are unreliable; see the per-label table and docs/tagging.md.",
        "- Spans are whole sentences (or runs of consecutive sentences with the same label); the",
        "  gold spans are sometimes a clause. Annotators marked only some repeated mentions, so",
        "  span precision understates how many suggestions are reasonable.",
        "- The context rules are lexical (own ConText-style cue lists, scoped per clause); unusual",
        "  phrasings of negation or hypotheticals can slip through, and clause edges are found",
        "  from punctuation and conjunctions, not from a parser.",
        "- Case fields (clientroute, onveiligheid, gi_inzet, partijen) are derived by simple,",
        "  documented rules from the tags and mentions; they inherit the tags' errors.",
        "",
    ]
    return "\n".join(lines)
