"""Credit applications: entry, scorecard review, four-eyes decisions; evaluations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.enums import ClientStatus
from accounts.models import Client
from core.admin_tools import DecisionAdminMixin, FulcrumAdmin, ReadOnlyAdmin
from core.exceptions import DomainError
from credit.admin.common import table
from credit.enums import OPEN_APPLICATION_STATUSES, ApplicationStatus
from credit.models import CreditApplication, CreditDecision, CreditEvaluation, LeveragePackage
from credit.selectors import evaluation_reproduce
from credit.services import (
    credit_application_approve,
    credit_application_reject,
    credit_application_review,
    credit_application_submit,
)

SUBMIT_FIELDS = [
    "client",
    "requested_amount",
    "packages",
    "financial_assets",
    "annual_income",
    "investing_experience_years",
    "past_margin_calls",
    "received_on",
    "purpose",
]


class ApplicationSubmitForm(forms.ModelForm):
    class Meta:
        model = CreditApplication
        fields = SUBMIT_FIELDS
        widgets = {"packages": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.filter(  # type: ignore[attr-defined]
            status=ClientStatus.ELIGIBLE
        )
        self.fields["packages"].queryset = LeveragePackage.objects.filter(  # type: ignore[attr-defined]
            active=True
        )
        self.fields["received_on"].initial = timezone.localdate()


class DecisionInline(admin.TabularInline):
    model = CreditDecision
    fields = ["approver", "decision", "limit", "note", "decided_at"]
    readonly_fields = ["approver", "decision", "limit", "note", "decided_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EvaluationInline(admin.TabularInline):
    model = CreditEvaluation
    fields = ["evaluated_on", "scorecard_version", "score", "grade", "computed_limit", "reasons"]
    readonly_fields = [
        "evaluated_on",
        "scorecard_version",
        "score",
        "grade",
        "computed_limit",
        "reasons",
    ]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("reason codes"))
    def reasons(self, obj: CreditEvaluation) -> str:
        return ", ".join(obj.reason_codes)


@admin.register(CreditApplication)
class CreditApplicationAdmin(DecisionAdminMixin, FulcrumAdmin):
    added_message = _("Submitted. Next: run the scorecard (start review).")
    change_form_template = "admin/credit/creditapplication/decision_change_form.html"
    decision_permission = "credit.decide_creditapplication"
    list_display = [
        "id",
        "client",
        "requested_amount",
        "status",
        "received_on",
        "requested_by",
        "approvals",
    ]
    list_filter = ["status"]
    search_fields = ["client__client_no", "client__display_name"]
    date_hierarchy = "received_on"
    actions = ["start_review"]
    inlines = [EvaluationInline, DecisionInline]
    readonly_fields = [
        "client",
        "status",
        "requested_amount",
        "currency",
        "package_list",
        "financial_assets",
        "annual_income",
        "investing_experience_years",
        "past_margin_calls",
        "received_on",
        "purpose",
        "requested_by",
        "submitted_at",
        "decided_at",
        "approved_limit",
        "decision_note",
        "line_link",
    ]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("client", "requested_by")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kw: Any):
        if obj is None:
            kw["form"] = ApplicationSubmitForm
        return super().get_form(request, obj, change=change, **kw)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields) if obj is not None else list(SUBMIT_FIELDS)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields) if obj is not None else []

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        return list(self.inlines) if obj is not None else []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        application = credit_application_submit(
            client=data["client"],
            requested_amount=data["requested_amount"],
            packages=list(data["packages"]),
            requested_by=request.user,
            financial_assets=data["financial_assets"],
            annual_income=data["annual_income"],
            investing_experience_years=data["investing_experience_years"],
            past_margin_calls=data["past_margin_calls"],
            received_on=data["received_on"],
            purpose=data["purpose"],
        )
        obj.pk = application.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The service already stored the packages."""

    @admin.display(description=_("approvals"))
    def approvals(self, obj: CreditApplication) -> int:
        return obj.decisions.filter(decision="approve").count()

    @admin.display(description=_("packages"))
    def package_list(self, obj: CreditApplication) -> str:
        return ", ".join(p.name for p in obj.packages.all())

    @admin.display(description=_("credit line"))
    def line_link(self, obj: CreditApplication) -> str:
        line = getattr(obj, "credit_line", None)
        if line is None:
            return "—"
        url = reverse("admin:credit_creditline_change", args=[line.pk])
        return format_html('<a href="{}">#{} {}</a>', url, line.pk, line.get_status_display())

    def is_pending(self, obj: CreditApplication) -> bool:
        return obj.status in OPEN_APPLICATION_STATUSES

    def decide(self, request: HttpRequest, obj: Any, *, approve: bool, note: str) -> str:
        if not approve:
            credit_application_reject(application=obj, approver=request.user, note=note)
            return str(_("Rejected."))
        raw = request.POST.get("approved_limit", "").strip()
        limit = Decimal(raw) if raw else None
        decided = credit_application_approve(
            application=obj, approver=request.user, limit=limit, note=note
        )
        if decided.status == ApplicationStatus.APPROVED:
            return str(_("Approved: credit line created, waiting for the contract."))
        return str(_("Your approval is recorded; a second, different approver must confirm."))

    def decision_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        raw = request.POST.get("approved_limit", "").strip() if request.method == "POST" else ""
        try:
            if raw:
                Decimal(raw)
        except ArithmeticError:
            messages.error(request, _("The limit must be a number, e.g. 500000.00."))
            return HttpResponseRedirect(
                reverse("admin:credit_creditapplication_change", args=[object_id])
            )
        return super().decision_view(request, object_id)

    @admin.action(description=_("Run the scorecard and start the review"), permissions=["review"])
    def start_review(self, request: HttpRequest, queryset: Any) -> None:
        done = 0
        for application in queryset.order_by("pk"):
            try:
                credit_application_review(application=application, by=request.user)
                done += 1
            except DomainError as error:
                self.report_refusal(request, error, application)
        if done:
            messages.success(request, _("%d application(s) scored and under review.") % done)

    def has_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("credit.review_creditapplication")


@admin.register(CreditEvaluation)
class CreditEvaluationAdmin(ReadOnlyAdmin):
    list_display = ["id", "client", "application", "evaluated_on", "score", "grade", "limit"]
    list_filter = ["grade"]
    search_fields = ["client__client_no", "client__display_name"]
    readonly_fields = [
        "application",
        "client",
        "scorecard_version",
        "scorecard_digest",
        "evaluated_on",
        "evaluated_by",
        "inputs_table",
        "points_table",
        "score",
        "grade",
        "reason_codes",
        "computed_limit",
        "reproduces",
    ]
    fields = readonly_fields

    @admin.display(description=_("computed limit"))
    def limit(self, obj: CreditEvaluation) -> Decimal:
        return obj.computed_limit

    @admin.display(description=_("inputs"))
    def inputs_table(self, obj: CreditEvaluation) -> str:
        return table(sorted(obj.inputs.items()))

    @admin.display(description=_("points per factor"))
    def points_table(self, obj: CreditEvaluation) -> str:
        return table(obj.points.items())

    @admin.display(description=_("re-run gives the same result"))
    def reproduces(self, obj: CreditEvaluation) -> str:
        again = evaluation_reproduce(obj)
        same = (again.score, again.grade, again.limit, again.points, list(again.reason_codes)) == (
            obj.score,
            obj.grade,
            obj.computed_limit,
            obj.points,
            obj.reason_codes,
        )
        return str(_("yes")) if same else str(_("NO — investigate"))
