"""Linli settings: everything from the environment, safe defaults for the embedded demo.

Embedded default: SQLite under ``LINLI_DATA_DIR`` (``./var``) and the scheduler
inside the server process. Production: ``DATABASE_URL`` (PostgreSQL),
``REDIS_URL`` (Celery workers and beat), ``SECRET_KEY`` and ``DEBUG=0``.
"""

import os
from pathlib import Path

import dj_database_url

from linli.core.secret import resolve_secret_key

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("LINLI_DATA_DIR", Path.cwd() / "var"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DEBUG", False)
# SECRET_KEY from the environment, else a random key kept in DATA_DIR/secret_key (0600), made on first use.
# The source is checked: linli.E001 refuses the built-in key (a data directory that cannot be written).
SECRET_KEY, LINLI_SECRET_KEY_SOURCE = resolve_secret_key(os.environ, DATA_DIR)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "axes",
    "linli.core",
    "linli.ui",
    "linli.org",
    "linli.dispatch",
    "linli.demands",
    "linli.analytics",
    "linli.access",
    "linli.visits",
    "linli.programs",
    "linli.workshop",
    "linli.empower",
    "linli.open311",
    "linli.notify",
    "linli.demo",
    "linli.portal",
    "linli.ops",
]

MIDDLEWARE = [
    # First: request id in and out (X-Request-ID), one JSON log line and one latency observation per request.
    "linli.core.requestctx.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "linli.ui.middleware.ChineseFirst",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "linli.ui.middleware.ApplicationErrorPages",
    "linli.core.unavailable.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "linli.ui.auth_backend.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in lockout: after 5 failed attempts for one username (from any address, so a proxy or a NAT in front
# changes nothing), 15 minutes' wait counted from the failure that locked it. Attempts while locked, even
# with the right password, are refused without being counted, so nobody can keep a colleague locked out.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", 0.25))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# axes.W006 warns that without the address an attacker can rotate user agents; the lock is per user name on
# purpose, and a rotated user agent or address does not get round it.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "ui/locked_out.html"
AXES_VERBOSE = False

ROOT_URLCONF = "linli.urls"
WSGI_APPLICATION = "linli.wsgi.application"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "linli.portal.navigation.navigation",
            ],
        },
    },
]

