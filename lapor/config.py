"""One typed reader for settings taken from the environment.

Every setting the service reads from the environment is declared here with its type and its
embedded default. ``check_production`` refuses to start a production process with an unsafe
value and names the setting to fix.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "lapor-insecure-development-key-change-me"  # noqa: S105
CACHE_SCHEMES = ("redis://", "rediss://", "unix://")
# How much history `lapor routing train` reads at most (docs/routing.md, "Learning").
DEFAULT_TRAIN_PER_AGENCY = 1000
DEFAULT_TRAIN_MAX_EXAMPLES = 20_000


class ConfigError(Exception):
    """A setting an operator gave is missing or unsafe; the message names it."""


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def _int(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None


def _list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class Config:
    environment: str = "development"
    debug: bool = True
    secret_key: str = DEFAULT_SECRET_KEY
    allowed_hosts: list[str] = field(default_factory=lambda: ["127.0.0.1", "localhost"])
    database_url: str = ""
    # A PostgreSQL streaming replica for public reads (lapor/core/dbrouter.py, ADR 0016).
    database_replica_url: str = ""
    replica_sticky_seconds: int = 10
    replica_max_lag_seconds: int = 5
    var_dir: Path = BASE_DIR / "var"
    media_root: Path = BASE_DIR / "var" / "media"
    static_root: Path = BASE_DIR / "var" / "static"
    max_upload_bytes: int = 10 * 1024 * 1024
    max_attachments: int = 5
    email_backend: str = "django.core.mail.backends.filebased.EmailBackend"
    email_host: str = "localhost"
    email_port: int = 25
    email_use_tls: bool = False
    default_from_email: str = "LAPOR! <noreply@lapor.localhost>"
    sms_backend: str = "file"
    sms_gateway_url: str = ""
    sms_gateway_token: str = ""
    sms_timeout_seconds: int = 10
    job_lease_seconds: int = 600
    sweep_interval_seconds: int = 300
    queue_count_seconds: int = 30
    csrf_trusted_origins: list[str] = field(default_factory=list)
    cache_url: str = ""
    client_ip_header: str = ""
    # Where the reverse proxy serves attachments from once the app has checked access
    # (X-Accel-Redirect); "" streams them from the app; None: not chosen (refused in production).
    attachment_accel_prefix: str | None = ""
    contact_retention_days: int = 365
    # How long a partner's Idempotency-Key is remembered (published in docs/api.md).
    idempotency_key_hours: int = 24
    # The API's rate limits (Django REST framework's "N/period"): per client and per IP.
    api_rate_client: str = "600/min"
    api_rate_ip: str = "300/min"
    # Where citizens open the site, for links in SMS, e-mail and WhatsApp answers.
    public_url: str = "http://127.0.0.1:8000"
    # Inbound channels (lapor.channels, docs/channels.md): each off until turned on.
    channel_sms: bool = False
    channel_sms_secret: str = ""
    channel_email: bool = False
    channel_email_address: str = ""
    channel_email_secret: str = ""
    channel_whatsapp: bool = False
    whatsapp_app_secret: str = ""
    whatsapp_verify_token: str = ""
    whatsapp_access_token: str = ""
    whatsapp_api_url: str = "https://graph.facebook.com/v21.0"
    whatsapp_phone_number_id: str = ""
    # Messages one sender may send per hour on a channel; the rest are stored, not acted on.
    channel_rate_per_hour: int = 20
    # The key of WBS receipt indexes and rate-limit tokens (docs/wbs.md); "" derives it from
    # SECRET_KEY. Set it before ever rotating SECRET_KEY, or every receipt becomes unfindable.
    wbs_index_key: str = ""
    # An escrow public key (base64, 32 bytes) every WBS case key is also sealed to; its private
    # half is kept offline by the national WBS team (docs/wbs.md). "" = no escrow.
    wbs_escrow_public_key: str = ""
    # Attachments on S3-compatible object storage (lapor.core.storage); "" keeps local files.
    s3_bucket: str = ""
    s3_endpoint_url: str = ""
    s3_region: str = ""
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    s3_url_seconds: int = 60
    # How a permitted attachment on object storage reaches the client: "redirect" to a signed
    # URL, or "stream" through the app.
    attachment_delivery: str = "redirect"
    # Logs as plain text (development) or one JSON object a line with the request ID (ADR 0027).
    log_format: str = "text"
    # /metrics answers only with this bearer token; "" turns it off (404).
    metrics_token: str = ""
    # host:port where each job worker serves its own Prometheus counters; "" = off.
    worker_metrics_addr: str = ""
    # `lapor routing train` reads at most the newest N examples per agency and M in all.
    routing_train_per_agency: int = DEFAULT_TRAIN_PER_AGENCY
    # Unset: the routing code's own defaults (which depend on whether a model routes).
    routing_auto_dispose_at: float | None = None
    routing_auto_agency_precision: float | None = None
    routing_train_max_examples: int = DEFAULT_TRAIN_MAX_EXAMPLES

    @property
    def production(self) -> bool:
        return self.environment == "production"


def read(env: Mapping[str, str] | None = None) -> Config:
    """Build the configuration from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    environment = env.get("LAPOR_ENV", "development").strip().lower()
    if environment not in {"development", "test", "production"}:
        raise ConfigError(f"LAPOR_ENV must be development, test or production, not {environment!r}")
    production = environment == "production"
    var_dir = Path(env.get("LAPOR_VAR_DIR", str(BASE_DIR / "var")))
    hosts_default = "" if production else "127.0.0.1,localhost,testserver"
    return Config(
        environment=environment,
        debug=_bool("DEBUG", env.get("DEBUG", "false" if production else "true")),
        secret_key=env.get("SECRET_KEY", DEFAULT_SECRET_KEY),
        allowed_hosts=_list(env.get("ALLOWED_HOSTS", hosts_default)),
        database_url=env.get("DATABASE_URL", ""),
        database_replica_url=env.get("DATABASE_REPLICA_URL", "").strip(),
        replica_sticky_seconds=_replica_seconds(
            "REPLICA_STICKY_SECONDS", env.get("REPLICA_STICKY_SECONDS", "10")
        ),
        replica_max_lag_seconds=_replica_seconds(
            "REPLICA_MAX_LAG_SECONDS", env.get("REPLICA_MAX_LAG_SECONDS", "5")
        ),
        var_dir=var_dir,
        media_root=Path(env.get("MEDIA_ROOT", str(var_dir / "media"))),
        static_root=Path(env.get("STATIC_ROOT", str(var_dir / "static"))),
        max_upload_bytes=_int("MAX_UPLOAD_BYTES", env.get("MAX_UPLOAD_BYTES", str(10 << 20))),
        max_attachments=_int("MAX_ATTACHMENTS", env.get("MAX_ATTACHMENTS", "5")),
        email_backend=env.get(
            "EMAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackend"
            if production
            else "django.core.mail.backends.filebased.EmailBackend",
        ),
        email_host=env.get("EMAIL_HOST", "localhost"),
        email_port=_int("EMAIL_PORT", env.get("EMAIL_PORT", "25")),
        email_use_tls=_bool("EMAIL_USE_TLS", env.get("EMAIL_USE_TLS", "false")),
        default_from_email=env.get("DEFAULT_FROM_EMAIL", "LAPOR! <noreply@lapor.localhost>"),
        sms_backend=env.get("SMS_BACKEND", "http" if production else "file"),
        sms_gateway_url=env.get("SMS_GATEWAY_URL", ""),
        sms_gateway_token=env.get("SMS_GATEWAY_TOKEN", ""),
        sms_timeout_seconds=_int("SMS_TIMEOUT_SECONDS", env.get("SMS_TIMEOUT_SECONDS", "10")),
        job_lease_seconds=_int("JOB_LEASE_SECONDS", env.get("JOB_LEASE_SECONDS", "600")),
        sweep_interval_seconds=_int(
            "SWEEP_INTERVAL_SECONDS", env.get("SWEEP_INTERVAL_SECONDS", "300")
        ),
        queue_count_seconds=_int("QUEUE_COUNT_SECONDS", env.get("QUEUE_COUNT_SECONDS", "30")),
        csrf_trusted_origins=_list(env.get("CSRF_TRUSTED_ORIGINS", "")),
        cache_url=_cache_url(env.get("CACHE_URL", "")),
        client_ip_header=_client_ip_header(env.get("CLIENT_IP_HEADER", "")),
        attachment_accel_prefix=_accel_prefix(env.get("ATTACHMENT_ACCEL_PREFIX"), production),
        contact_retention_days=_retention_days(env.get("CONTACT_RETENTION_DAYS", "365")),
        idempotency_key_hours=_key_hours(env.get("IDEMPOTENCY_KEY_HOURS", "24")),
        api_rate_client=_rate("API_RATE_CLIENT", env.get("API_RATE_CLIENT", "600/min")),
        api_rate_ip=_rate("API_RATE_IP", env.get("API_RATE_IP", "300/min")),
        public_url=env.get("PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/"),
        channel_sms=_bool("CHANNEL_SMS", env.get("CHANNEL_SMS", "false")),
        channel_sms_secret=env.get("CHANNEL_SMS_SECRET", ""),
        channel_email=_bool("CHANNEL_EMAIL", env.get("CHANNEL_EMAIL", "false")),
        channel_email_address=env.get("CHANNEL_EMAIL_ADDRESS", "").strip().lower(),
        channel_email_secret=env.get("CHANNEL_EMAIL_SECRET", ""),
        channel_whatsapp=_bool("CHANNEL_WHATSAPP", env.get("CHANNEL_WHATSAPP", "false")),
        whatsapp_app_secret=env.get("WHATSAPP_APP_SECRET", ""),
        whatsapp_verify_token=env.get("WHATSAPP_VERIFY_TOKEN", ""),
        whatsapp_access_token=env.get("WHATSAPP_ACCESS_TOKEN", ""),
        whatsapp_api_url=env.get("WHATSAPP_API_URL", "https://graph.facebook.com/v21.0").rstrip(
            "/"
        ),
        whatsapp_phone_number_id=env.get("WHATSAPP_PHONE_NUMBER_ID", ""),
        channel_rate_per_hour=_int("CHANNEL_RATE_PER_HOUR", env.get("CHANNEL_RATE_PER_HOUR", "20")),
        wbs_index_key=env.get("WBS_INDEX_KEY", ""),
        wbs_escrow_public_key=_wbs_escrow_key(env.get("WBS_ESCROW_PUBLIC_KEY", "")),
        s3_bucket=env.get("S3_BUCKET", "").strip(),
        s3_endpoint_url=env.get("S3_ENDPOINT_URL", "").strip(),
        s3_region=env.get("S3_REGION", "").strip(),
        s3_access_key_id=env.get("S3_ACCESS_KEY_ID", ""),
        s3_secret_access_key=env.get("S3_SECRET_ACCESS_KEY", ""),
        s3_url_seconds=_url_seconds(env.get("S3_URL_SECONDS", "60")),
        attachment_delivery=_delivery(env.get("ATTACHMENT_DELIVERY", "redirect")),
        log_format=_log_format(env.get("LOG_FORMAT", "json" if production else "text")),
        metrics_token=env.get("METRICS_TOKEN", ""),
        worker_metrics_addr=_address("WORKER_METRICS_ADDR", env.get("WORKER_METRICS_ADDR", "")),
        routing_train_per_agency=_train_bound(
            "ROUTING_TRAIN_PER_AGENCY",
            env.get("ROUTING_TRAIN_PER_AGENCY"),
            DEFAULT_TRAIN_PER_AGENCY,
        ),
        routing_train_max_examples=_train_bound(
            "ROUTING_TRAIN_MAX_EXAMPLES",
            env.get("ROUTING_TRAIN_MAX_EXAMPLES"),
            DEFAULT_TRAIN_MAX_EXAMPLES,
        ),
        routing_auto_dispose_at=_share_or_unset(
            "ROUTING_AUTO_DISPOSE_AT", env.get("ROUTING_AUTO_DISPOSE_AT")
        ),
        routing_auto_agency_precision=_share_or_unset(
            "ROUTING_AUTO_AGENCY_PRECISION", env.get("ROUTING_AUTO_AGENCY_PRECISION")
        ),
    )


