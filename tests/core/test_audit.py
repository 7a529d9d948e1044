import logging

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from core import audit
from core.audit import verify_chain
from core.enums import AuditAction
from core.logging import RedactingFilter
from core.models import AuditEvent
from core.models.audit import AppendOnlyError

pytestmark = pytest.mark.django_db


def make_events(n: int = 5) -> list[AuditEvent]:
    return [
        audit.record(action=AuditAction.EXPORT, actor_repr=f"tester{i}", details={"n": i})
        for i in range(n)
    ]


def test_an_intact_chain_verifies(capsys):
    make_events()
    assert verify_chain() is None
    call_command("verify_audit_chain")
    assert "audit chain intact (5 events)" in capsys.readouterr().out


def _tamper(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The append-only trigger must be bypassed to simulate an attacker with DBA rights.
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_a_tampered_row_is_named():
    events = make_events()
    _tamper("UPDATE core_auditevent SET actor_repr = %s WHERE id = %s", ["mallory", events[2].pk])
    broken = verify_chain()
    assert broken is not None
    assert broken.event_id == events[2].pk
    with pytest.raises(CommandError, match=f"audit chain broken at event {events[2].pk}"):
        call_command("verify_audit_chain")


def test_a_deleted_row_breaks_the_next_link():
    events = make_events()
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    broken = verify_chain()
    assert broken is not None
    assert broken.event_id == events[2].pk


def test_deleting_the_newest_rows_is_noticed():
    events = make_events()
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[-1].pk])
    broken = verify_chain()
    assert broken is not None
    assert broken.event_id == events[-2].pk


def test_the_model_refuses_updates_and_deletes():
    event = make_events(1)[0]
    event.actor_repr = "mallory"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.postgres
def test_postgres_refuses_updates_to_the_audit_log():
    event = make_events(1)[0]
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor_repr="mallory")


def test_details_never_hold_secrets_or_full_id_numbers():
    event = audit.record(
        action=AuditAction.REVEAL,
        actor_repr="x",
        details={
            "password": "hunter2",
            "otp_token": "123456",
            "note": "id 11010519491231002X",
            "card": "6222021234567890123",
        },
    )
    assert event.details["password"] == "[redacted]"
    assert event.details["otp_token"] == "[redacted]"
    assert "11010519491231002X" not in event.details["note"]
    assert event.details["card"] == "622***0123"


def test_log_records_are_masked():
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "client %s mobile 13812345678",
        ("11010519491231002X",),
        None,
    )
    RedactingFilter().filter(record)
    text = record.getMessage()
    assert "11010519491231002X" not in text
    assert "13812345678" not in text
    assert "110***002X" in text
