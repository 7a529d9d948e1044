"""Console pages for questionnaires, suitability and KYC records, lists and screening cases."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts.admin.forms import ListImportForm, ReasonForm
from accounts.enums import ScreeningStatus
from accounts.models import (
    AnswerOption,
    InvestorClassification,
    KycDocument,
    KycReview,
    Question,
    Questionnaire,
    SanctionsEntry,
    SanctionsList,
    ScoreBand,
    ScreeningCase,
    SuitabilityAssessment,
    SuitabilityWarning,
    User,
)
from accounts.services import sanctions_list_import, screening_case_clear, screening_case_confirm
from accounts.services.questionnaires import questionnaire_new_version
from core.admin_tools import FulcrumAdmin, ReadOnlyAdmin
from core.exceptions import DomainError


class FrozenInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        answered = obj is not None and obj.is_answered
        return not answered and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        answered = obj is not None and obj.is_answered
        return not answered and super().has_add_permission(request, obj)


class QuestionInline(FrozenInline):
    model = Question
    fields = ["number", "text", "text_en"]
    show_change_link = True


class BandInline(FrozenInline):
    model = ScoreBand
    fields = ["min_score", "max_score", "level"]


class OptionInline(admin.TabularInline):
    model = AnswerOption
    extra = 0
    can_delete = False
    fields = ["label", "text", "text_en", "score", "forces_lowest"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(FulcrumAdmin):
    list_display = ["title", "code", "version", "client_kind", "published_on", "retired_on"]
    list_filter = ["client_kind"]
    inlines = [QuestionInline, BandInline]
    actions = ["new_version"]

    @admin.action(description=_l("Copy as a new (unpublished) version"), permissions=["add"])
    def new_version(self, request: HttpRequest, queryset: Any) -> None:
        for sheet in queryset:
            try:
                copy = questionnaire_new_version(source=sheet, by=cast(User, request.user))
            except DomainError as error:
                self.report_refusal(request, error, sheet)
            else:
                messages.success(
                    request, _("%s created; publish it by setting its first day in use.") % copy
                )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_answered:
            return False  # frozen: answers keep the meaning they had; add a new version
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Question)
class QuestionAdmin(FulcrumAdmin):
    list_display = ["questionnaire", "number", "text"]
    list_filter = ["questionnaire"]
    inlines = [OptionInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.questionnaire.is_answered:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SuitabilityAssessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["client", "level", "total_score", "assessed_on", "review_due", "recorded_by"]
    list_filter = ["level", "lowest_category"]
    search_fields = ["client__client_no", "client__display_name"]
    date_hierarchy = "assessed_on"


@admin.register(SuitabilityWarning)
class WarningAdmin(ReadOnlyAdmin):
    list_display = ["client", "suitability_level", "product_risk_level", "acknowledged_on"]
    search_fields = ["client__client_no"]


@admin.register(InvestorClassification)
class ClassificationAdmin(ReadOnlyAdmin):
    list_display = ["client", "investor_type", "basis", "decided_on", "decided_by"]
    list_filter = ["investor_type", "basis"]


@admin.register(KycReview)
class KycReviewAdmin(ReadOnlyAdmin):
    list_display = ["client", "cycle", "decision", "submitted_by", "decided_by", "submitted_at"]
    list_filter = ["decision", "verifier"]
    search_fields = ["client__client_no", "client__display_name"]


@admin.register(KycDocument)
class KycDocumentAdmin(ReadOnlyAdmin):
    list_display = ["client", "doc_type", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["doc_type"]
    search_fields = ["client__client_no"]
    exclude = ["file"]  # opened only through the scoped document view


@admin.register(SanctionsList)
class SanctionsListAdmin(ReadOnlyAdmin):
    list_display = ["key", "name", "is_pep", "last_format", "last_imported_at", "import_count"]

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="accounts_sanctionslist_import")] + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("accounts.import_sanctionslist"):
            raise PermissionDenied
        form = ListImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                counts = sanctions_list_import(
                    key=data["key"],
                    name=data["name"],
                    fmt=data["fmt"],
                    content=data["file"].read(),
                    is_pep=data["is_pep"],
                    by=cast(User, request.user),
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Imported %(counts)s; every client is being screened again.")
                    % {"counts": counts},
                )
                return HttpResponseRedirect(reverse("admin:accounts_sanctionslist_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import a sanctions / PEP list"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/accounts/client/action_form.html", context)


@admin.register(SanctionsEntry)
class SanctionsEntryAdmin(ReadOnlyAdmin):
    list_display = ["name", "schema", "sanctions_list", "active"]
    list_filter = ["sanctions_list", "schema", "active"]
    search_fields = ["name", "external_id"]
    exclude = ["name_keys", "id_indexes"]


@admin.register(ScreeningCase)
class ScreeningCaseAdmin(ReadOnlyAdmin):
    list_display = ["client", "entry", "score", "status", "opened_at", "decided_by"]
    list_filter = ["status", "entry__sanctions_list"]
    search_fields = ["client__client_no", "client__display_name", "entry__name"]
    list_select_related = ["client", "entry"]
    change_form_template = "admin/accounts/screeningcase/change_form.html"

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.decide_view)
        return [
            path("<int:pk>/decide/", view, name="accounts_screeningcase_decide")
        ] + super().get_urls()

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        case = ScreeningCase.objects.filter(pk=object_id).first()
        context = dict(extra_context or {})
        if (
            case is not None
            and case.status == ScreeningStatus.OPEN
            and request.user.has_perm("accounts.decide_screeningcase")
        ):
            context["decide_form"] = ReasonForm()
            context["decide_url"] = reverse("admin:accounts_screeningcase_decide", args=[case.pk])
        return super().change_view(request, object_id, form_url, context)

    def decide_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST" or not request.user.has_perm("accounts.decide_screeningcase"):
            raise PermissionDenied
        case = get_object_or_404(ScreeningCase, pk=pk)
        decide = screening_case_confirm if "_confirm" in request.POST else screening_case_clear
        try:
            reason = request.POST.get("reason", "")
            decided = decide(case=case, by=cast(User, request.user), reason=reason)
        except DomainError as error:
            self.report_refusal(request, error, case)
        else:
            messages.success(request, _("Case %s.") % decided.get_status_display().lower())
        return HttpResponseRedirect(reverse("admin:accounts_screeningcase_change", args=[pk]))
