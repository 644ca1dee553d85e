"""Bridges settings: one file, every deployment difference read from the environment.

Development (`make run`, `make test`) sets DJANGO_DEBUG=1 and needs nothing else. Production
leaves debug off, which makes SECRET_KEY and ALLOWED_HOSTS required and turns on HTTPS-only
cookies, HSTS and the SSL redirect. The README lists every variable.
"""

import base64
import hashlib
from pathlib import Path

from csp.constants import NONE, SELF
from django.contrib.messages import constants as message_constants
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_str,
    env_url,
    redis_neighbour,
    strong_secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(for development, set DJANGO_DEBUG=1 or use `make run`)."
        )
    SECRET_KEY = "django-insecure-development-only"  # noqa: S105 (debug only)
elif not DEBUG and not strong_secret_key(SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: it needs at least 50 characters, at least 5 "
        "different ones, and no 'django-insecure-' prefix (for example the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=[])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must list the site's host names when DJANGO_DEBUG is off."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
# Where links in emails point (reminders' one-click links).
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", schemes=("http", "https")).rstrip("/")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "config.apps.BridgesAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "allauth",
    "allauth.account",
    "accounts",
    "applications",
    "messaging",
    "agencies",
    "dataio",
    "inbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything below, so it sees each page's final response (config/middleware.py).
    "config.middleware.PrivateCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.RefuseNulBytesMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ADMIN_URL = env_str("DJANGO_ADMIN_URL", "backoffice/").strip("/") + "/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # `one_line` for what users typed in the plain-text emails (config/plain_text.py).
            "libraries": {"plain_text": "config.plain_text"},
        },
    },
    {
        # The hot fragments only (config/jinja2.py says why); they live in templates/jinja2/.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "config.jinja2.environment",
            "context_processors": ["config.jinja2.csrf_once"],
        },
    },
]

# --- Request bodies ----------------------------------------------------------------------

# The largest body Django reads at all (the CSV import takes files up to 5 MB; between that and
# this cap the import form explains the limit). Larger requests are refused before their body
# is read (config/uploads.py), as the reverse proxy does even earlier (docs/deployment.md).
MAX_REQUEST_BYTES = 10 * 1024 * 1024
# Form fields (not files) of one request, e.g. a pasted job posting.
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
# Uploads up to this size stay in memory; larger ones go to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "config.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Data stores -------------------------------------------------------------------------

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'bridges.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The site's queries are short. PostgreSQL's JIT compiler, which the cost estimate of a
    # query over a large table turns on, spends more compiling than it saves (0.3-0.7 s a
    # request on the recruiter's lists of 100,000 applications). A URL's own options win.
    server = "-c jit=off"
    # The hot pages' queries (PreparedQuery, config/views_common.py) are prepared statements,
    # planned once a connection: psycopg prepares a server-bound query once it has run this
    # many times (0: at once), and Django's own queries, bound on the client, never. A pooler
    # in transaction mode must keep them (PgBouncer 1.21+ with max_prepared_statements);
    # DATABASE_PREPARED_STATEMENTS=0 turns them off (docs/operations.md).
    if env_bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 0)
        # Each is planned once, generically (its constants written in, only its values left
        # as parameters): left to choose, PostgreSQL planned those with a time or a count
        # afresh at every call, 0.1-0.4 ms each, the navigation's badges on every page.
        server += " -c plan_cache_mode=force_generic_plan"
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", server)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", "redis://127.0.0.1:6379/0", schemes=("redis", "rediss", "unix"))

# Rate limits (login throttling) live in the cache, so every web process must share it:
# production uses Redis (the database after the broker's), falling back to a table in
# PostgreSQL while Redis is away (config/cache.py); one development server can keep it in
# memory.
CACHE_URL = env_url(
    "CACHE_URL",
    "locmem://" if DEBUG else redis_neighbour(REDIS_URL),
    schemes=("locmem", "redis", "rediss"),
)
if CACHE_URL.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {"default": {"BACKEND": "config.cache.FailoverCache", "LOCATION": CACHE_URL}}

# --- Celery (read by config/celery.py through the CELERY_ namespace) ---------------------

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 24 * 60 * 60
# No task's caller reads its result (the work it does is recorded in the database); keeping
# none also spares each publish a round trip to the result store. The health check keeps its.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
# A task is acknowledged only after it ran, and re-queued if its worker dies mid-task:
# every task must therefore be safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing a task gives up within about two seconds when the broker is away, instead of
# kombu's default retries (about 20 s, a request held the whole time): the work is already
# recorded and its sweep picks it up (config/queueing.py).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
# Reminder delivery (messaging/reminders.py): how long a delivery holds its outbox row, and
# after how long without progress a row is taken to have lost its task and is queued again.
REMINDER_LEASE_SECONDS = env_int("REMINDER_LEASE_SECONDS", 120, minimum=1)
REMINDER_STALE_SECONDS = env_int("REMINDER_STALE_SECONDS", 120, minimum=1)
CELERY_BEAT_SCHEDULE = {
    # Claims due reminders and queues their delivery (messaging/reminders.py); safe to overlap.
    "sweep-reminders": {"task": "messaging.sweep_reminders", "schedule": 60.0},
    # Queues a poll of each connected mailbox that is due (inbox/polling.py); safe to overlap.
    "poll-mailboxes": {"task": "inbox.poll_mailboxes", "schedule": 60.0},
    # Queues again the CSV imports that lost their task (dataio/services.py); safe to overlap.
    "sweep-imports": {"task": "dataio.sweep_imports", "schedule": 60.0},
    # Queues again the recruiters' nudges, consent reminders and digests that lost their task.
    "sweep-nudges": {"task": "agencies.sweep_nudges", "schedule": 120.0},
    # Emails candidates whose sharing lapses within 14 days and records the lapses that came
    # (agencies/consent.py); a lapsed consent hides the pipeline at once without it.
    "sweep-consent": {"task": "agencies.sweep_consent", "schedule": 600.0},
    # Each recruiter's digest at 08:00 their time (or by noon, if beat was down), once a day
    # (agencies/digest.py).
    "recruiter-digests": {"task": "agencies.send_digests", "schedule": 300.0},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
if CELERY_BROKER_URL == "filesystem://":
    # The embedded broker `make run` falls back to when no Redis answers.
    _broker_dir = str(VAR_DIR / "celery-broker")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": _broker_dir,
        "data_folder_out": _broker_dir,
        "control_folder": str(VAR_DIR / "celery-control"),
        "store_processed": False,
    }
