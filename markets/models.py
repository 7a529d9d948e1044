"""Instruments, suspensions, daily bars, intraday quotes and market funding series."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.money import QUANTITY_MAX_DIGITS, money_field, price_field
from markets.enums import Board, Exchange, InstrumentKind, PriceSource, SeriesUnit


class Instrument(models.Model):
    code = models.CharField(_("code"), max_length=6)
    exchange = models.CharField(_("exchange"), max_length=4, choices=Exchange.choices)
    board = models.CharField(_("board"), max_length=8, choices=Board.choices)
    kind = models.CharField(
        _("kind"), max_length=12, choices=InstrumentKind.choices, default=InstrumentKind.STOCK
    )
    name = models.CharField(_("name"), max_length=100)
    lot_size = models.PositiveIntegerField(_("lot size"), default=100)
    is_st = models.BooleanField(_("ST / *ST"), default=False)
    listing_date = models.DateField(_("listing date"), null=True, blank=True)
    delisted_on = models.DateField(_("delisted on"), null=True, blank=True)
    # Collateral eligibility inputs (haircut caps depend on them; see credit packages).
    index_constituent = models.BooleanField(_("SSE 180 / SZSE 100 constituent"), default=False)
    delisting_risk = models.BooleanField(_("in delisting arrangement"), default=False)
    pe_ttm = models.DecimalField(
        _("static P/E"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    free_float_shares = models.DecimalField(
        _("free-float shares"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.UniqueConstraint(fields=["exchange", "code"], name="unique_code_per_exchange"),
        ]

    def __str__(self) -> str:
        return f"{self.code}.{self.exchange} {self.name}"

    @property
    def symbol(self) -> str:
        suffix = {Exchange.XSHG: "SH", Exchange.XSHE: "SZ", Exchange.BJSE: "BJ"}[
            Exchange(self.exchange)
        ]
        return f"{self.code}.{suffix}"


class Suspension(models.Model):
    """A trading halt; ``resumed_on`` is the first trading day back (empty while halted)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="suspensions")
    suspended_on = models.DateField(_("suspended on"))
    resumed_on = models.DateField(_("resumed on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "-suspended_on"]
        verbose_name = _("suspension")
        constraints = [
            models.CheckConstraint(
                condition=Q(resumed_on__isnull=True) | Q(resumed_on__gt=F("suspended_on")),
                name="resumes_after_suspension",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} suspended {self.suspended_on}"


class DailyBar(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="bars")
    date = models.DateField(_("date"))
    open = price_field()
    high = price_field()
    low = price_field()
    close = price_field()
    volume = models.DecimalField(max_digits=QUANTITY_MAX_DIGITS, decimal_places=0)
    amount = money_field(null=True, blank=True, help_text=_("Traded value, where the feed has it"))
    source = models.CharField(
        _("source"), max_length=10, choices=PriceSource.choices, default=PriceSource.FILE
    )

    class Meta:
        ordering = ["instrument", "date"]
        verbose_name = _("daily bar")
        verbose_name_plural = _("daily bars")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "date"], name="one_bar_per_day"),
            models.CheckConstraint(
                condition=Q(low__gt=0) & Q(high__gte=F("low")) & Q(volume__gte=0),
                name="bar_prices_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} {self.date} close {self.close}"

    @property
    def is_one_price(self) -> bool:
        """Open = high = low = close: the whole day traded at one price (often a limit)."""
        return self.open == self.high == self.low == self.close


class ExchangeHoliday(models.Model):
    """An announced exchange closure for a year the calendar library does not yet record."""

    calendar = models.CharField(max_length=8, default="XSHG")
    day = models.DateField(_("day"))
    name = models.CharField(_("name"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["day"]
        verbose_name = _("exchange holiday")
        verbose_name_plural = _("exchange holidays")
        constraints = [
            models.UniqueConstraint(fields=["calendar", "day"], name="one_holiday_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"


class Quote(models.Model):
    """One intraday snapshot of an instrument: last trade, best bid/ask and the day's totals.

    Market data, not a business record: append-only, bulk-written, no history table and no
    foreign key points here. Every read goes through ``(instrument, ts)`` or ``day``, so the table
    can be range-partitioned by ``ts`` (or ``day``) on PostgreSQL without changing a query.
    ``volume`` and ``amount`` are cumulative for the trading day, as exchange snapshots give them.
    An empty ``bid`` (or ``ask``) means nobody is bidding (offering): a stock locked at
    limit-down has sellers queued and no bid.
    """

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="quotes", db_index=False
    )
    day = models.DateField(_("trading day"))
    ts = models.DateTimeField(_("time"))
    last = price_field(verbose_name=_("last"))
    bid = price_field(verbose_name=_("bid"), null=True, blank=True)
    ask = price_field(verbose_name=_("ask"), null=True, blank=True)
    bid_size = models.DecimalField(
        _("bid size"), max_digits=QUANTITY_MAX_DIGITS, decimal_places=0, null=True, blank=True
    )
    ask_size = models.DecimalField(
        _("ask size"), max_digits=QUANTITY_MAX_DIGITS, decimal_places=0, null=True, blank=True
    )
    volume = models.DecimalField(_("volume"), max_digits=QUANTITY_MAX_DIGITS, decimal_places=0)
    amount = money_field(verbose_name=_("amount"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=PriceSource.choices)

    class Meta:
        ordering = ["instrument", "ts"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "ts"], name="one_quote_per_instant"),
            models.CheckConstraint(
                condition=Q(last__gt=0)
                & Q(volume__gte=0)
                & (Q(bid__isnull=True) | Q(ask__isnull=True) | Q(ask__gte=F("bid"))),
                name="quote_prices_consistent",
            ),
        ]
        indexes = [models.Index(fields=["day", "instrument"], name="quote_day_instrument")]

    def __str__(self) -> str:
        return f"{self.instrument.code} {self.ts:%Y-%m-%d %H:%M} last {self.last}"


class FundingSeries(models.Model):
    """A market funding indicator (repo rate, SHIBOR tenor, market margin balance)."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit"), max_length=12, choices=SeriesUnit.choices)
    description = models.TextField(_("description"), blank=True)
    # Import bounds: a value outside them is a typo (a rate in basis points, a balance in
    # hundred millions), and the file is refused.
    min_value = models.DecimalField(_("lowest plausible value"), max_digits=24, decimal_places=6)
    max_value = models.DecimalField(_("highest plausible value"), max_digits=24, decimal_places=6)
    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]
        verbose_name = _("funding series")
        verbose_name_plural = _("funding series")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_value__gt=F("min_value")), name="series_bounds_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} — {self.name}"


class SeriesPoint(models.Model):
    series = models.ForeignKey(FundingSeries, on_delete=models.CASCADE, related_name="points")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6)
    source = models.CharField(
        _("source"), max_length=10, choices=PriceSource.choices, default=PriceSource.FILE
    )

    class Meta:
        ordering = ["series", "date"]
        verbose_name = _("series point")
        verbose_name_plural = _("series points")
        constraints = [
            models.UniqueConstraint(fields=["series", "date"], name="one_point_per_series_day"),
        ]

    def __str__(self) -> str:
        return f"{self.series.key} {self.date} {self.value}"
