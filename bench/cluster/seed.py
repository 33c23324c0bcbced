"""What the fault run needs in its fresh database, made through the product's own services.

    DATABASE_URL=... seed.py STATE_DIR

The national admin (the demo's ``admin.nasional``, made if missing), one kabupaten government
and its region, a partner system speaking for that agency with a client key
(``partner_issue_key``) and a webhook endpoint on the sink (``endpoint_create``, all event
types), and an officer API token for the national admin (``token_issue``: the TOTP sign-in is
not what this run tests). Everything the load and the sinks need goes to
``STATE_DIR/seed.json``.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    state = Path(sys.argv[1])
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    import django

    django.setup()
    from lapor.agencies.models import Agency
    from lapor.api.partners import partner_create, partner_issue_key
    from lapor.api.tokens import token_issue
    from lapor.api.webhooks.services import endpoint_create
    from lapor.demo.accounts import Accounts

    national = Accounts(random.Random(1)).national
    agency = (
        Agency.objects.filter(kind=Agency.Kind.REGENCY, region__isnull=False)
        .select_related("region")
        .order_by("pk")
        .first()
    )
    assert agency is not None, "no kabupaten agency: run `lapor reference load` first"
    partner = partner_create(code="cluster", name="Mitra uji klaster", agencies=[agency],
                             actor=national)  # fmt: skip
    client_id, client_secret = partner_issue_key(partner=partner, actor=national)
    _endpoint, webhook_secret = endpoint_create(
        partner=partner, url="http://10.77.0.1:9001/hook", actor=national
    )
    access, refresh = token_issue(user=national, audience="officer")
    seed = {
        "client_id": client_id,
        "client_secret": client_secret,
        "webhook_secret": webhook_secret,
        "officer_access": access,
        "officer_refresh": refresh,
        "agency": agency.code,
        "region": agency.region_id,
    }
    (state / "seed.json").write_text(json.dumps(seed, indent=1))
    print(f"seed: partner 'cluster' for {agency.code} (region {agency.region_id})")


if __name__ == "__main__":
    main()
