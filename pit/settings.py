"""PIT settings: everything that differs between machines comes from the environment (django-environ)."""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "simple_history",
    "pit",
    "accounts",
    "projects",
    "evidence",
    "decisions",
    "notifications",
    "watchdog",  # after the domains it watches: seed_demo runs each app's demo in this order
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "pit.context.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pit.tenancy.TenancyMiddleware",
    "accounts.middleware.SessionActivityMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "pit.urls"
WSGI_APPLICATION = "pit.wsgi.application"
ASGI_APPLICATION = "pit.asgi.application"

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
                "pit.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://pit@127.0.0.1:5432/pit")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.EmailBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)

LANGUAGE_CODE = "en-au"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=None if DEBUG else str(BASE_DIR / "var" / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

MAILERS = {
    "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if DEBUG
    else {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env("EMAIL_HOST", default="localhost"),
            "port": env.int("EMAIL_PORT", default=25),
            "username": env("EMAIL_HOST_USER", default=""),
            "password": env("EMAIL_HOST_PASSWORD", default=""),
            "use_tls": env.bool("EMAIL_USE_TLS", default=False),
        },
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="PIT <pit@localhost>")

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {  # times are UTC
    "foreman-qa-nightly": {"task": "watchdog.run_qa", "schedule": crontab(hour=16, minute=30)},
    # Hourly; each run takes the organisations whose local time has just passed midnight, so every one is brought
    # up to its new "today" within the first hour of it, whatever its time zone or daylight saving.
    "task-status-nightly": {"task": "projects.recompute_statuses", "schedule": crontab(minute=5)},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {"TITLE": "PIT API", "VERSION": "1.0.0"}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# user.email is unique case-insensitively (constraint user_email_ci_uniq), which auth.W004 cannot see.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]

# evidence: files in a private S3 bucket (the embedded SeaweedFS in dev/test, MinIO in docker-compose), the upload
# limits, and the AI router's providers (pit/ai.py).
S3_BUCKET = env("S3_BUCKET", default="pit-evidence")
STORAGES["evidence"] = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "endpoint_url": env("S3_ENDPOINT_URL", default=None),
        "access_key": env("S3_ACCESS_KEY_ID", default=None),
        "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
        "bucket_name": S3_BUCKET,
        "region_name": env("S3_REGION", default="us-east-1"),
        "addressing_style": "path",
        "signature_version": "s3v4",
        "default_acl": None,  # the bucket is private; objects are reached only through presigned URLs
        "querystring_auth": True,
        "querystring_expire": env.int("EVIDENCE_URL_SECONDS", default=300),
        "file_overwrite": False,
    },
}
EVIDENCE_MAX_UPLOAD_MB = env.int("EVIDENCE_MAX_UPLOAD_MB", default=100)
EVIDENCE_AI_THRESHOLD = env.int("EVIDENCE_AI_THRESHOLD", default=60)  # a pre-score at or above it: "likely accept"
FILE_UPLOAD_HANDLERS = [  # uploads past 2.5 MB go to a temporary file, never into memory
    "evidence.uploads.SizeLimitHandler",  # stops reading a file past EVIDENCE_MAX_UPLOAD_MB
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
AI_HTTP_BASE_URL = env("AI_HTTP_BASE_URL", default="")  # an OpenAI-compatible API, e.g. https://host/v1
AI_HTTP_API_KEY = env("AI_HTTP_API_KEY", default="")
AI_HTTP_MODELS = env.dict("AI_HTTP_MODELS", default={})  # ai_model_enum value=provider's model name, comma-separated
AI_HTTP_TIMEOUT = env.float("AI_HTTP_TIMEOUT", default=20.0)
AI_HTTP_RETRIES = env.int("AI_HTTP_RETRIES", default=2)
CELERY_BEAT_SCHEDULE["evidence-prescore-backlog"] = {"task": "evidence.prescore_backlog", "schedule": 15 * 60}
EVIDENCE_RETENTION_DAYS = env.int("EVIDENCE_RETENTION_DAYS", default=90)  # soft-deleted evidence is purged after
CELERY_BEAT_SCHEDULE["evidence-purge"] = {"task": "evidence.purge_deleted", "schedule": crontab(hour=17, minute=15)}
