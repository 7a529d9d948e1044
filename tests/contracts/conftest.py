"""Fixtures for contracts: a client whose credit is approved, terms for them, staff, codes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from accounts.enums import ClientStatus, Sex, StaffRole
from accounts.models import Client
from contracts.delivery import CodeMessage
from contracts.models import Contract
from contracts.rendering import RenderedPdf, pdf
from contracts.services import (
    contract_bundle_generate,
    contract_issue,
    contract_sign,
    documents,
    signing_code_send,
)
from contracts.subjects import register_subject, unregister_subject
from core.fsm import apply_transition
from credit.models import CreditLine, LeveragePackage
from credit.services import (
    credit_application_approve,
    credit_application_review,
    credit_application_submit,
    credit_defaults_install,
)
from tests.accounts.factories import complete_kyc_file, register_person, resident_id
from tests.contracts.factories import ContractTermsFactory
from tests.factories import ClientFactory, UserFactory

SIX_DIGITS = re.compile(r"(?<!\d)\d{6}(?!\d)")

# A Monday in a normal trading week; contracts in the factory start on 2026-03-02.
TODAY = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.get_fixed_timezone(8 * 60))


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


_rendered: dict[tuple[str, str], RenderedPdf] = {}


@pytest.fixture(autouse=True)
def _render_once(monkeypatch):
    """Rendering is deterministic (tested with ``real_render``), so identical HTML is rendered
    once per test session: most tests need a bundle, few need WeasyPrint's time."""

    def cached(html: str, *, identifier: str) -> RenderedPdf:
        key = (html, identifier)
        if key not in _rendered:
            _rendered[key] = pdf.render_pdf(html, identifier=identifier)
        return _rendered[key]

    monkeypatch.setattr(documents, "render_pdf", cached)


@pytest.fixture
def real_render(monkeypatch):
    monkeypatch.setattr(documents, "render_pdf", pdf.render_pdf)


@pytest.fixture
def frozen_now():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ops(make_staff):
    return make_staff(StaffRole.OPERATIONS)


@pytest.fixture
def compliance(make_staff):
    return make_staff(StaffRole.COMPLIANCE)


@pytest.fixture
def compliance2(make_staff):
    return make_staff(StaffRole.COMPLIANCE)


def make_credit_approved_client(by: Any, **kwargs: Any) -> Client:
    """A client walked through onboarding to CREDIT_APPROVED with a portal login."""
    user = UserFactory.create(preferred_language=kwargs.pop("language", "zh-hans"))
    client = ClientFactory.create(user=user, **kwargs)
    for step in (
        "submit_kyc",
        "verify_kyc",
        "assess_suitability",
        "mark_eligible",
        "approve_credit",
    ):
        apply_transition(client, step, by=by, reason="test onboarding")
    client.save()
    assert client.status == ClientStatus.CREDIT_APPROVED
    return client


@pytest.fixture
def approved_client(ops):
    # A fixed number keeps the rendered documents identical from test to test.
    return make_credit_approved_client(ops, display_name="王芳", client_no="C1000001")


@pytest.fixture
def terms(approved_client):
    return ContractTermsFactory.build(
        client_no=approved_client.client_no, credit_line_ref="CL-2026-00042"
    )


@dataclass
class RecordingSubject:
    kind: str = "test_line"
    signed: list[tuple[str, Any]] = field(default_factory=list)
    terminated: list[tuple[str, Any]] = field(default_factory=list)
    refuse_with: Exception | None = None
    ended_because: str = ""

    def on_signed(self, contract: Contract, by: Any) -> None:
        if self.refuse_with is not None:
            raise self.refuse_with
        self.signed.append((contract.contract_no, by))

    def on_terminated(self, contract: Contract, by: Any) -> None:
        self.terminated.append((contract.contract_no, by))

    def ended(self, contract: Contract) -> str:
        return self.ended_because


@pytest.fixture
def subject():
    recording = RecordingSubject()
    register_subject(recording)
    yield recording
    unregister_subject(recording.kind)


