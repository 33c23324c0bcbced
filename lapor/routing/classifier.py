"""The trained routing model: TF-IDF on stemmed words (1-2 grams) and on characters (2-5
grams of the normalised text), a linear support vector machine over agency codes. Models are
versioned files in ``LAPOR_ROUTING_MODEL_DIR`` (default ``var/models``); ``current()`` loads
the one the pointer file names, once per process (again only when the pointer changes)."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import joblib
import numpy as np
from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from lapor.agencies.loader import government_code
from lapor.routing.text import analyse, normalise

if TYPE_CHECKING:
    from lapor.routing.calibration import Record
    from lapor.routing.gazetteer import Location

POINTER = "CURRENT"
LOCAL = "@pemda"  # the class standing for "the kabupaten/kota government of the place"


def database_key() -> str:
    """A name for the database in use, so that several databases on one machine never share
    a model: ``<database name>-<hash of engine, host, port and name>``."""
    from django.db import connection

    db = connection.settings_dict
    name = str(db.get("NAME") or "")
    if "sqlite" in str(db.get("ENGINE", "")) and name and not name.startswith(":"):
        name = str(Path(name).resolve())
    identity = "|".join(str(db.get(k) or "") for k in ("ENGINE", "HOST", "PORT")) + "|" + name
    digest = hashlib.sha256(identity.encode()).hexdigest()[:12]
    return f"{slugify(Path(name).name) or 'db'}-{digest}"


def model_dir() -> Path:
    """Where this database's models live: ``LAPOR_ROUTING_MODEL_DIR`` (default
    ``var/models``) / ``database_key()``."""
    configured = getattr(settings, "LAPOR_ROUTING_MODEL_DIR", None)
    base = Path(configured) if configured else Path(settings.CONFIG.var_dir) / "models"
    return base / database_key()


def build_pipeline() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline

    from lapor.routing.svm import SoftmaxSVC

    # Words seen in one report only are left out (min_df=2): chosen on the rolling-origin
    # development folds (ADR 0018), and a smaller vocabulary on a large history.
    words = TfidfVectorizer(preprocessor=analyse, ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    chars = TfidfVectorizer(
        preprocessor=normalise,
        analyzer="char_wb",
        ngram_range=(2, 5),
        sublinear_tf=True,
        min_df=2,
        max_features=200_000,
    )
    return Pipeline(
        [
            ("features", FeatureUnion([("words", words), ("chars", chars)])),
            ("clf", SoftmaxSVC()),
        ]
    )


def _place_of(code: str) -> tuple[str, str] | None:
    """``pemkab-3321-pupr`` → ("pemkab-3321", "-pupr"); None for a non-regional code."""
    if not code.startswith(("pemkab-", "pemkot-")):
        return None
    head, _, rest = code.partition("-")
    number, dash, unit = rest.partition("-")
    return f"{head}-{number}", f"{dash}{unit}"


@dataclass
class Model:
    version: str
    pipeline: Any
    trained_on: int = 0
    score: float = 0.0
    local: str = ""  # the local government most often seen, when no place is known
    trained_until: datetime | None = None  # the newest example it learned from
    rule_weight: float = 1.0  # how much the generic rules count beside it (chosen in training)
    places: frozenset[str] = frozenset()  # local governments (pemkab-3321, ...) it learned from
    # Its latest weeks routed out of sample, which decide the agencies it may dispose to by
    # itself (``calibration``); None in a file trained before them (threshold alone then).
    calibration: tuple[Record, ...] | None = None

    @property
    def classes(self) -> list[str]:
        return list(self.pipeline.classes_)

    def knows(self, code: str) -> bool:
        """Whether history ever routed to this agency (or, for a local government unit, to
        that kind of unit of any local government)."""
        parts = _place_of(code)
        return code in self.classes or (parts is not None and LOCAL + parts[1] in self.classes)

    def predict(self, text: str, loc: Location) -> tuple[dict[str, float], list[str]]:
        """Agency codes with probabilities, best first, and the words that weighed most.

        A kabupaten/kota government the model learned stands for "the local government of
        the place": when the text names another kabupaten/kota, the probability moves to that
        place's government, so places never seen in training are still routed."""
        proba = self.pipeline.predict_proba([text])[0]
        order = np.argsort(proba)[::-1][:8]
        probs: dict[str, float] = {}
        named = [f.place for f in loc.mentioned if f.place.level == "kabupaten_kota"]
        place = named[0] if named else None
        if place is None and loc.region is not None and loc.region.level != "provinsi":
            place = loc.region if loc.region.level == "kabupaten_kota" else None
        for i in order:
            code = self.classes[i]
            if code.startswith(LOCAL):
                suffix = code[len(LOCAL) :]
                if place is not None:
                    code = government_code(place.code, place.kind) + suffix
                elif self.local:
                    code = self.local + suffix
                else:
                    continue
            probs[code] = probs.get(code, 0.0) + float(proba[i])
        ranked = dict(sorted(probs.items(), key=lambda kv: -kv[1]))
        return ranked, self.top_words(text, int(order[0]))

    def top_words(self, text: str, class_index: int, n: int = 5) -> list[str]:
        words = self.pipeline.named_steps["features"].transformer_list[0][1]
        coef = self.pipeline.named_steps["clf"].coef_
        row = coef[class_index if coef.shape[0] > 1 else 0][: len(words.vocabulary_)]
        x = words.transform([text]).tocoo()
        weights = sorted(
            ((row[j] * v, j) for j, v in zip(x.col, x.data, strict=True)), reverse=True
        )
        names = self.__dict__.get("_word_names")
        if names is None:  # sorting the whole vocabulary costs ~50 ms: once per process
            names = self.__dict__["_word_names"] = words.get_feature_names_out()
        return [str(names[j]) for w, j in weights[:n] if w > 0]