def _share_or_unset(name: str, raw: str | None) -> float | None:
    """A share above 0 and at most 1 (a routing confidence or precision), or None when unset."""
    if raw is None or not raw.strip():
        return None
    try:
        value = float(raw.strip())
    except ValueError:
        value = -1.0
    if not 0 < value <= 1:
        raise ConfigError(f"{name} must be a share above 0 and at most 1 (e.g. 0.95), not {raw!r}")
    return value


def _train_bound(name: str, raw: str | None, default: int) -> int:
    """A bound on the examples routing training reads: it keeps its time and memory bounded."""
    if raw is None or not raw.strip():
        return default
    value = _int(name, raw.strip())
    if not 1 <= value <= 10_000_000:
        raise ConfigError(f"{name} must be between 1 and 10000000 examples, not {raw!r}")
    return value


def _replica_seconds(name: str, raw: str) -> int:
    seconds = _int(name, raw)
    if not 1 <= seconds <= 3600:
        raise ConfigError(f"{name} must be between 1 and 3600 seconds, not {raw!r}")
    return seconds


def replica_problems(config: Config) -> list[str]:
    """What is wrong with DATABASE_REPLICA_URL: it must be a replica of a PostgreSQL primary,
    itself PostgreSQL, and not the primary's own address."""
    url = config.database_replica_url
    if not url:
        return []
    postgres = ("postgres://", "postgresql://", "pgsql://")
    if not url.startswith(postgres):
        return ["DATABASE_REPLICA_URL must be a postgres:// address of a streaming replica"]
    if not config.database_url.startswith(postgres):
        return [
            "DATABASE_REPLICA_URL needs DATABASE_URL to point at the PostgreSQL primary "
            "it replicates"
        ]
    if url == config.database_url:
        return [
            "DATABASE_REPLICA_URL must be the replica's address, not the primary's "
            "(DATABASE_URL); leave it empty to read from the primary alone"
        ]
    return []


