"""One settings module, configured by environment (see README: DATABASE_URL, REDIS_URL, ...)."""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
import fontpkg_be_vietnam_pro
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("DXDAY_VAR_DIR", PROJECT_DIR / "var"))

TESTING = "pytest" in sys.modules or os.environ.get("DXDAY_TESTING") == "1"


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)


def secret_setting(name: str, default_file: Path) -> str:
    """A secret from the environment, else from `<NAME>_FILE`, else from `default_file` (which
    `make run` writes once, mode 600, and then reuses). Empty when none is set."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    path = Path(os.environ.get(f"{name}_FILE") or default_file)
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


# The development key and salt only work with DEBUG or in tests; anything else refuses to start.
DEV_SECRET_KEY = "dxday-insecure-development-key-change-me"
SECRET_KEY = secret_setting("SECRET_KEY", VAR_DIR / "secret_key") or DEV_SECRET_KEY
if SECRET_KEY == DEV_SECRET_KEY and not (DEBUG or TESTING):
    raise ImproperlyConfigured(
        "dxday refuses to start with the development SECRET_KEY. Set SECRET_KEY (or "
        "SECRET_KEY_FILE, a file holding it), or run `make run`, which generates var/secret_key "
        "once; or set DEBUG=1 on a development machine."
    )
# Household references are HMAC-SHA256'd with this key (outreach/ingest.py). It never falls back
# to SECRET_KEY, so rotating SECRET_KEY never changes stored household hashes.
DEV_HOUSEHOLD_SALT = "dxday-insecure-development-household-salt"
HOUSEHOLD_SALT = secret_setting("HOUSEHOLD_SALT", VAR_DIR / "household_salt") or (
    DEV_HOUSEHOLD_SALT if DEBUG or TESTING else ""
)
if not HOUSEHOLD_SALT:
    raise ImproperlyConfigured(
        "dxday refuses to start without HOUSEHOLD_SALT. Set HOUSEHOLD_SALT (or "
        "HOUSEHOLD_SALT_FILE), or run `make run`, which generates var/household_salt once. Keep "
        "it for good: a new salt gives the same household a different reference."
    )
# Ed25519 key for QR payloads a phone checks offline (tickets, certificates: core/signing.py).
# `make run` writes var/signing_key once; without it the key is derived from SECRET_KEY, so set
# it on servers: then SECRET_KEY can rotate without voiding every printed certificate's QR.
SIGNING_KEY = secret_setting("SIGNING_KEY", VAR_DIR / "signing_key")
# Verification codes by SMS go through this gateway class (dxday/identity/channels.py).
SMS_GATEWAY = os.environ.get("SMS_GATEWAY", "dxday.identity.channels.OutboxSmsGateway")
# The address printed behind QR codes on paper (certificates, posters, tickets), where no
# request says which host the reader will use.
PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
if TESTING:
    ALLOWED_HOSTS += ["testserver"]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "axes",
    "treebeard",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django_tasks_rq",
    "dxday.core",
    "dxday.orgs",
    "dxday.identity",
    "dxday.plans",
    "dxday.certificates",
    "dxday.activities",
    "dxday.outreach",
    "dxday.learning",
    "dxday.contest",
    "dxday.awards",
    "dxday.reports",
    "dxday.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dxday.orgs.middleware.ActorMiddleware",
    "dxday.orgs.middleware.PasswordChangeRequiredMiddleware",
    # A NUL character in any input → 400 `invalid_characters` (PostgreSQL refuses NUL in text).
    "dxday.core.middleware.RejectNulMiddleware",
    # DomainError → the Vietnamese message page; NotFound → 404 (missing and forbidden alike).
    "dxday.core.middleware.DomainErrorMiddleware",
    # Last, so it sees the login view's answer and turns a locked-out attempt into a 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dxday.urls"
WSGI_APPLICATION = "dxday.wsgi.application"

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
                "dxday.core.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# Embedded default: SQLite in WAL mode under var/. IMMEDIATE transactions take the write
# lock up front, so two writers queue instead of failing with "database is locked".
SQLITE_PATH = VAR_DIR / "dxday.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{SQLITE_PATH}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("DXDAY_SQLITE_TEST_NAME")}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, rate limits, sessions -----------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "dxday",
        }
    }
    # Sessions are read from Redis and written through to the database, so a Redis restart
    # logs nobody out. Pinned query counts in tests must not depend on where sessions live, so
    # the suite keeps them in the database; test_redis.py checks the Redis path on its own.
    SESSION_ENGINE = (
        "django.contrib.sessions.backends.db"
        if TESTING
        else "django.contrib.sessions.backends.cached_db"
    )
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Background work (Django Tasks API) ----------------------------------------------
# Embedded: the database backend and `dxday db_worker` (make run starts it). With REDIS_URL:
# RQ (django-tasks-rq), workers on any machine: `dxday rqworker --job-class django_tasks_rq.Job`.
# Tests run tasks at once unless a test says otherwise.
if os.environ.get("TASKS_BACKEND"):
    TASKS_BACKEND = os.environ["TASKS_BACKEND"]
elif TESTING:
    TASKS_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"
elif REDIS_URL:
    TASKS_BACKEND = "django_tasks_rq.RQBackend"
else:
    TASKS_BACKEND = "django_tasks_db.DatabaseBackend"
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": ["default"]}}
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 900}}

AUTH_USER_MODEL = "orgs.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing cost is not what the suite tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTHENTICATION_BACKENDS = [
    "dxday.orgs.throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed-login throttling (orgs/throttle.py): per account name and per client address.
AXES_FAILURE_LIMIT = int(os.environ.get("DXDAY_LOGIN_FAILURE_LIMIT", 10))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DXDAY_LOGIN_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The window is the one the lockout sentence announces: an attempt during a lockout is refused
# without being counted, so it neither restarts the window nor writes (bench H1).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "dxday.orgs.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "dxday.orgs.throttle.client_ip"
# No row per successful login (addresses and browsers of officials are not kept for nothing).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Shared by every app server: Redis when REDIS_URL is set, else the database. The suite keeps
# the database handler (rolled back per test, so failures never leak into the next test);
# test_login_throttle.py checks the Redis path on its own.
AXES_HANDLER = (
    "axes.handlers.cache.AxesCacheHandler"
    if REDIS_URL and not TESTING
    else "axes.handlers.database.AxesDatabaseHandler"
)
AXES_CACHE = "default"
LOGIN_URL = "orgs:login"
# Each hat lands where its work is: the to-do inbox or the unit page (activities.views.start).
LOGIN_REDIRECT_URL = "activities:start"
LOGOUT_REDIRECT_URL = "portal:home"

# --- Language and time ---------------------------------------------------------------
# Vietnamese first. Message ids are written in Vietnamese so that a string someone forgot
# to translate still reads correctly for the primary audience; English comes from locale/en.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["dxday.formats"]

# --- Static and media ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end assets are served by the app, never from a CDN: Bootstrap is vendored under
# core/static/vendor/, htmx comes with django-htmx, the font from its Python package.
STATICFILES_DIRS = [
    ("vendor/be-vietnam-pro", Path(fontpkg_be_vietnam_pro.__file__).parent / "files"),
]
# Evidence, report files and exports: var/media/ by default; with S3_BUCKET, an S3-compatible
# object store (AWS, MinIO, Ceph, Viettel/VNPT clouds) shared by every app server and worker.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    DEFAULT_FILE_STORAGE_SETTINGS = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION", "us-east-1"),
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            # Files are served only through permission-checked views, never by public URL.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_FILE_STORAGE_SETTINGS = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_FILE_STORAGE_SETTINGS,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING or DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = TESTING or DEBUG

# --- Mail ------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Where the file-based back end (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend)
# writes, for a machine without a mail server.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "dxday <no-reply@dxday.local>")

# --- Security --------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS (docs/deployment.md). DXDAY_HTTPS=1: the site is served over HTTPS only, so cookies are
# secure, HSTS is sent and plain HTTP is redirected. DXDAY_BEHIND_PROXY=1: TLS ends at a proxy
# that sets X-Forwarded-Proto (and strips it from clients), which Django then trusts.
HTTPS = env_bool("DXDAY_HTTPS", False)
# DXDAY_PROXY_COUNT: how many trusted proxies append to X-Forwarded-For (client address for
# login throttling, orgs/throttle.py).
DXDAY_PROXY_COUNT = 0
if env_bool("DXDAY_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    DXDAY_PROXY_COUNT = int(os.environ.get("DXDAY_PROXY_COUNT", 1))
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The load balancer's health probe may speak plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Content-Security-Policy on every response (django-csp). No inline script may run: page
# behaviour lives in static files (core/static/core/dxday.js) and templates use data-*
# attributes, never on* handlers or javascript: links. Inline styles stay allowed (style
# attributes in templates, htmx's indicator style); they cannot run code. Responses that set
# their own policy (evidence files: `sandbox`) keep it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Citizens' personal data never reaches the logs: request bodies are not logged at all.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

DXDAY = {
    # HMAC key for household references in the door-to-door campaign (see HOUSEHOLD_SALT above).
    "HOUSEHOLD_SALT": HOUSEHOLD_SALT,
}
