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


class Side(models.TextChoices):
    BUY = "buy", _("Buy")
    SELL = "sell", _("Sell")


class OrderType(models.TextChoices):
    LIMIT = "limit", _("Limit")
    MARKET = "market", _("Market")


class PriceSource(models.TextChoices):
    """Where a bar or quote came from, so synthetic demo data is never mistaken for history."""

    FILE = "file", _("Imported file (real history)")
    FEED = "feed", _("Live price feed")
    REPLAY = "replay", _("Replay: intraday path built from real daily bars")
    SYNTHETIC = "synthetic", _("Synthetic (demo data, not market history)")


class SeriesUnit(models.TextChoices):
    PERCENT_PA = "percent_pa", _("Percent per year")
    CNY = "cny", _("CNY")
