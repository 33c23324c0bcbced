"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at ``/open311/v2/``.

The spec is frozen; this package follows it to the element name. Reads show only what
``reports.privacy`` lets the public see; writes come from partner systems (``api.Partner``)
holding an ``api_key`` and go through ``reports.services.report_submit``."""
