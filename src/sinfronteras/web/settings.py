"""Django settings: every value an operator may change comes from the environment.

The defaults are for a laptop (``make demo``): SQLite in ``var/``, DEBUG off
unless asked. Production sets ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``HTTPS=1``
and usually ``DATABASE_URL``; ``check --deploy --fail-level WARNING`` then passes, and
``sinfronteras serve`` (gunicorn, WhiteNoise) runs that check before it serves.
"""

from __future__ import annotations

import warnings
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
#: Production: behind a TLS proxy (secure cookies, HSTS, collected static files).
HTTPS = env_bool("HTTPS", False)
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
    "sinfronteras.sms",
    "sinfronteras.notify",
    "sinfronteras.web",
    "sinfronteras.demo",
    "sinfronteras.federation",
    # Form widgets drawn from templates, so web/templates/django/forms overrides them
    # (number inputs without "2.000").
    "django.forms",
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
    # Static files, before anything slower: compressed copies, hashed names cached for a year.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed; Django's GZip adds random-length padding against BREACH (Django 4.2+).
    "django.middleware.gzip.GZipMiddleware",
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
    # Every form carries a one-time key: posted twice, it makes nothing the second time.
    "sinfronteras.web.once.posted_once",
    # A GET of a button's address (POST only) shows a page that leads back, never a bare 405.
    "sinfronteras.web.postonly.page_for_get",
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
            # Amounts people can read ({{ x|amount:resource }}) in every template.
            "builtins": ["sinfronteras.web.templatetags.readable",
                         # {% url %} that keeps each address it works out (per process).
                         "sinfronteras.web.templatetags.addresses"],
        },
    },
]

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": env_database("DATABASE_URL", str(DATA_DIR / "sinfronteras.sqlite3"))}
#: How long a SQLite writer waits for another to finish before giving up (seconds).
SQLITE_BUSY_SECONDS = env_int("SQLITE_BUSY_SECONDS", 30, minimum=1)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Many writers at once on one file: WAL lets readers go on while one writes; every
    # transaction takes the write lock when it starts (IMMEDIATE), so a second writer
    # waits its turn (the busy timeout) instead of failing with "database is locked"
    # when it would upgrade a read lock; what is deleted or overwritten (a ballot's old
    # place, a destroyed address) is zeroed in the file (secure_delete).
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                        "PRAGMA secure_delete=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_SECONDS,
    })
    # Each server thread keeps its connection between requests: opening one (Django's SQL
    # functions, the pragmas above) and closing it cost about 2 ms a request, most of a
    # page's database time. Restore writes rows through a connection, never swaps the file.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("SQLITE_CONN_SECONDS", 600, minimum=0))
else:
    # PostgreSQL plans each statement it is sent: for the pages' joins planning cost 1-5 ms
    # of its CPU, ten times running them. The pages' queries compiled once
    # (sinfronteras.prepared) run on a cursor whose parameters the server binds, and psycopg
    # prepares such a statement on a connection once it has run it twice: PostgreSQL plans it
    # once. Every other query keeps Django's client-side binding (server-side binding would
    # send an integer of an expression as int4, and a larger one would wrap).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.Member"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Django's model backend with each request's member read by SQL compiled once.
AUTHENTICATION_BACKENDS = ["sinfronteras.members.backends.MemberBackend"]
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
# One date format and one number format per language (web/formats/en, es); ISO dates
# first among the input formats, so date inputs hold 2026-12-05 in both languages.
FORMAT_MODULE_PATH = ["sinfronteras.web.formats"]
USE_THOUSAND_SEPARATOR = False
TIME_ZONE = env_str("TIME_ZONE", "America/Los_Angeles")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
# In production (HTTPS=1) `sinfronteras serve` collects static files into STATIC_ROOT with
# hashed names and compressed copies; WhiteNoise serves them with a year's cache. Elsewhere
# (laptop, tests) they are served straight from the apps, uncollected.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": (
        "whitenoise.storage.CompressedManifestStaticFilesStorage" if HTTPS
        else "django.contrib.staticfiles.storage.StaticFilesStorage")},
}
WHITENOISE_USE_FINDERS = not HTTPS
if not HTTPS:  # uncollected on a laptop: WhiteNoise finds the files in the apps instead
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
WHITENOISE_MAX_AGE = 0 if DEBUG else 3600  # files without a hashed name; hashed ones: a year
WHITENOISE_ALLOW_ALL_ORIGINS = False  # our pages only: no other site needs our files

