"""The report lifecycle: every status, every action, and the one table of allowed moves.

``reports.services`` is the only code that changes a report's status, and it asks ``transition``
first. Integration state (sent to a partner, webhook delivered) never lives here: it is not the
citizen's status.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lapor.core.errors import LaporError


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Diterima")
    TRIAGE = "triage", _("Menunggu verifikasi nasional")
    DISPOSED = "disposed", _("Didisposisikan ke instansi")
    IN_PROGRESS = "in_progress", _("Diproses unit kerja")
    ON_HOLD = "on_hold", _("Ditunda")
    AWAITING_REPORTER = "awaiting_reporter", _("Menunggu klarifikasi pelapor")
    ANSWERED = "answered", _("Ditindaklanjuti")
    COMPLETED = "completed", _("Selesai")
    CLOSED = "closed", _("Ditutup otomatis")
    ARCHIVED = "archived", _("Diarsipkan")
    MERGED = "merged", _("Digabung dengan laporan lain")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Laporan dikirim")
    TRIAGE = "triage", _("Dikirim ke verifikasi nasional")
    DISPOSE = "dispose", _("Diverifikasi dan didisposisikan")
    DISPOSE_UNIT = "dispose_unit", _("Diteruskan ke unit kerja")
    HOLD = "hold", _("Ditunda")
    RESUME = "resume", _("Dilanjutkan")
    NOT_AUTHORITY = "not_authority", _("Bukan wewenang, dikembalikan ke verifikasi nasional")
    FORWARD = "forward", _("Bukan wewenang, diteruskan ke instansi lain")
    REQUEST_INFO = "request_info", _("Permintaan klarifikasi")
    REPORTER_REPLY = "reporter_reply", _("Tanggapan pelapor")
    FOLLOW_UP = "follow_up", _("Tindak lanjut")
    COMPLETE = "complete", _("Diselesaikan")
    AUTO_CLOSE = "auto_close", _("Ditutup otomatis")
    RATE = "rate", _("Penilaian pelapor")
    REOPEN = "reopen", _("Dibuka kembali (banding)")
    ARCHIVE = "archive", _("Diarsipkan")
    MERGE = "merge", _("Digabung sebagai duplikat")
    SUPPORT = "support", _("Dukungan pelapor lain")
    NOTE = "note", _("Catatan internal")
    CHANGE_CATEGORY = "change_category", _("Kategori diubah")
    SET_PRIVACY = "set_privacy", _("Kerahasiaan diubah")
    MARK_OVERDUE = "mark_overdue", _("Melewati batas waktu")
    ESCALATE = "escalate", _("Eskalasi")
    # Kept for the history of reports opened before views moved to the access log
    # (``AccessRecord``); no longer a move of the table below, only a permission.
    VIEW_CONFIDENTIAL = "view_confidential", _("Laporan rahasia dibuka")
    # The reporter's own consent to lift a protection (anonim or rahasia) an officer may only add.
    PRIVACY_CONSENT = "privacy_consent", _("Perlindungan dilepas atas persetujuan pelapor")
    # UU PDP: the reporter's name and contact details erased at their request or by retention.
    ERASE_IDENTITY = "erase_identity", _("Identitas pelapor dihapus")
    # A guest report (filed by SMS, e-mail, WhatsApp or at a desk) linked to the account that
    # proved it holds the contact the report was filed from.
    CLAIM_CONTACT = "claim_contact", _("Laporan ditautkan ke akun pelapor")
    # A photo shown on or hidden from the public page (``services.photo_visibility``).
    PHOTO_VISIBILITY = "photo_visibility", _("Tampilan foto di halaman publik diubah")


S = Status
# Where a report is still waiting for someone to act.
OPEN = frozenset(
    {S.SUBMITTED, S.TRIAGE, S.DISPOSED, S.IN_PROGRESS, S.ON_HOLD, S.AWAITING_REPORTER, S.ANSWERED}
)
# Statuses whose SLA clock runs (``Report.due_at`` is set).
CLOCK_RUNS = frozenset({S.SUBMITTED, S.TRIAGE, S.DISPOSED, S.IN_PROGRESS})
AT_AGENCY = frozenset({S.DISPOSED, S.IN_PROGRESS})
BEFORE_AGENCY = frozenset({S.SUBMITTED, S.TRIAGE})
FINISHED = frozenset({S.COMPLETED, S.CLOSED})
ANY = frozenset(Status)

# "Return" marks an action whose target is the status the report had before it paused
# (``Report.status_before``): resuming a hold, or the reporter answering a clarification.
RETURN = "return"


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str | None  # None: the action leaves the status as it is


TRANSITIONS: dict[str, Move] = {
    Action.TRIAGE: Move(frozenset({S.SUBMITTED}), S.TRIAGE),
    Action.DISPOSE: Move(BEFORE_AGENCY, S.DISPOSED),
    Action.DISPOSE_UNIT: Move(AT_AGENCY, S.IN_PROGRESS),
    Action.HOLD: Move(BEFORE_AGENCY | AT_AGENCY, S.ON_HOLD),
    Action.RESUME: Move(frozenset({S.ON_HOLD}), RETURN),
    # Bukan wewenang never ends a report: it goes back to triage or on to a named agency.
    Action.NOT_AUTHORITY: Move(AT_AGENCY, S.TRIAGE),
    Action.FORWARD: Move(AT_AGENCY, S.DISPOSED),
    Action.REQUEST_INFO: Move(BEFORE_AGENCY | AT_AGENCY, S.AWAITING_REPORTER),
    # A reply answers a clarification, or re-opens the conversation on an answer (which
    # stops the automatic close).
    Action.REPORTER_REPLY: Move(frozenset({S.AWAITING_REPORTER, S.ANSWERED}), RETURN),
    Action.FOLLOW_UP: Move(AT_AGENCY, S.ANSWERED),
    Action.COMPLETE: Move(frozenset({S.ANSWERED}), S.COMPLETED),
    Action.AUTO_CLOSE: Move(frozenset({S.ANSWERED}), S.CLOSED),
    Action.RATE: Move(FINISHED, None),
    Action.REOPEN: Move(FINISHED, S.DISPOSED),
    Action.ARCHIVE: Move(BEFORE_AGENCY | AT_AGENCY | {S.ON_HOLD, S.AWAITING_REPORTER}, S.ARCHIVED),
    Action.MERGE: Move(OPEN - {S.ANSWERED}, S.MERGED),
    Action.SUPPORT: Move(OPEN, None),
    Action.NOTE: Move(ANY, None),
    Action.CHANGE_CATEGORY: Move(OPEN, None),
    Action.SET_PRIVACY: Move(ANY, None),
    Action.MARK_OVERDUE: Move(CLOCK_RUNS, None),
    Action.ESCALATE: Move(CLOCK_RUNS, None),
    Action.PRIVACY_CONSENT: Move(ANY, None),
    Action.ERASE_IDENTITY: Move(ANY, None),
    Action.CLAIM_CONTACT: Move(ANY, None),
    Action.PHOTO_VISIBILITY: Move(ANY, None),
}


class TransitionError(LaporError):
    """The action is not allowed in the report's current status (a form left open while the
    report moved on): a ``LaporError``, so every view that answers those answers this too."""

    code = "invalid_transition"
    status = 409

    def __init__(self, action: str, status: str) -> None:
        self.action = action
        self.report_status = status  # ``status`` is the HTTP status, as on every LaporError
        super().__init__(
            gettext(
                "Tindakan '%(action)s' tidak dapat dilakukan pada laporan berstatus '%(status)s'."
            )
            % {"action": Action(action).label, "status": Status(status).label}
        )


def allowed(action: str, status: str) -> bool:
    move = TRANSITIONS.get(action)
    return move is not None and status in move.sources


def allowed_actions(status: str) -> list[str]:
    """The actions the table allows in ``status``, in the table's order."""
    return [action for action, move in TRANSITIONS.items() if status in move.sources]


def transition(action: str, status: str, *, status_before: str = "") -> str:
    """The status after ``action`` in ``status``; raises ``TransitionError`` if not allowed."""
    move = TRANSITIONS.get(action)
    if move is None or status not in move.sources:
        raise TransitionError(action, status)
    if move.target is None:
        return status
    if move.target == RETURN:
        if status == S.ANSWERED:
            return status_before or S.DISPOSED
        return status_before or S.TRIAGE
    return move.target
