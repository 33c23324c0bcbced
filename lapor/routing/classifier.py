"""The trained routing model (placeholder until training lands): ``current()`` is None."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lapor.routing.gazetteer import Location


class Model:
    version: str = ""

    def predict(self, text: str, loc: Location) -> tuple[dict[str, float], list[str]]:
        raise NotImplementedError


def current() -> Model | None:
    return None