def replica_databases(config: Config) -> dict[str, dict[str, object]]:
    """Django's DATABASES entry ``replica`` when DATABASE_REPLICA_URL is set (refused, in every
    environment, when it is not usable); none otherwise. Its test database mirrors ``default``:
    tests of the project never need a replica of their own (tests/replica/ starts real ones)."""
    import dj_database_url

    if not config.database_replica_url:
        return {}
    problems = replica_problems(config)
    if problems:
        raise ConfigError("; ".join(problems))
    replica: dict[str, object] = dict(
        dj_database_url.parse(config.database_replica_url, conn_max_age=60)
    )
    options = dict(replica.get("OPTIONS") or {})  # type: ignore[call-overload]
    options.setdefault("connect_timeout", 2)  # a dead replica must not hold a request for long
    replica["OPTIONS"] = options
    replica["TEST"] = {"MIRROR": "default"}
    return {"replica": replica}


def _rate(name: str, raw: str) -> str:
    """A rate as Django REST framework reads it: ``N/s``, ``N/min``, ``N/hour`` or ``N/day``."""
    value = raw.strip()
    count, _, period = value.partition("/")
    if not (
        count.isdigit()
        and int(count) > 0
        and period in {"s", "sec", "min", "m", "hour", "h", "day", "d"}
    ):
        raise ConfigError(
            f"{name} must be a rate like 600/min (N/s, N/min, N/hour, N/day), not {raw!r}"
        )
    return value


