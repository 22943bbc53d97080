"""Settings for Självservice.

Every deployment knob comes from the environment through the typed helpers in
``sjalvservice.conf``; README.md documents each variable. ``MODE=production``
turns on the secure defaults and refuses to start while a secret is missing.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from sjalvservice.conf import Env, cache_from_url

env = Env()

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent

MODE = env.choice("MODE", "development", ("development", "production"))
PRODUCTION = MODE == "production"

DEBUG = env.boolean("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG cannot be on when MODE=production.")

SECRET_KEY = env.secret_key(
    "SECRET_KEY",
    default=None if PRODUCTION else "development-only-key-never-use-in-production-0123456789",
)

ALLOWED_HOSTS = env.strings(
    "ALLOWED_HOSTS",
    default=None if PRODUCTION else ["127.0.0.1", "localhost", ".localhost", "[::1]"],
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the portal's host names in production.")
CSRF_TRUSTED_ORIGINS = env.strings("CSRF_TRUSTED_ORIGINS")

# Where the embedded default keeps its database, uploaded files and collected static files.
DATA_DIR = Path(env.string("DATA_DIR", str(PROJECT_DIR / "var"))).resolve()

PORTAL_NAME = env.string("PORTAL_NAME", "Självservice")
SITE_URL = env.string("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # django.contrib.admin with the second-factor admin site (sjalvservice/admin.py).
    "sjalvservice.apps.SecondFactorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "sjalvservice.core",
    "sjalvservice.accounts",
    "sjalvservice.eid",
    "sjalvservice.eservices",
    "sjalvservice.notifications",
    "sjalvservice.reservations",
    "sjalvservice.cases",
    "sjalvservice.backoffice",
    "sjalvservice.api",
    # Last: the demo data and `sjalvservice run` may use every app; no app imports it.
    "sjalvservice.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # request.saml_session, for the federation login's pending requests (see SAML_SESSION_*).
    "djangosaml2.middleware.SamlSessionMiddleware",
    "sjalvservice.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sjalvservice.eid.middleware.SessionPolicyMiddleware",
    "sjalvservice.core.middleware.CitizenSideMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sjalvservice.core.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sjalvservice.urls"
WSGI_APPLICATION = "sjalvservice.wsgi.application"

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
                "sjalvservice.core.context_processors.portal",
                # After core's: in the back office its menu replaces the citizen menu.
                "sjalvservice.backoffice.context_processors.back_office",
            ],
        },
    },
]

# Database: SQLite in WAL mode by default, PostgreSQL through DATABASE_URL.
DATABASE_URL = env.string("DATABASE_URL", f"sqlite:///{DATA_DIR / 'sjalvservice.sqlite3'}")
try:
    _database = dj_database_url.parse(
        DATABASE_URL, conn_max_age=env.integer("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    )
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not understood: {error}") from None
if _database["ENGINE"] == "django.db.backends.sqlite3":
    if _database["NAME"] and _database["NAME"] != ":memory:":
        Path(_database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _database["CONN_MAX_AGE"] = 0
    _database["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; IMMEDIATE makes a
        # writer take the lock at BEGIN, so two writers wait instead of failing.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file too: an in-memory database shares one cache between threads and
    # answers "table is locked" instead of waiting, unlike the real embedded database.
    # One file per test run, so that two runs on one machine never share a database.
    _database["TEST"] = {"NAME": str(DATA_DIR / f"test-sjalvservice-{os.getpid()}.sqlite3")}
elif _database["ENGINE"] == "django.db.backends.postgresql":
    _database["CONN_HEALTH_CHECKS"] = True
    # The portal's queries are short index walks: JIT compiling them costs more than it
    # saves (about 300 ms on a query PostgreSQL guesses to be expensive).
    _database.setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": cache_from_url(env.string("CACHE_URL", "locmem://"))}

# Background work through the django-tasks API, stored in the database and run by db_worker.
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[env.choice("TASKS_BACKEND", "database", ("database", "immediate"))],
    }
}

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out username or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Staff login: after AXES_FAILURE_LIMIT failed attempts for one username from one address,
# further attempts are refused for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env.integer("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.integer("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "backoffice/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "sjalvservice.core.http.client_ip"
AXES_VERBOSE = False
# What django-axes stores of a failed attempt's form: never passwords nor one-time codes.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "code"]
# The issuer shown in authenticator apps for the staff second factor (TOTP).
OTP_TOTP_ISSUER = env.string("OTP_TOTP_ISSUER", "Självservice")

# Attachments to messages: the largest file accepted (checked while the upload streams in)
# and the file types accepted (checked by extension and by content).
ATTACHMENT_MAX_SIZE_MB = env.integer("ATTACHMENT_MAX_SIZE_MB", 50, minimum=1, maximum=2048)
ATTACHMENT_MAX_FILES = env.integer("ATTACHMENT_MAX_FILES", 10, minimum=1, maximum=50)
# Every upload goes to a temporary file on disk while it streams in, never to memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 0
# The e-legitimation methods the login page offers, in order (see sjalvservice.eid).
LOGIN_METHODS = env.strings("LOGIN_METHODS", default=["bankid"])
# How many e-ID logins one client address may start per minute.
LOGIN_START_LIMIT = env.integer("LOGIN_START_LIMIT", 10, minimum=1)
# How many calls one integration API client may make per minute (sjalvservice.api).
API_REQUESTS_PER_MINUTE = env.integer("API_REQUESTS_PER_MINUTE", 600, minimum=1)
# Seconds a webhook receiver has to answer; a webhook URL must be https unless this is off
# (the demo's case-management system on loopback).
WEBHOOK_TIMEOUT = env.integer("WEBHOOK_TIMEOUT", 10, minimum=1, maximum=60)
WEBHOOK_REQUIRE_HTTPS = env.boolean("WEBHOOK_REQUIRE_HTTPS", default=PRODUCTION)

# BankID Relying Party API v6.0 over mutual TLS. The client certificate and key are the
# relying party's (PEM); BANKID_CA_CERT pins the CA that BankID's server certificate
# must chain to. `sjalvservice run` in development points these at the local simulator.
BANKID_URL = env.optional_string("BANKID_URL")
BANKID_CLIENT_CERT = env.optional_string("BANKID_CLIENT_CERT")
BANKID_CLIENT_KEY = env.optional_string("BANKID_CLIENT_KEY")
BANKID_CA_CERT = env.optional_string("BANKID_CA_CERT")
BANKID_TIMEOUT = env.integer("BANKID_TIMEOUT", 10, minimum=1, maximum=60)
# Development only: "BankID på den här enheten" opens this test app instead of bankid:///.
BANKID_TEST_APP_URL = None if PRODUCTION else env.optional_string("BANKID_TEST_APP_URL")

# The region's identity federation (SAML2, the Sweden Connect profile), the login method
# "federation". The IdP's metadata comes from a file or an https URL and must be signed by
# the certificate in SAML_IDP_METADATA_CERT (the federation operator's, or the IdP's own).
SAML_IDP_METADATA = env.optional_string("SAML_IDP_METADATA")
SAML_IDP_METADATA_CERT = env.optional_string("SAML_IDP_METADATA_CERT")
# How often the metadata is fetched again, in minutes.
SAML_IDP_METADATA_REFRESH = env.integer("SAML_IDP_METADATA_REFRESH", 60, minimum=1) * 60
SAML_SP_ENTITY_ID = env.string("SAML_SP_ENTITY_ID", f"{SITE_URL}/saml/metadata/")
# The portal's own keys (PEM): one pair signs requests, the other decrypts assertions (the
# signing pair unless set). Development makes both in DATA_DIR/saml on first use.
SAML_SP_KEY = env.optional_string("SAML_SP_KEY")
SAML_SP_CERT = env.optional_string("SAML_SP_CERT")
SAML_SP_ENCRYPTION_KEY = env.optional_string("SAML_SP_ENCRYPTION_KEY") or SAML_SP_KEY
SAML_SP_ENCRYPTION_CERT = env.optional_string("SAML_SP_ENCRYPTION_CERT") or SAML_SP_CERT
if PRODUCTION and "federation" in LOGIN_METHODS and not (SAML_SP_KEY and SAML_SP_CERT):
    raise ImproperlyConfigured("The federation login needs SAML_SP_KEY and SAML_SP_CERT.")
# The button on "Logga in" and the line under it, in Swedish and English: the region's words.
SAML_LOGIN_LABEL = env.optional_string("SAML_LOGIN_LABEL")
SAML_LOGIN_LABEL_EN = env.optional_string("SAML_LOGIN_LABEL_EN")
SAML_LOGIN_DESCRIPTION = env.optional_string("SAML_LOGIN_DESCRIPTION")
SAML_LOGIN_DESCRIPTION_EN = env.optional_string("SAML_LOGIN_DESCRIPTION_EN")
# Who runs the portal, for the metadata the federation publishes.
SAML_ORGANISATION = env.string("SAML_ORGANISATION", PORTAL_NAME)
SAML_CONTACT_EMAIL = env.optional_string("SAML_CONTACT_EMAIL")
# A response must answer a request sent at most this many minutes ago.
SAML_REQUEST_MAX_AGE = env.integer("SAML_REQUEST_MAX_AGE", 10, minimum=1, maximum=60) * 60
# The IdP's answer comes back as a cross-site POST, which carries no SameSite=Lax cookie: the
# login's pending requests live in a session of their own whose cookie is SameSite=None,
# which browsers only accept on a Secure cookie (plain http in development: Lax).
SAML_SESSION_COOKIE_NAME = "sjs_saml"
SAML_SESSION_COOKIE_SAMESITE = "None" if env.boolean("SECURE_COOKIES", PRODUCTION) else "Lax"

# Bolagsverket's "Värdefulla datamängder" API, to look organisations up by number: the API
# base, its OAuth2 token endpoint and the client registered in Bolagsverket's developer
# portal. All four or none: unset means the lookup is off.
BOLAGSVERKET_URL = env.optional_string("BOLAGSVERKET_URL")
BOLAGSVERKET_TOKEN_URL = env.optional_string("BOLAGSVERKET_TOKEN_URL")
BOLAGSVERKET_CLIENT_ID = env.optional_string("BOLAGSVERKET_CLIENT_ID")
BOLAGSVERKET_CLIENT_SECRET = env.optional_string("BOLAGSVERKET_CLIENT_SECRET")
_bolagsverket = (
    BOLAGSVERKET_URL, BOLAGSVERKET_TOKEN_URL, BOLAGSVERKET_CLIENT_ID, BOLAGSVERKET_CLIENT_SECRET,
)  # fmt: skip
if any(_bolagsverket) and not all(_bolagsverket):
    raise ImproperlyConfigured(
        "Set all of BOLAGSVERKET_URL, BOLAGSVERKET_TOKEN_URL, BOLAGSVERKET_CLIENT_ID and "
        "BOLAGSVERKET_CLIENT_SECRET, or none of them (the organisation lookup is then off)."
    )
BOLAGSVERKET_TIMEOUT = env.integer("BOLAGSVERKET_TIMEOUT", 5, minimum=1, maximum=60)
LOGIN_URL = "eid:login"
LOGIN_REDIRECT_URL = "cases:my_pages"
LOGOUT_REDIRECT_URL = "eid:logged_out"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end when the browser closes, after SESSION_IDLE_TIMEOUT minutes without
# activity, and at the latest SESSION_MAX_AGE minutes after login.
SESSION_ENGINE = {
    "database": "django.contrib.sessions.backends.db",
    "cache": "django.contrib.sessions.backends.cache",
    "cached_database": "django.contrib.sessions.backends.cached_db",
}[env.choice("SESSION_STORE", "database", ("database", "cache", "cached_database"))]
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_TIMEOUT = env.integer("SESSION_IDLE_TIMEOUT", 30, minimum=3, maximum=24 * 60) * 60
SESSION_COOKIE_AGE = env.integer("SESSION_MAX_AGE", 8 * 60, minimum=5, maximum=7 * 24 * 60) * 60
if SESSION_COOKIE_AGE < SESSION_IDLE_TIMEOUT:
    raise ImproperlyConfigured("SESSION_MAX_AGE cannot be shorter than SESSION_IDLE_TIMEOUT.")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "sjalvservice.core.errors.csrf_failure"

# Transport security: on by default in production, each one can be turned off
# behind a terminating proxy that already does it.
SESSION_COOKIE_SECURE = env.boolean("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.boolean("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env.boolean("SECURE_HSTS_PRELOAD", default=PRODUCTION)
if env.boolean("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The Content-Security-Policy (core.middleware.SecurityHeadersMiddleware): report-only
# to try a stricter one on a live site first, and where browsers send their reports.
CSP_REPORT_ONLY = env.boolean("CSP_REPORT_ONLY", default=False)
CSP_REPORT_URI = env.optional_string("CSP_REPORT_URI")
# The number of reverse proxies in front of the portal whose X-Forwarded-For
# entries are trusted when finding the client's address (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.integer("TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=5)

# Internationalisation: Swedish first, English second. Message ids are Swedish.
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LANGUAGE_CODE = env.choice("LANGUAGE_CODE", "sv", tuple(code for code, _name in LANGUAGES))
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.string("TIME_ZONE", "Europe/Stockholm")
USE_I18N = True
USE_TZ = True

# Static files through whitenoise; uploaded files in STORAGES["default"].
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = Path(env.string("MEDIA_ROOT", str(DATA_DIR / "media"))).resolve()
STORAGES = {
    "default": {
        "BACKEND": env.string("FILE_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env.json_object("FILE_STORAGE_OPTIONS"),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
WHITENOISE_USE_FINDERS = DEBUG
if DEBUG:
    # In production collectstatic fills STATIC_ROOT; in development whitenoise
    # serves from the apps' folders but still expects the root to exist.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# E-mail: printed to the console in development, SMTP in production.
EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}[env.choice("EMAIL_BACKEND", "smtp" if PRODUCTION else "console", ("console", "smtp"))]
EMAIL_HOST = env.string("EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env.string("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.string("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.boolean("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set at most one of EMAIL_USE_TLS and EMAIL_USE_SSL.")
EMAIL_TIMEOUT = env.integer("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "Självservice <noreply@localhost>")
# How long the link that confirms a new e-mail address on Mina uppgifter works, in seconds.
EMAIL_CONFIRMATION_MAX_AGE = env.integer(
    "EMAIL_CONFIRMATION_MAX_AGE", 3 * 86400, minimum=3600, maximum=30 * 86400
)
SERVER_EMAIL = env.string("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [("Drift", address) for address in env.strings("ADMINS")]

# Notices (the notifications app): e-mail through EMAIL_BACKEND, SMS through SMS_BACKEND,
# both delivered from the outbox by the worker.
NOTIFICATION_FROM_EMAIL = env.string("NOTIFICATION_FROM_EMAIL", DEFAULT_FROM_EMAIL)
NOTIFICATION_REPLY_TO = env.string("NOTIFICATION_REPLY_TO", "")
# The List-Unsubscribe header ("<https://...>" or "<mailto:...>"); by default the page
# where the person chooses their notices.
NOTIFICATION_LIST_UNSUBSCRIBE = env.string("NOTIFICATION_LIST_UNSUBSCRIBE", "")
NOTIFICATION_MESSAGE_ID_DOMAIN = env.string(
    "NOTIFICATION_MESSAGE_ID_DOMAIN", urlsplit(SITE_URL).hostname or "localhost"
)
# A worker holds a delivery this long (seconds); one that dies holding it is taken up
# again by `sjalvservice tick` once the lease has run out.
NOTIFICATION_LEASE = env.integer(
    "NOTIFICATION_LEASE", max(60, 3 * EMAIL_TIMEOUT), minimum=1, maximum=3600
)
NOTIFICATION_MAX_ATTEMPTS = env.integer("NOTIFICATION_MAX_ATTEMPTS", 8, minimum=1, maximum=50)
# Retries wait NOTIFICATION_RETRY_BASE * 2^(attempt - 1) seconds, at most
# NOTIFICATION_RETRY_MAX, less a random part of up to half.
NOTIFICATION_RETRY_BASE = env.integer("NOTIFICATION_RETRY_BASE", 30, minimum=1)
NOTIFICATION_RETRY_MAX = env.integer("NOTIFICATION_RETRY_MAX", 3600, minimum=1)
# How many stale deliveries one tick hands to the worker.
NOTIFICATION_TICK_BATCH = env.integer("NOTIFICATION_TICK_BATCH", 1000, minimum=1)
TASK_RESULT_RETENTION_DAYS = env.integer("TASK_RESULT_RETENTION_DAYS", 7, minimum=1)

# Drafts ("påbörjade ärenden"): how many one person, or one browser without login, may
# have at once; a draft without login is deleted ANONYMOUS_DRAFT_HOURS after it was last
# saved, a person's after DRAFT_RETENTION_DAYS, of which they are told
# DRAFT_EXPIRY_NOTICE_DAYS before (see cases.drafts).
DRAFT_LIMIT_PER_PERSON = env.integer("DRAFT_LIMIT_PER_PERSON", 50, minimum=1)
DRAFT_LIMIT_PER_SESSION = env.integer("DRAFT_LIMIT_PER_SESSION", 5, minimum=1)
# How many drafts without login one client address may start per minute (fresh sessions
# do not get round the limit above).
DRAFT_START_LIMIT = env.integer("DRAFT_START_LIMIT", 10, minimum=1)
ANONYMOUS_DRAFT_HOURS = env.integer("ANONYMOUS_DRAFT_HOURS", 24, minimum=1)
DRAFT_RETENTION_DAYS = env.integer("DRAFT_RETENTION_DAYS", 180, minimum=2)
DRAFT_EXPIRY_NOTICE_DAYS = env.integer("DRAFT_EXPIRY_NOTICE_DAYS", 14, minimum=1)
# Gallring: how many closed cases, and how many expired drafts, one tick removes at most.
RETENTION_TICK_BATCH = env.integer("RETENTION_TICK_BATCH", 200, minimum=1)

# SMS: a 46elks-style gateway ("46elks"), "console" (only logs that one was sent) or "off"
# (no SMS notices at all). Production sends through the gateway once it is configured.
SMS_BACKEND = env.choice(
    "SMS_BACKEND",
    ("46elks" if os.environ.get("SMS_USERNAME") else "off") if PRODUCTION else "console",
    ("46elks", "console", "off"),
)
SMS_URL = env.string("SMS_URL", "https://api.46elks.com/a1").rstrip("/")
SMS_USERNAME = env.string("SMS_USERNAME", "", required=PRODUCTION and SMS_BACKEND == "46elks")
SMS_PASSWORD = env.string("SMS_PASSWORD", "", required=PRODUCTION and SMS_BACKEND == "46elks")
# The sender shown on the phone: up to 11 letters and digits, starting with a letter.
SMS_SENDER = env.string("SMS_SENDER", "Kommunen")
if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,10}|\+[0-9]{8,15}", SMS_SENDER):
    raise ImproperlyConfigured(
        "SMS_SENDER must be 1-11 letters and digits starting with a letter, or an E.164 number."
    )
SMS_TIMEOUT = env.integer("SMS_TIMEOUT", 10, minimum=1, maximum=120)
# The gateway is asked not to keep the texts (46elks' dontlog=message) unless this is set;
# the demo sets it so that its SMS page shows them.
SMS_GATEWAY_KEEPS_TEXT = env.boolean("SMS_GATEWAY_KEEPS_TEXT", default=False)

LOG_LEVEL = env.choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Request bodies can hold personal data; Django's request logger never logs them,
        # but its DEBUG level is noisy.
        "django": {"level": "INFO" if LOG_LEVEL == "DEBUG" else LOG_LEVEL},
        # httpx logs every request line at INFO; our own log says what matters.
        "httpx": {"level": "WARNING"},
        # django-axes logs every staff login and logout at INFO; lockouts are WARNING.
        "axes": {"level": "WARNING"},
        # WeasyPrint reports each step of every PDF at INFO.
        "weasyprint.progress": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        # pysaml2 logs whole decrypted assertions (personal identity numbers) when it refuses
        # one; the federation login logs its own one-line reason instead.
        "saml2": {"level": "CRITICAL"},
        "djangosaml2": {"level": "CRITICAL"},
        # pysaml2's schema library reports each schema it loads at INFO.
        "xmlschema": {"level": "WARNING"},
    },
}
