"""The client page's buttons and forms: each one calls a service and shows its refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import selectors, services
from accounts.admin import forms as f
from accounts.models import Client
from accounts.services.suitability import questionnaire_in_use
from core.exceptions import DomainError

Handler = Callable[[Client, Any, Any], str]


def _person(client: Client, form: Any, user: Any) -> str:
    services.person_update(client=client, details=form.details(), by=user)
    return _("Details corrected; you may no longer decide this client's KYC.")


def _document(client: Client, form: Any, user: Any) -> str:
    upload = form.cleaned_data["file"]
    services.document_upload(
        client=client,
        doc_type=form.cleaned_data["doc_type"],
        upload=services.Upload(upload.name, upload.read()),
        by=user,
    )
    return _("Document stored.")


def _bank(client: Client, form: Any, user: Any) -> str:
    services.bank_account_add(client=client, by=user, **form.cleaned_data)
    return _("Bank account recorded.")


def _trader(client: Client, form: Any, user: Any) -> str:
    services.trader_add(client=client, by=user, **form.cleaned_data)
    return _("Authorised trader recorded.")


def _verify(client: Client, form: Any, user: Any) -> str:
    services.kyc_verify(client=client, by=user, **form.cleaned_data)
    return _("KYC verified.")


def _reject(client: Client, form: Any, user: Any) -> str:
    services.kyc_reject(client=client, by=user, reasons=form.reason_list())
    return _("KYC sent back with your reasons.")


def _questionnaire(client: Client, form: Any, user: Any) -> str:
    assessment = services.suitability_assess(
        client=client,
        answers=form.answers(),
        by=user,
        questionnaire=form.questionnaire,
        idempotency_key=form.key,
    )
    return _("Assessed %(level)s (score %(score)s); re-assessment due %(due)s.") % {
        "level": assessment.level,
        "score": assessment.total_score,
        "due": assessment.review_due,
    }


def _warning(client: Client, form: Any, user: Any) -> str:
    services.special_warning_record(client=client, by=user, **form.cleaned_data)
    return _("Special warning recorded.")


def _classify(client: Client, form: Any, user: Any) -> str:
    data = dict(form.cleaned_data)
    data["evidence"] = list(data["evidence"])
    record = services.investor_classify(client=client, by=user, **data)
    return _("Classified: %s.") % record.get_investor_type_display()


def _suspend(client: Client, form: Any, user: Any) -> str:
    services.client_suspend(client=client, by=user, **form.cleaned_data)
    return _("Client suspended.")


def _resume(client: Client, form: Any, user: Any) -> str:
    services.client_resume(client=client, by=user, **form.cleaned_data)
    return _("Client resumed.")


def _close(client: Client, form: Any, user: Any) -> str:
    services.client_close(client=client, by=user, **form.cleaned_data)
    return _("Client closed.")


# name: (title, form class, permission, handler)
FORMS: dict[str, tuple[Any, type[forms.Form], str, Handler]] = {
    "edit": (_l("Correct details"), f.PersonEditForm, "accounts.change_client", _person),
    "document": (_l("Upload a document"), f.DocumentForm, "accounts.add_kycdocument", _document),
    "bank": (
        _l("Add the client's bank account"),
        f.BankAccountForm,
        "accounts.change_client",
        _bank,
    ),
    "trader": (_l("Add an authorised trader"), f.TraderForm, "accounts.change_client", _trader),
    "verify": (_l("Verify KYC"), f.VerifyForm, "accounts.review_kyc", _verify),
    "reject": (_l("Reject KYC"), f.RejectForm, "accounts.review_kyc", _reject),
    "questionnaire": (
        _l("Suitability questionnaire"),
        f.QuestionnaireForm,
        "accounts.add_suitabilityassessment",
        _questionnaire,
    ),
    "warning": (
        _l("Record a special warning"),
        f.WarningForm,
        "accounts.add_suitabilitywarning",
        _warning,
    ),
    "classify": (
        _l("Professional / ordinary investor"),
        f.ClassifyForm,
        "accounts.add_investorclassification",
        _classify,
    ),
    "suspend": (_l("Suspend"), f.ReasonForm, "accounts.decide_onboarding", _suspend),
    "resume": (_l("Resume"), f.ReasonForm, "accounts.decide_onboarding", _resume),
    "close": (_l("Close"), f.ReasonForm, "accounts.decide_onboarding", _close),
}


# name: (permission, service call)
def _submit(client: Client, user: Any) -> str:
    services.kyc_submit(client=client, by=user)
    return _("Submitted for KYC review.")


def _eligible(client: Client, user: Any) -> str:
    services.client_mark_eligible(client=client, by=user)
    return _("The client is eligible.")


def _screen(client: Client, user: Any) -> str:
    result = services.client_screen(client=client)
    return _("Screened: %(hits)d possible matches, %(new)d new cases.") % {
        "hits": result.hits,
        "new": result.opened,
    }


BUTTONS: dict[str, tuple[str, Callable[[Client, Any], str]]] = {
    "submit": ("accounts.change_client", _submit),
    "eligible": ("accounts.decide_onboarding", _eligible),
    "screen": ("accounts.change_client", _screen),
}


class ClientActionsMixin:
    """Extra console URLs under a client: forms, buttons and the audited reveal."""

    admin_site: Any
    report_refusal: Callable[..., None]  # from FulcrumAdmin

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        extra = [
            path("add/person/", wrap(self.add_person_view), name="accounts_client_add_person"),
            path(
                "add/institution/",
                wrap(self.add_institution_view),
                name="accounts_client_add_institution",
            ),
            path("<int:pk>/form/<str:name>/", wrap(self.form_view), name="accounts_client_form"),
            path("<int:pk>/do/<str:name>/", wrap(self.button_view), name="accounts_client_do"),
            path("<int:pk>/reveal/", wrap(self.reveal_view), name="accounts_client_reveal"),
        ]
        return extra + super().get_urls()  # type: ignore[misc]

    def _client(self, request: HttpRequest, pk: int) -> Client:
        return get_object_or_404(selectors.clients_visible_to(request.user), pk=pk)

    def _page(self, request: HttpRequest, title: str, form: forms.Form, client: Any) -> Any:
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "client": client,
            "opts": Client._meta,
        }
        return TemplateResponse(request, "admin/accounts/client/action_form.html", context)

    def _refuse(self, request: HttpRequest, form: forms.Form, error: DomainError, obj: Any) -> None:
        if error.code in {"segregation_of_duties", "permission_refused"}:
            self.report_refusal(request, error, obj)
        field = error.field if error.field in form.fields else None
        form.add_error(field, str(error))

    def _form_instance(self, name: str, client: Client, request: HttpRequest) -> forms.Form:
        form_class = FORMS[name][1]
        data = (request.POST or None, request.FILES or None)
        if form_class is f.QuestionnaireForm:
            sheet = questionnaire_in_use(kind=client.kind, on=timezone.localdate())
            return f.QuestionnaireForm(*data, questionnaire=sheet)
        if form_class is f.ClassifyForm:
            return f.ClassifyForm(*data, client=client)
        return form_class(*data)

    def form_view(self, request: HttpRequest, pk: int, name: str) -> HttpResponse:
        if name not in FORMS:
            raise PermissionDenied
        title, _form_class, permission, handler = FORMS[name]
        if not request.user.has_perm(permission):
            raise PermissionDenied
        client = self._client(request, pk)
        try:
            form = self._form_instance(name, client, request)
        except DomainError as error:
            self.report_refusal(request, error, client)
            return HttpResponseRedirect(_change_url(client))
        if request.method == "POST" and form.is_valid():
            try:
                message = handler(client, form, request.user)
            except DomainError as error:
                self._refuse(request, form, error, client)
            else:
                messages.success(request, message)
                return HttpResponseRedirect(_change_url(client))
        return self._page(request, f"{title} — {client}", form, client)

    def button_view(self, request: HttpRequest, pk: int, name: str) -> HttpResponse:
        if request.method != "POST" or name not in BUTTONS:
            raise PermissionDenied
        permission, call = BUTTONS[name]
        if not request.user.has_perm(permission):
            raise PermissionDenied
        client = self._client(request, pk)
        try:
            messages.success(request, call(client, request.user))
        except DomainError as error:
            self.report_refusal(request, error, client)
        return HttpResponseRedirect(_change_url(client))

    def reveal_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm("accounts.reveal_pii"):
            raise PermissionDenied
        client = self._client(request, pk)
        form = f.RevealForm(request.POST or None, initial={"what": request.GET.get("what", "")})
        if request.method == "POST" and form.is_valid():
            try:
                number = services.pii_reveal(client=client, by=request.user, **form.cleaned_data)
            except DomainError as error:
                self._refuse(request, form, error, client)
            else:
                response = self._page(
                    request, _("Revealed (recorded in the audit log)"), form, client
                )
                response.context_data["revealed"] = number
                response["Cache-Control"] = "private, no-store"
                return response
        return self._page(request, _("Reveal a full number — %s") % client, form, client)

    def _add(self, request: HttpRequest, form: Any, register: Callable[..., Client]) -> Any:
        if not request.user.has_perm("accounts.add_client"):
            raise PermissionDenied
        if request.method == "POST" and form.is_valid():
            try:
                client = register(
                    details=form.details(),
                    by=request.user,
                    partner=form.cleaned_data.get("partner"),
                    idempotency_key=form.key,
                )
            except DomainError as error:
                self._refuse(request, form, error, None)
            else:
                messages.success(request, _("Client %s entered as a draft.") % client.client_no)
                return HttpResponseRedirect(_change_url(client))
        return self._page(request, _("New client"), form, None)

    def add_person_view(self, request: HttpRequest) -> HttpResponse:
        form = f.PersonForm(request.POST or None)
        return self._add(request, form, services.client_register_person)

    def add_institution_view(self, request: HttpRequest) -> HttpResponse:
        form = f.InstitutionForm(request.POST or None)
        return self._add(request, form, services.client_register_institution)


def _change_url(client: Client) -> str:
    return reverse("admin:accounts_client_change", args=[client.pk])
