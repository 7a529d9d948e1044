"""Rules as data: named parameter sets with dated, maker-checker approved versions.

Every version holds the complete set of values, so "the value in force on date D" is simply the
newest approved version whose ``effective_from`` is not after D.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.enums import ParameterSource, ParameterStatus


class ParameterSet(models.Model):
    """A named group of typed rules, e.g. "A-share trading rules" or "margin lines".

    ``schema`` maps each key to its type and bounds:
    ``{"stamp_duty_rate": {"type": "decimal", "min": "0", "max": "0.01", "label": "..."}}``.
    """

    key = models.SlugField(_("key"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=40, default="general")
    schema = models.JSONField(_("schema"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "key"]
        verbose_name = _("parameter set")
        verbose_name_plural = _("parameter sets")

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"


class ParameterVersion(models.Model):
    """One complete, dated set of values; in force from ``effective_from`` once approved."""

    parameter_set = models.ForeignKey(
        ParameterSet, on_delete=models.PROTECT, related_name="versions"
    )
    effective_from = models.DateField(_("effective from"))
    values = models.JSONField(_("values"))
    status = models.CharField(
        max_length=12, choices=ParameterStatus.choices, default=ParameterStatus.PROPOSED
    )
    source = models.CharField(
        max_length=8, choices=ParameterSource.choices, default=ParameterSource.CHANGE
    )
    reason = models.TextField(_("reason"))
    maker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["parameter_set", "-effective_from", "-id"]
        verbose_name = _("parameter version")
        verbose_name_plural = _("parameter versions")
        permissions = [
            ("propose_parameterversion", "Can propose a parameter change"),
            ("approve_parameterversion", "Can approve or reject a parameter change"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["parameter_set", "effective_from"],
                condition=Q(status="approved"),
                name="one_approved_version_per_date",
            ),
            # Four eyes, held by the database: an approved change has a maker and a different
            # checker. Only the regulatory seed (published history) is exempt.
            models.CheckConstraint(
                condition=(
                    Q(source="seed")
                    | ~Q(status="approved")
                    | (
                        Q(maker__isnull=False)
                        & Q(checker__isnull=False)
                        & ~Q(maker=models.F("checker"))
                    )
                ),
                name="approved_change_has_two_people",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parameter_set.key} from {self.effective_from} [{self.status}]"

    def typed_values(self) -> dict[str, Any]:
        from core.params.schema import decode_values

        return decode_values(self.parameter_set.schema, self.values)
