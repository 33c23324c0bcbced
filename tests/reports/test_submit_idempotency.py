"""A caller resending a submission with the same idempotency key (after a timeout, or twice at
once) gets the first report back, never a second; the key with other content is refused."""

from __future__ import annotations

import io
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from lapor.core.errors import IdempotencyMismatch
from lapor.jobs.retention import prune_results
from lapor.reports.models import Report, ReportEvent, SubmitKey
from lapor.reports.services import Upload
from tests.factories import RegencyFactory, submit

KEY = "7b0c1d4e-resend"
CALLER = "partner:1"


@pytest.mark.django_db
def test_a_resend_with_the_same_key_returns_the_first_report():
    # given a report submitted with a key
    first = submit(idempotency_key=KEY, caller=CALLER)
    assert first.secret and not first.replayed
    # when the caller sends the same submission again with the same key
    again = submit(idempotency_key=KEY, caller=CALLER)
    # then it gets the same report back, marked as a replay, and no second report exists
    assert again.replayed
    assert again.report.pk == first.report.pk
    assert again.secret == ""  # shown once, with the first answer
    assert Report.objects.count() == 1
    assert ReportEvent.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused_and_nothing_is_written():
    first = submit(idempotency_key=KEY, caller=CALLER)
    with pytest.raises(IdempotencyMismatch) as refused:
        submit(idempotency_key=KEY, caller=CALLER, title="Lampu jalan mati sejak seminggu")
    assert refused.value.code == "idempotency_key_reused"
    assert refused.value.status == 422
    assert list(Report.objects.values_list("pk", flat=True)) == [first.report.pk]


@pytest.mark.django_db
def test_a_different_file_is_a_different_body():
    def photo(content: bytes) -> Upload:
        return Upload(name="bukti.pdf", content=io.BytesIO(content))

    submit(idempotency_key=KEY, caller=CALLER, attachments=[photo(b"%PDF-1.4 satu\n%%EOF")])
    with pytest.raises(IdempotencyMismatch):
        submit(idempotency_key=KEY, caller=CALLER, attachments=[photo(b"%PDF-1.4 dua\n%%EOF")])


@pytest.mark.django_db
def test_keys_belong_to_their_caller_and_no_key_means_no_deduplication():
    a = submit(idempotency_key=KEY, caller="partner:1")
    b = submit(idempotency_key=KEY, caller="partner:2")
    c, d = submit(), submit()
    assert len({a.report.pk, b.report.pk, c.report.pk, d.report.pk}) == 4
    assert SubmitKey.objects.count() == 2


@pytest.mark.django_db
def test_a_caller_given_hash_is_compared_as_sent():
    # given an API layer hashing the request body itself
    first = submit(idempotency_key=KEY, caller=CALLER, request_hash="a" * 64)
    # then the same hash replays even if the arguments were normalised differently
    again = submit(idempotency_key=KEY, caller=CALLER, request_hash="a" * 64, title="Jalan rusak!")
    assert again.replayed and again.report.pk == first.report.pk
    with pytest.raises(IdempotencyMismatch):
        submit(idempotency_key=KEY, caller=CALLER, request_hash="b" * 64)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_simultaneous_resends_make_one_report():
    # given one submission, resent five times at the same moment by a client that timed out
    region = RegencyFactory()
    barrier = threading.Barrier(5)
    results: list[int] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            barrier.wait()
            results.append(submit(region=region, idempotency_key=KEY, caller=CALLER).report.pk)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then every send got the one report that exists
    assert errors == []
    assert Report.objects.count() == 1
    assert set(results) == {Report.objects.get().pk}
    assert len(results) == 5
    assert SubmitKey.objects.count() == 1


@pytest.mark.django_db
def test_a_key_past_its_time_is_a_new_key_and_the_daily_prune_drops_it(settings):
    settings.LAPOR_IDEMPOTENCY_KEY_HOURS = 24
    first = submit(idempotency_key=KEY, caller=CALLER)
    SubmitKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    # the same key a day later makes a new report, recorded under the key
    later = submit(idempotency_key=KEY, caller=CALLER)
    assert not later.replayed and later.report.pk != first.report.pk
    assert list(SubmitKey.objects.values_list("report_id", flat=True)) == [later.report.pk]
    # the daily prune deletes keys past their time and keeps the others
    submit(idempotency_key="another", caller=CALLER)
    SubmitKey.objects.filter(key="another").update(created_at=timezone.now() - timedelta(hours=30))
    prune_results()
    assert list(SubmitKey.objects.values_list("key", flat=True)) == [KEY]
