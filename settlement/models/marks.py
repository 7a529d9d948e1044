"""The price each instrument is marked at for a business date (one row per instrument and day)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.money import price_field
from settlement.enums import MarkSource


class Mark(models.Model):
    instrument = models.ForeignKey(
        "markets.Instrument", on_delete=models.PROTECT, related_name="marks"
    )
    business_date = models.DateField(_("business date"))
    price = price_field(verbose_name=_("mark price"))
    source = models.CharField(_("source"), max_length=16, choices=MarkSource.choices)
    price_date = models.DateField(_("price from"))

    class Meta:
        ordering = ["-business_date", "instrument"]
        verbose_name = _("mark")
        verbose_name_plural = _("marks")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "business_date"], name="one_mark_per_instrument_and_day"
            ),
            models.CheckConstraint(condition=models.Q(price__gt=0), name="mark_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.business_date} {self.price}"
