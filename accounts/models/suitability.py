"""Suitability: versioned questionnaires, assessments, professional status, special warnings.

Records here are never deleted (CSRC Order 130 keeps them at least 20 years): every foreign key
is PROTECT and the models carry no delete permission.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.enums import (
    ClientKind,
    InvestorType,
    ProductRiskLevel,
    ProfessionalBasis,
    SuitabilityLevel,
)
from accounts.models.clients import Client
from accounts.models.kyc import KycDocument
from accounts.models.people import User
from core.exceptions import IllegalTransition
from core.money import money_field


class SuitabilityWarning(models.Model):
    """A recorded special warning: the client insists on a product above their level."""

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="suitability_warnings"
    )
    suitability_level = models.CharField(max_length=2, choices=SuitabilityLevel.choices)
    product_risk_level = models.CharField(max_length=2, choices=ProductRiskLevel.choices)
    warning_text = models.TextField(_("warning shown"))
    client_statement = models.TextField(_("client's written confirmation"))
    acknowledged_on = models.DateField(_("acknowledged on"))
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-acknowledged_on"]
        verbose_name = _("special suitability warning")
        verbose_name_plural = _("special suitability warnings")
        default_permissions = ("add", "view")

    def __str__(self) -> str:
        return f"{self.client} {self.suitability_level}→{self.product_risk_level}"


def ensure_not_frozen(sheet: Questionnaire) -> None:
    """Questions, options and bands of an answered version cannot change: answers must keep
    meaning what they meant when given. A change is a new version."""
    if sheet.pk is not None and sheet.assessments.exists():
        raise IllegalTransition(
            f"{sheet} has been answered and is frozen; create a new version instead"
        )


class Questionnaire(models.Model):
    """One version of the risk-tolerance questionnaire; frozen once anyone has answered it."""

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    client_kind = models.CharField(_("for"), max_length=12, choices=ClientKind.choices)
    published_on = models.DateField(_("in use from"), null=True, blank=True)
    retired_on = models.DateField(_("in use until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("suitability questionnaire")
        verbose_name_plural = _("suitability questionnaires")
        default_permissions = ("add", "change", "view")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="questionnaire_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        ensure_not_frozen(self)
        super().save(*args, **kwargs)

    @property
    def is_answered(self) -> bool:
        return self.pk is not None and self.assessments.exists()


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="questions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("question"))
    text_en = models.TextField(_("question (English)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["questionnaire", "number"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        default_permissions = ("add", "change", "view")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="question_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        ensure_not_frozen(self.questionnaire)
        super().save(*args, **kwargs)


class AnswerOption(models.Model):
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="options")
    label = models.CharField(_("label"), max_length=2)
    text = models.CharField(_("answer"), max_length=300)
    text_en = models.CharField(_("answer (English)"), max_length=300, blank=True)
    score = models.PositiveSmallIntegerField(_("score"))
    # Some answers (no income, cannot bear any loss) put the investor in the lowest-capacity
    # category whatever the total score; such an investor is C1 and may never be warned past it.
    forces_lowest = models.BooleanField(_("makes the investor lowest-capacity"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["question", "label"]
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        default_permissions = ("add", "change", "view")
        constraints = [
            models.UniqueConstraint(fields=["question", "label"], name="option_label_once")
        ]

    def __str__(self) -> str:
        return f"{self.label}. {self.text} ({self.score})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        ensure_not_frozen(self.question.questionnaire)
        super().save(*args, **kwargs)


class ScoreBand(models.Model):
    """Total scores from ``min_score`` to ``max_score`` (inclusive) give ``level``."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="bands")
    min_score = models.PositiveSmallIntegerField(_("from score"))
    max_score = models.PositiveSmallIntegerField(_("to score"))
    level = models.CharField(_("level"), max_length=2, choices=SuitabilityLevel.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["questionnaire", "min_score"]
        verbose_name = _("score band")
        verbose_name_plural = _("score bands")
        default_permissions = ("add", "change", "view")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_score__lte=models.F("max_score")),
                name="score_band_not_inverted",
            )
        ]

    def __str__(self) -> str:
        return f"{self.min_score}–{self.max_score} → {self.level}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        ensure_not_frozen(self.questionnaire)
        super().save(*args, **kwargs)


class SuitabilityAssessment(models.Model):
    """A scored questionnaire: the level it gave, on which version, and when it falls due."""

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="suitability_assessments"
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="assessments"
    )
    total_score = models.PositiveSmallIntegerField(_("score"))
    level = models.CharField(_("level"), max_length=2, choices=SuitabilityLevel.choices)
    lowest_category = models.BooleanField(_("lowest-capacity investor"), default=False)
    assessed_on = models.DateField(_("assessed on"))
    review_due = models.DateField(_("re-assessment due"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    parameters_version = models.PositiveBigIntegerField(
        help_text=_("The suitability rules version used (re-assessment interval).")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["client", "-assessed_on", "-id"]
        get_latest_by = ["assessed_on", "id"]
        verbose_name = _("suitability assessment")
        verbose_name_plural = _("suitability assessments")
        default_permissions = ("add", "view")

    def __str__(self) -> str:
        return f"{self.client.client_no} {self.level} on {self.assessed_on}"


class SuitabilityAnswer(models.Model):
    assessment = models.ForeignKey(
        SuitabilityAssessment, on_delete=models.PROTECT, related_name="answers"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(AnswerOption, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["assessment", "question__number"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        default_permissions = ("add", "view")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question.number}: {self.option.label}"


class InvestorClassification(models.Model):
    """Professional or ordinary, decided on evidence against the thresholds in force."""

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="investor_classifications"
    )
    investor_type = models.CharField(max_length=12, choices=InvestorType.choices)
    basis = models.CharField(max_length=12, choices=ProfessionalBasis.choices, blank=True)
    financial_assets = money_field()
    average_income = money_field()
    experience_years = models.PositiveSmallIntegerField()
    evidence = models.ManyToManyField(KycDocument, related_name="+", blank=True)
    explanation = models.TextField(_("why"))
    decided_on = models.DateField()
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    parameters_version = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["client", "-decided_on", "-id"]
        verbose_name = _("investor classification")
        verbose_name_plural = _("investor classifications")
        default_permissions = ("add", "view")

    def __str__(self) -> str:
        return f"{self.client.client_no} {self.investor_type} on {self.decided_on}"
