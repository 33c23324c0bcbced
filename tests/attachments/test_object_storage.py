"""Attachments on S3-compatible object storage (``lapor.core.storage``), against an S3 server
the test starts (moto's server mode on a free local port): stored in the private bucket, handed
out only after the access check, by a short-lived signed URL or streamed."""

from __future__ import annotations

import contextlib
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings

from lapor import config
from lapor.core.storage import S3_BACKEND, default_storage_setting
from lapor.reports.models import Attachment
from tests.attachments.conftest import as_reporter, only_file, with_photo
from tests.conftest import in_ci

pytestmark = pytest.mark.django_db
BUCKET = "lapor-lampiran-uji"
KEYS = {"S3_ACCESS_KEY_ID": "uji", "S3_SECRET_ACCESS_KEY": "rahasia-uji"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:  # pragma: no cover - moto[server] is a dev dependency
        if in_ci():
            pytest.fail(f"moto's server mode is needed in CI: {exc}")
        pytest.skip(f"needs moto[server] for an S3 server: {exc}")
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def on_s3(s3_endpoint: str, settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Django's default storage is the bucket, configured as an operator would."""
    import boto3

    cfg = config.read(
        {"S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": s3_endpoint, "S3_REGION": "us-east-1", **KEYS}
    )
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["S3_SECRET_ACCESS_KEY"],
    )
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=BUCKET)
    storages = {**settings.STORAGES, "default": default_storage_setting(cfg)}
    with override_settings(STORAGES=storages, LAPOR_ATTACHMENT_ACCEL_PREFIX="/_lampiran/"):
        yield s3_endpoint


def _fetch(url: str) -> tuple[int, bytes, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (a local test server)
            return answer.status, answer.read(), _lower(answer.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.read(), _lower(err.headers)


def _lower(headers) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {k.lower(): v for k, v in headers.items()}


def test_an_attachment_is_stored_in_the_private_bucket(on_s3, settings):
    # Given a report with a photo, submitted while storage is the bucket
    attachment = only_file(with_photo(is_confidential=False))
    # Then its bytes are in the bucket, not on the app server's disk
    assert default_storage.exists(attachment.file.name)
    assert not (Path(settings.MEDIA_ROOT) / attachment.file.name).exists()
    # and the object was written without a public ACL (the bucket's private default)
    import boto3

    s3 = boto3.client("s3", endpoint_url=on_s3, region_name="us-east-1",
                      aws_access_key_id="uji", aws_secret_access_key="rahasia-uji")  # fmt: skip
    grants = s3.get_object_acl(Bucket=BUCKET, Key=attachment.file.name)["Grants"]
    assert not any("AllUsers" in str(g.get("Grantee", {}).get("URI", "")) for g in grants)


def test_the_reporter_is_redirected_to_a_short_lived_signed_url(client, on_s3):
    # Given a guest's rahasia report with a photo, and the guest on their track page
    submitted = with_photo(is_confidential=True)
    attachment = only_file(submitted)
    stored = default_storage.open(attachment.file.name, "rb").read()
    reporter = as_reporter(client, submitted)
    # When they open the photo (the proxy prefix is ignored for the bucket)
    answer = reporter.get(f"/lampiran/{attachment.pk}/")
    # Then they are sent to a URL of the store, signed for the configured time, never cached
    assert answer.status_code == 302 and "X-Accel-Redirect" not in answer
    assert answer["Cache-Control"] == "private, no-store"
    assert answer["Referrer-Policy"] == "no-referrer"
    location = answer["Location"]
    assert location.startswith(on_s3)
    query = parse_qs(urlsplit(location).query)
    assert query.get("X-Amz-Expires") == ["60"] or query.get("Expires")
    # and the store answers that URL with the file and the headers the app chose
    status, body, headers = _fetch(location)
    assert status == 200 and body == stored
    assert headers.get("content-type") == attachment.content_type
    assert headers.get("cache-control") == "private, no-store"
    assert headers.get("content-disposition") == 'inline; filename="lubang.jpg"'


@override_settings(LAPOR_ATTACHMENT_DELIVERY="stream")
def test_streamed_from_the_bucket_when_clients_cannot_reach_it(client, on_s3):
    # Given the app set to stream, and a photo marked public on a public report
    attachment = only_file(with_photo(is_confidential=False))
    Attachment.objects.filter(pk=attachment.pk).update(is_public=True)
    stored = default_storage.open(attachment.file.name, "rb").read()
    # When anybody opens it, then the app streams the object's bytes itself
    answer = client.get(f"/lampiran/{attachment.pk}/")
    assert answer.status_code == 200 and "Location" not in answer
    assert b"".join(answer.streaming_content) == stored


@pytest.mark.parametrize("delivery", ["redirect", "stream"])
def test_no_signed_url_for_a_rahasia_reports_file(client, on_s3, delivery):
    # Given a rahasia report's photo, even marked public, in the bucket
    attachment = only_file(with_photo(is_confidential=True))
    Attachment.objects.filter(pk=attachment.pk).update(is_public=True)
    # When the public asks for it, then the same 404 as for no file, and no URL of the store
    with override_settings(LAPOR_ATTACHMENT_DELIVERY=delivery):
        answer = client.get(f"/lampiran/{attachment.pk}/")
    assert answer.status_code == 404
    assert "Location" not in answer and on_s3.encode() not in answer.content
    assert attachment.file.name.encode() not in answer.content


def test_object_storage_settings_are_read_and_checked():
    # Given the environment of a production site on a bucket, without a proxy prefix
    env = {
        "S3_BUCKET": "lapor-prod",
        "S3_ENDPOINT_URL": "https://s3.example.id",
        "S3_URL_SECONDS": "120",
        **KEYS,
    }
    cfg = config.read(env)
    # Then the bucket is the default storage, signing every URL for the time asked
    setting = default_storage_setting(cfg)
    assert setting["BACKEND"] == S3_BACKEND
    assert setting["OPTIONS"]["querystring_expire"] == 120
    assert setting["OPTIONS"]["default_acl"] is None and setting["OPTIONS"]["querystring_auth"]
    # and without a bucket it stays local files
    assert default_storage_setting(config.read({}))["BACKEND"].endswith("FileSystemStorage")
    # and a long-lived or unreadable signature time, or an unknown delivery, is refused by name
    for name, raw in [
        ("S3_URL_SECONDS", "86400"),
        ("S3_URL_SECONDS", "lama"),
        ("ATTACHMENT_DELIVERY", "proxy"),
    ]:
        with pytest.raises(config.ConfigError, match=name):
            config.read({**env, name: raw})


def test_production_on_a_bucket_needs_no_proxy_location():
    from lapor.config import check_production
    from tests.core.test_config import SAFE

    # Given a production environment with a bucket and no ATTACHMENT_ACCEL_PREFIX
    env = {k: v for k, v in SAFE.items() if k != "ATTACHMENT_ACCEL_PREFIX"}
    # Then it starts (the bucket serves the bytes), and without the bucket it is refused
    check_production(config.read({**env, "S3_BUCKET": "lapor-prod", **KEYS}))
    with pytest.raises(config.ConfigError, match="ATTACHMENT_ACCEL_PREFIX"):
        check_production(config.read(env))