# `sinfronteras serve` (gunicorn): where it listens (loopback: a TLS proxy stands in front),
# worker processes and threads per process.
WEB_BIND = env_str("WEB_BIND", "127.0.0.1:8000")
WEB_WORKERS = env_int("WEB_WORKERS", 2, minimum=1)
WEB_THREADS = env_int("WEB_THREADS", 4, minimum=1)

# Sessions live in the database, so that logging out, a password change or a removed member
# ends them at once (signed-cookie sessions cannot be revoked: never use them). Each request
# reads its session through a cache in front ("cached_db": writes go to both) when that cache
# sees every logout at once: a local-memory cache when one process serves the site
# (CACHE_BACKEND=memory with WEB_WORKERS=1, which says so), or Redis when it is the cache. With several processes and no shared cache, a process's own
# copy could outlive a logout made in another, so sessions are read from the database alone.
SESSION_CACHE = ("memory" if CACHE_BACKEND == "memory" and WEB_WORKERS == 1
                 else "redis" if CACHE_BACKEND == "redis" else None)
if SESSION_CACHE is not None:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "sessions"
    CACHES["sessions"] = (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sessions",
         "OPTIONS": {"MAX_ENTRIES": 10_000}}
        if SESSION_CACHE == "memory" else {**CACHES["default"], "KEY_PREFIX": "sessions"})
else:  # Django's database store, its one query each request compiled once per process
    SESSION_ENGINE = "sinfronteras.members.sessions"

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
    # No line carries an invitation's token: the development server's request lines, and
    # "Not Found: /join/<token>/" warnings, are written with the token blanked out.
    "filters": {"hide_secrets": {"()": "sinfronteras.web.logfilters.HideSecretsInRequests"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain",
                             "filters": ["hide_secrets"]}},
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
# In production the key file is not beside the database: a copy of DATA_DIR (a backup, a
# stolen disk image) must not carry the key that opens the addresses in it.
SEAL_KEY_FILE = env_str("SEAL_KEY_FILE",
                        "/etc/sinfronteras/seal.keys" if HTTPS else str(DATA_DIR / "seal.keys"))
if HTTPS and not SEAL_KEYS:
    if not Path(SEAL_KEY_FILE).exists():
        raise ImproperlyConfigured("Set SEAL_KEYS or SEAL_KEY_FILE: addresses are sealed with them.")
    if Path(SEAL_KEY_FILE).resolve().is_relative_to(DATA_DIR.resolve()):
        raise ImproperlyConfigured(
            f"SEAL_KEY_FILE={SEAL_KEY_FILE} is inside DATA_DIR={DATA_DIR}: keep the sealing keys "
            "out of the folder with the database, e.g. /etc/sinfronteras/seal.keys.")
# `sinfronteras backup` encrypts to these age public keys (age1...), else to a passphrase
# (from a file, or the variable); `restore` opens with the identity file or the passphrase.
BACKUP_RECIPIENTS = env_list("BACKUP_RECIPIENTS", [])
BACKUP_PASSPHRASE_FILE = env_str("BACKUP_PASSPHRASE_FILE", "")
BACKUP_PASSPHRASE = env_str("BACKUP_PASSPHRASE", "")
BACKUP_IDENTITY_FILE = env_str("BACKUP_IDENTITY_FILE", "")
#: How long a task's window lasts when the need gives no date.
TASK_WINDOW_DAYS = env_int("TASK_WINDOW_DAYS", 3, minimum=1)

