"""Daily statements (one row per account and business date) and their lazily rendered PDFs."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import currency_field, money_field

# The figures a statement shows, in the order documents and the bulk writer use them.
STATEMENT_FIGURES = [
    "credit_limit",
    "cash",
    "securities_value",
    "collateral_value",
    "assets",
    "financed_principal",
    "accrued_interest",
    "fees",
    "liabilities",
    "available_margin",
    "withdrawable",
    "maintenance_ratio",
    "interest_today",
    "fees_today",
]


class DailyStatement(models.Model):
    """What DOMAIN.md requires a statement to show, as of the close of one business date.

    Written in bulk by the clearing run's statement step (a rerun replaces a shard's rows).
    """

    margin_account = models.ForeignKey(
        "custody.MarginAccount", on_delete=models.PROTECT, related_name="daily_statements"
    )
    business_date = models.DateField(_("business date"))
    run = models.ForeignKey(
        "settlement.ClearingRun", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    currency = currency_field()
    package = models.CharField(_("package"), max_length=40, blank=True)
    credit_limit = money_field(verbose_name=_("credit line"))
    cash = money_field(verbose_name=_("cash"))
    securities_value = money_field(verbose_name=_("securities at market value"))
    collateral_value = money_field(verbose_name=_("collateral value after haircuts"))
    assets = money_field(verbose_name=_("assets"))
    financed_principal = money_field(verbose_name=_("financed principal"))
    accrued_interest = money_field(verbose_name=_("accrued interest"))
    fees = money_field(verbose_name=_("fees owed"))
    liabilities = money_field(verbose_name=_("liabilities"))
    available_margin = money_field(verbose_name=_("available margin"))
    withdrawable = money_field(verbose_name=_("withdrawable"))
    # Wider than a rate field: a tiny debt against large assets gives a very large ratio.
    maintenance_ratio = models.DecimalField(
        _("maintenance ratio"),
        max_digits=24,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("empty: no debt"),
    )
    interest_today = money_field(verbose_name=_("interest charged today"))
    fees_today = money_field(verbose_name=_("fees charged today"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-business_date", "margin_account_id"]
        verbose_name = _("daily statement")
        verbose_name_plural = _("daily statements")
        constraints = [
            models.UniqueConstraint(
                fields=["margin_account", "business_date"], name="one_statement_per_account_day"
            ),
        ]
        indexes = [models.Index(fields=["business_date", "margin_account"])]

    def __str__(self) -> str:
        return f"{self.margin_account_id} {self.business_date}"


class StatementDocument(models.Model):
    """A rendered statement PDF, kept until the data it was rendered from changes."""

    key = models.CharField(_("document"), max_length=80, unique=True)
    margin_account = models.ForeignKey(
        "custody.MarginAccount", on_delete=models.PROTECT, related_name="+"
    )
    data_sha256 = models.CharField(_("data fingerprint"), max_length=64)
    pdf = models.BinaryField(_("PDF"))
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64)
    renderer = models.CharField(_("renderer"), max_length=80)
    rendered_at = models.DateTimeField(_("rendered at"), default=timezone.now)

    class Meta:
        ordering = ["-rendered_at"]
        verbose_name = _("statement document")
        verbose_name_plural = _("statement documents")

    def __str__(self) -> str:
        return self.key
