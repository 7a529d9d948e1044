"""Demo contracts, made the real way for the credit demo's approved lines (credit seeds first):

* **signed** (three clients) — generated and issued for a line, signed by the client through the
  signing service with a one-time code: the contract is in force, the line and the client are
  active (the trading and settlement demos use these clients' accounts);
* **issued** — out for signature; the client has a portal login, so a person can sign it;
* **expired** — offered, then the client declined and the line was closed before signing: the
  daily job withdrew (expired) the offer and the client is eligible again.

Any further approved line is left waiting for its contract, for the console's *Credit lines
waiting for a contract* page. Also a wording change waiting for a second compliance officer.
Every step is keyed (``demo-contract-<scenario>``), so a second run reuses what the first made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader

from accounts.demo import client_demo_login
from contracts.delivery import CodeMessage
from contracts.enums import ContractStatus
from contracts.models import ClauseVersion, Contract
from contracts.selectors import credit_lines_without_contract
from contracts.services import (
    clause_version_propose,
    contract_for_credit_line,
    contract_sign,
    contracts_daily,
    signing_code_send,
)
from contracts.services.credit_lines import SCOPE
from core.demo import DemoContext
from core.models import IdempotencyRecord
from credit.enums import CreditLineStatus
from credit.models import CreditLine
from credit.services import credit_line_close

WORDING_REASON = "Demo: say that margin calls also appear in the client app."
SIGNED = ["signed", "signed-2", "signed-3"]
SCENARIOS = [*SIGNED, "issued", "expired"]


@dataclass
class _Capture:
    """Delivery for the demo's own signature: the code goes to the seeding process only."""

    channel: str = "sms"
    sent: list[CodeMessage] = field(default_factory=list)

    def address_for(self, user: Any) -> str:
        return "13800000000"

    def send(self, message: CodeMessage) -> None:
        self.sent.append(message)


def _key(scenario: str) -> str:
    return f"demo-contract-{scenario}"


def _existing(scenario: str) -> Contract | None:
    record = IdempotencyRecord.objects.filter(scope=SCOPE, key=_key(scenario)).first()
    if record is None or not record.response:
        return None
    return Contract.objects.filter(pk=record.response["contract"]).first()


def _offer(ctx: DemoContext, scenario: str) -> Contract | None:
    """The scenario's contract: found again, or generated and issued for the next free line."""
    found = _existing(scenario)
    if found is not None:
        return found
    line = credit_lines_without_contract().order_by("pk").first()
    if line is None:
        ctx.log(f"contracts: no credit line waiting for a contract for the {scenario!r} demo")
        return None
    package = line.packages.order_by("display_order", "code").first()
    if package is None:
        return None
    return contract_for_credit_line(
        credit_line=line, package=package, by=ctx.person("ops1"), idempotency_key=_key(scenario)
    )


def _sign(contract: Contract) -> None:
    user = contract.client.user
    capture = _Capture()
    signing_code_send(contract=contract, by=user, provider=capture)
    match = re.search(r"(?<!\d)\d{6}(?!\d)", capture.sent[0].body)
    if match is None:
        raise RuntimeError("the demo could not read its own signing code")
    contract_sign(
        contract=contract,
        code=match.group(0),
        by=user,
        ip_address="127.0.0.1",
        user_agent="Fulcrum demo seed",
        document_hashes={d.kind: d.sha256 for d in contract.documents.all()},
        risk_acknowledged=True,
        idempotency_key=f"demo-sign-{contract.contract_no}",
    )


def _decline(ctx: DemoContext, contract: Contract) -> None:
    """The client declined: compliance closes the line; the daily job withdraws the offer."""
    line = CreditLine.objects.get(pk=int(contract.subject_ref))
    if line.status == CreditLineStatus.PENDING_CONTRACT:
        credit_line_close(
            credit_line=line,
            by=ctx.person("compliance1"),
            reason="the client declined the credit offer before signing",
        )
    contracts_daily(today=ctx.today)


def _play(ctx: DemoContext, scenario: str) -> Contract | None:
    contract = _offer(ctx, scenario)
    if contract is None:
        return None
    if scenario in (*SIGNED, "issued"):
        client_demo_login(ctx, contract.client)
    if contract.status == ContractStatus.ISSUED and scenario in SIGNED:
        _sign(contract)
    if contract.status == ContractStatus.ISSUED and scenario == "expired":
        _decline(ctx, contract)
    contract.refresh_from_db()
    return contract


def _report(ctx: DemoContext, scenario: str, contract: Contract) -> None:
    client = contract.client
    if scenario in SIGNED:
        document = contract.documents.get(kind="margin_contract")
        with document.pdf.open("rb") as handle:
            pages = len(PdfReader(handle).pages)
        ctx.log(
            f"contracts: {contract} signed, now {contract.status} ({pages}-page contract PDF); "
            f"client {client} is {client.status}"
        )
    elif scenario == "issued" and client.user is not None:
        ctx.notes.append(
            f"Contract {contract} awaits {client.user.username}'s signature ({client}): sign in "
            f"to the portal as {client.user.username}, open /contracts/{contract}/, press "
            "“Send me a code” (the email is printed by the runserver console), enter it, tick the "
            "box and sign — the credit line and the client become active."
        )
    elif scenario == "expired":
        ctx.log(f"contracts: {contract} {contract.end_reason or contract.status}")


def _wording_change(ctx: DemoContext) -> None:
    if ClauseVersion.objects.filter(reason=WORDING_REASON).exists():
        return
    current = ClauseVersion.objects.get(
        clause__code="margin_call", clause__language="en", status="approved"
    )
    clause_version_propose(
        clause=current.clause,
        title=current.title,
        body=current.body
        + "<p>6. Margin calls are also shown in the Firm's client application.</p>",
        maker=ctx.person("compliance1"),
        reason=WORDING_REASON,
    )


def seed(ctx: DemoContext) -> None:
    _wording_change(ctx)
    for scenario in SCENARIOS:
        contract = _play(ctx, scenario)
        if contract is not None:
            _report(ctx, scenario, contract)
    waiting = credit_lines_without_contract().count()
    if waiting:
        ctx.notes.append(
            f"Contracts: {waiting} approved credit line(s) wait for a contract — as ops1, open "
            "Contracts → “Credit lines waiting for a contract” and generate and issue one."
        )
    ctx.log(f"contracts: {Contract.objects.count()} contracts; wording change awaiting approval")