_sqlite_path = DATA_DIR / "linli.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL", default=f"sqlite:///{_sqlite_path}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["ENGINE"] = "linli.core.sqlite"
    # IMMEDIATE makes every transaction take the write lock at BEGIN, so two
    # writers on one demand queue up instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Covering indexes (INCLUDE) exist for PostgreSQL; SQLite builds the same index without the extra column.
    SILENCED_SYSTEM_CHECKS.append("models.W040")
    DATABASES["default"]["TEST"] = (
        {"NAME": os.environ.get("LINLI_TEST_SQLITE", "")} if os.environ.get("LINLI_TEST_SQLITE") else {}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Serve app static files straight from the package, so the embedded server needs no collectstatic.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploaded files (photos from the resident portal) live under the data directory.
MEDIA_ROOT = Path(os.environ.get("LINLI_MEDIA_ROOT", DATA_DIR / "media"))
LINLI_PHOTO_MAX_BYTES = int(os.environ.get("LINLI_PHOTO_MAX_BYTES", 5 * 1024 * 1024))
# Requests per minute, or (requests, window in seconds): per client address, except portal_submit (per phone
# number, under the per-address ceiling portal_submit_address; both count the portal's form and
# POST /api/v1/public/demands together). Wrong last-four digits are also counted per tracking code (10 an
# hour, then the code is locked for an hour: linli.demands.selectors).
LINLI_PUBLIC_RATE_LIMITS = {
    "public_track": 60,
    "portal_submit": (5, 600),
    "portal_submit_address": (60, 600),
    "portal_track": (30, 60),
    # Open311 POST requests, per api_key and per client address.
    "open311_submit": int(os.environ.get("LINLI_OPEN311_RATE_LIMIT", 60)),
}

# Uploads and bodies: a demand is text; anything larger is refused with 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("LINLI_MAX_BODY", 2 * 1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# Session timeout: signed out after 2 idle hours (each request slides the window).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 2 * 3600))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG and os.environ.get("SECRET_KEY"):
    # Production values: behind TLS.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Background work: Celery on Redis when REDIS_URL is set; otherwise the
# embedded scheduler thread of `linli serve` runs the periodic jobs.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged when it has finished, and given back to the queue when its worker process dies
# (kill -9, out of memory): another worker runs it again. Periodic jobs are idempotent and claim their
# slot in the ledger (linli.ops.jobs), so a redelivered job runs once more at most, never twice at once.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Unacknowledged tasks of a worker lost whole (kill -9 of its group, its machine) come back after this many
# seconds; the workers look for them every 10 s (one cheap Redis range query; kombu's default is every 100 s).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("LINLI_VISIBILITY_TIMEOUT", 3600)),
    "unacked_restore_throttle": 1,
}
# A "running" ledger row whose holder cannot be checked (another machine) is taken over after this long.
LINLI_JOB_LEASE_SECONDS = int(os.environ.get("LINLI_JOB_LEASE_SECONDS", 1800))

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Without Redis the cache lives in the database (table linli_cache, made by core's migration 0003),
    # so rate limits and idempotency keys are shared by every worker process; incr is atomic there.
    CACHES = {
        "default": {
            "BACKEND": "linli.core.cache.DatabaseCache",
            "LOCATION": "linli_cache",
            # Culling drops a third of the rows at random: set high so live counters are not dropped.
            "OPTIONS": {"MAX_ENTRIES": 200_000, "CULL_FREQUENCY": 4},
        }
    }

# Periodic jobs: (dotted path, every N seconds). Run by the embedded scheduler of
# `linli serve`, or by Celery beat when REDIS_URL is set.
LINLI_PERIODIC_JOBS = [
    ("linli.demands.services.sla_sweep", 60),
    ("linli.analytics.services.analytics_rollup_refresh", 120),
    ("linli.access.services.approval_sweep", 300),
    ("linli.dispatch.services.dispatch_model_retrain_if_due", 3600),
    ("linli.open311.services.open311_outbound_sync", 120),
    ("linli.notify.services.notify_run", 60),
    ("linli.demands.services.export_jobs_run", 10),
    ("linli.ops.services.housekeeping", 3600),
]
# Housekeeping keeps finished runs of the job ledger this many days, and the stored answers to
# Idempotency-Key requests this many (a retry after that is a new request).
LINLI_JOB_LEDGER_DAYS = int(os.environ.get("LINLI_JOB_LEDGER_DAYS", "14"))
LINLI_IDEMPOTENCY_DAYS = int(os.environ.get("LINLI_IDEMPOTENCY_DAYS", "7"))
# The dispatch model retrains by itself once this many finished demands have come since its last training.
LINLI_DISPATCH_RETRAIN_MIN_NEW = int(os.environ.get("LINLI_DISPATCH_RETRAIN_MIN_NEW", "200"))


def _periods(jobs: list[tuple[str, float]], spec: str) -> list[tuple[str, float]]:
    """LINLI_PERIODIC_EVERY="sla_sweep=30,analytics_rollup_refresh=60": other periods, by the job's last name."""
    every = {
        k.strip(): float(v) for k, _, v in (part.partition("=") for part in spec.split(",")) if v.strip()
    }
    return [(path, every.get(path.rsplit(".", 1)[-1], period)) for path, period in jobs]


LINLI_PERIODIC_JOBS = _periods(LINLI_PERIODIC_JOBS, os.environ.get("LINLI_PERIODIC_EVERY", ""))
LINLI_EMBEDDED_SCHEDULER = _env_bool("LINLI_EMBEDDED_SCHEDULER", not REDIS_URL)

# Message channels (linli.notify.channels). The embedded default writes every message to
# LINLI_DATA_DIR/outbox/messages.jsonl; LINLI_NOTIFY_SMS_URL (+ _KEY, _SIGN) sends SMS through an HTTP gateway.
_FILE_CHANNEL = {"backend": "linli.notify.channels.FileChannel"}
LINLI_NOTIFY_CHANNELS = {
    "sms": (
        {
            "backend": "linli.notify.channels.SmsHttpChannel",
            "url": os.environ["LINLI_NOTIFY_SMS_URL"],
            "key": os.environ.get("LINLI_NOTIFY_SMS_KEY", ""),
            "sign": os.environ.get("LINLI_NOTIFY_SMS_SIGN", "邻里"),
        }
        if os.environ.get("LINLI_NOTIFY_SMS_URL")
        else _FILE_CHANNEL
    ),
    "wechat": _FILE_CHANNEL,
    "email": _FILE_CHANNEL,
    "webhook": _FILE_CHANNEL,
}
# Maps: the servers have no internet, so by default a map shows the installation's community boundaries
# (uploaded GeoJSON) and the points on a plain background. A tile server of your own (or a licensed one) can
# be set, e.g. https://tiles.example.gov.cn/{z}/{x}/{y}.png
LINLI_MAP_TILE_URL = os.environ.get("LINLI_MAP_TILE_URL", "")
LINLI_MAP_TILE_ATTRIBUTION = os.environ.get("LINLI_MAP_TILE_ATTRIBUTION", "")

# The address residents and staff follow from a message (tracking page, demand page).
LINLI_PUBLIC_URL = os.environ.get("LINLI_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

# Working hours for "working hours" deadlines, local time (half-open intervals).
LINLI_WORK_PERIODS = [("08:30", "12:00"), ("14:00", "17:30")]
# Roles that need a resident's full phone number (to call back); all others see it masked.
LINLI_FULL_PHONE_ROLES = ["hotline_agent", "dispatcher", "admin"]

# /metrics: Prometheus sends "Authorization: Bearer <token>"; staff accounts may read it signed in.
LINLI_METRICS_TOKEN = os.environ.get("LINLI_METRICS_TOKEN", "")

# JSON lines with the request id (linli.core.logs); LINLI_LOG_FORMAT=text for plain lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "linli.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "linli.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "text" if os.environ.get("LINLI_LOG_FORMAT", "json") == "text" else "json",
        }
    },
    "loggers": {
        "linli": {
            "handlers": ["console"],
            "level": os.environ.get("LINLI_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        "django": {"handlers": ["console"], "level": "WARNING"},
        "celery": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # "Task queue depth is N" on every burst: requests waiting for a thread are normal under load.
        "waitress.queue": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
