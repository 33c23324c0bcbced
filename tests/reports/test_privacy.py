from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lapor.core.timefmt import format_local
from lapor.reports.privacy import Audience, public_reports, reporter_contact, reporter_name
from tests.factories import submit

pytestmark = pytest.mark.django_db


def test_safe_choice_is_the_default():
    report = submit().report
    assert report.is_anonymous and report.is_confidential
    assert report not in public_reports()


def test_rahasia_never_public_anonim_hidden_from_public_and_agency():
    secret_one = submit(is_confidential=True, is_anonymous=False).report
    anonymous = submit(is_confidential=False, is_anonymous=True, contact_name="Budi").report
    named = submit(is_confidential=False, is_anonymous=False, contact_name="Budi").report
    assert set(public_reports()) == {anonymous, named}
    assert reporter_name(anonymous, Audience.PUBLIC) == "Anonim"
    assert reporter_name(anonymous, Audience.OFFICER) == "Anonim"
    assert reporter_contact(anonymous, Audience.OFFICER) == {}
    assert reporter_name(anonymous, Audience.REPORTER) == "Budi"
    assert reporter_name(named, Audience.PUBLIC) == "Budi"
    assert reporter_contact(named, Audience.PUBLIC) == {}
    assert reporter_contact(named, Audience.OFFICER)["email"] == "siti@contoh.id"
    assert secret_one not in public_reports()


def test_times_are_shown_in_the_office_zone():
    moment = datetime(2026, 3, 13, 11, 30, tzinfo=UTC)
    assert format_local(moment, "Asia/Jakarta") == "13 Maret 2026 18.30 WIB"
    assert format_local(moment, "Asia/Makassar") == "13 Maret 2026 19.30 WITA"
    assert format_local(moment, "Asia/Jayapura") == "13 Maret 2026 20.30 WIT"
