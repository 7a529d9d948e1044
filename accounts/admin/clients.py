"""The client pages: a read-only record with panels, and buttons that call services.

Identity and account numbers appear masked everywhere; compliance may reveal one, which is
audited. Nothing on these pages saves a model directly.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm_log.models import StateLog

from accounts import selectors
from accounts.admin.client_actions import ClientActionsMixin
from accounts.enums import ClientKind, ClientStatus
from accounts.models import Client, InstitutionProfile, Partner, PersonProfile
from accounts.services.suitability import eligibility_problems
from core.admin_tools import FulcrumAdmin
from core.fsm import available_transition_names

S = ClientStatus


class ReassessmentFilter(admin.SimpleListFilter):
    title = _("re-assessment")
    parameter_name = "reassessment"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("due", _("due or overdue"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Client]) -> QuerySet[Client]:
        if self.value() == "due":
            due = selectors.reassessment_due(timezone.localdate())
            return queryset.filter(pk__in=due.values("pk"))
        return queryset


def _identity(client: Client) -> list[tuple[Any, Any, str]]:
    """(label, shown value, reveal key or '') — never a full number."""
    person = PersonProfile.objects.filter(client=client).first()
    if person is not None:
        return [
            (_("name"), f"{person.name} ({person.name_latin})", ""),
            (_("resident ID"), person.id_number_masked, "id"),
            (_("born / sex"), f"{person.birth_date} / {person.get_sex_display()}", ""),
            (_("mobile"), person.mobile[:3] + "****" + person.mobile[-4:], ""),
            (_("address"), person.address, ""),
            (_("occupation"), f"{person.occupation} {person.employer}".strip(), ""),
            (
                _("income / assets (CNY)"),
                f"{person.annual_income:,} / {person.financial_assets:,}",
                "",
            ),
            (_("years investing"), person.investment_experience_years, ""),
        ]
    org = InstitutionProfile.objects.filter(client=client).first()
    if org is None:
        return []
    rows: list[tuple[Any, Any, str]] = [
        (_("registered name"), f"{org.name} {org.name_latin}".strip(), ""),
        (_("credit code"), org.uscc, ""),
        (_("legal representative"), f"{org.legal_rep_name} {org.id_number_masked}", "id"),
        (_("address"), org.registered_address, ""),
        (_("assets (CNY)"), f"{org.financial_assets:,}", ""),
    ]
    for trader in org.traders.all():
        rows.append(
            (_("trader"), f"{trader.name} {trader.id_number_masked}", f"trader:{trader.pk}")
        )
    return rows


EDITABLE = {S.DRAFT, S.KYC_SUBMITTED, S.KYC_REJECTED}
NOT_ASSESSABLE = {S.DRAFT, S.KYC_SUBMITTED, S.KYC_REJECTED, S.SUSPENDED, S.CLOSED}


class _Buttons:
    def __init__(self, client: Client, user: Any) -> None:
        self.client, self.user = client, user
        self.steps = set(available_transition_names(client))
        self.found: list[tuple[Any, str, str]] = []

    def form(self, name: str, label: Any, perm: str, when: bool = True) -> None:
        if when and self.user.has_perm(perm):
            url = reverse("admin:accounts_client_form", args=[self.client.pk, name])
            self.found.append((label, url, "get"))

    def button(self, name: str, label: Any, perm: str, when: bool = True) -> None:
        if when and self.user.has_perm(perm):
            url = reverse("admin:accounts_client_do", args=[self.client.pk, name])
            self.found.append((label, url, "post"))


def _buttons(client: Client, request: HttpRequest) -> list[tuple[Any, str, str]]:
    """(label, url, method) for what this person may do to this client now."""
    b = _Buttons(client, request.user)
    editable = client.status in EDITABLE
    is_person = client.kind == ClientKind.PERSON
    b.form("edit", _("Correct details"), "accounts.change_client", editable and is_person)
    b.form("trader", _("Add trader"), "accounts.change_client", editable and not is_person)
    b.form("bank", _("Add bank account"), "accounts.change_client", editable)
    b.form("document", _("Upload document"), "accounts.add_kycdocument", client.status != S.CLOSED)
    b.button(
        "submit", _("Submit for KYC review"), "accounts.change_client", "submit_kyc" in b.steps
    )
    b.form("verify", _("Verify KYC"), "accounts.review_kyc", "verify_kyc" in b.steps)
    b.form("reject", _("Reject KYC"), "accounts.review_kyc", "reject_kyc" in b.steps)
    assessable = client.status not in NOT_ASSESSABLE
    b.form("questionnaire", _("Questionnaire"), "accounts.add_suitabilityassessment", assessable)
    b.form("classify", _("Professional / ordinary"), "accounts.add_investorclassification")
    has_level = bool(client.suitability_level)
    b.form("warning", _("Special warning"), "accounts.add_suitabilitywarning", has_level)
    b.button("screen", _("Screen now"), "accounts.change_client", client.status != S.CLOSED)
    b.button(
        "eligible", _("Mark eligible"), "accounts.decide_onboarding", "mark_eligible" in b.steps
    )
    for step, label in (("suspend", _("Suspend")), ("resume", _("Resume")), ("close", _("Close"))):
        b.form(step, label, "accounts.decide_onboarding", step in b.steps)
    return b.found


@admin.register(Client)
class ClientAdmin(ClientActionsMixin, FulcrumAdmin):
    list_display = [
        "client_no",
        "display_name",
        "kind",
        "status",
        "suitability_level",
        "investor_type",
        "tier",
        "risk_rating",
        "suitability_review_due",
        "partner",
    ]
    list_filter = ["status", "kind", "suitability_level", "tier", ReassessmentFilter, "partner"]
    search_fields = ["client_no", "display_name"]
    list_select_related = ["partner"]
    change_form_template = "admin/accounts/client/change_form.html"
    fields = [
        "client_no",
        "kind",
        "display_name",
        "status",
        "suitability_level",
        "investor_type",
        "tier",
        "risk_rating",
        "suitability_review_due",
        "partner",
        "user",
        "entered_by",
        "last_screened_at",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        kind = request.GET.get("kind")
        name = "institution" if kind == ClientKind.INSTITUTION else "person"
        return HttpResponseRedirect(reverse(f"admin:accounts_client_add_{name}"))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        client = selectors.clients_visible_to(request.user).filter(pk=object_id).first()
        context = dict(extra_context or {})
        context.update(
            show_save=False,
            show_save_and_continue=False,
            show_save_and_add_another=False,
            show_delete=False,
        )
        if client is not None:
            context.update(self._panels(client, request))
        return super().change_view(request, object_id, form_url, context)

    def _panels(self, client: Client, request: HttpRequest) -> dict[str, Any]:
        return {
            "buttons": _buttons(client, request),
            "identity": _identity(client),
            "can_reveal": request.user.has_perm("accounts.reveal_pii"),
            "documents": client.documents.all(),
            "bank_accounts": client.bank_accounts.all(),
            "kyc_reviews": client.kyc_reviews.select_related("submitted_by", "decided_by"),
            "assessments": client.suitability_assessments.select_related("questionnaire"),
            "classifications": client.investor_classifications.all(),
            "warnings": client.suitability_warnings.all(),
            "cases": client.screening_cases.select_related("entry"),
            "state_log": StateLog.objects.for_(client).select_related("by").order_by("-timestamp"),
            "problems": eligibility_problems(client, timezone.localdate())
            if client.status == S.SUITABILITY_ASSESSED
            else [],
        }


@admin.register(Partner)
class PartnerAdmin(FulcrumAdmin):
    list_display = ["code", "name", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
