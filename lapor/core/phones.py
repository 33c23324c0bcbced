"""Phone numbers as one canonical form (E.164), so ``0812-3456-7890``, ``+62 812 3456 7890`` and
``6281234567890`` are the same reporter. Parsed by ``phonenumbers`` (Google's libphonenumber
metadata), with Indonesia as the region of a number written without a country code."""

from __future__ import annotations

import phonenumbers

DEFAULT_REGION = "ID"


class InvalidPhone(ValueError):
    """Not a phone number that can receive an SMS or a call."""


def normalize_phone(value: str, region: str = DEFAULT_REGION) -> str:
    """``value`` in E.164 (``+6281234567890``); raises ``InvalidPhone`` when it is not a valid
    number. An empty value stays empty."""
    raw = (value or "").strip()
    if not raw:
        return ""
    if raw.startswith("62") and not raw.startswith("+"):
        raw = "+" + raw  # 62812…: the country code written without its plus
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(value) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
