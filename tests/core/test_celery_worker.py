"""A real Celery worker round trip over the configured broker (Redis in CI)."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from config.celery import app
from core import audit
from core.enums import AuditAction
from core.tasks import verify_audit_chain_task


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_task_round_trips_through_a_real_worker():
    if not settings.FULCRUM_REAL_BROKER:
        pytest.skip("needs a real broker: set CELERY_BROKER_URL (CI uses Redis)")
    audit.record(action=AuditAction.EXPORT, actor_repr="worker-test")
    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            result = verify_audit_chain_task.delay()
            assert result.get(timeout=30) == {"intact": True}
    finally:
        app.conf.task_always_eager = True
