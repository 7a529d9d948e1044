"""Know your client: who the client is, their own bank account, their documents, the review.

Identity and account numbers are stored encrypted (``core.crypto``) with a keyed blind index for
lookups and uniqueness, and a masked copy for display, so pages never need to decrypt.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.enums import ContributionKind, DocumentType, KycDecision, RiskRating, Sex
from accounts.models.clients import Client
from accounts.models.people import User
from core.money import money_field


class EncryptedIdentifier(models.Model):
    """Abstract: one identity number, encrypted, indexed and masked."""

    id_number_encrypted = models.TextField(_("ID number (encrypted)"))
    id_number_index = models.CharField(max_length=64, db_index=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=32)

    class Meta:
        abstract = True


class PersonProfile(EncryptedIdentifier):
    """A natural-person client's identity (mainland resident ID card)."""

    client = models.OneToOneField(Client, on_delete=models.PROTECT, related_name="person")
    name = models.CharField(_("name"), max_length=100)
    name_latin = models.CharField(_("name in pinyin / Latin letters"), max_length=150, blank=True)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    mobile = models.CharField(_("mobile"), max_length=20)
    address = models.CharField(_("address"), max_length=300)
    occupation = models.CharField(_("occupation"), max_length=100)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    annual_income = money_field(verbose_name=_("average annual income, last 3 years (CNY)"))
    financial_assets = money_field(verbose_name=_("financial assets (CNY)"))
    investment_experience_years = models.PositiveSmallIntegerField(
        _("years of investment experience")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person details")
        verbose_name_plural = _("person details")
        default_permissions = ("add", "change", "view")
        constraints = [
            # One client per resident ID: accounts only in the holder's own name.
            models.UniqueConstraint(fields=["id_number_index"], name="one_client_per_resident_id")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.id_number_masked}"


class InstitutionProfile(EncryptedIdentifier):
    """An institution: unified social credit code and legal representative (whose ID is held)."""

    client = models.OneToOneField(Client, on_delete=models.PROTECT, related_name="institution")
    name = models.CharField(_("registered name"), max_length=200)
    name_latin = models.CharField(_("name in English"), max_length=200, blank=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    legal_rep_name = models.CharField(_("legal representative"), max_length=100)
    registered_address = models.CharField(_("registered address"), max_length=300)
    contact_mobile = models.CharField(_("contact mobile"), max_length=20)
    financial_assets = money_field(verbose_name=_("financial assets (CNY)"))
    investment_experience_years = models.PositiveSmallIntegerField(
        _("years of investment experience")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("institution details")
        verbose_name_plural = _("institution details")
        default_permissions = ("add", "change", "view")

    def __str__(self) -> str:
        return f"{self.name} {self.uscc}"


class AuthorisedTrader(EncryptedIdentifier):
    """A person an institution authorises to trade for it."""

    institution = models.ForeignKey(
        InstitutionProfile, on_delete=models.PROTECT, related_name="traders"
    )
    name = models.CharField(_("name"), max_length=100)
    mobile = models.CharField(_("mobile"), max_length=20)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("authorised trader")
        verbose_name_plural = _("authorised traders")
        default_permissions = ("add", "change", "view")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "id_number_index"], name="trader_once_per_institution"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.id_number_masked}"


class BankAccount(models.Model):
    """The client's own settlement bank account (in the client's name)."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="bank_accounts")
    bank_name = models.CharField(_("bank"), max_length=100)
    account_name = models.CharField(_("account holder"), max_length=200)
    number_encrypted = models.TextField(_("account number (encrypted)"))
    number_index = models.CharField(max_length=64, db_index=True, editable=False)
    number_masked = models.CharField(_("account number"), max_length=40)
    is_card = models.BooleanField(_("debit card number"), default=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        default_permissions = ("add", "change", "view")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "number_index"], name="bank_account_once_per_client"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.number_masked}"


class KycDocument(models.Model):
    """An uploaded document; the file has an unguessable name and is served only by a view."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="documents")
    doc_type = models.CharField(_("document"), max_length=30, choices=DocumentType.choices)
    file = models.FileField(_("file"), upload_to="kyc/", max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    original_name = models.CharField(_("name given"), max_length=150)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["client", "doc_type", "-uploaded_at"]
        verbose_name = _("KYC document")
        verbose_name_plural = _("KYC documents")
        default_permissions = ("add", "change", "view")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "doc_type", "sha256"], name="same_file_once_per_document_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.client.client_no} {self.get_doc_type_display()}"


class KycContribution(models.Model):
    """Who entered or changed a client's KYC data, and in which review cycle."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="kyc_contributions")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=ContributionKind.choices)
    cycle = models.PositiveIntegerField()
    what = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["client", "at", "id"]
        verbose_name = _("KYC contribution")
        verbose_name_plural = _("KYC contributions")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.client.client_no} {self.kind} by {self.user}"


class KycReview(models.Model):
    """One submission for review and its decision; the verifier's findings are kept with it."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="kyc_reviews")
    cycle = models.PositiveIntegerField()
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    verifier = models.CharField(_("identity verifier"), max_length=40)
    verifier_outcome = models.CharField(max_length=20, blank=True)
    verifier_notes = models.JSONField(default=list, blank=True)
    decision = models.CharField(
        max_length=10, choices=KycDecision.choices, default=KycDecision.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    risk_rating = models.CharField(max_length=8, choices=RiskRating.choices, blank=True)
    reasons = models.JSONField(_("reasons the client can act on"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("KYC review")
        verbose_name_plural = _("KYC reviews")
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(fields=["client", "cycle"], name="one_review_per_kyc_cycle"),
        ]

    def __str__(self) -> str:
        return f"{self.client.client_no} KYC #{self.cycle} {self.decision}"
