"""The whistleblowing aggregate: cases, their sealed keys, files, messages and audit trail.

No column holds readable content: the 4W+1H, the identity, the messages and the file names are
sealed to the case's public key; files are encrypted streams in storage. What stays readable is
what the platform needs to route and time a case: the agency concerned, the level accused, the
stage, deadlines, counts and dates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    RECEIVED = "diterima", _("Diterima")
    VERIFICATION = "verifikasi", _("Verifikasi")
    INVESTIGATION = "investigasi", _("Investigasi")
    CONCLUDED = "selesai", _("Selesai")


class Outcome(models.TextChoices):
    SUBSTANTIATED = "terbukti", _("Terbukti")
    UNSUBSTANTIATED = "tidak_terbukti", _("Tidak terbukti")
    REFERRED = "dilimpahkan_aph", _("Dilimpahkan ke aparat penegak hukum (APH)")


class Accused(models.TextChoices):
    STAFF = "pegawai", _("Pegawai atau pejabat instansi")
    HEAD = "pimpinan", _("Pimpinan instansi")
    INSPECTORATE = "inspektorat", _("Inspektorat instansi itu sendiri")


class PersonKey(models.Model):
    """A recipient's key pair: the private key wrapped under their passphrase (Argon2id) and
    under a recovery key they were given once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wbs_key"
    )
    public_key = models.BinaryField()
    salt = models.BinaryField()
    opslimit = models.PositiveIntegerField()
    memlimit = models.PositiveBigIntegerField()
    wrapped = models.BinaryField()
    recovery_wrapped = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"WBS key {self.user_id}"


class StageDeadline(models.Model):
    """How long a case may stay in a stage (data, not code)."""

    stage = models.CharField(max_length=16, choices=Stage.choices, unique=True)
    working_days = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"{self.stage}: {self.working_days}"


class Case(models.Model):
    public_id = models.CharField(max_length=16, unique=True)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    accused = models.CharField(max_length=16, choices=Accused.choices)
    # The level whose inspectorate receives the case (the agency's own, or the next one up).
    handled_by = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.RECEIVED)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    deadline_at = models.DateTimeField(null=True, blank=True)
    public_key = models.BinaryField()
    content = models.BinaryField()  # the 4W+1H, sealed
    identity = models.BinaryField(null=True, blank=True)  # name and contact, sealed, optional
    receipt_index = models.CharField(max_length=64, unique=True)
    receipt_salt = models.BinaryField()
    receipt_verifier = models.BinaryField()
    receipt_opslimit = models.PositiveIntegerField()
    receipt_memlimit = models.PositiveBigIntegerField()
    whistleblower_key = models.BinaryField()  # case private key under the receipt-derived key
    # the case private key sealed to the national escrow key, when one is configured
    escrow_sealed = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    event_count = models.PositiveIntegerField(default=0)
    last_event_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["handled_by", "stage"], name="wbs_case_queue")]

    def __str__(self) -> str:
        return f"WBS {self.public_id}"


class CaseKey(models.Model):
    """The case's private key sealed to one recipient: who holds one may read the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="keys")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sealed = models.BinaryField()
    seen_messages = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="wbs_casekey_unique"),
        ]

    def __str__(self) -> str:
        return f"WBS {self.case_id} → {self.user_id}"


class EvidenceFile(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="files")
    storage_name = models.CharField(max_length=100)
    sealed_meta = models.BinaryField()  # name, content type, size and stream key, sealed
    stored_size = models.PositiveBigIntegerField()  # the padded ciphertext's size

    def __str__(self) -> str:
        return f"WBS file {self.pk}"


class Message(models.Model):
    class Author(models.TextChoices):
        WHISTLEBLOWER = "pelapor", _("Pelapor")
        INSPECTOR = "pemeriksa", _("Pemeriksa")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=12, choices=Author.choices)
    sealed = models.BinaryField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"WBS message {self.pk}"


class ChainHead(models.Model):
    """The head of the platform-wide chain of WBS events (one row): removing a whole case with
    its events breaks this chain even though each case's own chain would vanish with it."""

    count = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"WBS chain {self.count}"


class Event(models.Model):
    """The hash-chained audit trail of a case: who did what, when; never what was written.
    Each event is linked twice: in its case's chain (``prev_hash``/``hash``) and in the
    platform-wide chain (``global_seq``/``global_hash``)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=16)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    global_seq = models.PositiveBigIntegerField(unique=True)
    global_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="wbs_event_seq")]

    def __str__(self) -> str:
        return f"WBS {self.case_id} #{self.seq} {self.action}"
