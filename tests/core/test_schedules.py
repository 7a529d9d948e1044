import pytest
from django_celery_beat.models import PeriodicTask

from config.celery import app
from core.schedules import declared_schedules, sync_schedules

pytestmark = pytest.mark.django_db


def test_every_declared_job_names_a_registered_task():
    app.loader.import_default_modules()
    registered = set(app.tasks)
    missing = [s.task for s in declared_schedules() if s.task not in registered]
    assert missing == []


def test_sync_creates_the_jobs_once_and_keeps_a_pause():
    names = sync_schedules()
    assert PeriodicTask.objects.filter(name__in=names).count() == len(names) > 0
    job = PeriodicTask.objects.get(name="Verify the audit chain")
    job.enabled = False
    job.save()
    sync_schedules()
    assert PeriodicTask.objects.filter(name__in=names).count() == len(names)
    assert not PeriodicTask.objects.get(name="Verify the audit chain").enabled
