"""Settings for Ledarskapsportalen, read from the environment (and a local `.env`).

Environments differ only in variables; see `.env.example` and the README for the list.
"""

from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# Variables already in the environment win over the file.
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])

if not DEBUG:
    # Production refuses to start on a guessable key or an open host list.
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off."
        )
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must name the portal's host names when DEBUG is off."
        )
elif not SECRET_KEY:
    SECRET_KEY = "django-insecure-development-only-key-never-used-with-debug-off"  # noqa: S105

INSTALLED_APPS = [
    # Django's admin, on a site that refuses filters a list does not declare.
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    # django-axes and django-otp's plugins under Swedish names (portal/apps.py).
    "portal.apps.SignInProtectionConfig",
    "csp",
    "django_otp",
    "portal.apps.AuthenticatorAppsConfig",
    "portal.apps.RecoveryCodesConfig",
    "accounts",
    "notifications",
    "programme",
    "sessions.apps.TrainingSessionsConfig",
    "reflections",
    "evaluations",
    "network",
    "reminders",
    "reports",
    "privacy",
    "health",
    # Start pages, error pages, navigation, middleware and the admin site (on top).
    "portal",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # request.user.is_verified(): whether this session gave a two-step code (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # Coaches, HR and administrators signed in with a password give that code first.
    "portal.middleware.SecondStepMiddleware",
    "portal.middleware.SessionLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kungsor_ledarskap.urls"
WSGI_APPLICATION = "kungsor_ledarskap.wsgi.application"

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
                "django.template.context_processors.i18n",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# Database: PostgreSQL in production and tests; a SQLite file for the quick start.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django reads QuerySet.iterator() - and with it every ModelChoiceField's choices, the
    # <select>s of the forms - through a server-side cursor: DECLARE, FETCH and CLOSE, three
    # round trips where one SELECT does. The portal streams nothing large that way.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: wait for locks instead of failing, and
    # take the write lock at BEGIN so two writers never deadlock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses sign-in while a username and IP address are locked out.
    "axes.backends.AxesStandaloneBackend",
    # Single sign-on (accounts/sso.py); does nothing unless OIDC_RP_CLIENT_ID is set.
    "accounts.sso.MunicipalSignInBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2 for new and changed passwords; older hashes still work and are upgraded at sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Sign-in protection (django-axes): five failures for one username from one IP address lock
# that pair out for 15 minutes; the lock lifts by itself and every lockout is logged.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The 15 minutes count from the lockout: tries during it do not lengthen it, so nobody can
# keep someone else locked out by trying their address again and again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The sign-in form's field is "username" (it holds the email address).
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.username_for_lockout"  # one count whatever the case
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Only wrong passwords count towards a lockout, not refused single sign-ons (accounts/sso.py).
AXES_WHITELIST_CALLABLE = "accounts.sso.not_a_password_attempt"
# The client's address behind the TLS proxy (TRUSTED_PROXIES), as the security log sees it.
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.client_ip"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Single sign-on with the municipality's identity provider (OpenID Connect; accounts/sso.py).
# On when OIDC_RP_CLIENT_ID is set. People are matched by email address to the accounts HR
# imported; nobody is created. PASSWORD_SIGN_IN=false then leaves single sign-on only.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
# The provider's end_session_endpoint (Entra ID: https://login.microsoftonline.com/<tenant>/
# oauth2/v2.0/logout). When set, signing out of the portal after a single sign-on also ends the
# session at the provider (RP-initiated logout), coming back to the portal's sign-in page, which
# must be registered at the provider as a post-logout redirect URI: SITE_URL + /konto/logga-in/.
OIDC_OP_LOGOUT_ENDPOINT = env.str("OIDC_OP_LOGOUT_ENDPOINT", default="")
# The ID token is kept in the session (for the sign-out's id_token_hint) only when it is needed.
OIDC_STORE_ID_TOKEN = bool(OIDC_OP_LOGOUT_ENDPOINT)
OIDC_OP_LOGOUT_ORIGINS = (
    ["{0.scheme}://{0.netloc}".format(urlsplit(OIDC_OP_LOGOUT_ENDPOINT))]
    if OIDC_OP_LOGOUT_ENDPOINT
    else []
)
if OIDC_RP_CLIENT_ID and not all(
    (
        OIDC_RP_CLIENT_SECRET,
        OIDC_OP_AUTHORIZATION_ENDPOINT,
        OIDC_OP_TOKEN_ENDPOINT,
        OIDC_OP_USER_ENDPOINT,
        OIDC_OP_JWKS_ENDPOINT,
    )
):
    raise ImproperlyConfigured(
        "With OIDC_RP_CLIENT_ID set, OIDC_RP_CLIENT_SECRET and the provider's endpoints "
        "OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_USER_ENDPOINT and "
        "OIDC_OP_JWKS_ENDPOINT must be set too."
    )
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso-callback"
# The claim holding the person's email address (Entra ID: "email", or "preferred_username"
# where mail is not set on the accounts).
OIDC_EMAIL_CLAIM = env.str("OIDC_EMAIL_CLAIM", default="email")
# The button's words: "Logga in med <this>".
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="kommunens konto")
PASSWORD_SIGN_IN = env.bool("PASSWORD_SIGN_IN", default=True)

