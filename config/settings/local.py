"""The embedded default: the demo and laptop development. SQLite, eager Celery, debug pages."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
FULCRUM_DEMO_TOOLS = env.bool("FULCRUM_DEMO_TOOLS", default=True)
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
