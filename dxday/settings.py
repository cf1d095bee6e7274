"""One settings module, configured by environment (see README: DATABASE_URL, REDIS_URL, ...)."""

import os
import sys
from pathlib import Path

import dj_database_url
import fontpkg_be_vietnam_pro
import xstatic.pkg.bootstrap
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("DXDAY_VAR_DIR", PROJECT_DIR / "var"))

TESTING = "pytest" in sys.modules or os.environ.get("DXDAY_TESTING") == "1"


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
# The development key only works with DEBUG or in tests; production must set SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY") or "dxday-insecure-development-key-change-me"
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
    "treebeard",
    "django_tasks",
    "django_tasks_db",
    "dxday.core",
    "dxday.orgs",
    "dxday.plans",
    "dxday.activities",
    "dxday.outreach",
    "dxday.reports",
    "dxday.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
    # A NUL character in any input → 400 `invalid_characters` (PostgreSQL refuses NUL in text).
    "dxday.core.middleware.RejectNulMiddleware",
    # DomainError → the Vietnamese message page; NotFound → 404 (missing and forbidden alike).
    "dxday.core.middleware.DomainErrorMiddleware",
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
    # Pinned query counts in tests must not depend on where sessions live, so the suite keeps
    # them in the database; test_redis.py checks the Redis session path on its own.
    SESSION_ENGINE = (
        "django.contrib.sessions.backends.db"
        if TESTING
        else "django.contrib.sessions.backends.cache"
    )
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Background work (Django Tasks API) ----------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        )
    }
}

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
LOGIN_URL = "orgs:login"
LOGIN_REDIRECT_URL = "orgs:workspace"
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
# Front-end assets come from Python packages and are served by the app: no CDN.
STATICFILES_DIRS = [
    ("vendor/bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
    ("vendor/be-vietnam-pro", Path(fontpkg_be_vietnam_pro.__file__).parent / "files"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
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
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "dxday <no-reply@dxday.local>")

# --- Security --------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
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
    # Salt for hashing household references in the door-to-door campaign.
    "HOUSEHOLD_SALT": os.environ.get("HOUSEHOLD_SALT", SECRET_KEY),
}
