"""Settings of the portal intake benchmark (``bench/portal_intake.py``): the product's own, with
the per-IP submit limits raised, since every request of the benchmark comes from 127.0.0.1 (a
citizen may create 10 reports an hour from one address)."""

from lapor.settings import *  # noqa: F403

LAPOR_RATE_SUBMIT = "1000000/h"
LAPOR_RATE_SUBMIT_INVALID = "1000000/h"
