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
