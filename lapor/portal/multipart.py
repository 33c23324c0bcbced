"""Whether a multipart form body arrived whole.

Django's multipart parser takes a body that stops early (a phone losing its signal during the
upload, a proxy cutting it off) without a word: the file being sent is silently dropped, and
every field after the cut is missing. An unchecked box is a missing field, so a cut before
"Anonim" and "Rahasia" would read as a public report with the reporter's name shown. A whole
body ends with the closing delimiter ``--<boundary>--`` (RFC 2046 §5.1.1); ``BodyWatch`` keeps
the last bytes the parser reads and looks for it there. It sits between the parser and the
request's stream, so the streaming upload handlers see the same chunks as before and nothing
more than those last bytes is held.

The stream must be watched before anything parses the body, and CsrfViewMiddleware parses it
(for the form's token) before the view runs: a view that watches is ``csrf_exempt`` and checks
the token itself with ``csrf_protect`` after ``BodyWatch`` (Django's documented way to change how
one view reads its uploads)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.http import parse_header_parameters

# Bytes kept after the closing delimiter: browsers send none or a CRLF (the "epilogue").
EPILOGUE = 64


class BodyWatch:
    """Wraps ``request``'s body stream; ``arrived_whole`` once the body has been parsed."""

    def __init__(self, request: HttpRequest) -> None:
        content_type, params = parse_header_parameters(request.META.get("CONTENT_TYPE", ""))
        boundary = params.get("boundary", "")
        self.watching = content_type == "multipart/form-data" and bool(boundary)
        self._close = b"--" + boundary.encode("ascii", "replace") + b"--"
        self._keep = len(self._close) + EPILOGUE
        self._tail = b""
        self._stream: Any = None
        if not self.watching:
            return
        body = getattr(request, "_body", None)
        if body is not None:  # already read whole into memory: look at it directly
            self._tail = body[-self._keep :]
            return
        # Django's own field for the body stream (``HttpRequest.read`` reads it): not public,
        # but the one place every parse of the body passes through, WSGI and ASGI alike.
        self._stream = getattr(request, "_stream")  # noqa: B009
        setattr(request, "_stream", self)  # noqa: B010

    @property
    def arrived_whole(self) -> bool:
        """False when a multipart body ended before its closing delimiter."""
        return not self.watching or self._close in self._tail

    def _seen(self, data: bytes) -> bytes:
        self._tail = (self._tail + data)[-self._keep :]
        return data

    def read(self, *args: Any, **kwargs: Any) -> bytes:
        return self._seen(self._stream.read(*args, **kwargs))

    def readline(self, *args: Any, **kwargs: Any) -> bytes:
        return self._seen(self._stream.readline(*args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