def _key_hours(raw: str) -> int:
    """Hours a partner's Idempotency-Key is kept: a retry after that makes a new report."""
    hours = _int("IDEMPOTENCY_KEY_HOURS", raw)
    if hours < 1:
        raise ConfigError(f"IDEMPOTENCY_KEY_HOURS must be 1 or more hours, not {raw!r}")
    return hours


def _retention_days(raw: str) -> int:
    """Days a finished report keeps its reporter's contact details (``lapor privacy purge``)."""
    days = _int("CONTACT_RETENTION_DAYS", raw)
    if days < 1:
        raise ConfigError(f"CONTACT_RETENTION_DAYS must be 1 or more days, not {raw!r}")
    return days


def _url_seconds(raw: str) -> int:
    seconds = _int("S3_URL_SECONDS", raw)
    if not 5 <= seconds <= 3600:
        raise ConfigError(
            f"S3_URL_SECONDS must be between 5 and 3600 (a signed attachment URL is a bearer "
            f"pass: keep it short), not {raw!r}"
        )
    return seconds


def _log_format(raw: str) -> str:
    value = raw.strip().lower()
    if value not in {"text", "json"}:
        raise ConfigError(f"LOG_FORMAT must be text or json, not {raw!r}")
    return value


def _address(name: str, raw: str) -> str:
    value = raw.strip()
    if not value:
        return ""
    _host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"{name} must be host:port (for example 127.0.0.1:9101), not {raw!r}")
    return value


