from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")


OPEN_APPLICATION_STATUSES = [ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW]


class DecisionKind(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")


class CreditLineStatus(models.TextChoices):
    PENDING_CONTRACT = "pending_contract", _("Pending contract")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    EXPIRED = "expired", _("Expired")
    CLOSED = "closed", _("Closed")


LIVE_LINE_STATUSES = [
    CreditLineStatus.PENDING_CONTRACT,
    CreditLineStatus.ACTIVE,
    CreditLineStatus.SUSPENDED,
]


class Regime(models.TextChoices):
    NORMAL = "normal", _("Normal")
    STRESSED = "stressed", _("Stressed")
    CRISIS = "crisis", _("Crisis")


class DayCount(models.TextChoices):
    ACT_365 = "ACT/365", _("Actual/365")
    ACT_360 = "ACT/360", _("Actual/360")


class CollateralCategory(models.TextChoices):
    """Haircut (折算率) categories of the exchange margin rules."""

    INDEX_CONSTITUENT = "index_constituent", _("SSE 180 / SZSE 100 constituent")
    OTHER_ASHARE = "other_ashare", _("Other A-share")
    ETF = "etf", _("ETF")
    MONEY_FUND_TREASURY = "money_fund_treasury", _("Money fund or treasury bond")
    OTHER_FUND_BOND = "other_fund_bond", _("Other fund or bond")


class LiquidationOrder(models.TextChoices):
    LOSERS_FIRST = "losers_first", _("Losing positions first")
    LARGEST_FIRST = "largest_first", _("Largest positions first")
    MOST_LIQUID_FIRST = "most_liquid_first", _("Most liquid positions first")


class ExpiryBasis(models.TextChoices):
    CALENDAR = "calendar", _("Calendar days")
    TRADING = "trading", _("Trading days")
