"""The one settings module. Everything that differs between machines is read from the environment
through the strict readers of `zayavky.env`; a wrong value stops the start naming the variable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from zayavky.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ZAYAVKY_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
#: A developer's machine: a built-in secret key, and `zayavky demo` with its published passwords may run.
ZAYAVKY_INSECURE_DEV = env_bool("ZAYAVKY_INSECURE_DEV", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not ZAYAVKY_INSECURE_DEV:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: set SECRET_KEY (production) or DEBUG=1 / ZAYAVKY_INSECURE_DEV=1 (development)"
        )
    SECRET_KEY = "dev-only-insecure-key-zayavky"  # only reachable with DEBUG / ZAYAVKY_INSECURE_DEV
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves its Swagger UI from its own static files: no CDN
    "axes",  # login throttling and lockout; every success and failure logged
    "django_otp",
    "django_otp.plugins.otp_totp",  # the second factor: an authenticator app (TOTP)
    "django_otp.plugins.otp_static",  # one-time recovery codes when the phone is lost
    "csp",
    "zayavky.accounts",
    "zayavky.catalog",
    "zayavky.cases",
    "zayavky.contactcenter",
    "zayavky.documents",
    "zayavky.control",
    "zayavky.routing",
    "zayavky.api",
    "zayavky.web",
    "zayavky.demo",  # the top floor: it may import every other app; none imports it
]

MIDDLEWARE = [
    "zayavky.web.middleware.BodyLimitMiddleware",  # a body past the limit is refused before it is read
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zayavky.web.middleware.UkrainianFirstLocaleMiddleware",  # Ukrainian unless the person chose English
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor of this session
    "django.contrib.messages.middleware.MessageMiddleware",
    "zayavky.web.middleware.SessionGuardMiddleware",  # idle timeout, second factor, password change
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "zayavky.web.middleware.NoStoreMiddleware",  # pages and API answers hold personal data: never cached
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "zayavky.urls"
WSGI_APPLICATION = "zayavky.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zayavky" / "templates"],
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

# --- Database: DATABASE_URL, SQLite under var/ by default --------------------------------------------
_default_db = f"sqlite:///{VAR_DIR / 'zayavky.sqlite3'}"
_db_url = env_str("DATABASE_URL", _default_db)
try:
    _db = dj_database_url.parse(_db_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 0, minimum=0))
except Exception as exc:  # dj-database-url raises several kinds; the message must name the variable
    raise ImproperlyConfigured(f"DATABASE_URL={_db_url!r} is not a database URL I understand: {exc}") from None
if _db["ENGINE"] not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
    raise ImproperlyConfigured(f"DATABASE_URL: only sqlite:// and postgres:// are supported, got {_db['ENGINE']}")
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions serialise writers (SQLite has no SELECT ... FOR UPDATE); WAL lets readers go on.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    if _db["NAME"] and _db["NAME"] != ":memory:":
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"
# ASVS 2.1: at least 12 characters, not like the person's name, not a common one, not only digits.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: a locked-out person is refused before the password is even checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
#: Wrong passwords in a row (per user name and address) before the login is locked (ASVS 2.2.1).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
#: How long a lockout lasts, in minutes; an administrator can lift it sooner (Адміністрування → Axes).
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
# Per user name from one address: a guesser is stopped, and nobody elsewhere can lock a colleague out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure kept with the person, address and time
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_CALLABLE = "zayavky.accounts.security.login_username"
AXES_SENSITIVE_PARAMETERS = ["password", "old_password", "new_password1", "new_password2", "otp_token"]
# Behind a TLS proxy the client's address is the one the proxy says (one proxy in front of the app).
AXES_IPWARE_PROXY_COUNT = 1 if env_bool("BEHIND_TLS_PROXY", False) else None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if env_bool("BEHIND_TLS_PROXY", False) else ["REMOTE_ADDR"]
)
OTP_TOTP_ISSUER = "Zayavky"
OTP_LOGIN_URL = "accounts:second_factor"

# --- Language and time: Ukrainian first, Europe/Kyiv (docs/design.md 3) -------------------------------------
LANGUAGE_CODE = "uk"
LANGUAGES = [("uk", _("Ukrainian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "zayavky" / "locale"]
TIME_ZONE = "Europe/Kyiv"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise reads it at start; collectstatic fills it
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"  # never served directly: files go through an access check (cases.views)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG or ZAYAVKY_INSECURE_DEV  # `make run`: an edited stylesheet shows on reload
# Attachments: photos, PDFs, scans (2.5). Size limit per file, in megabytes.
ZAYAVKY_MAX_UPLOAD_MB = env_int("ZAYAVKY_MAX_UPLOAD_MB", 15, minimum=1)
# A form's or a JSON body's size without its files; a larger JSON body is answered 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Files larger than this go to a temporary file on disk as they arrive, not into a worker's memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
#: Files in one upload (ASVS 12.1): Django answers more with a 400 before reading them.
ZAYAVKY_MAX_UPLOAD_FILES = env_int("ZAYAVKY_MAX_UPLOAD_FILES", 10, minimum=1)
DATA_UPLOAD_MAX_NUMBER_FILES = ZAYAVKY_MAX_UPLOAD_FILES
#: The whole body of one request, files included: refused (413) from its Content-Length, before it is read.
ZAYAVKY_MAX_BODY_MB = env_int("ZAYAVKY_MAX_BODY_MB", 60, minimum=1)
# Answer letter (2.4–2.6): an administrator's own .docx template (empty: the shipped one), the PDF font (.ttf).
ZAYAVKY_LETTER_TEMPLATE = env_str("ZAYAVKY_LETTER_TEMPLATE", "")
ZAYAVKY_PDF_FONT = env_str("ZAYAVKY_PDF_FONT", "")

# --- Mail: the e-version of the answer to the general department's mailbox (2.7) -------------------------
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "zayavky@localhost")
# Send right after the commit; what fails stays in the outbox for `zayavky worker`.
ZAYAVKY_MAIL_INLINE = env_bool("ZAYAVKY_MAIL_INLINE", True)
if env_bool("EMAIL_TO_CONSOLE", DEBUG or ZAYAVKY_INSECURE_DEV):  # a developer's machine mails nobody
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Security in production (README: "Security") ----------------------------------------------------
SECURE_COOKIES = env_bool("SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    # "__Host-": the browser takes the cookie only over HTTPS, for this host alone, for the whole site.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    # HSTS: once a browser has been here over HTTPS it never comes over plain HTTP again.
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
#: A session ends at the latest after this many hours, however active (the idle timeout is the
#: administrator's, Адміністрування → Організація).
SESSION_COOKIE_AGE = env_int("SESSION_MAX_HOURS", 12, minimum=1) * 3600
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
X_FRAME_OPTIONS = "DENY"
# A form sent from a stale page (or another site) gets the Ukrainian 403 page, not Django's English one.
CSRF_FAILURE_VIEW = "zayavky.web.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Preloading HSTS is a promise made to the browsers' makers for the whole domain: the district's IT decides
# it (HSTS_PRELOAD=1), not this application; the check that asks for it is silenced only while it is off.
SILENCED_SYSTEM_CHECKS = [] if not SECURE_COOKIES or env_bool("HSTS_PRELOAD", False) else ["security.W021"]

# Content-Security-Policy (django-csp): only this site's own scripts, styles and images; no inline script
# except with the page's nonce; never framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],  # the registration card's own print styles carry the nonce
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},  # failures and lockouts; not its banner nor every success (kept in the database)
    },
}
