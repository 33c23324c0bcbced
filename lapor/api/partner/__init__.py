"""The partner API (``/api/v1/partner/``): regional e-LAPOR! systems, city apps and state
company desks push the reports their citizens filed, act on the reports disposed to the
agencies they speak for, read them and catch up on every change (``docs/api.md``, ADR 0012)."""
