"""Generated contracts: the bundle a client signs, its PDFs and the signature record.

A contract keeps the ``ContractTerms`` snapshot it was generated from and points at the exact
template and clause versions used, so every PDF can be re-rendered and its SHA-256 checked. Its
terms, number and documents never change after generation; a change of terms is a new version of
the contract (same series, next version number) that supersedes the old one.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from contracts.enums import ContractStatus, DocumentKind, Language
from contracts.models.templates import ClauseVersion, TemplateVersion
from contracts.terms import ContractTerms
from core.exceptions import IllegalTransition

S = ContractStatus


class AppendOnly(models.Model):
    """Rows written once by a service and never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise IllegalTransition(f"{self._meta.verbose_name} {self} is final and cannot change")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise IllegalTransition(f"{self._meta.verbose_name} {self} is kept for the record")


class ContractSequence(models.Model):
    """The last contract series number given out per year (moved with F() under a row lock)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("contract number sequence")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Contract(ConcurrentTransitionMixin, models.Model):
    contract_no = models.CharField(_("contract number"), max_length=24, unique=True)
    series = models.CharField(_("series"), max_length=20)
    version = models.PositiveSmallIntegerField(_("version"))
    client = models.ForeignKey(
        "accounts.Client", on_delete=models.PROTECT, related_name="contracts"
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    status = FSMField(
        _("status"), max_length=12, choices=ContractStatus.choices, default=S.DRAFT, protected=True
    )
    subject_kind = models.CharField(_("subject kind"), max_length=40, blank=True)
    subject_ref = models.CharField(_("subject"), max_length=64, blank=True)
    terms = models.JSONField(_("terms (as generated)"))
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("replaces"),
    )
    generated_at = models.DateTimeField(_("generated at"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sign_by = models.DateField(_("sign by"), null=True, blank=True)
    activated_at = models.DateTimeField(_("in force since"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.TextField(_("why it ended"), blank=True)
    history = HistoricalRecords()

    # Fixed at generation: the signed text depends on them.
    FROZEN_FIELDS: ClassVar[tuple[str, ...]] = (
        "contract_no",
        "series",
        "version",
        "client_id",
        "language",
        "subject_kind",
        "subject_ref",
        "terms",
        "term_start",
        "term_end",
        "supersedes_id",
        "generated_at",
    )

    class Meta:
        ordering = ["-generated_at", "-id"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        permissions = [
            ("issue_contract", "Can generate and issue contracts"),
            ("terminate_contract", "Can terminate contracts"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="contract_series_version"),
        ]
        indexes = [models.Index(fields=["status", "term_end"])]

    def __str__(self) -> str:
        return self.contract_no

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values(*self.FROZEN_FIELDS).get()
            changed = [f for f in self.FROZEN_FIELDS if stored[f] != getattr(self, f)]
            if changed:
                raise IllegalTransition(
                    f"contract {stored['contract_no']} was generated with fixed terms; "
                    f"{', '.join(changed)} cannot change — issue a new version instead"
                )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise IllegalTransition(f"contract {self} is kept for the record")

    def contract_terms(self) -> ContractTerms:
        return ContractTerms.from_json(self.terms)

    # Lifecycle. Guards that need data (deadlines, codes, subjects) live in services.
    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.DRAFT, target=S.ISSUED)
    def issue(self, by: object = None, description: str | None = None) -> None:
        """Offered to the client for signature."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.ISSUED, target=S.SIGNED)
    def sign(self, by: object = None, description: str | None = None) -> None:
        """The client signed with a one-time code."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.SIGNED, target=S.ACTIVE)
    def activate(self, by: object = None, description: str | None = None) -> None:
        """The term has started: the contract is in force."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[S.SIGNED, S.ACTIVE], target=S.TERMINATED)
    def terminate(self, by: object = None, description: str | None = None) -> None:
        """Ended early (client request, default, closure)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[S.ISSUED, S.SIGNED, S.ACTIVE], target=S.EXPIRED)
    def expire(self, by: object = None, description: str | None = None) -> None:
        """Not signed in time, or the term ended."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[S.DRAFT, S.ISSUED, S.SIGNED, S.ACTIVE], target=S.SUPERSEDED)
    def supersede(self, by: object = None, description: str | None = None) -> None:
        """A newer version of the contract replaced this one."""


class ContractDocument(AppendOnly):
    """One PDF of the bundle, with everything needed to render it again."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    template_version = models.ForeignKey(
        TemplateVersion, on_delete=models.PROTECT, related_name="documents"
    )
    clause_versions = models.ManyToManyField(ClauseVersion, related_name="documents")
    pdf = models.FileField(_("PDF"), upload_to="contracts/", max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size_bytes = models.PositiveIntegerField(_("size (bytes)"))
    page_count = models.PositiveSmallIntegerField(_("pages"))
    renderer = models.CharField(_("renderer"), max_length=80)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "id"]
        verbose_name = _("contract document")
        verbose_name_plural = _("contract documents")
        permissions = [("download_contractdocument", "Can download contract PDFs")]
        constraints = [
            models.UniqueConstraint(fields=["contract", "kind"], name="one_document_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.contract.contract_no} {self.kind}"


class Signature(AppendOnly):
    """The client's signature on a contract bundle: who, when, from where, over which bytes."""

    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="signature")
    signed_at = models.DateTimeField(_("signed at"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    document_hashes = models.JSONField(_("SHA-256 of each document signed"))
    challenge = models.OneToOneField(
        "contracts.SigningChallenge", on_delete=models.PROTECT, related_name="signature"
    )
    risk_acknowledged = models.BooleanField(_("risk disclosure acknowledged"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self) -> str:
        return f"{self.contract_id} signed {self.signed_at:%Y-%m-%d %H:%M}"
