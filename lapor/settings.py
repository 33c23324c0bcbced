"""Django settings. Every value an operator may change comes through ``lapor.config``."""

from __future__ import annotations

import os

import dj_database_url

from lapor import config as _config
from lapor.core.storage import default_storage_setting

CONFIG = _config.read()
_config.check_production(CONFIG)

BASE_DIR = _config.BASE_DIR
SECRET_KEY = CONFIG.secret_key
DEBUG = CONFIG.debug
ALLOWED_HOSTS = CONFIG.allowed_hosts
CSRF_TRUSTED_ORIGINS = CONFIG.csrf_trusted_origins

INSTALLED_APPS = [
    "lapor.accounts.admin_apps.LaporAdminConfig",  # the admin asks for a TOTP code too
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "lapor.core",
    "lapor.accounts",
    "lapor.regions",
    "lapor.agencies",
    "lapor.categories",
    "lapor.reports",
    "lapor.jobs",
    "lapor.notifications",
    "lapor.portal",
    "lapor.analytics",
    "lapor.demo",
    "lapor.routing",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "lapor.backoffice",
    "lapor.privacy",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "lapor.api",
    "lapor.channels",
    "lapor.wbs",
    "js_lib_leaflet",  # Leaflet's own files, served from this site (the maps; ADR 0021)
]

MIDDLEWARE = [
    "lapor.core.metrics.MetricsMiddleware",  # first: its time covers every other middleware
    "lapor.core.request_id.RequestIdMiddleware",  # X-Request-ID, in every log line
    "django.middleware.security.SecurityMiddleware",
    "lapor.wbs.middleware.WbsPrivacyMiddleware",  # WBS: no IP, UA or referrer past this point
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lapor.core.policy.PolicyMiddleware",  # django-csp on pages, a fixed policy on JSON
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "lapor.api.middleware.ApiLanguageMiddleware",  # /api/: Accept-Language alone
    "lapor.core.middleware.RequestSizeLimitMiddleware",  # after Locale: the page's language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lapor.core.replica_middleware.ReplicaRoutingMiddleware",  # public reads: ADR 0016
    "lapor.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "lapor.urls"
WSGI_APPLICATION = "lapor.wsgi.application"
CSRF_FAILURE_VIEW = "lapor.core.views.csrf_failure"  # the expired-form page, not Django's

# No inline script or style anywhere (tests/core/test_security_headers.py scans the templates):
# a script injected into a page cannot run. The QR code of the TOTP enrolment is inline SVG with
# presentation attributes, which style-src does not govern. The admin's change lists without
# bulk actions carry one cosmetic inline <style> (a column width), left blocked.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if CONFIG.database_url:
    DATABASES = {"default": dj_database_url.parse(CONFIG.database_url, conn_max_age=60)}
else:
    CONFIG.var_dir.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(CONFIG.var_dir / "lapor.sqlite3"),
            "OPTIONS": {
                # One writer at a time: take the write lock at BEGIN so two processes
                # (web and worker) never deadlock upgrading a read lock.
                "transaction_mode": "IMMEDIATE",
                # Busy timeout: a write waits this long for the lock. A job that still
                # meets it is deferred and run again (lapor/jobs/locks.py).
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
            # A file (not memory) so worker subprocesses in tests can share it; one per test
            # run so parallel runs never clobber each other.
            "TEST": {"NAME": str(CONFIG.var_dir / f"test-{os.getpid()}.sqlite3")},
        }
    }

# Public reads on a PostgreSQL streaming replica when DATABASE_REPLICA_URL is set; writes and
# transactions on the primary (lapor/core/dbrouter.py, ADR 0016).
DATABASES.update(_config.replica_databases(CONFIG))  # type: ignore[arg-type]
LAPOR_READ_REPLICA = "replica" in DATABASES
DATABASE_ROUTERS = ["lapor.core.dbrouter.ReplicaRouter"]
LAPOR_REPLICA_STICKY_SECONDS = CONFIG.replica_sticky_seconds
LAPOR_REPLICA_MAX_LAG_SECONDS = CONFIG.replica_max_lag_seconds

