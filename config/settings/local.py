"""The embedded default: the demo and laptop development. SQLite, eager Celery, debug pages."""

from config.settings.base import *  # noqa: F403
from config.settings.base import VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
FULCRUM_DEMO_TOOLS = env.bool("FULCRUM_DEMO_TOOLS", default=True)
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")

# The embedded database and the local key live here; a fresh clone has no var/ yet.
VAR_DIR.mkdir(exist_ok=True)
