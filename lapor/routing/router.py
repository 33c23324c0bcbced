"""Which agency should act on a report, with how sure we are and why.

``route`` combines three sources: the gazetteer (where), the topic rules (what, and who acts
on it at that level of government), and, once trained, the classifier (what agencies handled
similar reports before). Every suggestion carries its reasons for the officer to see."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.conf import settings

from lapor.agencies.loader import government_code
from lapor.agencies.models import Agency
from lapor.routing import calibration, classifier
from lapor.routing.gazetteer import Location, Place, gazetteer, locate
from lapor.routing.rules import KABKOTA, PROVINSI, TopicHit, topics_in
from lapor.routing.text import normalise

# The best score from which a report the model routed may be disposed of without a person,
# to an agency the model's out-of-sample records trust (``calibration``; chosen on the
# rolling-origin development weeks, precision first, ADR 0018).
DEFAULT_AUTO_DISPOSE_AT = 0.95
# Rules alone (no model trained yet) keep the threshold they always had: their scores are
# not the model's, and history cannot measure them (its labels are not the rules' agencies).
RULES_AUTO_DISPOSE_AT = 0.8


def auto_dispose_at(*, model: bool = True) -> float:
    """``LAPOR_ROUTING_AUTO_DISPOSE_AT`` (default 0.95); for routing by the rules alone the
    lower of it and 0.8."""
    configured = float(getattr(settings, "LAPOR_ROUTING_AUTO_DISPOSE_AT", DEFAULT_AUTO_DISPOSE_AT))
    return configured if model else min(configured, RULES_AUTO_DISPOSE_AT)


@dataclass
class Suggestion:
    agency: str  # agency code
    name: str
    confidence: float
    category: str = ""
    reasons: list[str] = field(default_factory=list)


@dataclass
class Routing:
    suggestions: list[Suggestion]
    region: str | None
    region_evidence: list[str]
    model: str = ""
    # The agencies the model's out-of-sample records trust at the threshold (``calibration``);
    # None: no such records (the rules alone, or a model file trained before them).
    trusted: frozenset[str] | None = None

    @property
    def best(self) -> Suggestion | None:
        return self.suggestions[0] if self.suggestions else None

    @property
    def threshold(self) -> float:
        """The best score from which this routing disposes of the report by itself."""
        return auto_dispose_at(model=bool(self.model))

    @property
    def confident(self) -> bool:
        """Whether this routing disposes of the report by itself: the best score reaches the
        threshold and, with a model that measured it, its agency is trusted. The one decision
        the routing job, the citizen's named agency and ``lapor routing evaluate`` all use."""
        best = self.best
        if best is None or best.confidence < self.threshold:
            return False
        return self.trusted is None or best.agency in self.trusted

    def as_data(self) -> dict[str, Any]:
        """The routing as stored in the report's event (JSON)."""
        return {
            "confidence": round(self.best.confidence, 3) if self.best else 0.0,
            "region": self.region,
            "region_evidence": self.region_evidence,
            "model": self.model,
            "suggestions": [
                {**asdict(s), "confidence": round(s.confidence, 3)} for s in self.suggestions
            ],
        }


def _agency_for_place(place: Place | None, unit_type: str) -> tuple[str, ...]:
    """Agency codes to try, most specific first, for a unit of the government of ``place``."""
    if place is None:
        return ()
    gov = government_code(place.code, place.kind)
    return (f"{gov}-{unit_type}", gov) if unit_type else (gov,)


Wanted = tuple[list[str], str | None, Suggestion]  # candidate codes, region they govern, ...


def _rule_suggestions(hits: list[TopicHit], loc: Location) -> list[Wanted]:
    gaz = gazetteer()
    kabkota, province = loc.kabkota(gaz), loc.province(gaz)
    total = sum(h.score for h in hits) or 1.0
    out: list[Wanted] = []
    for hit in hits[:4]:
        topic = hit.topic
        strength = min(0.97, 0.6 + 0.2 * hit.score)
        share = hit.score / total
        base = strength * (0.5 + 0.5 * share)
        reasons = [f"aturan {topic.key}: kata {', '.join(repr(w) for w in hit.words)}"]
        if topic.agency:
            candidates: tuple[str, ...] = (topic.agency,)
            place: Place | None = None
            factor = 1.0
            reasons.append("instansi nasional untuk topik ini, di mana pun lokasinya")
        else:
            place = kabkota if topic.level == KABKOTA else province
            factor = 1.0 if place is not None else 0.0
            if topic.level == KABKOTA and place is None and province is not None:
                place, factor = province, 0.55  # only the province is known
            if topic.level == PROVINSI and kabkota is None:
                factor = 0.9
            candidates = _agency_for_place(place, topic.unit_type)
            if loc.region is not None and not any("teks" in e for e in loc.evidence):
                factor *= 0.97  # the chosen region alone, not confirmed by the text
        sug = Suggestion("", "", base * factor, topic.category, reasons)
        out.append((list(candidates), place.code if place else None, sug))
    return out


_CURRENT = object()
RULE_WEIGHTS = (1.0, 0.5, 0.25, 0.1)  # what ``lapor routing train`` chooses among


@dataclass
class Evidence:
    """Everything routing reads about one report, before the ranking weighs it."""

    loc: Location
    wanted: list[Wanted]
    probs: dict[str, float]
    top_words: list[str]
    agencies: dict[str, Agency]
    model: Any


