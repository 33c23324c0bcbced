"""The monthly policy report "Suara Rakyat": its content from the rollups (``content``), its
HTML and PDF (``render``) and its archive (``archive``). docs/analytics.md, ADR 0020."""
