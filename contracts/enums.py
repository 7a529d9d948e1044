"""Choices for contracts: documents, languages, lifecycles and the clause library's codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    MARGIN_CONTRACT = "margin_contract", _("Margin-financing contract")
    RISK_DISCLOSURE = "risk_disclosure", _("Risk disclosure")
    CUSTODY_AGREEMENT = "custody_agreement", _("Fund-custody agreement")


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", _("Simplified Chinese")
    EN = "en", _("English")


class VersionStatus(models.TextChoices):
    """Template and clause versions: proposed → approved (four eyes) → retired."""

    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETIRED = "retired", _("Retired")


class VersionSource(models.TextChoices):
    # The wording loaded with the schema, like the regulatory seed of parameter sets.
    SEED = "seed", _("Initial wording (seed)")
    CHANGE = "change", _("Maker-checker change")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued, awaiting signature")
    SIGNED = "signed", _("Signed")
    ACTIVE = "active", _("Active")
    TERMINATED = "terminated", _("Terminated")
    EXPIRED = "expired", _("Expired")
    SUPERSEDED = "superseded", _("Superseded")


# Contracts whose series is still open: a new change must be a new version of them.
LIVE_CONTRACT_STATUSES = [
    ContractStatus.DRAFT,
    ContractStatus.ISSUED,
    ContractStatus.SIGNED,
    ContractStatus.ACTIVE,
]


class ClauseCode(models.TextChoices):
    CREDIT_LINE = "credit_line", _("Credit line and term")
    MARGIN_RATIO = "margin_ratio", _("Margin ratio and maintenance lines")
    MARGIN_CALL = "margin_call", _("Margin call")
    LIQUIDATION_ORDER = "liquidation_order", _("Forced liquidation and its order")
    FEES_INTEREST = "fees_interest", _("Interest and fees")
    DEFAULT_HANDLING = "default_handling", _("Default handling")
    DISPUTE_RESOLUTION = "dispute_resolution", _("Governing law and disputes")
    RISK_DISCLOSURE = "risk_disclosure", _("Risk disclosure")
    CUSTODY = "custody", _("Fund custody")


# Every clause a document of each kind must include; a template version without one of them is
# refused when proposed, so no contract can ever be generated without it.
REQUIRED_CLAUSES: dict[str, list[str]] = {
    DocumentKind.MARGIN_CONTRACT: [
        ClauseCode.CREDIT_LINE,
        ClauseCode.MARGIN_RATIO,
        ClauseCode.MARGIN_CALL,
        ClauseCode.LIQUIDATION_ORDER,
        ClauseCode.FEES_INTEREST,
        ClauseCode.DEFAULT_HANDLING,
        ClauseCode.DISPUTE_RESOLUTION,
    ],
    DocumentKind.RISK_DISCLOSURE: [ClauseCode.RISK_DISCLOSURE],
    DocumentKind.CUSTODY_AGREEMENT: [ClauseCode.CUSTODY, ClauseCode.DISPUTE_RESOLUTION],
}

# The bundle a client signs, in this order.
BUNDLE_KINDS = [
    DocumentKind.MARGIN_CONTRACT,
    DocumentKind.RISK_DISCLOSURE,
    DocumentKind.CUSTODY_AGREEMENT,
]


class ChallengeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the code")
    USED = "used", _("Used")
    LOCKED = "locked", _("Blocked after too many wrong codes")
    CANCELLED = "cancelled", _("Replaced by a newer code")


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
