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
                "notifications.context_processors.bell",
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

# EMAIL_URL (smtp://user:pass@host:port, smtp+tls://..., smtp+ssl://...) or EMAIL_HOST; `make run` points
# EMAIL_HOST at its local SMTP server (pit/mailsink.py). Without either, DEBUG prints mail to the console.
EMAIL = env.email_url("EMAIL_URL", default="") if env("EMAIL_URL", default="") else {}
MAILERS = {
    "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if DEBUG and not (EMAIL or env("EMAIL_HOST", default=""))
    else {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": EMAIL.get("EMAIL_HOST") or env("EMAIL_HOST", default="localhost"),
            "port": EMAIL.get("EMAIL_PORT") or env.int("EMAIL_PORT", default=25),
            "username": EMAIL.get("EMAIL_HOST_USER") or env("EMAIL_HOST_USER", default=""),
            "password": EMAIL.get("EMAIL_HOST_PASSWORD") or env("EMAIL_HOST_PASSWORD", default=""),
            "use_tls": EMAIL.get("EMAIL_USE_TLS") or env.bool("EMAIL_USE_TLS", default=False),
            "use_ssl": EMAIL.get("EMAIL_USE_SSL") or env.bool("EMAIL_USE_SSL", default=False),
            "timeout": env.int("EMAIL_TIMEOUT", default=30),
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

# notifications
NOTIFICATIONS_BASE_URL = env("PIT_BASE_URL", default="http://127.0.0.1:8000")  # links in email and push
NOTIFICATIONS_MAIL_DOMAIN = env("NOTIFICATIONS_MAIL_DOMAIN", default="pit.localhost")  # right side of Message-IDs
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=8)  # then the row is failed (admin)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.int("NOTIFICATIONS_RETRY_BASE_SECONDS", default=30)  # 30 s, 1 min, 2 min, ...
NOTIFICATIONS_LEASE_SECONDS = 300  # a row claimed or being sent this long belongs to a dead worker
NOTIFICATIONS_LOST_AFTER_SECONDS = 120  # a pending row due this long ago lost its Celery message: enqueue again
NOTIFICATIONS_SWEEP_LIMIT = 5000
NOTIFICATIONS_DIGEST_HOUR = env.int("NOTIFICATIONS_DIGEST_HOUR", default=7)  # local time of each organisation
WEBPUSH_VAPID_PRIVATE_KEY = env("WEBPUSH_VAPID_PRIVATE_KEY", default="")  # base64url raw key or PEM; empty: off
WEBPUSH_VAPID_PUBLIC_KEY = env("WEBPUSH_VAPID_PUBLIC_KEY", default="")  # handed to browsers to subscribe
WEBPUSH_VAPID_SUBJECT = env("WEBPUSH_VAPID_SUBJECT", default="mailto:pit@localhost")
FCM_PROJECT_ID = env("FCM_PROJECT_ID", default="")  # with FCM_CREDENTIALS_FILE (service account JSON): FCM v1 on
FCM_CREDENTIALS_FILE = env("FCM_CREDENTIALS_FILE", default="")
FCM_ENDPOINT = env("FCM_ENDPOINT", default="https://fcm.googleapis.com")
PUSH_TIMEOUT = 10
CELERY_BEAT_SCHEDULE |= {
    "notifications-sweep": {"task": "notifications.sweep", "schedule": 60.0},
    "notifications-digest": {"task": "notifications.send_digests", "schedule": crontab(minute=0)},
    "notifications-retention": {"task": "notifications.purge_read", "schedule": crontab(hour=17, minute=45)},
}