CACHES = _config.caches(CONFIG)
# The client's address for the rate limits per IP (portal/limits.py): behind the reverse proxy,
# the header it sets (CLIENT_IP_HEADER); REMOTE_ADDR is then the proxy's own address.
LAPOR_CLIENT_IP_META = _config.client_ip_meta_key(CONFIG)
RATELIMIT_IP_META_KEY = "lapor.portal.limits.client_ip"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Bahasa Indonesia first, English second. Times are stored in UTC and shown in the zone of
# the agency handling a report (WIB, WITA or WIT); Asia/Jakarta is the platform's own zone.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "lapor" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"

STATIC_URL = "static/"
STATIC_ROOT = CONFIG.static_root
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from it once collected
MEDIA_URL = "media/"
MEDIA_ROOT = CONFIG.media_root
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LAPOR_MAX_UPLOAD_BYTES = CONFIG.max_upload_bytes
LAPOR_MAX_ATTACHMENTS = CONFIG.max_attachments
LAPOR_JOB_LEASE_SECONDS = CONFIG.job_lease_seconds
LAPOR_SWEEP_INTERVAL_SECONDS = CONFIG.sweep_interval_seconds
LAPOR_QUEUE_COUNT_SECONDS = CONFIG.queue_count_seconds
# Attachments are handed to the reverse proxy here (X-Accel-Redirect) once access is checked;
# "" streams them from the app (development, tests, the demo).
LAPOR_ATTACHMENT_ACCEL_PREFIX = CONFIG.attachment_accel_prefix or ""
# Attachments on object storage when S3_BUCKET is set (lapor.core.storage, ADR 0016).
STORAGES["default"] = default_storage_setting(CONFIG)
LAPOR_S3_URL_SECONDS = CONFIG.s3_url_seconds
# Prometheus (lapor/core/metrics.py, ADR 0027): /metrics needs this bearer token; workers serve
# their own counters on WORKER_METRICS_ADDR.
LAPOR_METRICS_TOKEN = CONFIG.metrics_token
LAPOR_WORKER_METRICS_ADDR = CONFIG.worker_metrics_addr
LAPOR_ATTACHMENT_DELIVERY = CONFIG.attachment_delivery
LAPOR_CONTACT_RETENTION_DAYS = CONFIG.contact_retention_days
LAPOR_IDEMPOTENCY_KEY_HOURS = CONFIG.idempotency_key_hours
# `lapor routing train` reads at most this much history (docs/routing.md, "Learning").
LAPOR_ROUTING_TRAIN_PER_AGENCY = CONFIG.routing_train_per_agency
LAPOR_ROUTING_TRAIN_MAX_EXAMPLES = CONFIG.routing_train_max_examples
# Automatic disposition (docs/routing.md): set only when the environment says, so the routing
# code's defaults (0.95 with a model, at most 0.8 by the rules alone; 0.8) apply otherwise.
if CONFIG.routing_auto_dispose_at is not None:
    LAPOR_ROUTING_AUTO_DISPOSE_AT = CONFIG.routing_auto_dispose_at
