"""Names of the parameter sets the credit stage owns or reads (the values live in ``core.params``).

Other apps read these keys too: custody reads ``margin-regulatory`` / ``withdrawal_min_ratio``,
risk reads the package sets for the warning, liquidation and top-up lines.
"""

REGULATORY_SET = "margin-regulatory"
REGIME_SET = "market-regime"
POLICY_SET = "credit-policy"
SCORECARD_SET = "credit-scorecard"
PACKAGE_PREFIX = "package-"
TRADING_SET = "ashare-trading"


def package_set_key(code: str) -> str:
    return f"{PACKAGE_PREFIX}{code}"
