"""Small copies of photos for lists and public pages, made once and stored beside the photo.

A public report page that loaded each full photo (up to ``MAX_UPLOAD_BYTES``, often 2 to 4 MB
from a phone) would cost a citizen on a weak connection more than the rest of the site. Each
photo therefore gets a thumbnail when it is stored (``reports.services.submit``), and
``lapor attachments thumbnails`` makes the missing ones for photos stored before. The
thumbnail lives in Django's default storage (local files or the S3 bucket, ``core.storage``)
under the photo's own name with ``-kecil.webp``, and is served only after the photo's own
access check (``attachments.views.portal_thumbnail``): it is never a public URL of its own.

It is made from the stored photo, which was already cleaned of EXIF, GPS, XMP and comments
(``core.files``), and is written from its pixels alone, so it carries none of them either."""

from __future__ import annotations

import io
import posixpath
import warnings

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from lapor.core.files import IMAGE_FORMATS, MAX_PIXELS

# The public page shows photos 160 px wide; twice that for sharp phone screens.
SIZE = (320, 320)
QUALITY = 70
CONTENT_TYPE = "image/webp"
SUFFIX = "-kecil.webp"


def thumbnail_name(photo_name: str) -> str:
    """``attachments/2026/12/ab12.jpg`` → ``attachments/2026/12/ab12-kecil.webp``."""
    root, _ext = posixpath.splitext(photo_name)
    return root + SUFFIX


def render(data: bytes) -> bytes:
    """The thumbnail's bytes: at most ``SIZE``, WebP, pixels only."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data), formats=list(IMAGE_FORMATS.values())) as image:
            if image.width * image.height > MAX_PIXELS:
                raise Image.DecompressionBombError(f"{image.width}x{image.height}")
            small = ImageOps.exif_transpose(image) or image
            small.thumbnail(SIZE)
            if small.mode not in ("RGB", "RGBA"):
                small = small.convert("RGBA" if "A" in small.getbands() else "RGB")
            small.info = {}
            out = io.BytesIO()
            small.save(out, "WEBP", quality=QUALITY, method=4)
    return out.getvalue()


def make_thumbnail(photo_name: str, content_type: str) -> str:
    """Store the thumbnail of the stored photo ``photo_name``; its storage name, or "" for
    what is not a photo or cannot be read (the original is then shown, as before)."""
    if content_type not in IMAGE_FORMATS or not photo_name:
        return ""
    try:
        with default_storage.open(photo_name, "rb") as f:
            data = render(f.read())
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        return ""
    return str(default_storage.save(thumbnail_name(photo_name), ContentFile(data)))


def delete_with_thumbnail(photo_name: str) -> None:
    """Delete a stored file and its thumbnail, if it has one (a step that failed after storing
    its files)."""
    default_storage.delete(photo_name)
    default_storage.delete(thumbnail_name(photo_name))
