"""Django settings for Dhakira.

Configuration comes from the environment through strict parsers: a bad value stops start-up
with a message naming the variable. No secret is read from the environment: the vault's data
key arrives at run time from the unlock step (``dhakira serve`` prompts for a passphrase).

Settings (each documented in docs/settings.md):
    DHAKIRA_VAULT: the vault directory (key slots, blobs, and ``dossier.db`` when embedded).
    DHAKIRA_DATABASE_URL: ``postgresql://user@host:port/name`` selects the server backend.
    DHAKIRA_DEBUG: ``1`` for Django's debug pages (never on a field device).
    DHAKIRA_ALLOWED_HOSTS: comma-separated host names the server answers to.
    DHAKIRA_IDLE_LOCK_SECONDS: seconds of inactivity before the screen locks (default 300).
    DHAKIRA_PERISHABLE_DAYS: days a closed protection case keeps its perishable details (30).
    DHAKIRA_UPLOAD_MAX_MB: the most one web upload request may carry, in MiB (256);
        the server refuses any request body larger than this plus 4 MiB.
    DHAKIRA_SPOOL_MEMORY_MB: MiB of one file intake holds in memory before spilling it,
        encrypted, to the vault's ``tmp/`` (64).
    DHAKIRA_ACCOUNT_SETTLING_HOURS: hours a new or changed account waits before it may approve
        as the second person of a two-person rule (24).
    DHAKIRA_HTTPS: ``1`` when browsers reach the app over HTTPS (a TLS proxy in front, or
        ``dhakira serve`` with a certificate, which sets it): cookies are then ``Secure`` and
        HSTS is sent.
    DHAKIRA_BRIEF_STAFF: how a legal brief names staff: ``role`` (default, "a legal
        officer"), ``id`` (role and pseudonymous staff id) or ``name`` (role and user name).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from dhakira.core.vault.keyslots import fast_argon2_allowed

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "")
    if value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def database_from_url(url: str) -> dict:
    """Parse ``postgresql://user:password@host:port/name`` into a Django DATABASES entry."""
    parts = urlparse(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured("DHAKIRA_DATABASE_URL must start with postgresql://")
    return {
        "ENGINE": "dhakira.apps.vault.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "TEST": {"NAME": "test_" + unquote(parts.path.lstrip("/"))},
    }


VAULT_DIR = Path(os.environ.get("DHAKIRA_VAULT", "vault")).resolve()
DEBUG = env_bool("DHAKIRA_DEBUG")
# Sessions do not outlive the process: a restart (or a lock) logs everyone out.
SECRET_KEY = secrets.token_urlsafe(50)
ALLOWED_HOSTS = [h for h in os.environ.get("DHAKIRA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
IDLE_LOCK_SECONDS = env_int("DHAKIRA_IDLE_LOCK_SECONDS", 300)
PERISHABLE_DAYS = env_int("DHAKIRA_PERISHABLE_DAYS", 30)
ACCOUNT_SETTLING_HOURS = env_int("DHAKIRA_ACCOUNT_SETTLING_HOURS", 24)

# No plaintext on disk during intake: uploads stream into an encrypted spool (memory, then
# ciphertext in the vault's tmp/) instead of Django's /tmp/*.upload files, up to a hard cap.
UPLOAD_MAX_BYTES = env_int("DHAKIRA_UPLOAD_MAX_MB", 256) * 1024 * 1024
SPOOL_MEMORY_BYTES = env_int("DHAKIRA_SPOOL_MEMORY_MB", 64) * 1024 * 1024
if UPLOAD_MAX_BYTES <= 0 or SPOOL_MEMORY_BYTES < 0:
    raise ImproperlyConfigured("DHAKIRA_UPLOAD_MAX_MB must be 1 or more and "
                               "DHAKIRA_SPOOL_MEMORY_MB 0 or more")
FILE_UPLOAD_HANDLERS = ["dhakira.apps.web.uploads.EncryptedUploadHandler"]
# Unused by that handler; should Django's own ever come back, the memory one keeps every file
# up to the cap and never hands it to the one that writes /tmp/*.upload.
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields other than files (Django's default)
# The server holds a request body in memory (never spooled to disk): the upload cap plus room
# for the form's other fields is the largest body it accepts.
MAX_REQUEST_BYTES = UPLOAD_MAX_BYTES + 4 * 1024 * 1024
HTTPS = env_bool("DHAKIRA_HTTPS")
# A brief goes to courts and investigators: staff are named by role unless the organisation
# chooses to show their staff id or user name.
BRIEF_STAFF = os.environ.get("DHAKIRA_BRIEF_STAFF", "role").strip() or "role"
if BRIEF_STAFF not in ("role", "id", "name"):
    raise ImproperlyConfigured("DHAKIRA_BRIEF_STAFF must be role, id or name")

if os.environ.get("DHAKIRA_DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DHAKIRA_DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "dhakira.apps.vault.sqlcipher",
            "NAME": str(VAULT_DIR / "dossier.db"),
            "TEST": {"NAME": str(VAULT_DIR / "test-dossier.db")},
        }
    }

# No django.contrib.admin: it let one administrator reset another user's password and act
# as them. Accounts change only through dhakira.apps.dossier.accounts, each change in custody.
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "dhakira.apps.web",
    "dhakira.apps.dossier",
    "dhakira.apps.custody",
    "dhakira.apps.law",
    "dhakira.apps.evidence",
    "dhakira.apps.search",
    "dhakira.apps.faces",
    "dhakira.apps.protection",
    "dhakira.apps.handover",
    "dhakira.apps.counting",
    "dhakira.apps.linkage",
    "dhakira.apps.fieldkit",
    "dhakira.apps.vetting",
    "dhakira.apps.importing",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "dhakira.apps.twofactor",
]

MIDDLEWARE = [
    "dhakira.apps.web.middleware.SecurityHeadersMiddleware",
    "dhakira.apps.web.bidi_guard.BidiOutputMiddleware",
    "dhakira.apps.web.middleware.VaultLockedMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dhakira.apps.web.middleware.RememberProfileMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "dhakira.apps.web.middleware.IdleSessionMiddleware",
    "dhakira.apps.twofactor.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dhakira.apps.web.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "dhakira.apps.web.urls"
# Django's widget templates, the select, choice and input widgets written in Python for speed
# (dhakira.apps.web.renderers).
FORM_RENDERER = "dhakira.apps.web.renderers.FormRenderer"
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
                "dhakira.apps.web.context.dhakira",
            ],
        },
    },
]
WSGI_APPLICATION = "dhakira.apps.web.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher",
                    "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
if fast_argon2_allowed():  # inside the test suite only (docs/security.md)
    PASSWORD_HASHERS.insert(0, "dhakira.apps.vault.hashers.SuiteArgon2PasswordHasher")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Strict"
# Over HTTPS, cookies never travel in the clear and browsers are told to stay on HTTPS. The
# TLS proxy (trusted from 127.0.0.1 only) says so with X-Forwarded-Proto, read by the server.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
# django-otp: how many 30-second steps either side of now a TOTP code may come from (clock
# drift of a phone), and the issuer shown in authenticator apps.
OTP_TOTP_TOLERANCE = 1
OTP_TOTP_ISSUER = "Dhakira"

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
# Arabic numbers with "." decimals and "," thousands, as in English (formats/ar/formats.py).
FORMAT_MODULE_PATH = ["dhakira.apps.web.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"

# Log lines name records by their stable ids only; nothing from a protected field is logged.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"strip_query": {"()": "dhakira.apps.web.logfilters.StripQueryString"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["strip_query"]}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"},
                "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
                "dhakira": {"handlers": ["console"], "level": "INFO"},
                # Pillow's debug lines print every EXIF value read: the photographer, GPS.
                "PIL": {"level": "WARNING"}},
}
