"""Console: the statements browser, with PDFs rendered on demand."""

from __future__ import annotations

from datetime import date

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin_tools import ReadOnlyAdmin
from core.exceptions import DomainError
from custody.models import MarginAccount
from settlement.models import DailyStatement
from settlement.services import monthly_statement_pdf, statement_pdf


def pdf_response(content: bytes | memoryview, name: str) -> HttpResponse:
    response = HttpResponse(bytes(content), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@admin.register(DailyStatement)
class DailyStatementAdmin(ReadOnlyAdmin):
    list_display = [
        "business_date",
        "margin_account",
        "credit_limit",
        "assets",
        "liabilities",
        "available_margin",
        "withdrawable",
        "maintenance_ratio",
        "interest_today",
        "pdf_links",
    ]
    list_filter = ["business_date", "package"]
    search_fields = ["margin_account__account_no"]
    date_hierarchy = "business_date"
    list_select_related = ["margin_account__client"]
    show_full_result_count = False

    @admin.display(description=_("PDF"))
    def pdf_links(self, obj: DailyStatement) -> str:
        daily = reverse("admin:settlement_dailystatement_pdf", args=[obj.pk])
        monthly = reverse(
            "admin:settlement_monthly_pdf",
            args=[obj.margin_account_id, f"{obj.business_date:%Y-%m}"],
        )
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>', daily, _("day"), monthly, _("month")
        )

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:pk>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="settlement_dailystatement_pdf",
            ),
            path(
                "monthly/<int:account_id>/<str:month>/pdf/",
                self.admin_site.admin_view(self.monthly_view),
                name="settlement_monthly_pdf",
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        statement = get_object_or_404(DailyStatement, pk=pk)
        document = statement_pdf(statement=statement)
        return pdf_response(document.pdf, f"statement-{statement.business_date}.pdf")

    def monthly_view(self, request: HttpRequest, account_id: int, month: str) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        account = get_object_or_404(MarginAccount, pk=account_id)
        try:
            first = date.fromisoformat(f"{month}-01")
        except ValueError as exc:
            raise PermissionDenied("month must be YYYY-MM") from exc
        try:
            document = monthly_statement_pdf(margin_account=account, month=first)
        except DomainError as exc:
            raise Http404(str(exc)) from exc
        return pdf_response(document.pdf, f"statement-{month}.pdf")
