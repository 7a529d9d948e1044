"""Margin notifications: written to the outbox with the call's move, delivered after commit.

Each event produces one row per channel: email to the client's login address, the portal
(shown on the client's dashboard), and — for a partner's client — a webhook signed with
HMAC-SHA256 under the partner's own secret. A task sends the rows after commit; failures stay
in the outbox with the error, and the console resends them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.request
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from core.transactions import call_on_commit
from risk.margin.enums import CallEvent, Channel, NotificationStatus
from risk.margin.models import MarginCall, MarginNotification

SIGNATURE_HEADER = "X-Fulcrum-Signature"
TIMESTAMP_HEADER = "X-Fulcrum-Timestamp"
WEBHOOK_TIMEOUT_SECONDS = 10
SEND_BATCH = 200  # outbox rows per delivery task


def _pct(value: Decimal | None) -> str:
    return "∞" if value is None else f"{value * 100:.2f}%"


def _message(call: MarginCall, event: str, numbers: dict[str, Any]) -> tuple[str, str]:
    account = call.margin_account.account_no
    label = CallEvent(event).label
    lines = [f"Margin account {account}: {label}."]
    if numbers.get("reason"):
        lines.append(f"Reason: {numbers['reason']}.")
    lines.append(
        f"Maintenance ratio {numbers.get('ratio_pct', '—')}; warning line "
        f"{_pct(call.warning_line)}, liquidation line {_pct(call.liquidation_line)}, "
        f"top-up target {_pct(call.topup_target)}."
    )
    wants_amount = event in (CallEvent.CALL_ISSUED, CallEvent.DEADLINE_EXTENDED)
    if call.amount_due is not None and wants_amount:
        lines.append(
            f"Deposit at least CNY {call.amount_due:,.2f} (or sell securities) by the close of "
            f"{call.due_on}."
        )
    if call.liquidation_held_until and event == CallEvent.LIQUIDATION_HELD:
        lines.append(f"Liquidation is held until {call.liquidation_held_until}.")
    return f"[{account}] {label}", "\n".join(lines)


def _payload(call: MarginCall, event: str, numbers: dict[str, Any]) -> dict[str, Any]:
    account = call.margin_account
    return {
        "event": f"margin_call.{event}",
        "call_id": call.pk,
        "status": call.status,
        "account_no": account.account_no,
        "client_no": account.client.client_no,
        "ratio": numbers.get("ratio"),
        "warning_line": str(call.warning_line),
        "liquidation_line": str(call.liquidation_line),
        "topup_target": str(call.topup_target),
        "amount_due": None if call.amount_due is None else str(call.amount_due),
        "due_on": None if call.due_on is None else call.due_on.isoformat(),
        "reason": numbers.get("reason", ""),
    }


@dataclass(frozen=True)
class Notice:
    """One event on one call, to be written to the outbox on every channel."""

    call: MarginCall
    event: str
    ratio: Decimal | None
    reason: str = ""


def notify(call: MarginCall, event: str, *, ratio: Decimal | None, reason: str = "") -> None:
    """Write the outbox rows for one event and send them once the transaction commits."""
    notify_many([Notice(call, event, ratio, reason)])


def _rows(notice: Notice) -> list[MarginNotification]:
    call, event = notice.call, notice.event
    numbers = {
        "ratio": None if notice.ratio is None else str(notice.ratio.quantize(Decimal("0.0001"))),
        "ratio_pct": _pct(notice.ratio),
        "reason": notice.reason,
    }
    subject, body = _message(call, event, numbers)
    payload = _payload(call, event, numbers)
    client = call.margin_account.client
    email = getattr(client.user, "email", "") if client.user_id else ""
    partner = client.partner if client.partner_id else None
    channels = [
        (Channel.EMAIL, email or ""),
        (Channel.PORTAL, client.client_no),
    ]
    if partner is not None and partner.active and partner.webhook_url:
        channels.append((Channel.WEBHOOK, partner.webhook_url))
    return [
        MarginNotification(
            call=call,
            event=event,
            channel=channel,
            recipient=recipient,
            subject=subject,
            body=body,
            payload=payload,
            status=NotificationStatus.PENDING if recipient else NotificationStatus.SKIPPED,
        )
        for channel, recipient in channels
    ]


def notify_many(notices: list[Notice]) -> None:
    """The outbox rows of many events in one insert; one send task after commit (a sweep
    that opens hundreds of calls writes them together)."""
    rows = [row for notice in notices for row in _rows(notice)]
    if not rows:
        return
    created = MarginNotification.objects.bulk_create(rows, batch_size=1000)
    ids = [n.pk for n in created if n.status == NotificationStatus.PENDING]
    from risk.margin import tasks

    # Several tasks, so several workers deliver a mass event and one slow mail server
    # delays only its share.
    for start in range(0, len(ids), SEND_BATCH):
        call_on_commit(tasks.send_notifications.delay, ids[start : start + SEND_BATCH])


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over ``timestamp.body`` (the timestamp is signed so a replay is visible)."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def _post_webhook(notification: MarginNotification) -> None:
    partner = notification.call.margin_account.client.partner
    if partner is None:
        raise ValueError("the client no longer has a partner")
    secret = partner.webhook_secret()
    if not secret:
        raise ValueError(f"partner {partner.code} has no webhook secret")
    url = notification.recipient
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"webhook URL {url!r} is not http(s)")
    body = json.dumps(notification.payload, sort_keys=True).encode()
    stamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: stamp,
            SIGNATURE_HEADER: sign(secret, stamp, body),
        },
    )
    with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
        if response.status >= 300:
            raise ValueError(f"partner answered HTTP {response.status}")


def _deliver(notification: MarginNotification) -> None:
    if notification.channel == Channel.EMAIL:
        send_mail(notification.subject, notification.body, None, [notification.recipient])
    elif notification.channel == Channel.WEBHOOK:
        _post_webhook(notification)
    # Portal: the row itself is what the client's dashboard shows.


def notification_send(notification_id: int) -> str:
    """Send one pending (or failed) notification; a sent one is left alone (safe to rerun)."""
    with transaction.atomic():
        notification = (
            MarginNotification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(
                "call__margin_account__client__partner", "call__margin_account__client__user"
            )
            .filter(
                pk=notification_id,
                status__in=[NotificationStatus.PENDING, NotificationStatus.FAILED],
            )
            .first()
        )
        if notification is None:
            return "skipped"
        notification.attempts += 1
        try:
            _deliver(notification)
        except Exception as error:
            notification.status = NotificationStatus.FAILED
            notification.last_error = f"{type(error).__name__}: {error}"[:2000]
        else:
            notification.status = NotificationStatus.SENT
            notification.sent_at = timezone.now()
            notification.last_error = ""
        notification.save(update_fields=["attempts", "status", "last_error", "sent_at"])
        return str(notification.status)


def notifications_resend(*, ids: list[int]) -> int:
    """Queue failed notifications again (console action)."""
    failed = list(
        MarginNotification.objects.filter(pk__in=ids, status=NotificationStatus.FAILED).values_list(
            "pk", flat=True
        )
    )
    if failed:
        from risk.margin import tasks

        call_on_commit(tasks.send_notifications.delay, failed)
    return len(failed)
