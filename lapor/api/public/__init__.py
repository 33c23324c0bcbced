"""The public API: what anybody may read without logging in (``/api/v1/…``, read-only).

Every report read starts from ``reports.privacy.public_reports()`` (through
``reports.selectors``), names reporters only through ``privacy.reporter_name(…, PUBLIC)`` and
shows history and attachments only through ``privacy.timeline``/``public_attachments``; a rahasia
report answers the same 404 as a missing one. The tracking view (``track/<id>/``) answers for any
report as the track page does to a visitor holding only the ID (``Audience.TRACKER``)."""
