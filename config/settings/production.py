"""Production: every secret comes from the environment, with no defaults. A missing one stops
the start with a clear message rather than running half-configured."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

for _name in ("DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOWED_HOSTS"):
    if not env.str(_name, default=""):
        raise ImproperlyConfigured(f"{_name} must be set in production.")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("local-", "test-")):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a random value of 50 characters or more.")

DEBUG = False
IS_PRODUCTION = True
TRIAD_REQUIRE_MFA_FOR_CASES = env.bool("TRIAD_REQUIRE_MFA_FOR_CASES", default=True)
CELERY_TASK_ALWAYS_EAGER = False

STORAGES["staticfiles"] = {
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
ADMINS = [("Triad", a) for a in env.list("DJANGO_ADMIN_EMAILS", default=[])]
