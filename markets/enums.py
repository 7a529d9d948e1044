from django.db import models
from django.utils.translation import gettext_lazy as _


class Exchange(models.TextChoices):
    XSHG = "XSHG", _("Shanghai Stock Exchange")
    XSHE = "XSHE", _("Shenzhen Stock Exchange")
    BJSE = "BJSE", _("Beijing Stock Exchange")


class Board(models.TextChoices):
    MAIN = "main", _("Main board")
    CHINEXT = "chinext", _("ChiNext")
    STAR = "star", _("STAR Market")
    BSE = "bse", _("Beijing exchange")


class InstrumentKind(models.TextChoices):
    STOCK = "stock", _("Stock")
    ETF = "etf", _("ETF")
    FUND = "fund", _("Fund")
    BOND = "bond", _("Bond")
    MONEY_FUND = "money_fund", _("Money-market fund")
