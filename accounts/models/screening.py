"""Sanctions and PEP screening: imported lists, their entries, and the cases hits open."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from accounts.enums import EntitySchema, ListFormat, ScreeningStatus
from accounts.models.clients import Client
from accounts.models.people import User
from core.money import rate_field


class SanctionsList(models.Model):
    """A named list (a sanctions programme, a PEP register); each import replaces its entries."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_pep = models.BooleanField(_("politically exposed persons"), default=False)
    last_format = models.CharField(max_length=4, choices=ListFormat.choices, blank=True)
    last_imported_at = models.DateTimeField(_("last imported"), null=True, blank=True)
    last_file_sha256 = models.CharField(max_length=64, blank=True)
    import_count = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]
        verbose_name = _("sanctions / PEP list")
        verbose_name_plural = _("sanctions / PEP lists")
        default_permissions = ("add", "view")
        permissions = [("import_sanctionslist", "Can import a sanctions or PEP list")]

    def __str__(self) -> str:
        return self.name


class SanctionsEntry(models.Model):
    """One listed party. Names are kept as given and pre-normalised for matching."""

    sanctions_list = models.ForeignKey(
        SanctionsList, on_delete=models.PROTECT, related_name="entries"
    )
    external_id = models.CharField(_("id in the list"), max_length=120)
    schema = models.CharField(max_length=12, choices=EntitySchema.choices)
    name = models.CharField(_("name"), max_length=300)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    birth_dates = models.JSONField(_("dates of birth"), default=list, blank=True)
    id_numbers = models.JSONField(_("identity numbers"), default=list, blank=True)
    id_indexes = models.JSONField(default=list, blank=True, editable=False)
    name_keys = models.JSONField(default=list, blank=True, editable=False)
    countries = models.JSONField(default=list, blank=True)
    topics = models.JSONField(default=list, blank=True)
    content_hash = models.CharField(max_length=64)
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["name_keys", "id_indexes"])

    class Meta:
        ordering = ["sanctions_list", "name"]
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(
                fields=["sanctions_list", "external_id"], name="entry_once_per_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sanctions_list.key})"


class ScreeningCase(ConcurrentTransitionMixin, models.Model):
    """A possible match between a client and a listed party, for compliance to decide."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="screening_cases")
    entry = models.ForeignKey(SanctionsEntry, on_delete=models.PROTECT, related_name="cases")
    entry_hash = models.CharField(max_length=64)
    score = rate_field(verbose_name=_("match score"))
    threshold = rate_field(verbose_name=_("threshold in force"))
    evidence = models.JSONField(_("why it matched"), default=dict)
    status = FSMField(
        _("status"),
        max_length=10,
        choices=ScreeningStatus.choices,
        default=ScreeningStatus.OPEN,
        protected=True,
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("screening case")
        verbose_name_plural = _("screening cases")
        default_permissions = ("view",)
        permissions = [("decide_screeningcase", "Can clear or confirm a screening case")]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "entry"],
                condition=models.Q(status="open"),
                name="one_open_case_per_client_and_entry",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client.client_no} ~ {self.entry.name} [{self.status}]"

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=ScreeningStatus.OPEN, target=ScreeningStatus.CLEARED)
    def clear(self, by: object = None, description: str | None = None) -> None:
        """Compliance found the client is not the listed party."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=ScreeningStatus.OPEN, target=ScreeningStatus.CONFIRMED)
    def confirm(self, by: object = None, description: str | None = None) -> None:
        """Compliance found the client is the listed party: the firm may not serve them."""
