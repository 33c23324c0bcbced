"""Reading a case: decrypted in memory with the case key, for the page being rendered only.
Recipients' view and the whistleblower's view are built separately: the whistleblower sees the
stage and the messages, nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.storage import default_storage

from lapor.accounts.models import User
from lapor.wbs import crypto
from lapor.wbs.models import Case, CaseKey, EvidenceFile, Message


@dataclass(frozen=True)
class PlainMessage:
    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class PlainFile:
    id: int
    name: str
    content_type: str
    size: int


def messages(case: Case, private: bytes) -> list[PlainMessage]:
    return [
        PlainMessage(m.author, crypto.unseal_json(private, bytes(m.sealed))["text"], m.created_at)
        for m in Message.objects.filter(case=case)
    ]


def _file_meta(private: bytes, row: EvidenceFile) -> dict[str, Any]:
    meta: dict[str, Any] = crypto.unseal_json(private, bytes(row.sealed_meta))
    return meta


def files(case: Case, private: bytes) -> list[PlainFile]:
    out = []
    for row in EvidenceFile.objects.filter(case=case).order_by("pk"):
        meta = _file_meta(private, row)
        out.append(PlainFile(row.pk, meta["name"], meta["type"], meta["size"]))
    return out


def recipient_view(case: Case, private: bytes) -> dict[str, Any]:
    return {
        "content": crypto.unseal_json(private, bytes(case.content)),
        "identity": crypto.unseal_json(private, bytes(case.identity)) if case.identity else None,
        "files": files(case, private),
        "thread": messages(case, private),
    }


def whistleblower_view(case: Case, private: bytes) -> dict[str, Any]:
    return {"thread": messages(case, private)}


def open_file(case: Case, private: bytes, file_id: int) -> tuple[PlainFile, Iterator[bytes]]:
    """A file's metadata and its plaintext, decrypted chunk by chunk as it is sent."""
    row = EvidenceFile.objects.get(case=case, pk=file_id)
    meta = _file_meta(private, row)
    key = bytes.fromhex(meta["key"])

    def chunks() -> Iterator[bytes]:
        with default_storage.open(row.storage_name, "rb") as source:
            yield from crypto.decrypt_stream(key, source, int(meta["size"]))

    return PlainFile(row.pk, meta["name"], meta["type"], meta["size"]), chunks()


def inbox(user: User) -> list[dict[str, Any]]:
    """The cases sealed to ``user`` at levels they still inspect for (metadata only: no key is
    needed to list them); ``unread`` when a message came after they last looked."""
    from django.db.models import Count

    from lapor.agencies.models import Membership

    levels = Membership.objects.filter(
        user=user, role=Membership.Role.INSPECTOR, is_active=True
    ).values("agency_id")
    keys = (
        CaseKey.objects.filter(user=user, case__handled_by_id__in=levels)
        .select_related("case", "case__agency")
        .annotate(total=Count("case__messages"))
        .order_by("-case__created_at")
    )
    return [{"case": k.case, "unread": k.seen_messages < k.total} for k in keys]