# SMS through a gateway the collective runs: an Android phone with SMS Gateway for Android
# (README, "SMS"). Off while SMS_GATEWAY_URL is empty. The URL is where a message is
# POSTed: http://<phone>:8080/message (the app's local server) or
# https://<private server>/3rdparty/v1/messages.
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", "")
SMS_GATEWAY_USER = env_str("SMS_GATEWAY_USER", "")
SMS_GATEWAY_PASSWORD = env_str("SMS_GATEWAY_PASSWORD", "")
#: The app's webhook signing key (Settings, Webhooks, Signing Key): inbound SMS are checked.
SMS_WEBHOOK_KEY = env_str("SMS_WEBHOOK_KEY", "")
#: A webhook signed longer ago than this (or this far ahead) is refused as stale.
SMS_WEBHOOK_MAX_AGE = env_int("SMS_WEBHOOK_MAX_AGE", 300, minimum=10)
#: The demo's simulated phone (`make demo`): a page of the site plays the gateway phone, and
#: the site posts to it and is posted to by it with the same API, signatures and worker as
#: a real gateway. Never in production: `check --deploy` fails while it is on.
SMS_DEMO_PHONE = env_bool("SMS_DEMO_PHONE", False)
if SMS_DEMO_PHONE and not SMS_GATEWAY_URL:
    import hashlib as _hashlib

    def _demo_secret(what: str) -> str:  # the same in the web process and the worker
        return _hashlib.sha256(f"{SECRET_KEY}:demo-phone:{what}".encode()).hexdigest()[:32]

    SMS_GATEWAY_URL = f"{SITE_URL}/demo/phone/gateway/message"
    SMS_GATEWAY_USER, SMS_GATEWAY_PASSWORD = "demo-phone", _demo_secret("password")
    SMS_WEBHOOK_KEY = _demo_secret("webhook")
if SMS_GATEWAY_URL:
    if not SMS_GATEWAY_URL.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"SMS_GATEWAY_URL={SMS_GATEWAY_URL!r} is not a web address: "
                                   "use e.g. http://192.168.1.10:8080/message.")
    if not SMS_GATEWAY_USER or not SMS_GATEWAY_PASSWORD:
        raise ImproperlyConfigured("SMS_GATEWAY_URL needs SMS_GATEWAY_USER and SMS_GATEWAY_PASSWORD "
                                   "(the app's Local Server or Cloud Server credentials).")
    if len(SMS_WEBHOOK_KEY) < 8:
        raise ImproperlyConfigured("SMS_GATEWAY_URL needs SMS_WEBHOOK_KEY: the app's webhook "
                                   "signing key (Settings, Webhooks), at least 8 characters.")
#: The number members text (the gateway phone's own), shown on the SMS page.
SMS_NUMBER_TO_TEXT = env_str("SMS_NUMBER_TO_TEXT", "")
#: The country code of numbers written without one (1: the United States and Canada).
SMS_COUNTRY_CODE = env_str("SMS_COUNTRY_CODE", "1")
if not (SMS_COUNTRY_CODE.isdigit() and 1 <= len(SMS_COUNTRY_CODE) <= 3):
    raise ImproperlyConfigured(f"SMS_COUNTRY_CODE={SMS_COUNTRY_CODE!r} is not a country code: "
                               "use 1 to 3 digits, e.g. 1 or 52.")
# Members' numbers are recognized by a keyed hash (HMAC-SHA256): the key comes from
# SMS_HASH_KEY or a key file, never the database. Changing it: `sinfronteras rehashsms`.
SMS_HASH_KEY = env_str("SMS_HASH_KEY", "")
# In production the key file is not beside the database, as the seal keys: a copy of
# DATA_DIR must not carry what tests a phone number for membership offline.
SMS_HASH_KEY_FILE = env_str("SMS_HASH_KEY_FILE", "/etc/sinfronteras/sms-hash.key" if HTTPS
                            else str(DATA_DIR / "sms-hash.key"))
if SMS_HASH_KEY and len(SMS_HASH_KEY) < 16:
    raise ImproperlyConfigured("SMS_HASH_KEY is too short: use at least 16 random characters.")
