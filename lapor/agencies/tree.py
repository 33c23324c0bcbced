"""Keeping the materialised ``path`` of the agency tree right when a node moves."""

from __future__ import annotations

from django.db.models import CharField, Value
from django.db.models.functions import Concat, Substr

from lapor.agencies.models import Agency


def repath_subtree(*, old_path: str, new_path: str) -> int:
    """Rewrite the paths below a node whose own path changed from ``old_path`` to
    ``new_path`` (one UPDATE); returns how many descendants moved."""
    if old_path == new_path:
        return 0
    return (
        Agency.objects.filter(path__startswith=old_path)
        .exclude(path=old_path)
        .update(
            path=Concat(
                Value(new_path),
                Substr("path", len(old_path) + 1),
                output_field=CharField(),
            )
        )
    )


def would_create_cycle(*, node: Agency, new_parent: Agency | None) -> bool:
    """True when ``new_parent`` is the node itself or lies below it."""
    if new_parent is None or node.pk is None:
        return False
    return new_parent.pk == node.pk or new_parent.path.startswith(node.path)
