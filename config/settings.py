"""Settings for the approval-standards workbench: one module, driven by the environment.

Variables (all optional in development):
    DEBUG            true/false (default false)
    SECRET_KEY       required when DEBUG is false
    ALLOWED_HOSTS    comma-separated (default: localhost names when DEBUG)
    DATABASE_URL     sqlite:///db.sqlite3 (default) or postgres://user@host:5432/name
    REDIS_URL        redis://host:6379/0 — shared cache when set, local memory otherwise
    MEDIA_ROOT       where uploads and rendered PDFs go (default: ./media)
    GENERATED_FONTS_DIR  where the guide's cut Chinese fonts are kept (default: ./var/fonts)
"""

import datetime
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config.env import (
    ImproperlyConfiguredEnv,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me"  # noqa: S105 (only used when DEBUG)
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else None)
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfiguredEnv("Set a real SECRET_KEY when DEBUG is false.")
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_tasks_db",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "standards",
    "guides",
    "manuals",
    "search",
    "interchange",
    "subscriptions",
    "api",
    "oversight",
    "legal",
    "adoption",
    "ops",
    "axes",  # login throttling (ADR 15); listed last so its checks see the rest
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Guide pages for anonymous visitors from the shared cache, before sessions,
    # auth and the view (guides/pagecache.py); with the headers of the layers below.
    "guides.pagecache.SharedPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "config.security.StaffSessionLifetimeMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
# Widget templates may be overridden in templates/ (e.g. the staff file input).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", "sqlite:///db.sqlite3"), base_dir=str(BASE_DIR)
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A PostgreSQL read replica (docs/deploy.md, ADR 16): anonymous GET requests may
# read from it outside transactions; writes, signed-in users and transactions
# use the primary (config.routers). In tests it mirrors the test database.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **database_from_url(DATABASE_REPLICA_URL, base_dir=str(BASE_DIR)),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["config.routers.PrimaryReplicaRouter"]

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work (PDF rendering) goes through Django's tasks framework; the
# database-backed queue needs no extra service and is served by `db_worker`.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Several machines: TASKS_BACKEND=rq puts the queue in Redis (TASKS_REDIS_URL,
# else REDIS_URL), served by `manage.py rq_worker` on any number of machines.
if TASKS["default"]["BACKEND"] == "rq":
    TASKS["default"] = {
        "BACKEND": "ops.rq_backend.RQBackend",
        "OPTIONS": {  # type: ignore[dict-item]
            "URL": env_str("TASKS_REDIS_URL", REDIS_URL or None),
            "QUEUE_PREFIX": env_str("TASKS_QUEUE_PREFIX", ""),
        },
    }
# The public address of the portal, printed and QR-coded on guide PDFs.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# Guide pages for anonymous visitors are answered from the cache without any
# database query when the cache is shared by every web process (Redis): a
# publication then retires them everywhere at once (guides/pagecache.py). Off
# with per-process memory, where another worker would keep a stale copy.
GUIDE_PAGE_FAST_PATH = env_bool("GUIDE_PAGE_FAST_PATH", bool(REDIS_URL))
# Guide views are counted in memory and written in batches of this many, or
# after this many seconds (search/popularity.py). Each write is a commit of
# ~3 ms; at 20 it cost the cached guide page about a third of its throughput.
GUIDE_VIEW_BATCH = env_int("GUIDE_VIEW_BATCH", 200)
GUIDE_VIEW_FLUSH_SECONDS = env_int("GUIDE_VIEW_FLUSH_SECONDS", 5)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTH_USER_MODEL = "standards.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "standards:home"
LOGOUT_REDIRECT_URL = "guides:home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Font faces cut from the system's Noto Sans CJK for the printed guide (guides/fonts.py).
GENERATED_FONTS_DIR = Path(env_str("GENERATED_FONTS_DIR", str(BASE_DIR / "var" / "fonts")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
# Largest blank form, sample or result sample a user may upload (bytes).
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
# The request as a whole may carry a few such files at once.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
# A section page posts every input of every row: 50 materials are ~1,550 fields,
# past Django's default of 1,000, and a section at its row cap (500 rows) with
# references ~21,000 (tests/standards/test_editor.py keeps the two in step).
# The limit guards the parser's work; the request's size stays bounded above.
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 30_000)

# Workflow e-mails: printed to the console in development, SMTP in production.
MAILERS = {
    "default": {
        "BACKEND": env_str(
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": (
            {"host": env_str("EMAIL_HOST", "localhost"), "port": env_int("EMAIL_PORT", 25)}
            if not DEBUG
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@approval-standards.invalid")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security (ADR 15, OWASP ASVS 5.0 level 2) ----------------------------------
from config.security import CONTENT_SECURITY_POLICY  # noqa: E402

# Cookies: never readable by scripts (no script needs the CSRF token from the
# cookie: forms carry it), sent on same-site navigation only, HTTPS-only outside DEBUG.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
# Staff sessions end after SESSION_IDLE_TIMEOUT seconds without a request and
# at the latest SESSION_COOKIE_AGE seconds after sign-in (config.security).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 10 * 3600)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = CONTENT_SECURITY_POLICY
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed attempts for
# one user name from one address, that pair is refused for the cool-off time;
# a success clears the count. Other users, and the same user elsewhere, go on.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
# How many reverse proxies append to X-Forwarded-For in front of the app (0: none).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Failed attempts are logged (with the user name, never the password).
AXES_SENSITIVE_PARAMETERS = ["password"]

# Replica reads need the user known (after AuthenticationMiddleware).
if DATABASE_REPLICA_URL:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "config.routers.ReplicaReadsMiddleware",
    )
# Load balancers probe /healthz over plain HTTP behind the TLS-terminating proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every rendering step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The REST API (/api/v1/, app `api`, ADR 10). Denied unless a view opens
# itself: public views allow reading; drafts need a token of department staff.
# Anonymous use is rate-limited per address (API_ANON_RATE, e.g. "120/minute").
import re  # noqa: E402 (this block is appended; the rest of the module needs no re)

API_ANON_RATE = env_str("API_ANON_RATE", "120/minute")
if not re.fullmatch(r"[1-9]\d*/(second|minute|hour|day)", API_ANON_RATE):
    raise ImproperlyConfiguredEnv(
        f"API_ANON_RATE must read like 120/minute (per second, minute, hour or day), "
        f"not {API_ANON_RATE!r}."
    )
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_RATE},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "行政审批标准 API · Approval-item standards API",
    "DESCRIPTION": "Published standards, the catalogue and the field registry (public); "
    "drafts of departments' standards (token). See docs/decisions/0010-rest-api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["api.schema.only_api_v1"],
    # Swagger UI's files come from drf-spectacular-sidecar, served by the app (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
