"""Console page: credit lines waiting for their contract, and "Generate and issue the contract".

Part of the Contracts page (``/console/contracts/contract/credit-lines/``): every approved line
still pending its contract, with its live contract if one is out for signature, or a package
choice and the button that calls :func:`contracts.services.contract_for_credit_line`.
Refusals (expired or closed line, a live contract already, a package the line does not allow)
are shown as messages, as the service words them.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from contracts import selectors
from contracts.services import contract_for_credit_line
from core.exceptions import DomainError
from credit.models import CreditLine

ISSUE_PERMISSION = "contracts.issue_contract"


class IssueForCreditLineForm(forms.Form):
    package = forms.ChoiceField(label=_("Package"))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=128)

    def __init__(self, *args: Any, line: CreditLine, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"idempotency_key": uuid.uuid4().hex})
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["package"])
        field.choices = [(p.code, p.name) for p in line.packages.all()]


class CreditLineContractsMixin:
    """Adds the page to the contracts console (mixed into ``ContractAdmin``)."""

    admin_site: admin.AdminSite
    report_refusal: Any

    def credit_line_urls(self) -> list[URLPattern]:
        return [
            path(
                "credit-lines/",
                self.admin_site.admin_view(self.credit_lines_view),
                name="contracts_contract_credit_lines",
            ),
            path(
                "credit-lines/<int:line_id>/issue/",
                self.admin_site.admin_view(require_POST(self.issue_for_line_view)),
                name="contracts_contract_issue_for_line",
            ),
        ]

    def credit_lines_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm(ISSUE_PERMISSION):
            raise PermissionDenied
        rows = [
            (
                line,
                None
                if getattr(line, "live_contract_no", None)
                else IssueForCreditLineForm(line=line),
            )
            for line in selectors.credit_lines_waiting_for_contract()
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Credit lines waiting for a contract"),
            "rows": rows,
            "opts": CreditLine._meta,
        }
        return TemplateResponse(request, "admin/contracts/credit_lines.html", context)

    def issue_for_line_view(self, request: HttpRequest, line_id: int) -> HttpResponse:
        if not request.user.has_perm(ISSUE_PERMISSION):
            raise PermissionDenied
        line = get_object_or_404(CreditLine.objects.select_related("client"), pk=line_id)
        back = HttpResponseRedirect(reverse("admin:contracts_contract_credit_lines"))
        form = IssueForCreditLineForm(request.POST, line=line)
        if not form.is_valid():
            messages.error(request, _("Choose one of the packages the credit line allows."))
            return back
        try:
            contract = contract_for_credit_line(
                credit_line=line,
                package=form.cleaned_data["package"],
                by=request.user,
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except DomainError as error:
            self.report_refusal(request, error, line)
            return back
        url = reverse("admin:contracts_contract_change", args=[contract.pk])
        messages.success(
            request,
            format_html(
                gettext('Contract <a href="{}">{}</a> was generated and issued to {}.'),
                url,
                contract.contract_no,
                line.client,
            ),
        )
        return HttpResponseRedirect(url)
