"""Checking uploaded files by their content, never by their name, and cleaning photos.

A photo from a phone carries where it was taken (GPS) and with what (maker, model, serial
numbers) in its EXIF, XMP and comment blocks. ``check_upload`` re-encodes every photo from its
pixels alone, so what is stored, and later shown to officers or the public, holds none of it.
PDFs cannot be cleaned here: they are stored as sent and never shown to the public
(``reports.privacy.may_see_attachment``)."""

from __future__ import annotations

import hashlib
import io
import struct
import tempfile
import warnings
from dataclasses import dataclass
from typing import IO, Any

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps

from lapor.core.errors import ValidationFailed

# Photos and documents a citizen sends as evidence.
ALLOWED = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}
# The photos, by the Pillow format each is decoded and re-encoded in.
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
# A photo of more pixels is refused before it is decoded (a few bytes can claim billions):
# 40 million is more than a phone photo within the size limit has, and decodes in 120 MB.
MAX_PIXELS = 40_000_000
# Kept apart from the pixels because the pixels need it: a palette image's transparent entry.
KEEP_INFO = ("transparency",)
SPOOL_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks, and what will be stored of it.

    ``content`` is what is stored: the upload itself for a PDF, the cleaned re-encoding for a
    photo. ``size`` and ``sha256`` are of those stored bytes, not of what the phone sent, so
    the hash lets anyone verify that a file served later is the one the report holds."""

    name: str
    content_type: str
    extension: str
    size: int
    sha256: str
    content: IO[bytes]


def check_upload(upload: IO[bytes], name: str) -> CheckedFile:
    """Refuse a file that is too large or is not, by its content, a photo or a PDF; clean a
    photo of its location and device data."""
    limit = settings.LAPOR_MAX_UPLOAD_BYTES
    upload.seek(0)
    size = 0
    head = b""
    while chunk := upload.read(1 << 16):
        if not head:
            head = chunk[:8192]
        size += len(chunk)
        if size > limit:
            raise ValidationFailed(
                _(
                    "Berkas '%(name)s' terlalu besar. Ukuran paling besar %(limit)s; perkecil "
                    "foto atau kirim berkas lain."
                )
                % {"name": name, "limit": filesizeformat(limit)},
                code="file_too_large",
                field="attachments",
            )
    upload.seek(0)
    if size == 0:
        raise ValidationFailed(
            _("Berkas '%(name)s' kosong. Pilih berkas lain.") % {"name": name},
            code="file_empty",
            field="attachments",
        )
    kind = filetype.guess(head)
    if kind is not None and kind.mime in ("image/heic", "image/heif"):
        raise ValidationFailed(
            _(
                "Foto '%(name)s' berformat HEIC, yang belum dapat kami bersihkan dari data "
                "lokasinya. Kirim foto itu sebagai JPG: di iPhone pilih Pengaturan > Kamera > "
                "Format > Paling Kompatibel, atau kirim tangkapan layarnya."
            )
            % {"name": name},
            code="file_type_heic",
            field="attachments",
        )
    if kind is None or kind.mime not in ALLOWED:
        raise ValidationFailed(
            _(
                "Berkas '%(name)s' bukan foto (JPG, PNG, WEBP) atau PDF menurut isinya. "
                "Lampirkan foto atau dokumen PDF."
            )
            % {"name": name},
            code="file_type_refused",
            field="attachments",
        )
    content = upload
    if kind.mime in IMAGE_FORMATS:
        content = clean_image(upload, name=name, image_format=IMAGE_FORMATS[kind.mime])
    digest = hashlib.sha256()
    size = 0
    content.seek(0)
    while chunk := content.read(1 << 16):
        digest.update(chunk)
        size += len(chunk)
    content.seek(0)
    return CheckedFile(
        name=name[:255],
        content_type=kind.mime,
        extension=ALLOWED[kind.mime],
        size=size,
        sha256=digest.hexdigest(),
        content=content,
    )


def clean_image(upload: IO[bytes], *, name: str, image_format: str) -> IO[bytes]:
    """The photo re-encoded from its pixels only, turned upright as its EXIF said and in sRGB:
    no EXIF (GPS, maker, model), XMP, comment, text chunk or colour profile is carried over.
    A photo too large to decode safely, or that cannot be decoded, is refused."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=[image_format]) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise Image.DecompressionBombError(f"{image.width}x{image.height}")
                try:
                    upright = ImageOps.exif_transpose(image)
                except (KeyError, TypeError, ZeroDivisionError, struct.error):
                    upright = image.copy()  # a malformed EXIF block: the pixels as stored
                icc = image.info.get("icc_profile")
                kept: dict[str | tuple[int, int], Any] = {
                    k: image.info[k] for k in KEEP_INFO if k in image.info
                }
            clean = _in_srgb(upright, icc)
            clean.info = kept
            out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
            _save(clean, out, image_format)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationFailed(
            _(
                "Foto '%(name)s' terlalu besar ukuran pikselnya (paling banyak %(limit)s juta "
                "piksel). Perkecil foto itu, misalnya dengan mengirim tangkapan layarnya."
            )
            % {"name": name, "limit": MAX_PIXELS // 1_000_000},
            code="image_too_many_pixels",
            field="attachments",
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ValidationFailed(
            _("Foto '%(name)s' rusak atau tidak dapat dibaca. Pilih foto lain.") % {"name": name},
            code="image_unreadable",
            field="attachments",
        ) from None
    upload.seek(0)
    out.seek(0)
    return out


# What a photo may say beyond its pixels that ``clean_image`` never writes.
METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile")


def has_metadata(content: IO[bytes]) -> bool:
    """Whether a stored photo still carries EXIF, XMP, a comment, text chunks or a colour
    profile (a photo stored before uploads were cleaned); ``False`` for what cannot be read."""
    content.seek(0)
    try:
        with Image.open(content) as image:
            text = getattr(image, "text", None)  # PNG tEXt/iTXt chunks
            return (
                bool(image.getexif())
                or any(image.info.get(key) for key in METADATA_KEYS)
                or bool(text)
            )
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        return False
    finally:
        content.seek(0)


def _in_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """``image`` with its colours moved from its embedded profile to sRGB (what browsers assume
    without one), so dropping the profile changes no colour; unchanged if it has none."""
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(
            image,
            source,
            ImageCms.createProfile("sRGB"),
            outputMode="RGB" if image.mode == "CMYK" else image.mode,
        )
    except (ImageCms.PyCMSError, OSError):
        return image  # an unreadable profile: keep the pixels as they are
    return converted if converted is not None else image


def _save(image: Image.Image, out: IO[bytes], image_format: str) -> None:
    if image_format == "JPEG":
        if image.mode not in ("L", "RGB", "CMYK"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=90, optimize=True)
    elif image_format == "WEBP":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        image.save(out, "WEBP", quality=90)
    else:
        image.save(out, "PNG")