def fit(texts: list[str], labels: list[str], weights: list[float] | None = None) -> Model:
    """Learn agency codes. Every kabupaten/kota government (and each of its unit types) is
    learned as one class, "the local government of the place", so what local governments
    handle is learned from all of them together and can go to a place never seen.
    ``weights``: one per example (recency weighting), default all 1."""
    local: Counter[str] = Counter()
    classes = []
    for label in labels:
        parts = _place_of(label)
        if parts:
            local[label] += 1
            classes.append(LOCAL + parts[1])
        else:
            classes.append(label)
    pipeline = build_pipeline()
    if weights is None:
        pipeline.fit(texts, classes)
    else:
        pipeline.fit(texts, classes, clf__sample_weight=np.asarray(weights, dtype=float))
    version = timezone.now().strftime("%Y%m%d%H%M%S%f")
    fallback = local.most_common(1)[0][0] if local else ""
    places = frozenset(parts[0] for label in local if (parts := _place_of(label)))
    return Model(
        version=version, pipeline=pipeline, trained_on=len(texts), local=fallback, places=places
    )


def save(model: Model) -> Path:
    """Write the model as a new versioned file and point ``CURRENT`` at it."""
    directory = model_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"routing-{model.version}.joblib"
    joblib.dump(model, path)
    tmp = directory / f".{POINTER}.tmp"
    tmp.write_text(path.name)
    tmp.replace(directory / POINTER)
    return path


_lock = threading.Lock()
_loaded: dict[str, Any] = {}


def current() -> Model | None:
    """The model in use, or None before any training (rules alone then)."""
    pointer = model_dir() / POINTER
    try:
        name = pointer.read_text().strip()
    except FileNotFoundError:
        return None
    key = str(model_dir() / name)
    with _lock:
        if _loaded.get("key") != key:
            _loaded["model"] = joblib.load(key)
            _loaded["key"] = key
        model: Model = _loaded["model"]
        return model
