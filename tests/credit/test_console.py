"""Console pages: queues on the home page, package editor, application decisions, lines."""

from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from accounts.enums import StaffRole
from accounts.services import totp_current_code, totp_enrol
from core.models import ParameterVersion
from credit.enums import ApplicationStatus, CreditLineStatus
from credit.models import CreditApplication, CreditLine
from tests.credit.factories import EligibleClientFactory
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def console(user) -> HttpClient:
    totp_enrol(user=user)
    browser = HttpClient()
    response = browser.post(
        "/console/login/",
        {
            "username": user.username,
            "password": DEFAULT_PASSWORD,
            "otp_token": totp_current_code(user=user),
            "next": "/console/",
        },
    )
    assert response.status_code == 302
    return browser


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_home_page_shows_the_credit_queues(reviewed, submit, approver):
    reviewed(EligibleClientFactory.create())
    submit(EligibleClientFactory.create())
    page = console(approver).get("/console/").content.decode()
    assert "Credit applications to review" in page
    assert "Credit applications to decide" in page
    assert "status__exact=under_review" in page


def test_a_package_page_links_to_propose_a_change(credit_rules, approver):
    browser = console(approver)
    package = credit_rules["balanced"]
    page = browser.get(reverse("admin:credit_leveragepackage_change", args=[package.pk]))
    body = page.content.decode()
    assert f"/console/core/parameterversion/add/?parameter_set={package.parameter_set_id}" in body
    assert "max_financing_ratio" in body and "0.80" in body

    before = ParameterVersion.objects.count()
    form = browser.get(
        reverse("admin:core_parameterversion_add") + f"?parameter_set={package.parameter_set_id}"
    )
    assert form.status_code == 200
    # Post the form as shown (today's terms pre-filled), with one value made looser.
    post = {"parameter_set": package.parameter_set_id, "effective_from": "2026-03-09"}
    post["reason"] = "more leverage"
    for name, field in form.context["adminform"].form.fields.items():
        if name.startswith("value__"):
            post[name] = field.prepare_value(field.initial)
    post["value__max_financing_ratio"] = "1.5"
    response = browser.post(
        reverse("admin:core_parameterversion_add") + f"?parameter_set={package.parameter_set_id}",
        post,
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "max_financing_ratio 1.5 is looser than regulation" in str(errors)
    assert ParameterVersion.objects.count() == before


def test_operations_enter_an_application_in_the_console(credit_rules, ops):
    client = EligibleClientFactory.create()
    browser = console(ops)
    response = browser.post(
        reverse("admin:credit_creditapplication_add"),
        {
            "client": client.pk,
            "requested_amount": "600000.00",
            "packages": [credit_rules["balanced"].pk],
            "financial_assets": "2000000.00",
            "annual_income": "300000.00",
            "investing_experience_years": "4",
            "past_margin_calls": "0",
            "received_on": "2026-03-02",
            "purpose": "",
        },
        follow=True,
    )
    application = CreditApplication.objects.get()
    assert application.requested_by == ops
    assert "Submitted. Next: run the scorecard" in " ".join(messages_of(response))

    changelist = reverse("admin:credit_creditapplication_changelist")
    response = browser.post(
        changelist,
        {"action": "start_review", "_selected_action": [application.pk]},
        follow=True,
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW


def test_the_requester_is_refused_in_the_console_and_another_approves(
    reviewed, eligible_client, make_staff, approver
):
    requester = make_staff(StaffRole.RISK_OFFICER)
    application = reviewed(eligible_client, requested_by=requester)
    decide = reverse("admin:credit_creditapplication_decide", args=[application.pk])

    response = console(requester).post(decide, {"_approve": "1"}, follow=True)
    assert "cannot approve it; another authorised colleague must decide" in " ".join(
        messages_of(response)
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW

    response = console(approver).post(
        decide, {"_approve": "1", "approved_limit": "700000"}, follow=True
    )
    assert "Approved: credit line created" in " ".join(messages_of(response))
    assert CreditLine.objects.get().limit == Decimal("700000.00")


def test_suspending_a_line_from_the_console_needs_a_reason(active_line, eligible_client, approver):
    line = active_line(eligible_client)
    browser = console(approver)
    changelist = reverse("admin:credit_creditline_changelist")
    response = browser.post(
        changelist, {"action": "suspend", "_selected_action": [line.pk], "reason": ""}, follow=True
    )
    assert "a reason is required" in " ".join(messages_of(response))
    line.refresh_from_db()
    assert line.status == CreditLineStatus.ACTIVE
    browser.post(
        changelist,
        {"action": "suspend", "_selected_action": [line.pk], "reason": "fraud alert"},
        follow=True,
    )
    line.refresh_from_db()
    assert line.status == CreditLineStatus.SUSPENDED
    page = browser.get(reverse("admin:credit_creditline_change", args=[line.pk])).content.decode()
    assert "credit line is Suspended" in page


def test_every_credit_page_renders_for_the_auditor(active_line, reviewed, make_staff, approver):
    line = active_line(EligibleClientFactory.create())
    application = reviewed(EligibleClientFactory.create())
    evaluation = application.evaluations.get()
    package = line.packages.first()
    auditor = make_staff(StaffRole.AUDITOR)
    pages = [
        reverse("admin:credit_creditapplication_changelist"),
        reverse("admin:credit_creditapplication_change", args=[application.pk]),
        reverse("admin:credit_creditapplication_change", args=[line.application_id]),
        reverse("admin:credit_creditline_changelist"),
        reverse("admin:credit_creditline_change", args=[line.pk]),
        reverse("admin:credit_creditevaluation_changelist"),
        reverse("admin:credit_creditevaluation_change", args=[evaluation.pk]),
        reverse("admin:credit_leveragepackage_changelist"),
        reverse("admin:credit_leveragepackage_change", args=[package.pk]),
        reverse("admin:credit_creditline_history", args=[line.pk]),
    ]
    browser = console(auditor)
    for url in pages:
        assert browser.get(url).status_code == 200, url
    evaluation_page = browser.get(pages[6]).content.decode()
    assert "Re-run gives the same result" in evaluation_page
    assert '<div class="readonly">yes</div>' in evaluation_page
    assert "ASSETS_BELOW_3M" in evaluation_page
    # The auditor sees but cannot decide.
    assert "decision-panel" not in browser.get(pages[1]).content.decode()
    assert "decision-panel" in console(approver).get(pages[1]).content.decode()
