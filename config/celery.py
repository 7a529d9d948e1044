"""Celery application: margin monitoring and nightly clearing run here in production.

Without a broker (the embedded default) tasks run eagerly in-process, so the demo and the laptop
test run need no Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("fulcrum")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
