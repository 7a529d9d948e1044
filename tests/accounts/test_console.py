"""The console: work queues, masked identity numbers, the audited reveal, service buttons."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from accounts.enums import ClientStatus, StaffRole
from accounts.models import Client, ScreeningCase
from accounts.services import client_screen, sanctions_list_import, totp_enrol
from core.models import AuditEvent
from tests.accounts.factories import person_details, register_person

pytestmark = pytest.mark.django_db


def signed_in(user) -> HttpClient:
    device = totp_enrol(user=user).device
    http = HttpClient()
    http.force_login(user)
    session = http.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return http


def test_the_home_page_shows_the_onboarding_queues(submitted, compliance):
    sanctions_list_import(
        key="t", name="t", fmt="csv", content="id,name\nT-1,王建国\n".encode(), by=None
    )
    client_screen(client=register_person(compliance_ops(), name="王建国", serial=9))
    page = signed_in(compliance).get("/console/").content.decode()
    for title in ("KYC to review", "Screening cases", "Questionnaires due"):
        assert title in page
    assert "status__exact=kyc_submitted" in page and "reassessment=due" in page


def compliance_ops():
    from tests.factories import StaffFactory

    return StaffFactory.create(role=StaffRole.OPERATIONS)


def test_the_client_page_masks_the_id_and_compliance_may_reveal_it(submitted, compliance):
    number = person_details().id_number
    http = signed_in(compliance)
    page = http.get(reverse("admin:accounts_client_change", args=[submitted.pk])).content
    assert number.encode() not in page
    assert submitted.person.id_number_masked.encode() in page

    url = reverse("admin:accounts_client_reveal", args=[submitted.pk])
    revealed = http.post(url, {"what": "id", "reason": "court order 2026-18"})
    assert number in revealed.content.decode()
    event = AuditEvent.objects.get(action="reveal")
    assert (event.actor, event.object_id) == (compliance, str(submitted.pk))
    assert event.details == {
        "field": "id",
        "shown": submitted.person.id_number_masked,
        "reason": "court order 2026-18",
    }
    assert number not in str(event.details)


def test_operations_cannot_reveal(submitted, ops2):
    url = reverse("admin:accounts_client_reveal", args=[submitted.pk])
    response = signed_in(ops2).post(url, {"what": "id", "reason": "curious"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="reveal").exists()


def test_the_maker_pressing_verify_is_refused_and_audited(submitted, ops):
    url = reverse("admin:accounts_client_form", args=[submitted.pk, "verify"])
    response = signed_in(ops).post(url, {"risk_rating": "low"})
    assert (
        "cannot approve it; another authorised colleague must decide" in response.content.decode()
    )
    submitted.refresh_from_db()
    assert submitted.status == ClientStatus.KYC_SUBMITTED
    assert AuditEvent.objects.filter(action="permission_denied", actor=ops).exists()


def test_a_second_person_verifies_from_the_console(submitted, ops2):
    url = reverse("admin:accounts_client_form", args=[submitted.pk, "verify"])
    response = signed_in(ops2).post(url, {"risk_rating": "medium", "note": "ok"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.risk_rating) == (ClientStatus.KYC_VERIFIED, "medium")


def test_entering_a_person_from_the_console_refuses_a_bad_id(ops):
    details = person_details()
    form = {
        **{k: v for k, v in details.__dict__.items()},
        "id_number": details.id_number[:-1] + ("1" if details.id_number[-1] != "1" else "2"),
    }
    response = signed_in(ops).post(reverse("admin:accounts_client_add_person"), form)
    assert "the check character should be" in response.content.decode()
    assert not Client.objects.exists()
    form["id_number"] = details.id_number
    assert signed_in(ops).post(reverse("admin:accounts_client_add_person"), form).status_code == 302
    assert Client.objects.get().status == ClientStatus.DRAFT


def test_compliance_clears_a_case_from_the_console(ops, compliance):
    sanctions_list_import(
        key="t", name="t", fmt="csv", content="id,name\nT-1,王建国\n".encode(), by=None
    )
    client_screen(client=register_person(ops, name="Wang Jianguo"))
    case = ScreeningCase.objects.get()
    url = reverse("admin:accounts_screeningcase_decide", args=[case.pk])
    signed_in(compliance).post(url, {"reason": "different birth date and ID", "_clear": "1"})
    case.refresh_from_db()
    assert (case.status, case.decided_by) == ("cleared", compliance)
