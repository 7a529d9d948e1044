"""Accounts models, split by topic and re-exported here."""

from accounts.models.clients import Client, Partner
from accounts.models.kyc import (
    AuthorisedTrader,
    BankAccount,
    InstitutionProfile,
    KycContribution,
    KycDocument,
    KycReview,
    PersonProfile,
)
from accounts.models.people import User, UserSession
from accounts.models.screening import SanctionsEntry, SanctionsList, ScreeningCase
from accounts.models.suitability import (
    AnswerOption,
    InvestorClassification,
    Question,
    Questionnaire,
    ScoreBand,
    SuitabilityAnswer,
    SuitabilityAssessment,
    SuitabilityWarning,
)

__all__ = [
    "AnswerOption",
    "AuthorisedTrader",
    "BankAccount",
    "Client",
    "InstitutionProfile",
    "InvestorClassification",
    "KycContribution",
    "KycDocument",
    "KycReview",
    "Partner",
    "PersonProfile",
    "Question",
    "Questionnaire",
    "SanctionsEntry",
    "SanctionsList",
    "ScoreBand",
    "ScreeningCase",
    "SuitabilityAnswer",
    "SuitabilityAssessment",
    "SuitabilityWarning",
    "User",
    "UserSession",
]