def _delivery(raw: str) -> str:
    value = raw.strip().lower()
    if value not in {"redirect", "stream"}:
        raise ConfigError(f"ATTACHMENT_DELIVERY must be redirect or stream, not {raw!r}")
    return value


def _accel_prefix(raw: str | None, production: bool) -> str | None:
    """The internal nginx location attachments are handed to (``/_lampiran/``), "" for ``off``
    (the app streams them), None when production leaves it unset."""
    if raw is None or not raw.strip():
        return None if production else ""
    value = raw.strip()
    if value.lower() == "off":
        return ""
    if not re.fullmatch(r"/[A-Za-z0-9_./-]*/", value) or ".." in value:
        raise ConfigError(
            "ATTACHMENT_ACCEL_PREFIX must be the path of an internal nginx location starting "
            f"and ending with '/' (e.g. /_lampiran/), or off, not {raw!r}"
        )
    return value


def _wbs_escrow_key(raw: str) -> str:
    """A Curve25519 public key in base64 (``lapor wbs escrow-keygen`` prints one), or ""."""
    import base64
    import binascii

    key = raw.strip()
    if not key:
        return ""
    try:
        ok = len(base64.b64decode(key, validate=True)) == 32
    except (binascii.Error, ValueError):
        ok = False
    if not ok:
        raise ConfigError(
            "WBS_ESCROW_PUBLIC_KEY must be the base64 public key printed by "
            "`lapor wbs escrow-keygen` (32 bytes), or empty for no escrow"
        )
    return key


def _client_ip_header(raw: str) -> str:
    """The request header the reverse proxy writes the client's address to (``X-Real-IP``), or
    ``REMOTE_ADDR`` when clients connect to the app server directly."""
    name = raw.strip()
    if name and name != "REMOTE_ADDR" and not re.fullmatch(r"[A-Za-z0-9-]+", name):
        raise ConfigError(
            f"CLIENT_IP_HEADER must be a header name such as X-Real-IP, or REMOTE_ADDR, not {raw!r}"
        )
    return name


def client_ip_meta_key(config: Config) -> str:
    """Where in a request's META the client's address is: the proxy's header, or REMOTE_ADDR."""
    name = config.client_ip_header
    if not name or name == "REMOTE_ADDR":
        return "REMOTE_ADDR"
    return "HTTP_" + name.upper().replace("-", "_")


def _cache_url(raw: str) -> str:
    url = raw.strip()
    if url and not url.startswith(CACHE_SCHEMES):
        raise ConfigError(
            f"CACHE_URL must be a redis://, rediss:// or unix:// address, not {raw!r}"
        )
    return url


