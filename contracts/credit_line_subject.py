"""The credit line as a contract's subject: signing puts it into force, ending stops it.

Registered in ``ContractsConfig.ready()`` (credit cannot import contracts, so the adapter lives
here). Both hooks run inside the contracts service's transaction, after it has locked the client
and the contract; the line is locked last. They move only the line — the client's own lifecycle
(credit approved → contract signed → active) stays with the signing service.
"""

from __future__ import annotations

from typing import Any

from contracts.models import Contract
from core.exceptions import IllegalTransition
from credit.enums import CreditLineStatus
from credit.lock_objects import line_for_update
from credit.models import CreditLine
from credit.services import credit_line_activate, credit_line_suspend

CREDIT_LINE = "credit_line"

# A line in one of these states is already in force (a new contract version re-signs for it;
# a suspension is a separate hold that signing does not lift).
_IN_FORCE = (CreditLineStatus.ACTIVE, CreditLineStatus.SUSPENDED)
_ENDED = (CreditLineStatus.EXPIRED, CreditLineStatus.CLOSED)


def line_pk(contract: Contract) -> int:
    try:
        return int(contract.subject_ref)
    except ValueError:
        raise IllegalTransition(
            f"contract {contract.contract_no} names credit line {contract.subject_ref!r}, which "
            "is not a credit line number"
        ) from None


def _locked_line(contract: Contract) -> CreditLine:
    pk = line_pk(contract)
    try:
        line = line_for_update(pk)
    except CreditLine.DoesNotExist:
        raise IllegalTransition(
            f"contract {contract.contract_no} names credit line #{pk}, which does not exist"
        ) from None
    if line.client_id != contract.client_id:
        raise IllegalTransition(
            f"credit line #{pk} belongs to another client than contract {contract.contract_no}"
        )
    return line


class CreditLineSubject:
    kind = CREDIT_LINE

    def on_signed(self, contract: Contract, by: Any) -> None:
        line = _locked_line(contract)
        if line.status in _IN_FORCE:
            return
        if line.status != CreditLineStatus.PENDING_CONTRACT:
            raise IllegalTransition(
                f"credit line #{line.pk} is {line.get_status_display().lower()}; contract "
                f"{contract.contract_no} can no longer put it into force — please contact the "
                "firm"
            )
        credit_line_activate(
            credit_line=line, by=by, reason=f"contract {contract.contract_no} signed"
        )

    def on_terminated(self, contract: Contract, by: Any) -> None:
        line = _locked_line(contract)
        if line.status != CreditLineStatus.ACTIVE:
            return  # already held, or ended by the credit stage itself
        reason = f"contract {contract.contract_no} {contract.status}"
        if contract.end_reason:
            reason = f"{reason}: {contract.end_reason}"
        # ``by`` is None when the daily job expires the contract: an automatic hold.
        credit_line_suspend(credit_line=line, by=by, reason=reason)

    def ended(self, contract: Contract) -> str:
        try:
            pk = line_pk(contract)
        except IllegalTransition as error:
            return str(error)
        line = CreditLine.objects.filter(pk=pk).only("status").first()
        if line is None:
            return f"credit line #{contract.subject_ref} does not exist"
        if line.status in _ENDED:
            return f"credit line #{line.pk} {line.status}"
        return ""
