"""`make bench`: the production settings, served by gunicorn over plain HTTP on loopback.

Only what needs TLS is relaxed (there is no proxy in front to end it), and each response says
how many queries it ran. Everything else — DEBUG off, the manifest static storage, MFA before
case pages, the Redis cache — is production's, so the figures are production's."""

from .production import *  # noqa: F403
from .production import MIDDLEWARE

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
MIDDLEWARE = ["config.query_count.QueryCountMiddleware", *MIDDLEWARE]
