"""Sending approved withdrawals to the bank as one payment batch file.

Two steps, deliberately: (1) one transaction moves the withdrawals to *sent*, posts their
in-transit entries and records the batch; (2) the instruction file is produced from the stored
batch and written to the outbox. A crash between the two leaves a committed batch without a
file; calling ``withdrawals_send`` again with the same key (or ``payment_batch_export``) finishes
step 2 without posting anything twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import audit
from core.crypto import decrypt_str
from core.enums import AuditAction
from core.exceptions import IllegalTransition, InvalidInput, PermissionRefused
from core.fsm import apply_transition
from core.idempotency import run_once
from custody.bank.payments import BatchFacts, Instruction, render_csv, render_pain001
from custody.enums import Channel, ChartCode, EntryKind, MovementDirection, WithdrawalStatus
from custody.models import PaymentBatch, Withdrawal
from custody.services.deposits import new_reference
from custody.services.ledger import credit, debit, post_entry
from custody.services.movements import movement_record

C = ChartCode
FORMATS = {"pain001": ("xml", render_pain001), "csv": ("csv", render_csv)}


def withdrawals_send(
    *,
    withdrawals: Sequence[Withdrawal],
    by: Any,
    idempotency_key: str,
    execution_date: date | None = None,
) -> PaymentBatch:
    """Put approved withdrawals into one batch and produce its pain.001 file."""
    if not by.has_perm("custody.send_withdrawal"):
        raise PermissionRefused(f"{by} may not send withdrawal instructions")
    ids = sorted({w.pk for w in withdrawals})
    if not ids:
        raise InvalidInput("choose at least one approved withdrawal", field="withdrawals")
    day = execution_date or timezone.localdate()
    with transaction.atomic():
        result, _ = run_once(
            scope="custody.withdrawals_send",
            key=idempotency_key,
            payload={"withdrawals": ids, "execution_date": day.isoformat()},
            action=lambda: _create_batch(ids, by, day),
            actor=by,
        )
    batch = PaymentBatch.objects.get(pk=result["batch_id"])
    payment_batch_export(batch=batch, by=by)
    return batch


def _create_batch(ids: list[int], by: Any, day: date) -> dict[str, Any]:
    locked = list(
        Withdrawal.objects.select_for_update()
        .select_related("margin_account")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    not_ready = [w.reference for w in locked if w.status != WithdrawalStatus.APPROVED]
    if not_ready or len(locked) != len(ids):
        raise IllegalTransition(
            "only approved withdrawals can be sent; not approved: " + ", ".join(not_ready)
        )
    currencies = {w.currency for w in locked}
    if len(currencies) != 1:
        raise InvalidInput("a batch holds one currency", field="withdrawals")
    batch = PaymentBatch.objects.create(
        reference=new_reference("B"),
        execution_date=day,
        currency=currencies.pop(),
        total=sum(w.amount for w in locked),
        count=len(locked),
        created_by=by,
    )
    for withdrawal in locked:
        account = withdrawal.margin_account
        withdrawal.sent_entry = post_entry(
            key=f"withdrawal-sent-{withdrawal.pk}",
            kind=EntryKind.WITHDRAWAL_SENT,
            business_date=day,
            legs=[
                debit(C.WITHDRAWAL_HOLD, withdrawal.amount, account),
                credit(C.BANK_IN_TRANSIT, withdrawal.amount),
            ],
            memo=f"withdrawal {withdrawal.reference} in batch {batch.reference}",
            margin_account=account,
            created_by=by,
        )
        withdrawal.batch = batch
        apply_transition(withdrawal, "send", by=by, reason=f"batch {batch.reference}")
        withdrawal.save()
        movement_record(
            margin_account=account,
            direction=MovementDirection.OUT,
            channel=Channel.BANK_TRANSFER,
            amount=withdrawal.amount,
            business_date=day,
            own_account=True,
            counterparty=account.bank_account_masked,
            withdrawal=withdrawal,
            entry=withdrawal.sent_entry,
        )
    return {"batch_id": batch.pk}


def batch_facts(batch: PaymentBatch) -> BatchFacts:
    withdrawals = batch.withdrawals.select_related("margin_account").order_by("pk")
    return BatchFacts(
        reference=batch.reference,
        created_at=timezone.localtime(batch.created_at),
        execution_date=batch.execution_date,
        firm_name=settings.FULCRUM_CUSTODY_FIRM_NAME,
        omnibus_account=settings.FULCRUM_CUSTODY_OMNIBUS_ACCOUNT,
        bank_bic=settings.FULCRUM_CUSTODY_BANK_BIC,
        instructions=[
            Instruction(
                reference=w.reference,
                amount=w.amount,
                currency=w.currency,
                creditor_name=w.margin_account.bank_account_holder,
                creditor_account=decrypt_str(w.margin_account.bank_account_cipher),
                creditor_bank=w.margin_account.bank_name,
            )
            for w in withdrawals
        ],
    )


def payment_batch_file(*, batch: PaymentBatch, fmt: str = "pain001") -> tuple[str, bytes]:
    """The batch's instruction file (same bytes every time)."""
    if fmt not in FORMATS:
        raise InvalidInput(f"format: choose one of {', '.join(FORMATS)}", field="fmt")
    extension, render = FORMATS[fmt]
    return f"{batch.reference}.{extension}", render(batch_facts(batch))


@transaction.atomic
def payment_batch_export(*, batch: PaymentBatch, by: Any, fmt: str = "pain001") -> Path:
    """Write the batch's file to the outbox and record its hash; re-exports give the same file."""
    locked = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    name, content = payment_batch_file(batch=locked, fmt=fmt)
    digest = hashlib.sha256(content).hexdigest()
    if fmt == "pain001":
        if locked.file_sha256 and locked.file_sha256 != digest:
            raise InvalidInput(
                f"batch {locked.reference}: the file would differ from the one produced at "
                f"{locked.exported_at}; nothing written — investigate before sending again",
                field="batch",
            )
        if not locked.file_sha256:
            locked.file_sha256 = digest
            locked.exported_at = timezone.now()
            locked.save(update_fields=["file_sha256", "exported_at"])
    outbox = Path(settings.FULCRUM_CUSTODY_OUTBOX)
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / name
    path.write_bytes(content)
    audit.record(
        action=AuditAction.EXPORT,
        actor=by,
        obj=locked,
        details={"file": name, "sha256": digest, "instructions": locked.count},
    )
    return path
