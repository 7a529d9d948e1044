"""The client record every stage hangs on, and the partners who introduce clients."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from accounts.enums import (
    LIVE_STATUSES,
    ClientKind,
    ClientStatus,
    InvestorType,
    PartnerKind,
    RiskRating,
    SuitabilityLevel,
)
from accounts.models.people import User
from core.crypto import decrypt_str, encrypt_str

S = ClientStatus


class Partner(models.Model):
    """A broker or wealth manager who brings clients (their API comes later)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    active = models.BooleanField(_("active"), default=True)
    webhook_url = models.URLField(
        _("webhook URL"),
        blank=True,
        help_text=_("Where margin events for the partner's clients are posted (HTTPS)."),
    )
    # The HMAC-SHA256 key that signs webhooks, encrypted at rest (core.crypto).
    webhook_secret_cipher = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["webhook_secret_cipher"])

    class Meta:
        ordering = ["code"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        default_permissions = ("add", "change", "view")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def set_webhook_secret(self, secret: str) -> None:
        self.webhook_secret_cipher = encrypt_str(secret) if secret else ""

    def webhook_secret(self) -> str:
        return decrypt_str(self.webhook_secret_cipher) if self.webhook_secret_cipher else ""


class Client(ConcurrentTransitionMixin, models.Model):
    """A margin-financing client: a natural person or an institution.

    The lifecycle status is a protected FSM field; it changes only through the named transitions
    below, applied by services with :func:`core.fsm.apply_transition` (which records who and why
    via django-fsm-log). Later stages (credit, contracts, risk) move it on the same way.
    """

    client_no = models.CharField(_("client number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ClientKind.choices)
    display_name = models.CharField(_("name"), max_length=200)
    status = FSMField(
        _("status"),
        max_length=24,
        choices=ClientStatus.choices,
        default=ClientStatus.DRAFT,
        protected=True,
    )
    suspended_from = models.CharField(max_length=24, choices=ClientStatus.choices, blank=True)
    suitability_level = models.CharField(
        _("suitability level"), max_length=2, choices=SuitabilityLevel.choices, blank=True
    )
    investor_type = models.CharField(
        _("investor type"),
        max_length=12,
        choices=InvestorType.choices,
        default=InvestorType.ORDINARY,
    )
    risk_rating = models.CharField(
        _("KYC risk rating"), max_length=8, choices=RiskRating.choices, blank=True
    )
    tier = models.CharField(_("tier"), max_length=20, blank=True)
    user = models.OneToOneField(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="client",
        help_text=_("The portal login of this client."),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
        help_text=_("Who introduced the client; empty for the firm's own clients."),
    )
    entered_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Each KYC decision closes a cycle; who entered or edited data in the open cycle may not
    # decide it (maker-checker).
    kyc_cycle = models.PositiveIntegerField(default=1)
    suitability_review_due = models.DateField(_("re-assessment due"), null=True, blank=True)
    last_screened_at = models.DateTimeField(_("last screened"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["client_no"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        indexes = [models.Index(fields=["status"])]
        # Client records are kept; a relationship ends with the ``close`` transition.
        default_permissions = ("add", "change", "view")
        permissions = [
            ("review_kyc", "Can verify or reject a client's KYC"),
            ("reveal_pii", "Can reveal full identity and account numbers"),
            ("decide_onboarding", "Can move a client on after onboarding checks"),
        ]

    def __str__(self) -> str:
        return f"{self.client_no} {self.display_name}"

    # Lifecycle. Guards that need data (documents present, screening cleared) live in services.
    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[S.DRAFT, S.KYC_REJECTED], target=S.KYC_SUBMITTED)
    def submit_kyc(self, by: object = None, description: str | None = None) -> None:
        """The client (or an operator for them) hands in identity details for review."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.KYC_SUBMITTED, target=S.KYC_VERIFIED)
    def verify_kyc(self, by: object = None, description: str | None = None) -> None:
        """A reviewer other than the one who entered the data confirms identity."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.KYC_SUBMITTED, target=S.KYC_REJECTED)
    def reject_kyc(self, by: object = None, description: str | None = None) -> None:
        """Identity not confirmed; the reasons tell the client what to fix."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=[S.KYC_VERIFIED, S.SUITABILITY_ASSESSED, S.ELIGIBLE],
        target=S.SUITABILITY_ASSESSED,
    )
    def assess_suitability(self, by: object = None, description: str | None = None) -> None:
        """A questionnaire was scored; re-assessment returns an eligible client here."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.SUITABILITY_ASSESSED, target=S.ELIGIBLE)
    def mark_eligible(self, by: object = None, description: str | None = None) -> None:
        """KYC, suitability and sanctions screening all clear: the firm may serve the client."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.ELIGIBLE, target=S.CREDIT_APPROVED)
    def approve_credit(self, by: object = None, description: str | None = None) -> None:
        """A credit line was approved (credit stage)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.CREDIT_APPROVED, target=S.ELIGIBLE)
    def withdraw_credit(self, by: object = None, description: str | None = None) -> None:
        """The approved line expired or was closed before any contract was signed (credit)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.CREDIT_APPROVED, target=S.CONTRACT_SIGNED)
    def sign_contract(self, by: object = None, description: str | None = None) -> None:
        """The margin-financing contract bundle was signed (contracts stage)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.CONTRACT_SIGNED, target=S.ACTIVE)
    def activate(self, by: object = None, description: str | None = None) -> None:
        """The contract is in force and the credit line usable."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.ACTIVE, target=S.MARGIN_CALL)
    def issue_margin_call(self, by: object = None, description: str | None = None) -> None:
        """The maintenance ratio fell below the warning line and a call was issued (risk)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[S.MARGIN_CALL, S.LIQUIDATING], target=S.ACTIVE)
    def restore(self, by: object = None, description: str | None = None) -> None:
        """The ratio is back above the line: call cured or liquidation finished."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[S.ACTIVE, S.MARGIN_CALL], target=S.LIQUIDATING)
    def start_liquidation(self, by: object = None, description: str | None = None) -> None:
        """Deadline passed, or the ratio fell below the liquidation line."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=LIVE_STATUSES, target=S.SUSPENDED)
    def suspend(self, by: object = None, description: str | None = None) -> None:
        """Stop all activity (compliance hold, dispute, court order)."""
        self.suspended_from = self.status

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.SUSPENDED, target=RETURN_VALUE(*LIVE_STATUSES))
    def resume(self, by: object = None, description: str | None = None) -> str:
        """Return to the state the client was suspended from."""
        previous = self.suspended_from or S.DRAFT
        self.suspended_from = ""
        return previous

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[*LIVE_STATUSES, S.SUSPENDED], target=S.CLOSED)
    def close(self, by: object = None, description: str | None = None) -> None:
        """The relationship ends; records are kept."""
