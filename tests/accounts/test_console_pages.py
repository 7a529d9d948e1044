"""Every accounts console page renders for the people who use it, on the demo book."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import demo
from accounts.models import (
    Client,
    KycDocument,
    Questionnaire,
    SanctionsList,
    ScreeningCase,
    SuitabilityAssessment,
)
from accounts.services.questionnaires import questionnaire_new_version
from core.demo import DemoContext
from tests.accounts.test_console import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def book():
    ctx = DemoContext(today=timezone.localdate(), log=lambda _line: None)
    demo.seed(ctx)
    return ctx


@pytest.mark.parametrize("username", ["ops2", "compliance1", "auditor"])
def test_every_client_page_renders_with_no_full_number(book, username):
    http = signed_in(book.staff[username])
    assert http.get("/console/").status_code == 200
    listing = http.get(reverse("admin:accounts_client_changelist") + "?reassessment=due")
    assert "冯丽" in listing.content.decode()
    for client in Client.objects.all():
        page = http.get(reverse("admin:accounts_client_change", args=[client.pk]))
        assert page.status_code == 200, client
        assert client.display_name in page.content.decode()


def test_the_other_accounts_pages_render(book):
    http = signed_in(book.staff["compliance1"])
    urls = [
        reverse("admin:accounts_screeningcase_changelist"),
        reverse("admin:accounts_screeningcase_change", args=[ScreeningCase.objects.get().pk]),
        reverse("admin:accounts_sanctionslist_changelist"),
        reverse("admin:accounts_sanctionslist_import"),
        reverse("admin:accounts_sanctionsentry_changelist"),
        reverse("admin:accounts_questionnaire_changelist"),
        reverse(
            "admin:accounts_questionnaire_change", args=[Questionnaire.objects.earliest("pk").pk]
        ),
        reverse("admin:accounts_suitabilityassessment_changelist"),
        reverse(
            "admin:accounts_suitabilityassessment_change",
            args=[SuitabilityAssessment.objects.earliest("pk").pk],
        ),
        reverse("admin:accounts_kycreview_changelist"),
        reverse("admin:accounts_kycdocument_change", args=[KycDocument.objects.earliest("pk").pk]),
        reverse("admin:accounts_partner_changelist"),
    ]
    for url in urls:
        assert http.get(url).status_code == 200, url
    verified = Client.objects.get(display_name="李娜")
    for name in ("questionnaire", "classify", "warning"):
        url = reverse("admin:accounts_client_form", args=[verified.pk, name])
        assert http.get(url).status_code == 200, name
    assert SanctionsList.objects.count() == 2
    ops = signed_in(book.staff["ops2"])
    for url in (
        reverse("admin:accounts_client_add_person"),
        reverse("admin:accounts_client_add_institution"),
    ):
        assert ops.get(url).status_code == 200, url
    assert http.get(reverse("admin:accounts_client_add_person")).status_code == 403


def test_an_answered_questionnaire_is_copied_into_a_new_version(book):
    answered = Questionnaire.objects.get(code="person-risk", version=1)
    copy = questionnaire_new_version(source=answered, by=book.staff["compliance1"])
    assert (copy.version, copy.published_on, copy.questions.count(), copy.bands.count()) == (
        2,
        None,
        10,
        5,
    )
    question = copy.questions.get(number=1)
    question.text = "您的年龄（周岁）是？"
    question.save()  # the copy is not answered yet, so it may change
    page = signed_in(book.staff["compliance1"]).get(
        reverse("admin:accounts_questionnaire_change", args=[answered.pk])
    )
    assert 'name="_save"' not in page.content.decode()
