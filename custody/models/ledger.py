"""The double-entry ledger: chart of accounts, ledger accounts, running balances, entries.

Sign convention: every posting amount is **debit-positive** (a debit is +, a credit is −), so the
postings of an entry sum to zero per currency and the sum of all balances in a currency is zero.
An account's *natural* balance (what people read: a client's cash, the bank's holdings) is
``balance × sign`` where sign is +1 for debit-normal and −1 for credit-normal accounts.

Journal entries and postings are immutable (corrections are reversal entries), so they carry no
change history; running balances change only by ``F()`` deltas from the posting services and are
checked against the postings by ``manage.py reconcile_ledger``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import currency_field, money_field
from custody.enums import AccountScope, EntryKind, NormalSide


class ImmutableError(Exception):
    """Raised when code tries to change or delete a posting or a journal entry."""


class LedgerAccountType(models.Model):
    """One line of the chart of accounts (seeded as data by a migration)."""

    code = models.CharField(_("code"), max_length=40, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    scope = models.CharField(_("scope"), max_length=8, choices=AccountScope.choices)
    normal_side = models.CharField(_("normal side"), max_length=8, choices=NormalSide.choices)
    non_negative = models.BooleanField(
        _("may never go below zero"),
        default=False,
        help_text=_("Client cash: the database refuses a natural balance below zero."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["scope", "code"]
        verbose_name = _("chart of accounts line")
        verbose_name_plural = _("chart of accounts")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def sign(self) -> int:
        return 1 if self.normal_side == NormalSide.DEBIT else -1


class LedgerAccount(models.Model):
    """A ledger account per (margin account or the firm, account type, currency)."""

    margin_account = models.ForeignKey(
        "custody.MarginAccount",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
    )
    account_type = models.ForeignKey(LedgerAccountType, on_delete=models.PROTECT)
    currency = currency_field()

    class Meta:
        ordering = ["margin_account_id", "account_type_id", "currency"]
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["margin_account", "account_type", "currency"],
                condition=Q(margin_account__isnull=False),
                name="one_client_ledger_account_per_type",
            ),
            models.UniqueConstraint(
                fields=["account_type", "currency"],
                condition=Q(margin_account__isnull=True),
                name="one_firm_ledger_account_per_type",
            ),
        ]

    def __str__(self) -> str:
        owner = self.margin_account.account_no if self.margin_account is not None else "firm"
        return f"{owner} {self.account_type_id} {self.currency}"


class LedgerBalance(models.Model):
    """The running total of one ledger account, debit-positive; moved only by ``F()`` deltas."""

    ledger_account = models.OneToOneField(
        LedgerAccount, on_delete=models.PROTECT, primary_key=True, related_name="balance_row"
    )
    balance = money_field(verbose_name=_("balance (debit +)"), default=0)
    # Copied from the account type so that the database can hold the no-negative-cash rule here.
    normal_side = models.CharField(max_length=8, choices=NormalSide.choices)
    non_negative = models.BooleanField(default=False)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("ledger balance")
        verbose_name_plural = _("ledger balances")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(non_negative=False)
                    | Q(normal_side=NormalSide.DEBIT, balance__gte=0)
                    | Q(normal_side=NormalSide.CREDIT, balance__lte=0)
                ),
                name="client_cash_never_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ledger_account} {self.balance}"

    @property
    def natural_balance(self) -> Any:
        return self.balance if self.normal_side == NormalSide.DEBIT else -self.balance


class ImmutableQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableError(f"{self.model._meta.verbose_name} rows are immutable; post a reversal")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableError(f"{self.model._meta.verbose_name} rows are immutable; post a reversal")


class ImmutableModel(models.Model):
    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError(
                f"{self._meta.verbose_name} {self.pk} is immutable; post a reversal instead"
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableError(
            f"{self._meta.verbose_name} {self.pk} is immutable; post a reversal instead"
        )


class JournalEntry(ImmutableModel):
    """Two or more postings that sum to zero per currency, written once."""

    business_date = models.DateField(_("business date"))
    kind = models.CharField(_("kind"), max_length=24, choices=EntryKind.choices)
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    # Unique through a constraint (below), not ``unique=True``: on PostgreSQL that would add a
    # second, pattern-ops index that nothing uses and every batch insert maintains.
    idempotency_key = models.CharField(_("idempotency key"), max_length=160)
    fingerprint = models.CharField(max_length=64, editable=False)
    # Checked set-based per statement on PostgreSQL (custody/migrations/0007), not by a per-row
    # foreign-key trigger; margin accounts are closed, never deleted.
    margin_account = models.ForeignKey(
        "custody.MarginAccount",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="journal_entries",
        db_constraint=False,
    )
    # At most one reversal per entry: a partial unique index (most entries reverse nothing, and
    # batch jobs should not maintain an index of nulls).
    reverses = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
        db_index=False,
    )
    # Not indexed: nobody looks entries up by author, and batch jobs write 100,000 at a time.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        # By date, then account: "any entry dated after D?" (balances as of a past close) and
        # a shard's entries of one day (what the night's clearing charged) are range scans.
        indexes = [
            models.Index(fields=["business_date", "margin_account"], name="entry_date_account"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="one_entry_per_key"),
            models.UniqueConstraint(
                fields=["reverses"],
                condition=Q(reverses__isnull=False),
                name="one_reversal_per_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.business_date} {self.kind}"


class Posting(ImmutableModel):
    # On PostgreSQL these references are checked set-based at commit by the same deferred trigger
    # that checks the balance (custody/migrations/0003): per-row foreign-key checks cost about
    # two seconds per 200,000 postings. Entries and ledger accounts can never be deleted there.
    entry = models.ForeignKey(
        JournalEntry, on_delete=models.PROTECT, related_name="postings", db_constraint=False
    )
    ledger_account = models.ForeignKey(
        LedgerAccount, on_delete=models.PROTECT, related_name="postings", db_constraint=False
    )
    amount = money_field(verbose_name=_("amount (debit +)"))
    currency = currency_field()

    class Meta:
        ordering = ["entry_id", "id"]
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="posting_not_zero"),
        ]

    def __str__(self) -> str:
        return f"posting #{self.pk} of entry #{self.entry_id}"