if HTTPS and SMS_GATEWAY_URL and not SMS_HASH_KEY:
    if not Path(SMS_HASH_KEY_FILE).exists():
        raise ImproperlyConfigured("Set SMS_HASH_KEY or SMS_HASH_KEY_FILE: members' numbers are "
                                   "recognized with it.")
    if Path(SMS_HASH_KEY_FILE).resolve().is_relative_to(DATA_DIR.resolve()):
        raise ImproperlyConfigured(
            f"SMS_HASH_KEY_FILE={SMS_HASH_KEY_FILE} is inside DATA_DIR={DATA_DIR}: keep the SMS "
            "hash key out of the folder with the database, e.g. /etc/sinfronteras/sms-hash.key.")
#: Notifications by SMS a member gets a day at most (the rest wait for the site).
SMS_NOTES_PER_DAY = env_int("SMS_NOTES_PER_DAY", 10, minimum=0)
#: Replies to a member's texts a day at most (a guard against auto-responder loops).
SMS_REPLIES_PER_DAY = env_int("SMS_REPLIES_PER_DAY", 40, minimum=1)
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

# Push goes to browsers' push services only (notify/endpoints.py): https, port 443, a host
# below one of these domains, resolving to public addresses. "*" allows any public host.
PUSH_SERVICES = env_list("PUSH_SERVICES", [
    "fcm.googleapis.com", "android.googleapis.com",  # Chrome, Edge on Android, Brave...
    "push.services.mozilla.com",  # Firefox (updates.push.services.mozilla.com)
    "push.apple.com",  # Safari (web.push.apple.com)
    "notify.windows.com",  # Edge on Windows (*.notify.windows.com)
])
#: Only for the tests' push service on 127.0.0.1: `check --deploy` fails while it is on.
PUSH_LOOPBACK_FOR_TESTS = env_bool("PUSH_LOOPBACK_FOR_TESTS", False)
# Federation (issue 18): each collective's Ed25519 key pair lives in this folder, one file a
# collective, made on first use; in production outside DATA_DIR, like the seal keys.
FEDERATION_KEY_DIR = env_str("FEDERATION_KEY_DIR", "/etc/sinfronteras/federation" if HTTPS
                             else str(DATA_DIR / "federation-keys"))
if HTTPS and Path(FEDERATION_KEY_DIR).resolve().is_relative_to(DATA_DIR.resolve()):
    raise ImproperlyConfigured(
        f"FEDERATION_KEY_DIR={FEDERATION_KEY_DIR} is inside DATA_DIR={DATA_DIR}: keep the federation "
        "keys out of the folder with the database, e.g. /etc/sinfronteras/federation.")
#: Plain HTTP to peers that are not on loopback (test hosts in network namespaces only).
FEDERATION_ALLOW_HTTP = env_bool("FEDERATION_ALLOW_HTTP", False)
if HTTPS and FEDERATION_ALLOW_HTTP:
    raise ImproperlyConfigured("FEDERATION_ALLOW_HTTP=1 is for test hosts only: production (HTTPS=1) "
                               "speaks to its peers over HTTPS. Remove the setting.")
#: This server's address as its peers reach it (base of each collective's actor and inbox).
FEDERATION_URL = env_str("FEDERATION_URL", SITE_URL).rstrip("/")
# Peers reach the inbox over plain HTTP only on loopback (the proxy speaks TLS elsewhere):
# the inbox itself refuses plain HTTP from anywhere else, so no redirect is needed there.
SECURE_REDIRECT_EXEMPT = [r"^federation/[-\w]+/(inbox|actor)$"]
#: How long a round waits for a peer's answer before leaving it out (seconds).
FEDERATION_DEADLINE_SECONDS = env_int("FEDERATION_DEADLINE_SECONDS", 120, minimum=1)
#: Hours between rounds (`federation round --due`, from cron or a timer, starts one when due).
FEDERATION_ROUND_HOURS = env_int("FEDERATION_ROUND_HOURS", 6, minimum=1)
#: The largest federation request or answer body accepted (bytes).
FEDERATION_MAX_BODY_BYTES = env_int("FEDERATION_MAX_BODY_BYTES", 8_000_000, minimum=10_000)
