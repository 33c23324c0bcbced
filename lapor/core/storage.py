"""Where attachments' bytes live: local files by default (``MEDIA_ROOT``), an S3-compatible
bucket (django-storages) when ``S3_BUCKET`` is set (docs/operations.md, ADR 0016).

The bucket is private: nothing in it is readable without a signature. The access-checked
attachment view (``lapor.attachments.views``) answers a permitted request either with a
redirect to a URL signed for ``S3_URL_SECONDS`` (the client fetches the bytes from the store,
the app servers carry none of them) or by streaming the object through the app
(``ATTACHMENT_DELIVERY=stream``, for stores clients cannot reach)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.storage import default_storage

if TYPE_CHECKING:
    from lapor.config import Config

S3_BACKEND = "storages.backends.s3.S3Storage"


def default_storage_setting(config: Config) -> dict[str, Any]:
    """``STORAGES["default"]`` for ``config``: the bucket when one is named, else local files."""
    if not config.s3_bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options: dict[str, Any] = {
        "bucket_name": config.s3_bucket,
        "region_name": config.s3_region or None,
        "endpoint_url": config.s3_endpoint_url or None,
        "access_key": config.s3_access_key_id or None,
        "secret_key": config.s3_secret_access_key or None,
        "default_acl": None,  # private: the bucket's own policy, no public-read objects
        "querystring_auth": True,  # every URL is signed
        "querystring_expire": config.s3_url_seconds,
        "file_overwrite": False,
        "custom_domain": None,  # a custom domain would hand out unsigned URLs
    }
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}


def on_object_storage() -> bool:
    return bool(settings.STORAGES["default"]["BACKEND"] == S3_BACKEND)


def signed_url(name: str, *, content_type: str, disposition: str, cache_control: str) -> str:
    """A URL of the object ``name`` that works for ``LAPOR_S3_URL_SECONDS`` seconds, whose
    answer carries the given headers (the store sets them from the signed parameters)."""
    return str(
        default_storage.url(  # type: ignore[call-arg]
            name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": disposition,
                "ResponseCacheControl": cache_control,
            },
            expire=int(settings.LAPOR_S3_URL_SECONDS),
        )
    )