def caches(config: Config) -> dict[str, dict[str, object]]:
    """Django's CACHES: Redis at ``CACHE_URL``, shared by every process (rate limits, queue
    counts, rendered track pages); without it a cache in each process's own memory."""
    if config.cache_url:
        return {
            "default": {
                "BACKEND": "lapor.core.cache.RedisCache",
                "LOCATION": config.cache_url,
                "KEY_PREFIX": "lapor",
                "TIMEOUT": 300,
                # A stuck cache server must not hold a worker for long.
                "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
            }
        }
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def channel_problems(config: Config) -> list[str]:
    """What a channel that is on lacks in production: its secrets, each named."""
    problems = []
    required = {
        "CHANNEL_SMS": (
            config.channel_sms,
            [("CHANNEL_SMS_SECRET", config.channel_sms_secret)],
        ),
        "CHANNEL_EMAIL": (
            config.channel_email,
            [
                ("CHANNEL_EMAIL_ADDRESS", config.channel_email_address),
                ("CHANNEL_EMAIL_SECRET", config.channel_email_secret),
            ],
        ),
        "CHANNEL_WHATSAPP": (
            config.channel_whatsapp,
            [
                ("WHATSAPP_APP_SECRET", config.whatsapp_app_secret),
                ("WHATSAPP_VERIFY_TOKEN", config.whatsapp_verify_token),
                ("WHATSAPP_ACCESS_TOKEN", config.whatsapp_access_token),
                ("WHATSAPP_PHONE_NUMBER_ID", config.whatsapp_phone_number_id),
            ],
        ),
    }
    for channel, (on, settings) in required.items():
        if not on:
            continue
        for name, value in settings:
            if len(value) < (16 if name.endswith("SECRET") else 1):
                problems.append(
                    f"{name} must be set when {channel}=true"
                    + (
                        " (a random value of at least 16 characters)"
                        if name.endswith("SECRET")
                        else ""
                    )
                )
    any_on = config.channel_sms or config.channel_email or config.channel_whatsapp
    if any_on and not config.public_url.startswith("https://"):
        problems.append(
            "PUBLIC_URL must be the https:// address citizens open the site at: channel "
            "answers link to the tracking page"
        )
    return problems


def check_production(config: Config) -> None:
    """Refuse an unsafe production configuration, naming the setting at fault."""
    if not config.production:
        return
    problems = []
    if config.debug:
        problems.append("DEBUG must be false in production (set DEBUG=false)")
    if config.secret_key == DEFAULT_SECRET_KEY or len(config.secret_key) < 32:
        problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
    if not config.allowed_hosts:
        problems.append("ALLOWED_HOSTS must list the host names the service answers to")
    if not config.database_url:
        problems.append("DATABASE_URL must point at the production PostgreSQL database")
    if not config.cache_url:
        problems.append(
            "CACHE_URL must point at a Redis server every app process shares "
            "(e.g. redis://cache.internal:6379/0): rate limits count per process without it"
        )
    if not config.client_ip_header:
        problems.append(
            "CLIENT_IP_HEADER must name the header the reverse proxy sets to the client's "
            "address (e.g. X-Real-IP), or be REMOTE_ADDR when clients connect directly: "
            "behind a proxy every citizen has the proxy's address, and the rate limits per IP "
            "would count them all as one"
        )
    if config.attachment_accel_prefix is None and not config.s3_bucket:
        problems.append(
            "ATTACHMENT_ACCEL_PREFIX must name the internal nginx location that serves "
            "attachments after the app has checked access (e.g. /_lampiran/, see "
            "docs/operations.md), or be off to stream them from the app servers"
        )
    if config.sms_backend == "http" and not config.sms_gateway_url:
        problems.append("SMS_GATEWAY_URL must be set when SMS_BACKEND=http")
    if config.metrics_token and len(config.metrics_token) < 24:
        problems.append("METRICS_TOKEN must be at least 24 random characters, or empty (off)")
    problems.extend(channel_problems(config))
    problems.extend(replica_problems(config))
    if problems:
        raise ConfigError("Refusing to start in production: " + "; ".join(problems))
