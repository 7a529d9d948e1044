"""Reads of the credit rules in force: regulation, packages, market regime, policy."""

from credit.rules.packages import (
    PackageTerms,
    effective_max_financing_ratio,
    package_snapshot,
    package_terms,
    regime_multiplier,
)
from credit.rules.regulatory import RegulatoryRules, regulatory_rules, regulatory_snapshot

__all__ = [
    "PackageTerms",
    "RegulatoryRules",
    "effective_max_financing_ratio",
    "package_snapshot",
    "package_terms",
    "regime_multiplier",
    "regulatory_rules",
    "regulatory_snapshot",
]
