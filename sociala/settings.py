"""Django settings for Sociala. Everything that differs between machines comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SOCIALA_VAR_DIR", BASE_DIR / "var"))


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("SOCIALA_DEBUG", False)
# Demo mode: the demo city's logins with the shared demo password work. Never on in production.
DEMO_MODE = env_flag("SOCIALA_DEMO_MODE", False)
SECRET_KEY = os.environ.get("SOCIALA_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or DEMO_MODE or os.environ.get("PYTEST_VERSION")):
        raise RuntimeError("Set SOCIALA_SECRET_KEY (or SOCIALA_DEMO_MODE=1 for the demo city).")
    SECRET_KEY = "insecure-demo-key-only-for-demo-mode-and-tests"  # noqa: S105 - demo only
ALLOWED_HOSTS = os.environ.get("SOCIALA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "sociala.core",
    "sociala.organization",
    "sociala.accounts",
    "sociala.people",
    "sociala.access",
    "sociala.audit",
    "sociala.cases",
    "sociala.processes",
    "sociala.documents",
    "sociala.benefits",
    "sociala.fees",
    "sociala.children",
    "sociala.finance",
    "sociala.care",
    "sociala.integrations",
    "sociala.portal",
    "sociala.retention",
    "sociala.sso",
    "sociala.web",
    "sociala.demo",
    "sociala.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "sociala.accounts.ratelimit.RateLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sociala.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sociala.web.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "sociala.urls"
WSGI_APPLICATION = "sociala.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sociala.web.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sociala.sqlite3'}"),
        conn_max_age=int(os.environ.get("SOCIALA_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and os.environ.get(
    "SOCIALA_DB_SERVER_SIDE_BINDING", "1"
) not in ("", "0"):
    # Parameters bound on the server, so that psycopg prepares a statement the fifth time it runs on a
    # connection and PostgreSQL stops planning it anew (decision 0031: planning was 1–4 ms of the start
    # page's joins at a million persons).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        prepare_threshold=int(os.environ.get("SOCIALA_DB_PREPARE_THRESHOLD", "5")),
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = (
        {"NAME": os.environ.get("SOCIALA_TEST_SQLITE", "")} if os.environ.get("SOCIALA_TEST_SQLITE") else {}
    )

# The default cache is per process; the rate limits count in a cache every worker shares (decision 0023):
# by default files under var/, on several machines a shared cache (SOCIALA_RATE_LIMIT_CACHE_BACKEND and
# SOCIALA_RATE_LIMIT_CACHE_LOCATION, e.g. django.core.cache.backends.redis.RedisCache and its URL).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": os.environ.get(
            "SOCIALA_RATE_LIMIT_CACHE_BACKEND", "django.core.cache.backends.filebased.FileBasedCache"
        ),
        "LOCATION": os.environ.get("SOCIALA_RATE_LIMIT_CACHE_LOCATION", str(VAR_DIR / "ratelimit-cache")),
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}
# Requests per window ("requests/seconds"; empty turns a limit off): per API token, per address and per
# user on the API, and per address on the pages reachable without signing in (sign-in, e-ID, SSO).
SOCIALA_RATE_LIMITS = {
    "cache": "ratelimit",
    "api_per_token": os.environ.get("SOCIALA_RATE_LIMIT_API_PER_TOKEN", "600/60"),
    "api_per_address": os.environ.get("SOCIALA_RATE_LIMIT_API_PER_ADDRESS", "1200/60"),
    "api_per_user": os.environ.get("SOCIALA_RATE_LIMIT_API_PER_USER", "900/60"),
    "public_per_address": os.environ.get("SOCIALA_RATE_LIMIT_PUBLIC_PER_ADDRESS", "120/60"),
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:start"
LOGOUT_REDIRECT_URL = "web:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "sociala" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/fkui", NODE_MODULES / "@fkui" / "design" / "lib"),
    ("vendor/fkui-theme", NODE_MODULES / "@fkui" / "theme-default" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/bpmn-js", NODE_MODULES / "bpmn-js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

SESSION_COOKIE_AGE = int(os.environ.get("SOCIALA_SESSION_SECONDS", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_flag("SOCIALA_HTTPS", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = 31536000 if SESSION_COOKIE_SECURE else 0
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest document accepted into a case file.
SOCIALA_MAX_UPLOAD_BYTES = int(os.environ.get("SOCIALA_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# How long an emergency access (nödåtkomst) lasts.
SOCIALA_EMERGENCY_ACCESS_MINUTES = int(os.environ.get("SOCIALA_EMERGENCY_ACCESS_MINUTES", "120"))
# How long an API token is valid.
SOCIALA_API_TOKEN_HOURS = int(os.environ.get("SOCIALA_API_TOKEN_HOURS", "8"))
# The bankgiro number on client invoices (fees), e.g. "5050-1055"; empty leaves the line out.
SOCIALA_FEES_BANKGIRO = os.environ.get("SOCIALA_FEES_BANKGIRO", "")
# Citizens' e-ID through an OpenID Connect provider; an empty issuer in demo mode uses the built-in simulator.
SOCIALA_EID = {
    "issuer": os.environ.get("SOCIALA_EID_ISSUER", ""),
    "client_id": os.environ.get("SOCIALA_EID_CLIENT_ID", ""),
    "client_secret": os.environ.get("SOCIALA_EID_CLIENT_SECRET", ""),
    "pin_claim": os.environ.get("SOCIALA_EID_PIN_CLAIM", "personal_identity_number"),
    "acr_values": os.environ.get("SOCIALA_EID_ACR_VALUES", ""),
}
# Staff single sign-on: one OpenID Connect and one SAML identity provider from the environment (a provider
# without its required settings is left out; more providers: see sociala/sso/conf.py).
SOCIALA_SSO_PROVIDERS = {
    "oidc": {
        "protocol": "oidc",
        "base_url": os.environ.get("SOCIALA_SSO_BASE_URL", ""),
        "label": os.environ.get("SOCIALA_SSO_OIDC_LABEL", ""),
        "issuer": os.environ.get("SOCIALA_SSO_OIDC_ISSUER", ""),
        "client_id": os.environ.get("SOCIALA_SSO_OIDC_CLIENT_ID", ""),
        "client_secret": os.environ.get("SOCIALA_SSO_OIDC_CLIENT_SECRET", ""),
        "scopes": os.environ.get("SOCIALA_SSO_OIDC_SCOPES", "openid profile email groups"),
        "groups_claim": os.environ.get("SOCIALA_SSO_OIDC_GROUPS_CLAIM", "groups"),
        "trust_idp_second_factor": env_flag("SOCIALA_SSO_OIDC_TRUST_IDP_SECOND_FACTOR", False),
    },
    "saml": {
        "protocol": "saml",
        "base_url": os.environ.get("SOCIALA_SSO_BASE_URL", ""),
        "label": os.environ.get("SOCIALA_SSO_SAML_LABEL", ""),
        "idp_metadata_url": os.environ.get("SOCIALA_SSO_SAML_IDP_METADATA_URL", ""),
        "idp_metadata_file": os.environ.get("SOCIALA_SSO_SAML_IDP_METADATA_FILE", ""),
        "idp_entity_id": os.environ.get("SOCIALA_SSO_SAML_IDP_ENTITY_ID", ""),
        "sp_entity_id": os.environ.get("SOCIALA_SSO_SAML_SP_ENTITY_ID", ""),
        "sp_cert_file": os.environ.get("SOCIALA_SSO_SAML_SP_CERT_FILE", ""),
        "sp_key_file": os.environ.get("SOCIALA_SSO_SAML_SP_KEY_FILE", ""),
        "groups_attribute": os.environ.get("SOCIALA_SSO_SAML_GROUPS_ATTRIBUTE", "groups"),
        "trust_idp_second_factor": env_flag("SOCIALA_SSO_SAML_TRUST_IDP_SECOND_FACTOR", False),
    },
}
# Where staff reach Sociala (scheme and host, e.g. https://sociala.example.se): the origin and RP ID of
# security keys (WebAuthn). Defaults to the single sign-on base URL.
SOCIALA_BASE_URL = os.environ.get("SOCIALA_BASE_URL", os.environ.get("SOCIALA_SSO_BASE_URL", ""))
# A citizen's e-service session ends after this many idle minutes.
SOCIALA_PORTAL_IDLE_MINUTES = int(os.environ.get("SOCIALA_PORTAL_IDLE_MINUTES", "30"))
# Reports one address may send through the public e-form for reports of concern, per window (0021).
SOCIALA_PUBLIC_REPORT_MAX_PER_WINDOW = int(os.environ.get("SOCIALA_PUBLIC_REPORT_MAX_PER_WINDOW", "5"))
SOCIALA_PUBLIC_REPORT_WINDOW_MINUTES = int(os.environ.get("SOCIALA_PUBLIC_REPORT_WINDOW_MINUTES", "60"))
# The municipality whose name stands on letters.
SOCIALA_MUNICIPALITY_NAME = os.environ.get("SOCIALA_MUNICIPALITY_NAME", "Sociala stad")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SOCIALA_LOG_LEVEL", "WARNING")},
}
