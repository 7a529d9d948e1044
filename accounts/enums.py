from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    OPERATIONS = "operations", _("Operations")
    RISK_OFFICER = "risk_officer", _("Risk officer")
    COMPLIANCE = "compliance", _("Compliance")
    FINANCE = "finance", _("Finance (custody)")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


class ClientKind(models.TextChoices):
    PERSON = "person", _("Natural person")
    INSTITUTION = "institution", _("Institution")


class ClientStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    KYC_SUBMITTED = "kyc_submitted", _("KYC submitted")
    KYC_VERIFIED = "kyc_verified", _("KYC verified")
    KYC_REJECTED = "kyc_rejected", _("KYC rejected")
    SUITABILITY_ASSESSED = "suitability_assessed", _("Suitability assessed")
    ELIGIBLE = "eligible", _("Eligible")
    CREDIT_APPROVED = "credit_approved", _("Credit approved")
    CONTRACT_SIGNED = "contract_signed", _("Contract signed")
    ACTIVE = "active", _("Active")
    MARGIN_CALL = "margin_call", _("Margin call")
    LIQUIDATING = "liquidating", _("Liquidating")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class SuitabilityLevel(models.TextChoices):
    """Investor risk-bearing categories (CSRC Order 130); C1 includes the lowest capacity."""

    C1 = "C1", _("C1 conservative")
    C2 = "C2", _("C2 cautious")
    C3 = "C3", _("C3 steady")
    C4 = "C4", _("C4 active")
    C5 = "C5", _("C5 aggressive")


class ProductRiskLevel(models.TextChoices):
    """Product risk levels; a Cn investor may be sold up to Rn."""

    R1 = "R1", _("R1 low")
    R2 = "R2", _("R2 medium-low")
    R3 = "R3", _("R3 medium")
    R4 = "R4", _("R4 medium-high")
    R5 = "R5", _("R5 high")


class InvestorType(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary investor")
    PROFESSIONAL = "professional", _("Professional investor")


class RiskRating(models.TextChoices):
    """The client's money-laundering / KYC risk rating."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


LIVE_STATUSES = [
    ClientStatus.DRAFT,
    ClientStatus.KYC_SUBMITTED,
    ClientStatus.KYC_VERIFIED,
    ClientStatus.KYC_REJECTED,
    ClientStatus.SUITABILITY_ASSESSED,
    ClientStatus.ELIGIBLE,
    ClientStatus.CREDIT_APPROVED,
    ClientStatus.CONTRACT_SIGNED,
    ClientStatus.ACTIVE,
    ClientStatus.MARGIN_CALL,
    ClientStatus.LIQUIDATING,
]


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class PartnerKind(models.TextChoices):
    BROKER = "broker", _("Introducing broker")
    WEALTH_MANAGER = "wealth_manager", _("Wealth manager")
    FUND = "fund", _("Small fund")


class DocumentType(models.TextChoices):
    ID_FRONT = "id_front", _("ID card, front")
    ID_BACK = "id_back", _("ID card, back")
    PROOF_OF_ASSETS = "proof_of_assets", _("Proof of assets")
    PROOF_OF_INCOME = "proof_of_income", _("Proof of income")
    INVESTMENT_EXPERIENCE = "investment_experience", _("Proof of investment experience")
    BUSINESS_LICENCE = "business_licence", _("Business licence")
    AUTHORISATION_LETTER = "authorisation_letter", _("Letter authorising the traders")
    OTHER = "other", _("Other")


class KycDecision(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class ContributionKind(models.TextChoices):
    ENTERED = "entered", _("Entered the client")
    EDITED = "edited", _("Edited KYC data")
    UPLOADED = "uploaded", _("Uploaded a document")
    SUBMITTED = "submitted", _("Submitted for review")


class ProfessionalBasis(models.TextChoices):
    """CSRC Order 130: qualifying outright (Art. 8) or converting on application (Art. 11)."""

    QUALIFIES = "qualifies", _("Meets the professional thresholds")
    CONVERTED = "converted", _("Ordinary investor converted on application")


class EntitySchema(models.TextChoices):
    PERSON = "Person", _("Person")
    ORGANIZATION = "Organization", _("Organisation")


class ScreeningStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLEARED = "cleared", _("Cleared (not the same party)")
    CONFIRMED = "confirmed", _("Confirmed match")


class ListFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    FTM = "ftm", _("FollowTheMoney JSON lines")