# Two-step verification (accounts/mfa.py): coaches, HR, staff and administrators who sign
# in with a password also give a code from an authenticator app (or a recovery code).
# Sign-in through the identity provider (SSO) relies on the provider's own MFA. On unless
# DEBUG is (the demo's accounts are shared and have no phones).
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "Ledarskapsportalen"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Language and time
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# Static files, served by whitenoise in every environment.
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email. Every message goes into the outbox (notifications app); a Celery task
# delivers it through NOTIFICATIONS_DELIVERY_BACKEND, configured by EMAIL_URL.
EMAIL_BACKEND = "notifications.backends.OutboxEmailBackend"
_email = env.email_url("EMAIL_URL", default="consolemail://")
NOTIFICATIONS_DELIVERY_BACKEND = _email["EMAIL_BACKEND"]
if NOTIFICATIONS_DELIVERY_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
    # The same, with a commit point before the end of DATA (see notifications/smtp.py).
    NOTIFICATIONS_DELIVERY_BACKEND = "notifications.smtp.EmailBackend"
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Ledarskapsportalen <ledarskap@kungsor.se>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=8)
# How long a queued send task may be missing (a broker restart loses queued tasks) before
# the sweeper queues the message again.
NOTIFICATIONS_LOST_TASK_SECONDS = env.int("NOTIFICATIONS_LOST_TASK_SECONDS", default=120)
# The portal's address, for links in emails sent without a request (reminders).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Reminders: on working days (no weekends, no Swedish public holidays), at this local time,
# and not after REMINDERS_SEND_UNTIL; what is due later waits for the next working day.
REMINDERS_SEND_TIME = env.str("REMINDERS_SEND_TIME", default="08:30")
REMINDERS_SEND_UNTIL = env.str("REMINDERS_SEND_UNTIL", default="17:00")
REMINDERS_SKIP_JULY = env.bool("REMINDERS_SKIP_JULY", default=False)
# An unanswered repetition step is reminded once, this many working days after it was sent.
REMINDERS_REPROMPT_AFTER_WORKING_DAYS = 2
REMINDERS_NUDGE_AFTER_DAYS = 14

# Celery. The default broker is kombu's filesystem transport: no server needed,
# and still a real worker process reading real messages.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_FOLDER = Path(env.str("CELERY_BROKER_FOLDER", default=str(VAR_DIR / "broker")))
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
else:
    # Longer than any countdown the portal uses (due times live in the database).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(
    Path(env.str("CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celerybeat-schedule")))
)
HEALTH_HEARTBEAT_MAX_AGE = env.int("HEALTH_HEARTBEAT_MAX_AGE", default=180)

# The cache holds HR's counted figures (reports.cache) and each training group's attendance
# figures (sessions.figures): counts and ids, nothing anyone wrote. In production CACHE_URL
# names a Redis database shared by every web and worker machine, so that a write in one
# process is seen by the others at once; without it each process keeps its own (the demo,
# the tests), and a change made in another process shows when its kept copy runs out.
CACHE_URL = env.str("CACHE_URL", default="")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "kungsor_ledarskap",
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured("CACHE_URL must be a redis:// or rediss:// address, or empty.")
# HR's figures are kept this long; beat counts the default view again every 5 minutes.
REPORTS_CACHE_SECONDS = env.int("REPORTS_CACHE_SECONDS", default=15 * 60)
if REPORTS_CACHE_SECONDS < 600:
    raise ImproperlyConfigured("REPORTS_CACHE_SECONDS must be at least 600 (twice beat's refresh).")

# `make bench` only: serves /_bench/golv/<bytes>/, a page of that size through the whole
# middleware stack, as the floor the portal's pages are measured against. Off everywhere else.
BENCH_FLOOR = env.bool("BENCH_FLOOR", default=False)

