"""PIT settings: everything that differs between machines comes from the environment (django-environ)."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.utils.csp import CSP

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
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "pit",
    "accounts",
    "calendars",
    "projects",
    "baselines",
    "sharing",
    "interchange",
    "evidence",
    "decisions",
    "notifications",
    "activity",
    "watchdog",  # after the domains it watches: seed_demo runs each app's demo in this order
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "pit.headers.PermissionsPolicyMiddleware",
    "pit.context.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pit.rls.OrgScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pit.tenancy.TenancyMiddleware",
    "accounts.middleware.SessionActivityMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a sign-in refused for lockout into the lockout answer
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
                "django.template.context_processors.csp",
                "pit.context_processors.navigation",
                "notifications.context_processors.bell",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://pit@127.0.0.1:5432/pit")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Row-level security (pit/rls.py): the app connects as a role that owns nothing; migrations and backups connect as
# the owner when DATABASE_OWNER_URL is set. The app role is granted what it needs after every migrate.
DATABASE_OWNER = env.db("DATABASE_OWNER_URL") if env("DATABASE_OWNER_URL", default="") else None
DATABASE_APP_ROLE = env("DATABASE_APP_ROLE", default=DATABASES["default"]["USER"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

AUTH_USER_MODEL = "accounts.User"
# Axes first: every authenticate(request=...) call, form or API, is counted and refused while locked out.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.backends.EmailBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

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
    "backup-hourly": {"task": "pit.backup", "schedule": crontab(minute=15)},
    # watchdog: every organisation scanned hourly (after the status engine); edits trigger one-project scans
    "watchdog-hourly": {"task": "watchdog.scan_all", "schedule": crontab(minute=20)},
    "decision-escalation": {"task": "decisions.escalate_overdue", "schedule": crontab(minute="*/15")},
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

# Backups (pit/backup.py): where `pit_backup` and the hourly beat job write, how many to keep, and the recovery
# point objective /healthz checks the last good backup against.
BACKUP_DIR = env("BACKUP_DIR", default=str(BASE_DIR / "var" / "backups"))
BACKUP_KEEP = env.int("BACKUP_KEEP", default=48)
BACKUP_RPO_MINUTES = env.int("BACKUP_RPO_MINUTES", default=60)

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
# Resumable uploads (evidence.resumable): the part size when the client names none (S3 needs at least 5 MB), and
# how long an upload may wait for its next part before the hourly cleanup aborts it.
EVIDENCE_UPLOAD_PART_MB = env.int("EVIDENCE_UPLOAD_PART_MB", default=8)
EVIDENCE_UPLOAD_ABANDON_HOURS = env.int("EVIDENCE_UPLOAD_ABANDON_HOURS", default=24)
CELERY_BEAT_SCHEDULE["evidence-upload-cleanup"] = {"task": "evidence.clean_up_uploads", "schedule": crontab(minute=40)}

# decisions
# A completed task earns its owner duration_days × this many skills credits (decisions/services/links.py).
PIT_SKILLS_CREDITS_PER_DAY = env.int("PIT_SKILLS_CREDITS_PER_DAY", default=1)

# sign-in protection (django-axes; README "Security")
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)  # failed sign-ins before a lockout
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))  # or an admin unlocks
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # an account is locked, and so is an address, separately
AXES_USERNAME_CALLABLE = "accounts.lockout.username_of"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = False  # else one good account would wash an address's failures on other accounts away
AXES_CLIENT_IP_CALLABLE = "pit.context.client_ip"  # the address the audit log records
PROXY_COUNT = env.int("PROXY_COUNT", default=0)  # reverse proxies in front of PIT that append X-Forwarded-For
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are in audit_log (LOGIN) and user_session already
# Sessions end after SESSION_IDLE_TIMEOUT without a request and SESSION_ABSOLUTE_TIMEOUT after sign-in, whatever
# the activity (accounts/middleware.py); the cookie lives no longer than the absolute limit.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=2 * 3600)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"  # sent on top-level navigation only: links from email work, cross-site POSTs do not
CSRF_COOKIE_SAMESITE = "Lax"

# headers (README "Security"): scripts only from our own static files (or a per-response nonce), nothing framed,
# no plugins. Styles allow inline because progress bars set their width and the Gantt SVG carries its <style>;
# no script can run from either.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Evidence is shown inline (photo, video, PDF) from short-lived presigned URLs of the S3 service: that origin only.
_s3 = urlsplit(STORAGES["evidence"]["OPTIONS"]["endpoint_url"] or "https://s3.amazonaws.com")
EVIDENCE_ORIGIN = env("EVIDENCE_ORIGIN", default=f"{_s3.scheme}://{_s3.netloc}")
SECURE_CSP |= {
    "img-src": [*SECURE_CSP["img-src"], EVIDENCE_ORIGIN],
    "media-src": [CSP.SELF, EVIDENCE_ORIGIN],
    "frame-src": [EVIDENCE_ORIGIN],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY_DENY = ["camera", "microphone", "geolocation", "payment", "usb"]

# sharing
SHARE_PASSCODE_FAILURES = env.int("SHARE_PASSCODE_FAILURES", default=5)  # wrong passcodes per link, and per address,
SHARE_PASSCODE_WINDOW = env.int("SHARE_PASSCODE_WINDOW", default=15 * 60)  # ... within this many seconds

# jobs that survive faults, and retention (README "Operations")
CELERY_BEAT_SCHEDULER = "pit.celery:LockedScheduler"  # two beats running send each scheduled job once
# A message a worker took but did not acknowledge (acks late) goes back to the queue after this long; no job may be
# scheduled further ahead than this (pit.enqueue refuses), or Redis would hand it out twice.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Workers look for jobs whose worker vanished every interval × throttle seconds (100 s by default).
    "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_RESTORE_THROTTLE", default=10),
}
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BEAT_SCHEDULE |= {
    "share-link-purge": {"task": "sharing.purge_share_links", "schedule": crontab(hour=17, minute=10)},
    "retention-purge": {"task": "pit.purge_expired_rows", "schedule": crontab(hour=17, minute=20)},
}
SHARE_LINK_RETENTION_DAYS = 90  # after expiry or revocation (seed 003)
RETENTION = {  # job name: (table, timestamp column, days after it that a row is deleted; NULL is kept)
    "scan-log-purge": ("watchdog_scan_log", "started_at", env.int("SCAN_LOG_RETENTION_DAYS", default=365)),
    "job-run-purge": ("job_run", "started_at", env.int("JOB_RUN_RETENTION_DAYS", default=365)),
}

# api (/api/v1/: pit/api/ is the machinery, each app's api/ package its endpoints)
REST_FRAMEWORK |= {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.auth.TokenAuthentication",  # first: a 401 then names the Bearer scheme
        "rest_framework.authentication.SessionAuthentication",  # the browser, with CSRF
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "pit.api.permissions.CanView"],
    "DEFAULT_PAGINATION_CLASS": "pit.api.pagination.Cursor",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "pit.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "pit.api.schema.AutoSchema",
    # throttles key on REMOTE_ADDR unless told how many proxies sit in front (then the client's X-Forwarded-For hop):
    # a client cannot reset its count with a forged header
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
    "DEFAULT_THROTTLE_RATES": {
        # sign-in attempts per client address and per email (the lockout after repeated failures is the login
        # page's, through authenticate()); loopback clients share one address, so keep these above a test run's
        "token_ip": env("API_TOKEN_RATE_IP", default="60/min"),
        "token_email": env("API_TOKEN_RATE_EMAIL", default="10/min"),
    },
}
SPECTACULAR_SETTINGS |= {
    "DESCRIPTION": "PIT for the mobile app: token auth, sync (updated_since, tombstones, ETag, If-Match, "
    "Idempotency-Key). See the README's API section.",
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ProjectTypeEnum": "pit.enums.ProjectType",
        "TaskStatusEnum": "pit.enums.TaskStatus",
        "ProjectStatusEnum": "projects.models.ProjectStatus",
        "DependencyTypeEnum": "projects.models.DependencyType",
        "TaskStatusChangeEnum": "projects.forms.STATUS_CHOICES",
        "DecisionStatusEnum": "decisions.enums.DecisionStatus",
    },
}
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)  # a device signs in again after this long
API_TOKEN_SEEN_EVERY_SECONDS = 60  # last use is written at most this often per token
API_SYNC_OVERLAP_SECONDS = env.int("API_SYNC_OVERLAP_SECONDS", default=60)
API_IDEMPOTENCY_MODEL = "accounts.IdempotencyKey"
API_IDEMPOTENCY_TTL_HOURS = 24
CELERY_BEAT_SCHEDULE["idempotency-purge"] = {"task": "accounts.purge_idempotency_keys", "schedule": crontab(minute=35)}

# interchange
INTERCHANGE_MAX_UPLOAD_BYTES = env.int("INTERCHANGE_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
INTERCHANGE_PENDING_HOURS = env.int("INTERCHANGE_PENDING_HOURS", default=24)  # a staged import waits this long
CELERY_BEAT_SCHEDULE["interchange-purge"] = {"task": "interchange.purge_expired", "schedule": crontab(minute=50)}
