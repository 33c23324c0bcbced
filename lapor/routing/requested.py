"""The agency a citizen named on the form: a strong signal that routing still checks.

The citizen's choice is followed unless routing is confident (``Routing.confident``: at least
``LAPOR_ROUTING_AUTO_DISPOSE_AT``, to an agency its model trusts) that another agency acts on
this report and gives the named one less than half of that confidence: then the report goes
to routing's agency and the citizen is told why (the topic, the words that showed it, how sure
routing is). When routing's agency is a unit of the named one (the citizen named the
Pemerintah Kabupaten, the topic belongs to its Dinas), the unit gets it: that still follows the
citizen's choice.

Nothing is retrained: the decision reads the ranking ``router.route`` already made."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lapor.agencies.models import Agency
from lapor.categories.models import Category
from lapor.routing.router import Routing, Suggestion

FOLLOWED = "followed"  # the named agency gets the report
UNIT = "unit"  # a unit of the named agency gets it (the one that handles the topic)
CORRECTED = "corrected"  # another agency gets it: not the named one's authority
OVERRULE_SHARE = 0.5  # the named agency's score below this share of the best one's


@dataclass(frozen=True)
class Decision:
    outcome: str
    requested: Agency
    to: Agency
    confidence: float = 0.0  # routing's confidence in ``to`` (0: routing had no opinion)
    agreed: bool = False  # routing's own best suggestion was the named agency
    category: str = ""  # the category code of the rule that decided, if any
    category_names: tuple[str, str] = ("", "")  # its Indonesian and English names
    words: list[str] = field(default_factory=list)  # the words that showed the topic

    @property
    def followed(self) -> bool:
        return self.outcome in (FOLLOWED, UNIT)

    def as_data(self) -> dict[str, Any]:
        """Kept on the report (``requested_decision``) and in the disposition event."""
        return {
            "outcome": self.outcome,
            "requested": self.requested.code,
            "requested_name": self.requested.name,
            "to": self.to.code,
            "to_name": self.to.name,
            "confidence": round(self.confidence, 3),
            "agreed": self.agreed,
            "category": self.category,
            "category_name": self.category_names[0],
            "category_name_en": self.category_names[1],
            "words": self.words,
        }

    def note(self) -> str:
        """The disposition event's message (Indonesian, like every event message)."""
        percent = f"{self.confidence:.0%}"
        if self.outcome == CORRECTED:
            topic = f" tentang {self.category_names[0]}" if self.category_names[0] else ""
            words = f" (kata {', '.join(repr(w) for w in self.words)})" if self.words else ""
            return (
                f"Instansi pilihan pelapor dikoreksi: bukan wewenang {self.requested.name}; "
                f"laporan{topic}{words} ditangani {self.to.name} (keyakinan perutean {percent})."
            )
        if self.outcome == UNIT:
            return (
                f"Instansi pilihan pelapor diikuti: {self.requested.name}, melalui unit kerjanya "
                f"{self.to.name} (keyakinan perutean {percent})."
            )
        agreed = " Perutean juga menyarankannya." if self.agreed else ""
        return f"Instansi pilihan pelapor diikuti: {self.to.name}.{agreed}"


def _words(suggestion: Suggestion) -> list[str]:
    """The words a rule fired on (``aturan jalan-nasional: kata 'jalan nasional', ...``)."""
    for reason in suggestion.reasons:
        if reason.startswith("aturan ") and ": kata " in reason:
            listed = reason.split(": kata ", 1)[1]
            return [w.strip().strip("'\"") for w in listed.split(",") if w.strip()][:3]
    return []


def decide(routing: Routing, requested: Agency) -> Decision:
    """Follow ``requested`` (an active agency that receives reports) unless routing is sure of
    another one (module docstring)."""
    best = routing.best
    if best is None or best.agency == requested.code:
        conf = best.confidence if best else 0.0
        return Decision(FOLLOWED, requested, requested, conf, agreed=best is not None)
    own = next((s for s in routing.suggestions if s.agency == requested.code), None)
    own_score = own.confidence if own else 0.0
    if not routing.confident or own_score >= best.confidence * OVERRULE_SHARE:
        return Decision(FOLLOWED, requested, requested, own_score)
    target = Agency.objects.filter(code=best.agency, is_active=True, accepts_reports=True).first()
    if target is None:
        return Decision(FOLLOWED, requested, requested, own_score)
    outcome = UNIT if target.is_within(requested) else CORRECTED
    names = (
        Category.objects.filter(code=best.category).values_list("name", "name_en").first()
        if best.category
        else None
    )
    return Decision(
        outcome,
        requested,
        target,
        best.confidence,
        category=best.category,
        category_names=names or ("", ""),
        words=_words(best),
    )
