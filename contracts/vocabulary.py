"""Contract wording for the coded terms: every code a credit package or a client record may use
has its Chinese and English text here, and a code without text is refused when terms are built.
"""

DAY_COUNTS: dict[str, tuple[int, str, str]] = {
    # convention: (days in the year, Chinese wording, English wording)
    "ACT/365": (365, "实际天数/365（ACT/365）", "actual days/365 (ACT/365)"),
    "ACT/360": (360, "实际天数/360（ACT/360）", "actual days/360 (ACT/360)"),
}

ID_TYPES: dict[str, tuple[str, str]] = {
    "resident_id": ("居民身份证", "PRC Resident Identity Card"),
    "uscc": ("统一社会信用代码", "Unified Social Credit Code"),
    "passport": ("护照", "Passport"),
    "hk_macao_permit": (
        "港澳居民来往内地通行证",
        "Mainland Travel Permit for HK and Macao Residents",
    ),
    "taiwan_permit": ("台湾居民来往大陆通行证", "Mainland Travel Permit for Taiwan Residents"),
}

# Liquidation steps: each code the leverage packages may list has contract wording here.
LIQUIDATION_STEPS: dict[str, tuple[str, str]] = {
    "ineligible_collateral": (
        "非担保证券及折算率为零的证券",
        "securities that are not eligible collateral or whose collateral value is zero",
    ),
    "highest_loss": (
        "浮动亏损最大的证券",
        "positions with the largest unrealised loss",
    ),
    "largest_concentration": (
        "占担保物市值比例最高的证券",
        "the position with the largest share of the collateral's market value",
    ),
    "lowest_haircut": (
        "折算率最低的担保证券",
        "eligible collateral with the lowest collateral ratio (haircut value)",
    ),
    "most_liquid": (
        "近二十个交易日日均成交金额最大的证券",
        "the most liquid securities by average daily traded value over 20 trading days",
    ),
    "financed_first": (
        "以融资买入的证券",
        "securities bought with financing",
    ),
}

FEES: dict[str, tuple[str, str]] = {
    "commission": ("交易佣金", "Trading commission"),
    "account_management": ("信用账户管理费", "Credit account maintenance fee"),
    "financing_service": ("融资服务费", "Financing service fee"),
}

FEE_BASES: dict[str, tuple[str, str]] = {
    "trade_value": ("按成交金额计收", "of the traded value, per trade"),
    "per_annum": ("按年费率，按日计提", "per annum, accrued daily"),
    "per_month": ("按月计收", "per month"),
    "per_trade": ("按笔计收", "per trade"),
}

__all__ = ["DAY_COUNTS", "FEES", "FEE_BASES", "ID_TYPES", "LIQUIDATION_STEPS"]
