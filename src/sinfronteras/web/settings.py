"""Django settings: every value an operator may change comes from the environment.

The defaults are for a laptop (``make demo``): SQLite in ``var/``, DEBUG off
unless asked. Production sets ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``HTTPS=1``
and usually ``DATABASE_URL``; ``manage.py check --deploy`` then passes.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_choice, env_database, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = PACKAGE_DIR.parent.parent
# A checkout keeps its database in <repo>/var; an installed copy in ./var of where it runs.
_CHECKOUT = (REPO_DIR / "pyproject.toml").is_file()
DATA_DIR = Path(env_str("DATA_DIR", str((REPO_DIR if _CHECKOUT else Path.cwd()) / "var")))

DEBUG = env_bool("DEBUG", False)
_INSECURE_KEY = "insecure-development-key-only-for-make-demo-and-tests"
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_KEY)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is empty: set it to a long random string.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "sinfronteras.members",
    "sinfronteras.sharing",
    "sinfronteras.audit",
    "sinfronteras.assembly",
    "sinfronteras.plans",
    "sinfronteras.organizing",
    "sinfronteras.notify",
    "sinfronteras.web",
    "sinfronteras.demo",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # one-time recovery codes for a lost phone
]

MIDDLEWARE = [
    # First: strip the client's IP address and user agent before anything can see them.
    "sinfronteras.web.middleware.forget_the_client",
    "django.middleware.security.SecurityMiddleware",
    "sinfronteras.web.middleware.security_headers",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Coordinators act only after a second factor (DESIGN.md: two factors for coordinators).
    "sinfronteras.members.second_factor.require_second_factor",
    "sinfronteras.web.middleware.activate_member_language",
    "sinfronteras.web.middleware.throttle_writes",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sinfronteras.web.urls"
WSGI_APPLICATION = "sinfronteras.web.wsgi.application"

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
                "sinfronteras.plans.context.for_every_page",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", str(DATA_DIR / "sinfronteras.sqlite3"))}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.Member"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

OTP_TOTP_ISSUER = "sinfronteras"

# Membership and abuse limits.
INVITE_DAYS = env_int("INVITE_DAYS", 7, minimum=1)
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_LOCK_MINUTES = env_int("LOGIN_LOCK_MINUTES", 15, minimum=1)
#: Writes a minute per member, counted across all their tokens and sessions.
WRITES_PER_MINUTE = env_int("WRITES_PER_MINUTE", 60, minimum=1)
# API tokens: how long one lasts unless its member chooses less, the longest it may
# last, and how many live tokens one member may hold.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90, minimum=1)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365, minimum=1)
if API_TOKEN_DAYS > API_TOKEN_MAX_DAYS:
    raise ImproperlyConfigured(f"API_TOKEN_DAYS ({API_TOKEN_DAYS}) is over API_TOKEN_MAX_DAYS "
                               f"({API_TOKEN_MAX_DAYS}): lower the first or raise the second.")
API_TOKENS_PER_MEMBER = env_int("API_TOKENS_PER_MEMBER", 10, minimum=1)

# Redis, where used (the cache, or background work): e.g. redis://127.0.0.1:6379/0.
REDIS_URL = env_str("REDIS_URL", "")

# The cache counts writes for the rate limit. "memory": per process (one-process servers,
# `make demo`); "database": shared by every process through a table (run `sinfronteras
# createcachetable` once); "redis": shared through REDIS_URL (the `redis` extra).
CACHE_BACKEND = env_choice("CACHE_BACKEND", "memory", ["memory", "database", "redis"])
if CACHE_BACKEND == "database":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "sinfronteras_cache"}}
elif CACHE_BACKEND == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured("CACHE_BACKEND=redis needs REDIS_URL, e.g. redis://127.0.0.1:6379/0.")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "America/Los_Angeles")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"

SESSION_COOKIE_AGE = env_int("SESSION_DAYS", 14, minimum=1) * 24 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin", not "no-referrer": with no-referrer browsers send "Origin: null" on
# form posts, which CSRF protection must refuse. Other sites still get no referrer.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

HTTPS = env_bool("HTTPS", False)
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [SITE_URL]
    if SECRET_KEY == _INSECURE_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set to a long random string when HTTPS=1.")

# Logs carry no IP address or user agent: the formatters below only ever see the
# message, and the middleware removes both from every request before any handler.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{levelname} {name} {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # At DEBUG it writes each request's URL: a push subscription's endpoint is a secret.
        "urllib3": {"level": "WARNING"},
    },
}
ADMINS: list = []
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

NINJA_PAGINATION_PER_PAGE = 100

# Background work (plan runs, housekeeping) goes through django-tasks (the backport of
# Django 6's tasks). "database": a table in the database already configured (SQLite or
# PostgreSQL), run by `sinfronteras db_worker`; "redis": RQ on REDIS_URL (install the
# `redis` extra); "immediate": in the web process (tests, tiny collectives).
TASKS_BACKEND = env_choice("TASKS_BACKEND", "database", ["database", "redis", "immediate"])
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=redis needs REDIS_URL, e.g. redis://127.0.0.1:6379/0.")
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
#: A plan run whose worker has not been heard from for this long is marked failed.
PLAN_RUN_STALE_SECONDS = env_int("PLAN_RUN_STALE_SECONDS", 120, minimum=5)
#: A queued run that no worker has taken for this long is marked failed.
PLAN_RUN_QUEUE_MINUTES = env_int("PLAN_RUN_QUEUE_MINUTES", 30, minimum=1)

# Sealed addresses: Fernet keys from SEAL_KEYS (comma-separated, newest first) or a
# key file (one key a line, newest first). Never in the database.
SEAL_KEYS = env_list("SEAL_KEYS", [])
SEAL_KEY_FILE = env_str("SEAL_KEY_FILE", str(DATA_DIR / "seal.keys"))
if HTTPS and not SEAL_KEYS and not Path(SEAL_KEY_FILE).exists():
    raise ImproperlyConfigured("Set SEAL_KEYS or SEAL_KEY_FILE: addresses are sealed with them.")
#: How long a task's window lasts when the need gives no date.
TASK_WINDOW_DAYS = env_int("TASK_WINDOW_DAYS", 3, minimum=1)

# Web Push notifications (the notify app). VAPID keys: VAPID_PRIVATE_KEY and VAPID_PUBLIC_KEY
# (from `sinfronteras newvapidkeys`), or a PEM key file, made on first use on a laptop (not
# behind HTTPS: there push stays off until the operator makes keys).
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY", "")
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY", "")
VAPID_KEY_FILE = env_str("VAPID_KEY_FILE", str(DATA_DIR / "vapid.pem"))
#: How a push service may reach the operator: "mailto:someone@example.org" or "https://site".
_SITE_HOST = SITE_URL.split("://", 1)[-1].split("/", 1)[0]
VAPID_SUBJECT = env_str("VAPID_SUBJECT", SITE_URL if SITE_URL.startswith("https://") and ":" not in _SITE_HOST
                        else "mailto:push@localhost")
if not (VAPID_SUBJECT.startswith("mailto:") or VAPID_SUBJECT.startswith("https://")):
    raise ImproperlyConfigured("VAPID_SUBJECT must start with mailto: or https://.")