# Gallring: how many days each kind of data is kept before the nightly task deletes it
# (privacy/retention.py names the rules; docs/privacy.md lists them). Each can be set in the
# environment, e.g. RETENTION_OUTBOX_DAYS=180.
RETENTION_DAYS = {
    name: env.int(f"RETENTION_{name.upper()}_DAYS", default=days)
    for name, days in {
        "outbox": 90,
        "reminders": 365,
        "pauses": 365,
        "staff_imports": 365,
        "sick_leave_imports": 365,
        "admin_log": 730,
        "signin_log": 90,
        "lockouts": 1,
        "report_access": 1827,
        "sick_leave": 3653,
        "deactivated_people": 730,
        "deletion_records": 3653,
        # The free texts of session evaluations (the ratings stay as figures).
        "evaluation_texts": 1096,
        # The network groups' questions, from the thread's latest post.
        "network_questions": 730,
        # Managers' suggestions on the framework, from when they were sent or last answered.
        "framework_suggestions": 1096,
        # The network groups' meetings, from the end of each.
        "network_meetings": 730,
    }.items()
}

# Session evaluations (evaluations/): open from a session's end for this many days; a manager
# can change their answer until then.
EVALUATION_OPEN_DAYS = env.int("EVALUATION_OPEN_DAYS", default=14)
# Benefit surveys: one reminder this many days after the invitation, if still unanswered and
# the survey is still open. (Their free texts are kept as RETENTION_DAYS["evaluation_texts"].)
SURVEY_REMINDER_AFTER_DAYS = env.int("SURVEY_REMINDER_AFTER_DAYS", default=7)

# Security. Production values unless DEBUG is on; each can be set on its own.
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
# The proxies (addresses or networks) whose X-Forwarded-For names the client; a connection
# from anywhere else is the client itself, whatever header it sends. Loopback by default
# behind the TLS proxy (nginx on the same machine, docs/deploy.md); set the proxy's internal
# address when it is on another machine. accounts/client_address.py reads it for sign-in
# lockouts, the security log and gunicorn's access log.
TRUSTED_PROXIES = env.list(
    "TRUSTED_PROXIES", default=["127.0.0.1", "::1"] if BEHIND_TLS_PROXY else []
)
for _proxy in TRUSTED_PROXIES:
    try:
        ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network."
        ) from None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe the health endpoint over plain HTTP on the internal network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: forms, and the journal's autosave, send the form's token.
CSRF_COOKIE_HTTPONLY = True
# Over HTTPS the cookies carry the __Host- prefix: Secure, path /, never another domain's.
if SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
if CSRF_COOKIE_SECURE:
    CSRF_COOKIE_NAME = "__Host-csrftoken"
# Signed out after 30 minutes without a request (the journal saves drafts as one types, and
# every request starts the 30 minutes again), and after 12 hours whatever happens. Django's
# database sessions; a request restarts the 30 minutes by saving the session, which it does
# only when the last save is a minute old or more (portal.middleware.
# SessionLimitsMiddleware): not a write per request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content Security Policy: only the portal's own files; inline scripts only with the
# request's nonce (the portal has none today); nothing may frame the portal.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The sign-out form's answer may send the browser on to the identity provider.
        "form-action": [SELF, *OIDC_OP_LOGOUT_ORIGINS],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
X_FRAME_OPTIONS = "DENY"

# Logs go to standard output (systemd's journal, or the platform's log collector): one JSON
# object per line in production (LOG_FORMAT=json, the default when DEBUG is off), plain
# lines for a person reading a terminal (LOG_FORMAT=plain, the default with DEBUG on).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or plain.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        },
    },
    # No query string (search words, sign-in codes) and no secret path part (calendar feed,
    # unsubscribe, password reset, check-in) in a line about a request: Django's request
    # logger writes the path of every 4xx and 5xx, and the request itself as a JSON field.
    "filters": {"redact_requests": {"()": "portal.log_redaction.RedactRequests"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["redact_requests"],
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # runserver's request lines, through the same handler (Django's own prints them whole).
    "loggers": {"django.server": {"handlers": ["console"], "propagate": False}},
}

# Contact details shown in the footer and the accessibility statement.
MUNICIPALITY_CONTACT = {
    "name": "Kungsörs kommun",
    "phone": "0227-60 00 00",
    "email": "info@kungsor.se",
    "visiting_address": "Drottninggatan 34, 736 85 Kungsör",
    "postal_address": "Kungsörs kommun, 736 85 Kungsör",
    "organisation_number": "212000-2056",
}

# Calendar invitations: the domain in every event's UID (never change it once in use), and
# the organizer when a session has no coach.
CALENDAR_UID_DOMAIN = env.str("CALENDAR_UID_DOMAIN", default="ledarskap.kungsor.se")
CALENDAR_ORGANIZER_EMAIL = env.str("CALENDAR_ORGANIZER_EMAIL", default="ledarskap@kungsor.se")