if CONFIG.routing_auto_agency_precision is not None:
    LAPOR_ROUTING_AUTO_AGENCY_PRECISION = CONFIG.routing_auto_agency_precision

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = CONFIG.email_backend
EMAIL_FILE_PATH = CONFIG.var_dir / "outbox" / "email"
EMAIL_HOST = CONFIG.email_host
EMAIL_PORT = CONFIG.email_port
EMAIL_USE_TLS = CONFIG.email_use_tls
DEFAULT_FROM_EMAIL = CONFIG.default_from_email
LAPOR_SMS_BACKEND = CONFIG.sms_backend
LAPOR_SMS_GATEWAY_URL = CONFIG.sms_gateway_url
LAPOR_SMS_GATEWAY_TOKEN = CONFIG.sms_gateway_token
LAPOR_SMS_TIMEOUT_SECONDS = CONFIG.sms_timeout_seconds
LAPOR_SMS_FILE_PATH = CONFIG.var_dir / "outbox" / "sms"
# Inbound channels (lapor.channels, docs/channels.md).
LAPOR_PUBLIC_URL = CONFIG.public_url
LAPOR_CHANNEL_SMS = CONFIG.channel_sms
LAPOR_CHANNEL_SMS_SECRET = CONFIG.channel_sms_secret
LAPOR_CHANNEL_EMAIL = CONFIG.channel_email
LAPOR_CHANNEL_EMAIL_ADDRESS = CONFIG.channel_email_address
LAPOR_CHANNEL_EMAIL_SECRET = CONFIG.channel_email_secret
LAPOR_CHANNEL_WHATSAPP = CONFIG.channel_whatsapp
LAPOR_WHATSAPP_APP_SECRET = CONFIG.whatsapp_app_secret
LAPOR_WHATSAPP_VERIFY_TOKEN = CONFIG.whatsapp_verify_token
LAPOR_WHATSAPP_ACCESS_TOKEN = CONFIG.whatsapp_access_token
LAPOR_WHATSAPP_API_URL = CONFIG.whatsapp_api_url
LAPOR_WHATSAPP_PHONE_NUMBER_ID = CONFIG.whatsapp_phone_number_id
LAPOR_CHANNEL_RATE_PER_HOUR = CONFIG.channel_rate_per_hour
LAPOR_WBS_INDEX_KEY = CONFIG.wbs_index_key  # docs/wbs.md
LAPOR_WBS_ESCROW_PUBLIC_KEY = CONFIG.wbs_escrow_public_key
LAPOR_WHATSAPP_FILE_PATH = CONFIG.var_dir / "outbox" / "whatsapp"

if CONFIG.production:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Plain HTTP is redirected to HTTPS (the proxy's X-Forwarded-Proto above says which it was).
    SECURE_SSL_REDIRECT = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # API secrets (Authorization, api_key, client_secret) never reach a log: lapor/api/logs.py.
    # Nothing of a whistleblower's request (address, browser, referrer) either: lapor/wbs/logs.py.
    "filters": {
        "redact_secrets": {"()": "lapor.api.logs.RedactSecrets"},
        "forget_wbs": {"()": "lapor.wbs.logs.ForgetWbsRequests"},
        "request_id": {"()": "lapor.core.request_id.RequestIdFilter"},
    },
    # LOG_FORMAT=json (the production default): one JSON object a line, with the request ID.
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["forget_wbs", "redact_secrets", "request_id"],
            "formatter": CONFIG.log_format,
        }
    },
    "root": {"handlers": ["console"], "level": "INFO" if not DEBUG else "WARNING"},
    "loggers": {"lapor": {"level": "INFO"}},
}

# The JSON API v1 (lapor/api/, docs/api.md): JSON only, every view names its own permission
# (deny by default), one error shape (lapor/api/errors.py), rates per client and per IP.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["lapor.api.parsers.LimitedJSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["lapor.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["lapor.api.permissions.DenyAll"],
    "DEFAULT_THROTTLE_CLASSES": [
        "lapor.api.throttling.ClientRateThrottle",
        "lapor.api.throttling.IpRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"client": CONFIG.api_rate_client, "ip": CONFIG.api_rate_ip},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "lapor.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "LAPOR! API",
    "VERSION": "1",
    "DESCRIPTION": (
        "API JSON SP4N-LAPOR!: laporan publik, pelacakan, dan (dengan token) warga, petugas, "
        "dan sistem mitra. Pesan galat mengikuti Accept-Language (id, en).\n\n"
        "The SP4N-LAPOR! JSON API: public reports, tracking and (with a token) citizens, "
        "officers and partner systems. Error messages follow Accept-Language (id, en)."
    ),
    "SERVERS": [{"url": "/", "description": "Server ini / this server"}],
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "lapor.api.errors.add_error_component",
    ],
}

# The maps' tile server (lapor/portal/map_tiles.py, ADR 0021): none by default, so a page never
# makes a browser ask a third party; when set, the map pages allow exactly its origin.
from lapor.portal.map_tiles import read_tiles as _read_tiles  # noqa: E402

_TILES = _read_tiles(os.environ, production=CONFIG.production)
MAP_TILE_URL = _TILES.url
MAP_TILE_ATTRIBUTION = _TILES.attribution
