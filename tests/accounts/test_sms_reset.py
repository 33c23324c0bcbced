"""Password reset by a code sent by SMS (``accounts.sms_reset``): the whole flow, expiry,
single use, the wrong-code lockout, and the same answer and work for a number with no
account."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone, translation

from lapor.accounts import sms_reset
from lapor.accounts.models import PasswordResetCode
from lapor.jobs.runner import run_pending
from lapor.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PHONE = "081234567890"
NEW = "kata-sandi-baru-yang-panjang-2026"
ASK = "/akun/lupa-kata-sandi/"
CODE_PAGE = "/akun/lupa-kata-sandi/kode/"


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    cache.clear()
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def user():  # type: ignore[no-untyped-def]
    return UserFactory(username=PHONE, email="", phone=PHONE)


def _ask(client: Client, typed: str = "+62 812-3456-7890", prefix: str = "") -> str:
    response = client.post(prefix + ASK, {"identifier": typed})
    assert response.status_code == 302 and response["Location"] == prefix + CODE_PAGE
    run_pending()  # the job that makes and sends the code
    return client.get(prefix + CODE_PAGE).content.decode()


def _code() -> str:
    note = Notification.objects.filter(kind=sms_reset.KIND).latest("pk")
    found = re.search(r"\b(\d{6})\b", note.body)
    assert found, note.body
    return found.group(1)


def _answer(client: Client, code: str, password: str = NEW) -> Client:
    return client.post(
        CODE_PAGE, {"code": code, "new_password1": password, "new_password2": password}
    )


def test_a_code_by_sms_sets_a_new_password_once(client, user):
    html = _ask(client)
    assert 'id="code-sent"' in html and "081*****7890" in html
    note = Notification.objects.get(kind=sms_reset.KIND)
    assert note.channel == "sms" and note.recipient == PHONE
    assert "Kode atur ulang kata sandi" in note.body and len(note.body) <= 160
    code = _code()
    row = PasswordResetCode.objects.get(user=user)
    assert code not in row.code_hash and len(row.code_hash) == 64  # only an HMAC is kept
    done = _answer(client, code)
    assert done.status_code == 302 and done["Location"] == "/akun/masuk/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    row.refresh_from_db()
    assert row.spent_at is not None
    note.refresh_from_db()
    assert code not in note.body  # the outbox no longer holds the code


def test_a_used_code_does_not_work_again(client, user):
    _ask(client)
    code = _code()
    assert _answer(client, code).status_code == 302
    # another browser that typed the number tries the used code
    other = Client()
    other.post(ASK, {"identifier": PHONE})  # a session that typed the number, no new job run
    again = _answer(other, code, "kata-sandi-lain-yang-panjang-99")
    assert again.status_code == 200 and "tidak berlaku" in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_an_expired_code_is_refused(client, user):
    _ask(client)
    code = _code()
    PasswordResetCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _answer(client, code)
    assert response.status_code == 200 and "tidak berlaku" in response.content.decode()
    user.refresh_from_db()
    assert not user.check_password(NEW)


def test_a_new_code_replaces_the_earlier_one(client, user):
    _ask(client)
    first = _code()
    _ask(client)
    second = _code()
    if first == second:  # one in a million: the test proves nothing then
        pytest.skip("the two random codes are equal")
    assert _answer(client, first).status_code == 200
    assert _answer(client, second).status_code == 302


def test_five_wrong_codes_end_the_code_even_for_the_right_one(client, user):
    _ask(client)
    code = _code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _try in range(sms_reset.MAX_ATTEMPTS):
        response = _answer(client, wrong)
        assert response.status_code == 200 and 'class="error"' in response.content.decode()
    assert _answer(client, code).status_code == 200  # locked: the right code no longer works
    user.refresh_from_db()
    assert not user.check_password(NEW)
    assert PasswordResetCode.objects.get(user=user).spent_at is not None


def test_wrong_codes_for_a_number_are_throttled_across_browsers(client, user):
    # Given ten wrong codes for the number from fresh sessions (a new code between each five)
    for _round in range(2):
        _ask(client)
        for _try in range(5):
            _answer(client, "000000" if _code() != "000000" else "111111")
    # Then the number is refused for the rest of the hour, with Retry-After, unchecked
    _ask(client)
    code = _code()
    response = _answer(client, code)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    user.refresh_from_db()
    assert not user.check_password(NEW)


def test_three_codes_an_hour_per_number(client, user):
    for _round in range(5):
        _ask(client)
    assert Notification.objects.filter(kind=sms_reset.KIND).count() == 3


def test_an_unknown_number_gets_the_same_answer_and_work(client, user):
    # a known and an unknown number: the same page, the same job, only the known one gets SMS
    known = _ask(client, PHONE)
    jobs_known = Notification.objects.count()
    unknown = _ask(Client(), "0899 0000 1111")
    strip = re.compile(r"\d{3}\*+\d{4}|csrfmiddlewaretoken\" value=\"[^\"]+\"")
    assert strip.sub("", known) == strip.sub("", unknown)
    assert Notification.objects.count() == jobs_known  # nothing sent to the unknown number
    # typing a code for the unknown number answers as a wrong code does
    stranger = Client()
    stranger.post(ASK, {"identifier": "0899 0000 1111"})
    answer = _answer(stranger, "123456").content.decode()
    assert "Kode salah atau sudah tidak berlaku" in answer


def test_asking_does_the_same_queries_for_a_known_and_unknown_number(
    client, user, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for typed in (PHONE, "0899 0000 1111"):
        with CaptureQueriesContext(connection) as queries:
            Client().post(ASK, {"identifier": typed})
        counts.append([q["sql"].split()[0] for q in queries.captured_queries])
    assert counts[0] == counts[1]


def test_the_sms_is_in_english_for_an_english_account(client):
    UserFactory(username=PHONE, email="", phone=PHONE, language="en")
    _ask(client)
    body = Notification.objects.get(kind=sms_reset.KIND).body
    assert body.startswith("LAPOR! Password reset code:")


def test_signing_in_on_english_pages_keeps_the_language(client, user):
    client.post("/en/akun/masuk/", {"identifier": PHONE, "password": "rahasia-uji-123"})
    user.refresh_from_db()
    assert user.language == "en"


def test_a_weak_password_keeps_the_code(client, user):
    _ask(client)
    code = _code()
    weak = _answer(client, code, "123").content.decode()
    assert 'class="error"' in weak
    assert _answer(client, code).status_code == 302  # the code was not spent by the refusal


def test_the_code_page_without_a_number_goes_back(client):
    response = client.get(CODE_PAGE)
    assert response.status_code == 302 and response["Location"] == ASK


def test_the_code_page_in_english(client, user):
    html = _ask(client, prefix="/en")
    assert 'id="code-sent"' in html and 'lang="en"' in html


def test_the_code_page_is_light_and_quick(client, user, django_assert_max_num_queries):
    _ask(client)
    with django_assert_max_num_queries(2):  # the session, and nothing else
        response = client.get(CODE_PAGE)
    assert response.status_code == 200 and len(response.content) < 12 * 1024
    assert "no-store" in response["Cache-Control"]


def test_something_that_is_no_number_is_refused_on_the_form(client):
    response = client.post(ASK, {"identifier": "budi"})
    assert response.status_code == 200
    assert "8 sampai 15 angka" in response.content.decode()