else:
    # With acks_late on Redis, an unacknowledged task is redelivered after this long.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 60 * 60,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }

# --- Inbox (inbox/: answers found in a connected mailbox; docs/inbox.md) ----------------

# Fernet keys for the stored app passwords, newest first: the first encrypts, all decrypt.
# Without any, mailboxes cannot be connected; development derives one from SECRET_KEY.
INBOX_ENCRYPTION_KEYS = env_list("INBOX_ENCRYPTION_KEYS", default=[])
if DEBUG and not INBOX_ENCRYPTION_KEYS:
    _digest = hashlib.sha256(f"bridges-inbox-development:{SECRET_KEY}".encode()).digest()
    INBOX_ENCRYPTION_KEYS = [base64.urlsafe_b64encode(_digest).decode()]
# How often each mailbox is read, at most how many messages a poll reads, how long a poll
# holds its mailbox (longer than a poll may run), and how long one IMAP step may take.
INBOX_POLL_SECONDS = env_int("INBOX_POLL_SECONDS", 600, minimum=60)
INBOX_MAX_MESSAGES_PER_POLL = env_int("INBOX_MAX_MESSAGES_PER_POLL", 200, minimum=1)
INBOX_POLL_LEASE_SECONDS = env_int("INBOX_POLL_LEASE_SECONDS", 300, minimum=30)
INBOX_IMAP_TIMEOUT_SECONDS = env_int("INBOX_IMAP_TIMEOUT_SECONDS", 20, minimum=1)
# A mail server on this machine (loopback) may be used without TLS or certificate checks:
# development and the tests do; production refuses it. Private-network addresses are
# refused unless allowed (TLS and certificate checks still apply to them).
INBOX_ALLOW_LOOPBACK = env_bool("INBOX_ALLOW_LOOPBACK", default=DEBUG)
INBOX_ALLOW_PRIVATE_NETWORKS = env_bool("INBOX_ALLOW_PRIVATE_NETWORKS", default=False)

# --- Accounts ----------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth's wording as the site's ("Log in", headings in sentence case): locale/en/.
LOCALE_PATHS = [BASE_DIR / "locale"]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Reminders go by email, so an address must be proven before use; and with verification
# mandatory, signing up with a taken address reveals nothing (the owner is emailed instead).
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Confirming the address logs in the browser that signed up (allauth keeps that signup's
# pending login in its session, for ACCOUNT_LOGIN_TIMEOUT: a day, not its 15 minutes, so a
# link opened later still logs in). Another browser is told to log in (accounts/adapter.py).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_TIMEOUT = 24 * 60 * 60
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Bridges] "
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.forms.SignupForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
}
# A one-time code emailed on request, typed on the site, logs in without the password: the
# owner's way in while a stranger's failures keep the account locked on a new browser.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
# Failed logins: at most 10 a minute from one IP address, and 5 per account in 5 minutes.
# The lock lifts when the window passes or at once on a password reset, a browser that has
# logged in to the account before keeps its own count (accounts/devices.py), and a sign-in
# code gets in regardless: failing on purpose cannot keep the owner out.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    # Password reset requests from one IP address (over it: allauth's "too many requests"
    # page); per address, accounts.forms.ResetPasswordForm sends at most 3 an hour, known
    # address or not, and answers the same when it sends nothing.
    "reset_password": "5/5m/ip,20/h/ip",
    "reset_password_email": "3/h/key",
    # Sign-in codes emailed: a few per address, so nobody can flood an inbox with them.
    "request_login_code": "10/10m/ip,30/h/ip,3/15m/key",
    # Messages Bridges emails on a user's behalf (messaging/views.py): a human pace.
    "send_message": "30/h/user,100/d/user",
    # Invitation codes tried: a script guessing codes gets nowhere fast.
    "join_agency": "10/10m/user,30/10m/ip",
    # Links to job postings that Bridges fetches for a user (applications/postings/).
    "read_posting": "30/h/user,200/d/user",
}
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- Email -------------------------------------------------------------------------------

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Bridges <noreply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Internationalisation ----------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_TAGS = {message_constants.ERROR: "danger"}

# --- Security ----------------------------------------------------------------------------

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# htmx sends the token from the page (base.html), so scripts never need the cookie.
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if ALLAUTH_TRUSTED_PROXY_COUNT:
    # Only behind a proxy that sets this header itself; otherwise a client could forge it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The job posting reader never fetches from this machine itself; only the test suite, whose
# job boards run on loopback, turns this on (a system check refuses it with debug off).
POSTINGS_ALLOW_LOOPBACK = False

# Everything the pages use is served from this origin; nothing inline, nothing from a CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws form controls' arrows and checks with data: SVGs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "INFO", choices=_LOG_LEVELS),
    },
}
