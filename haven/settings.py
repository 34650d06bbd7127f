"""Django settings for Haven.

Configuration comes from the environment (twelve-factor):

- ``DATABASE_URL``: defaults to the embedded SQLite database ``var/haven.sqlite3`` (WAL mode).
  PostgreSQL in production: ``postgres://user@host:5432/haven``.
- ``HAVEN_SECRET_KEY``: required when ``HAVEN_DEBUG`` is off.
- ``HAVEN_DEBUG``: ``1`` for development (the default for ``make run``).
- ``HAVEN_ALLOWED_HOSTS``: comma-separated.
- ``HAVEN_SESSION_IDLE_MINUTES``: inactivity timeout (default 30).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("HAVEN_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("HAVEN_DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("HAVEN_SECRET_KEY") or (
    "haven-development-only-key-never-use-in-production" if DEBUG else None
)
if not SECRET_KEY:
    raise RuntimeError("HAVEN_SECRET_KEY must be set when HAVEN_DEBUG is off")
ALLOWED_HOSTS = os.environ.get("HAVEN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "haven.core",
    "haven.accounts",
    "haven.audit",
    "haven.people",
    "haven.chronology",
    "haven.front_door",
    "haven.assessments",
    "haven.protection",
    "haven.plans",
    "haven.recording",
    "haven.looked_after",
    "haven.care_planning",
    "haven.health",
    "haven.education",
    "haven.missing",
    "haven.permanence",
    "haven.care_leavers",
    "haven.kpis",
    # Last: its ready() connects the deadline signals for every rule the apps above registered.
    "haven.work",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "haven.accounts.middleware.SignInRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "haven.urls"
WSGI_APPLICATION = "haven.wsgi.application"

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
                "haven.core.context_processors.haven",
            ],
            "builtins": ["haven.core.templatetags.govuk"],
        },
    }
]
FORM_RENDERER = "haven.core.forms.renderers.GovukFormRenderer"

# --- Database -------------------------------------------------------------------------------
_DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'haven.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        _DATABASE_URL,
        # Persistent connections on PostgreSQL (a new one costs ~20 ms a request), checked
        # before reuse; SQLite connections are cheap and per thread.
        conn_max_age=int(os.environ.get("HAVEN_CONN_MAX_AGE", "0" if _DATABASE_URL.startswith("sqlite") else "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and one writer work at once; IMMEDIATE takes the write lock at the
        # start of a transaction so optimistic version checks are serialised.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=5000; PRAGMA cache_size=-64000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("HAVEN_TEST_SQLITE") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Lockout after repeated failures (django-axes): by username, so an attacker cannot spread
# guesses over addresses; a system administrator can unlock early (`haven axes_reset_username`).
AXES_FAILURE_LIMIT = int(os.environ.get("HAVEN_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("HAVEN_LOCKOUT_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "haven.accounts.views.locked_out"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Haven"

# Sessions end after inactivity: every request renews the cookie, idle ones expire.
SESSION_COOKIE_AGE = int(os.environ.get("HAVEN_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# Behind a reverse proxy that ends TLS: HAVEN_BEHIND_TLS_PROXY=1 and HAVEN_CSRF_TRUSTED_ORIGINS.
if os.environ.get("HAVEN_BEHIND_TLS_PROXY") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("HAVEN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
if not DEBUG:
    SECURE_HSTS_SECONDS = int(os.environ.get("HAVEN_HSTS_SECONDS", "31536000"))
    SECURE_SSL_REDIRECT = os.environ.get("HAVEN_SSL_REDIRECT", "1") == "1"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "j F Y, H:i"

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True

# --- History --------------------------------------------------------------------------------
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Haven ----------------------------------------------------------------------------------
HAVEN_SERVICE_NAME = "Haven"
HAVEN_BREAK_GLASS_MINUTES = int(os.environ.get("HAVEN_BREAK_GLASS_MINUTES", "60"))
# A stored KPI run whose period includes the day it was computed is out of date after this long
# (a clock running when it was computed may have run out since): haven.kpis.store.
HAVEN_KPI_LIVE_MINUTES = int(os.environ.get("HAVEN_KPI_LIVE_MINUTES", "60"))
HAVEN_DEMO = os.environ.get("HAVEN_DEMO", "1" if DEBUG else "0") == "1"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"axes": {"handlers": ["console"], "level": "WARNING"}},
}


# Accounts are locked by username (AXES_LOCKOUT_PARAMETERS), not by address: council offices sit
# behind shared addresses, and an address lock would lock out a whole office. See docs/adr/0004.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