def gather(
    *,
    title: str,
    body: str,
    region_code: str | None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    model: Any = _CURRENT,
    any_agency: bool = False,
) -> Evidence:
    """Where the report is, which rules it meets, what the model predicts, and the agencies
    these name (``model``: None = rules alone; ``any_agency``: also agencies that take no
    reports themselves, i.e. imported history, for evaluation)."""
    text = f"{title}. {body}"
    loc = locate(text=text, region_code=region_code, latitude=latitude, longitude=longitude)
    hits = topics_in(normalise(text))
    wanted = _rule_suggestions(hits, loc)
    codes = {c for cands, _, _ in wanted for c in cands}
    if model is _CURRENT:
        model = classifier.current()
    probs: dict[str, float] = {}
    top_words: list[str] = []
    if model is not None:
        probs, top_words = model.predict(text, loc)
        codes |= set(list(probs)[:5])
    agencies = {
        a.code: a
        for a in Agency.objects.filter(code__in=codes, is_active=True).only(
            "code", "name", "region_id", "accepts_reports"
        )
        if any_agency or a.accepts_reports
    }
    return Evidence(loc, wanted, probs, top_words, agencies, model)


def rank(ev: Evidence, *, rule_weight: float | None = None) -> Routing:
    """Weigh the evidence into ranked suggestions with their reasons. ``rule_weight`` scales
    the rules once a model exists (default: the weight the model was trained with, chosen by
    ``lapor routing train`` on held-back reports); history knows local practice better than
    generic rules, by how much is measured, not guessed."""
    model, agencies, loc = ev.model, ev.agencies, ev.loc
    if rule_weight is None:
        rule_weight = float(getattr(model, "rule_weight", 1.0)) if model is not None else 1.0
    scored: dict[str, Suggestion] = {}
    for candidates, governs, template in ev.wanted:
        sug = replace(template, reasons=list(template.reasons))
        known = [c for c in candidates if c in agencies and (model is None or model.knows(c))]
        code = known[0] if known else next((c for c in candidates if c in agencies), None)
        if code is None or sug.confidence <= 0:
            continue
        if governs is not None and agencies[code].region_id != governs:
            # A code that looks regional but is not tied to that region in the agency tree:
            # never dispose there by ourselves.
            sug.confidence *= 0.5
            sug.reasons.append("instansi belum terhubung dengan wilayah ini di pohon instansi")
        if code != candidates[0] and len(candidates) > 1:
            sug.confidence *= 0.85  # the unit is missing: its government takes it
            sug.reasons.append("unit kerja tidak ada; diarahkan ke pemerintah daerahnya")
        if model is not None:
            # History knows local practice: the rules count as much as training found best,
            # for a kabupaten/kota history never saw too (the model's "local government of
            # the place" reaches those; keeping the rules' full weight there cost about 7
            # points of accuracy on the rolling-origin folds for 1 in 15 reports gained).
            sug.confidence *= rule_weight
            if not model.knows(code):
                # Once trained, history knows local practice better than the generic rules.
                sug.confidence *= 0.2
        if code in scored:
            continue
        sug.agency, sug.name = code, agencies[code].name
        scored[code] = sug
    for code, p in list(ev.probs.items())[:5]:
        if code not in agencies:
            continue
        sug = scored.get(code) or Suggestion(code, agencies[code].name, 0.0)
        rule_conf = sug.confidence
        sug.confidence = 1 - (1 - rule_conf) * (1 - p) if rule_conf else p
        sug.reasons.append(
            f"model {model.version if model else ''}: peluang {p:.2f}; kata penentu: "
            + ", ".join(ev.top_words[:5])
        )
        scored[code] = sug
    if not scored and loc.region is not None and loc.region.level != "provinsi":
        place = loc.kabkota(gazetteer())
        for code in _agency_for_place(place, ""):
            agency = Agency.objects.filter(code=code, is_active=True).first()
            if agency is not None:
                scored[code] = Suggestion(
                    code, agency.name, 0.3, "", ["topik tidak dikenali; pemerintah daerah lokasi"]
                )
    for sug in scored.values():
        sug.reasons.extend(loc.evidence)
    ranked = sorted(scored.values(), key=lambda s: -s.confidence)
    return Routing(
        suggestions=ranked[:5],
        region=loc.region.code if loc.region else None,
        region_evidence=loc.evidence,
        model=model.version if model else "",
        trusted=trusted_by(model),
    )


def trusted_by(model: Any) -> frozenset[str] | None:
    """The agencies ``model``'s out-of-sample records trust at the current settings (kept on
    the model per setting pair), or None when it has no records (rules alone, an older file)."""
    records = getattr(model, "calibration", None) if model is not None else None
    if records is None:
        return None
    key = (auto_dispose_at(), calibration.agency_precision())
    cache = model.__dict__.setdefault("_trusted", {})
    if key not in cache:
        cache[key] = calibration.trusted(records, threshold=key[0], precision=key[1])
    result: frozenset[str] = cache[key]
    return result


def route(
    *,
    title: str,
    body: str,
    region_code: str | None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    model: Any = _CURRENT,
    any_agency: bool = False,
) -> Routing:
    """Rank the agencies that could act on this report (see ``gather`` and ``rank``)."""
    return rank(
        gather(
            title=title,
            body=body,
            region_code=region_code,
            latitude=latitude,
            longitude=longitude,
            model=model,
            any_agency=any_agency,
        )
    )
