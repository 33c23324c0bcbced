"""SMS in by webhook, over HTTP through the app: signature, shape, exactly once, grammar."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from lapor.channels.models import ChannelReport, Conversation, InboundMessage
from lapor.notifications.models import Notification
from lapor.reports.models import Report
from tests.channels.conftest import post_sms, sms

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_on", "demak")]
STORY = "Jalan di Kab. Demak depan pasar berlubang besar sejak dua bulan, bahaya untuk motor."


def sent_to(number: str) -> list[str]:
    return list(
        Notification.objects.filter(recipient=number, channel="sms")
        .order_by("pk")
        .values_list("body", flat=True)
    )


def test_free_text_files_a_report_and_answers_with_id_and_secret(client: Client) -> None:
    answer = post_sms(client, sms(STORY))
    assert answer.status_code == 200
    assert answer.json() == {"accepted": 1, "duplicates": 0}
    report = Report.objects.get()
    assert report.channel == "sms"
    assert report.contact_phone == "+6281234567890"
    assert report.region.code == "33.21"
    assert report.is_anonymous and report.is_confidential  # the safe defaults
    assert ChannelReport.objects.get().address == "+6281234567890"
    message = InboundMessage.objects.get()
    assert message.status == "processed" and message.report == report
    assert json.loads(message.payload)["text"] == STORY  # stored as it came
    bodies = sent_to("+6281234567890")
    assert len(bodies) == 1  # the receipt replaces the general "received" notice
    body = bodies[0]
    assert len(body) <= 160
    tid = report.tracking_id
    assert f"{tid[:4]}-{tid[4:8]}-{tid[8:]}" in body
    assert f"https://lapor.example.id/lacak/{tid}/" in body


def test_a_providers_retry_is_acknowledged_and_does_nothing(client: Client) -> None:
    assert post_sms(client, sms(STORY, mid="dup-1")).status_code == 200
    again = post_sms(client, sms(STORY, mid="dup-1"))
    assert again.status_code == 200
    assert again.json() == {"accepted": 0, "duplicates": 1}
    assert Report.objects.count() == 1
    assert InboundMessage.objects.count() == 1
    assert len(sent_to("+6281234567890")) == 1


def test_bad_signature_is_refused_and_nothing_is_stored(client: Client) -> None:
    answer = post_sms(client, sms(STORY), secret="bukan-rahasia-yang-benar-sama-sekali")
    assert answer.status_code == 401
    unsigned = client.post("/kanal/sms/generic/", data=sms(STORY), content_type="application/json")
    assert unsigned.status_code == 401
    assert InboundMessage.objects.count() == 0
    assert Report.objects.count() == 0


def test_bearer_and_basic_credentials_are_accepted(client: Client) -> None:
    import base64

    from tests.channels.conftest import SMS_SECRET

    bearer = client.post(
        "/kanal/sms/generic/",
        data=sms(STORY, mid="b1"),
        content_type="application/json",
        headers={"Authorization": f"Bearer {SMS_SECRET}"},
    )
    basic = client.post(
        "/kanal/sms/infobip/",
        data={"results": [{"messageId": "ib-9", "from": "6281234567891", "text": STORY}]},
        content_type="application/json",
        headers={
            "Authorization": "Basic " + base64.b64encode(f"ib:{SMS_SECRET}".encode()).decode()
        },
    )
    assert bearer.status_code == 200 and basic.status_code == 200
    assert Report.objects.count() == 2


def test_malformed_is_400_and_stored_raw_as_failed(client: Client) -> None:
    answer = post_sms(client, b'{"from": "0812", "text": ')
    assert answer.status_code == 400
    missing = post_sms(client, {"results": [{"from": "0812"}]}, provider="infobip")
    assert missing.status_code == 400
    stored = list(InboundMessage.objects.order_by("pk"))
    assert [m.status for m in stored] == ["failed", "failed"]
    assert bytes(stored[0].payload_raw) == b'{"from": "0812", "text": '
    assert "messageId" in stored[1].error
    assert Report.objects.count() == 0


def test_infobip_batch(client: Client) -> None:
    payload = {
        "results": [
            {
                "messageId": "ib-1",
                "from": "6281234567890",
                "to": "1708",
                "text": STORY,
                "receivedAt": "2026-12-07T09:00:00.000+0000",
            },
            {
                "messageId": "ib-2",
                "from": "+62 812-3456-7892",
                "to": "1708",
                "text": "Puskesmas di Kab. Demak tutup pada jam layanan, warga tidak bisa berobat.",
                "receivedAt": "2026-12-07T09:00:01.000+0000",
            },
        ],
        "messageCount": 2,
        "pendingMessageCount": 0,
    }
    answer = post_sms(client, payload, provider="infobip")
    assert answer.json() == {"accepted": 2, "duplicates": 0}
    assert sorted(Report.objects.values_list("contact_phone", flat=True)) == [
        "+6281234567890",
        "+6281234567892",
    ]


def test_channel_off_is_404(client: Client, settings: Any) -> None:
    settings.LAPOR_CHANNEL_SMS = False
    assert post_sms(client, sms(STORY)).status_code == 404
    assert InboundMessage.objects.count() == 0


def test_multipart_joined_when_the_last_part_comes(client: Client) -> None:
    first, second = STORY[:60], STORY[60:]
    post_sms(client, sms(second, mid="p2", part={"ref": "7", "number": 2, "total": 2}))
    assert Report.objects.count() == 0
    post_sms(client, sms(first, mid="p1", part={"ref": "7", "number": 1, "total": 2}))
    assert Report.objects.get().body == STORY


def test_a_short_story_is_asked_for_more_then_where(client: Client) -> None:
    post_sms(client, sms("jalan rusak", mid="s1"))
    assert Report.objects.count() == 0
    assert "Ceritakan lebih lengkap" in sent_to("+6281234567890")[-1]
    post_sms(client, sms("lubangnya besar sekali dan sudah dua bulan dibiarkan", mid="s2"))
    assert Report.objects.count() == 0
    assert "Di mana kejadiannya" in sent_to("+6281234567890")[-1]
    assert Conversation.objects.get().step == "where"
    post_sms(client, sms("kab demak", mid="s3"))
    report = Report.objects.get()
    assert "jalan rusak" in report.body and report.region.code == "33.21"
    assert Conversation.objects.get().step == "done"


def test_batal_cancels_a_draft(client: Client) -> None:
    post_sms(client, sms("jalan rusak", mid="c1"))
    post_sms(client, sms("batal", mid="c2"))
    assert Conversation.objects.get().step == "cancelled"
    assert "dibatalkan" in sent_to("+6281234567890")[-1]


def test_rate_limit_per_sender(client: Client, settings: Any) -> None:
    settings.LAPOR_CHANNEL_RATE_PER_HOUR = 2
    for i in range(4):
        post_sms(client, sms(f"{STORY} nomor {i}", mid=f"r{i}"))
    other = post_sms(client, sms(STORY, sender="081234567899", mid="r-other"))
    assert other.status_code == 200
    statuses = list(InboundMessage.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["processed", "processed", "limited", "limited", "processed"]
    assert Report.objects.count() == 3  # kept, not acted on: nothing lost


def test_shortcode_sender_is_ignored_never_answered(client: Client) -> None:
    post_sms(client, sms(STORY, sender="TELKOMSEL"))
    assert InboundMessage.objects.get().status == "ignored"
    assert Notification.objects.count() == 0


def _filed(client: Client, sender: str = "081234567890") -> Report:
    post_sms(client, sms(STORY, sender=sender, mid=f"f-{sender}"))
    return Report.objects.get(contact_phone__endswith=sender[1:])


def test_lacak_from_the_reporter(client: Client) -> None:
    report = _filed(client)
    post_sms(client, sms(f"lacak {report.tracking_id}", mid="t1"))
    body = sent_to("+6281234567890")[-1]
    assert "Diterima" in body and "https://lapor.example.id/lacak/" in body


def test_lacak_from_another_number_does_not_reveal_a_rahasia_report(client: Client) -> None:
    report = _filed(client)
    post_sms(client, sms(f"LACAK {report.tracking_id}", sender="081234567899", mid="t2"))
    body = sent_to("+6281234567899")[-1]
    assert "tidak ditemukan atau tidak dapat ditampilkan" in body
    assert "Diterima" not in body
    assert report.body[:20] not in body and "0812" not in body and "+62812" not in body
    # ... and the answer is the same as for an ID that does not exist.
    from lapor.core import ids

    unknown = ids.new_tracking_id()
    post_sms(client, sms(f"LACAK {unknown}", sender="081234567899", mid="t3"))
    other = sent_to("+6281234567899")[-1]
    assert other.replace(ids.display(unknown), "") == body.replace(
        ids.display(report.tracking_id), ""
    )


def test_lacak_of_a_public_report_shows_only_its_status(client: Client) -> None:
    report = _filed(client)
    Report.objects.filter(pk=report.pk).update(is_confidential=False)
    post_sms(client, sms(f"LACAK {report.tracking_id}", sender="081234567899", mid="t4"))
    body = sent_to("+6281234567899")[-1]
    assert "Diterima" in body
    assert "+6281234567890" not in body and "Siti" not in body


@pytest.mark.parametrize("keyword", ["LACAK", "lacak", "Lacakk", "LCAAK", "lacak:", "  LaCaK  "])
def test_keyword_typos_and_spacing(client: Client, keyword: str) -> None:
    report = _filed(client)
    tid = report.tracking_id
    spaced = f"{tid[:4]} {tid[4:8]}-{tid[8:]}".lower()
    post_sms(client, sms(f"{keyword} {spaced}", mid=f"k-{keyword}"))
    assert "Diterima" in sent_to("+6281234567890")[-1]


def _answered(report: Report) -> Report:
    """The agency follows up (status answered), through the services."""
    from lapor.reports.lifecycle import Status

    Report.objects.filter(pk=report.pk).update(status=Status.ANSWERED)
    report.refresh_from_db()
    return report


def test_balas_and_nilai_from_the_reporter(client: Client) -> None:
    from lapor.reports.lifecycle import Status

    report = _answered(_filed(client))
    post_sms(
        client, sms(f"BLAAS {report.tracking_id} jalannya belum diperbaiki sama sekali", mid="b1")
    )
    report.refresh_from_db()
    assert report.events.filter(action="reporter_reply").exists()
    assert "diterima dan diteruskan" in sent_to("+6281234567890")[-1]
    Report.objects.filter(pk=report.pk).update(status=Status.COMPLETED)
    post_sms(client, sms(f"nilia {report.tracking_id} 4", mid="n1"))
    report.refresh_from_db()
    assert report.rating == 4
    post_sms(client, sms(f"NILAI {report.tracking_id} 9", mid="n2"))
    assert "1 sampai 5" in sent_to("+6281234567890")[-1]


def test_balas_from_another_number_is_refused(client: Client) -> None:
    report = _answered(_filed(client))
    post_sms(
        client,
        sms(f"BALAS {report.tracking_id} saya bukan pelapornya", sender="081234567899", mid="x"),
    )
    assert not report.events.filter(action="reporter_reply").exists()
    body = sent_to("+6281234567899")[-1]
    assert "tidak ditemukan atau tidak dapat ditampilkan" in body  # rahasia: not even "exists"
    Report.objects.filter(pk=report.pk).update(is_confidential=False)
    post_sms(
        client, sms(f"BALAS {report.tracking_id} saya juga terkena", sender="081234567899", mid="y")
    )
    assert "Hanya pelapor" in sent_to("+6281234567899")[-1]
    assert not report.events.filter(action="reporter_reply").exists()


def test_a_story_starting_like_a_keyword_is_a_story(client: Client) -> None:
    post_sms(
        client, sms("Nilai ujian anak saya di SD negeri Kab. Demak diubah oleh gurunya", mid="z")
    )
    assert Report.objects.count() == 1


def test_sms_reply_to_a_report_filed_on_the_web(client: Client) -> None:
    from tests.factories import submit

    report = _answered(submit(contact_email="", contact_phone="0812-3456-7890").report)
    post_sms(client, sms(f"balas {report.tracking_id} belum ada perbaikan di lokasi", mid="w1"))
    assert report.events.filter(action="reporter_reply").exists()
    post_sms(client, sms(f"lacak {report.tracking_id}", mid="w2"))
    report.refresh_from_db()
    assert report.status == "disposed"  # the reply gave it back to the agency
    assert "Didisposisikan ke instansi" in sent_to("+6281234567890")[-1]


def test_a_draft_older_than_a_day_is_forgotten(client: Client) -> None:
    from datetime import timedelta

    from django.utils import timezone

    post_sms(client, sms("jalan rusak", mid="old-1"))
    Conversation.objects.update(updated_at=timezone.now() - timedelta(hours=25))
    post_sms(client, sms("lubangnya besar dan sudah lama sekali dibiarkan", mid="old-2"))
    drafts = list(Conversation.objects.order_by("pk").values_list("step", "data"))
    assert drafts[0][0] == "cancelled"
    assert drafts[1] == ("where", {"text": "lubangnya besar dan sudah lama sekali dibiarkan"})