@pytest.fixture
def draft_contract(frozen_now, approved_client, terms, ops, subject):
    return contract_bundle_generate(
        client=approved_client,
        terms=terms,
        by=ops,
        subject_kind=subject.kind,
        subject_ref="42",
    )


@pytest.fixture
def issued_contract(draft_contract, ops):
    return contract_issue(contract=draft_contract, by=ops)


@dataclass
class CapturingProvider:
    channel: str = "sms"
    sent: list[CodeMessage] = field(default_factory=list)

    def address_for(self, user: Any) -> str:
        return "13812345678"

    def send(self, message: CodeMessage) -> None:
        self.sent.append(message)


@pytest.fixture
def request_code(django_capture_on_commit_callbacks):
    """Send a code the way the portal does and return it as the client would read it."""

    def request(contract: Contract) -> str:
        provider = CapturingProvider()
        with django_capture_on_commit_callbacks(execute=True):
            signing_code_send(contract=contract, by=contract.client.user, provider=provider)
        (message,) = provider.sent
        match = SIX_DIGITS.search(message.body)
        assert match is not None
        return match.group(0)

    return request


@pytest.fixture
def sign():
    counter = iter(range(10_000))

    def do(contract: Contract, code: str, **overrides: Any) -> dict[str, Any]:
        options: dict[str, Any] = {
            "contract": contract,
            "code": code,
            "by": contract.client.user,
            "ip_address": "203.0.113.7",
            "user_agent": "Mozilla/5.0 (test)",
            "document_hashes": {d.kind: d.sha256 for d in contract.documents.all()},
            "risk_acknowledged": True,
            "idempotency_key": f"sign-{contract.pk}-{next(counter)}",
        }
        options.update(overrides)
        return contract_sign(**options)

    return do


# -- The credit stage, for the wiring tests: real rules, a KYC'd client, an approved line. --------

KYC_BORN = date(1985, 6, 15)
KYC_ID = resident_id(KYC_BORN, sex=Sex.FEMALE, serial=1)


@pytest.fixture
def credit_rules(frozen_now, risk_officer, second_risk_officer) -> dict[str, LeveragePackage]:
    """The default packages (conservative R3, balanced R4, aggressive R5) in force today."""
    credit_defaults_install(
        maker=risk_officer,
        checker=second_risk_officer,
        effective_from=TODAY.date(),
        reason="starting rules for the test",
    )
    return {p.code: p for p in LeveragePackage.objects.all()}


def make_kyc_client(
    by: Any, *, level: str = "C4", language: str = "zh-hans", **details: Any
) -> Client:
    """An eligible client with a KYC record (resident ID, address, own bank account) and a
    portal login, as onboarding leaves them."""
    client = register_person(by, **{"born": KYC_BORN, **details})
    complete_kyc_file(client, by)
    for step in ("submit_kyc", "verify_kyc", "assess_suitability", "mark_eligible"):
        apply_transition(client, step, by=by, reason="test onboarding")
    client.suitability_level = level
    client.risk_rating = "low"
    client.tier = "standard"
    client.user = UserFactory.create(preferred_language=language)
    client.save()
    return client


@pytest.fixture
def kyc_client(ops) -> Client:
    return make_kyc_client(ops, name="王芳", sex=Sex.FEMALE, address="北京市朝阳区建国路 88 号")


@pytest.fixture
def approve_line(ops, risk_officer, credit_rules):
    """Submit, review and approve an application: the line waits for its contract."""

    def make(client: Client, packages: tuple[str, ...] = ("balanced",)) -> CreditLine:
        application = credit_application_submit(
            client=client,
            requested_amount=Decimal("800000.00"),
            packages=list(packages),
            requested_by=ops,
            financial_assets=Decimal("2500000.00"),
            annual_income=Decimal("400000.00"),
            investing_experience_years=5,
        )
        credit_application_review(application=application, by=ops)
        credit_application_approve(application=application, approver=risk_officer)
        return CreditLine.objects.get(application=application)

    return make


@pytest.fixture
def pending_line(kyc_client, approve_line) -> CreditLine:
    return approve_line(kyc_client, ("conservative", "balanced"))
