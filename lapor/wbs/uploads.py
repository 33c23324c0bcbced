"""Evidence files encrypted as they arrive: a Django upload handler that feeds each chunk of an
upload into a secretstream (``crypto.StreamEncryptor``) writing to a temporary file. Plaintext
never reaches the disk (Django's own handlers would write uploads above 2.5 MB to a temporary
file as they are) and is never whole in memory."""

from __future__ import annotations

import tempfile
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from lapor.wbs import crypto
from lapor.wbs.services import EncryptedUpload


class EncryptedUploadedFile(UploadedFile):
    def __init__(self, upload: EncryptedUpload) -> None:
        super().__init__(upload.file, upload.name, upload.content_type, upload.size)
        self.upload = upload


class EncryptingUploadHandler(FileUploadHandler):
    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.refused: list[str] = []
        self.limit = int(getattr(settings, "LAPOR_MAX_UPLOAD_BYTES", 10 << 20))
        self._enc: crypto.StreamEncryptor | None = None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._tmp = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the upload
        self._enc = crypto.StreamEncryptor(self._tmp)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        assert self._enc is not None
        if self._enc.size + len(raw_data) > self.limit:
            self.refused.append(str(self.file_name))
            self._tmp.close()
            self._enc = None
            raise SkipFile()
        self._enc.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self._enc is None:
            return None
        size = self._enc.finish()
        self._tmp.seek(0)
        upload = EncryptedUpload(
            name=str(self.file_name),
            content_type=str(self.content_type or "application/octet-stream"),
            size=size,
            key=self._enc.key,
            file=self._tmp,
        )
        self._enc = None
        return EncryptedUploadedFile(upload)
