"""The JSON API, v1: public, citizen, officer and partner audiences, webhooks, Open311.

Views here call only ``lapor.reports.services`` to change reports and read through
``reports.selectors`` and ``reports.privacy``; public and private shapes never share a
serializer."""
