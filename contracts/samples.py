"""Sample contract terms: for previews of proposed wording and for its trial render.

Two variants cover both shapes wording must handle: arbitration with every optional term
present, and a court venue with the optional terms left out.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from contracts.terms import ContractTerms, FeeTerm

SAMPLE: dict[str, Any] = {
    "client_no": "C0000001",
    "client_name": "王芳",
    "client_kind": "person",
    "client_id_type": "resident_id",
    "client_id_masked": "110105********002X",
    "client_address": "北京市朝阳区建国路 88 号 3 号楼 1201 室",
    "credit_line_ref": "CL-SAMPLE-0001",
    "credit_limit": Decimal("1000000.00"),
    "currency": "CNY",
    "term_start": date(2026, 1, 19),
    "term_end": date(2026, 7, 18),
    "package_key": "package-balanced",
    "package_name_zh": "稳健型融资方案",
    "package_name_en": "Balanced package",
    "package_risk_level": "R4",
    "package_effective_from": date(2026, 1, 19),
    "financing_margin_ratio": Decimal("1.00"),
    "warning_line": Decimal("1.40"),
    "liquidation_line": Decimal("1.30"),
    "top_up_target": Decimal("1.60"),
    "withdrawal_line": Decimal("3.00"),
    "interest_rate": Decimal("0.0835"),
    "day_count": "ACT/360",
    "penalty_rate_daily": Decimal("0.0005"),
    "cure_period_trading_days": 2,
    "liquidation_order": ("ineligible_collateral", "highest_loss", "largest_concentration"),
    "fees": (
        FeeTerm(
            code="commission", basis="trade_value", rate=Decimal("0.0003"), amount=Decimal("5")
        ),
        FeeTerm(code="account_management", basis="per_month", amount=Decimal("0")),
    ),
    "custody_bank_zh": "华东商业银行股份有限公司上海分行",
    "custody_bank_en": "East China Commercial Bank Co., Ltd., Shanghai Branch",
    "custody_account_masked": "6222 **** **** 0456",
    "dispute_venue_kind": "arbitration",
    "dispute_venue_zh": "上海国际经济贸易仲裁委员会（上海国际仲裁中心）",
    "dispute_venue_en": "the Shanghai International Economic and Trade Arbitration Commission",
    "dispute_seat_zh": "上海",
    "dispute_seat_en": "Shanghai",
    "governing_law_zh": "中华人民共和国法律",
    "governing_law_en": "the laws of the People's Republic of China",
    "firm_name_zh": "支点证券股份有限公司",
    "firm_name_en": "Fulcrum Securities Co., Ltd.",
    "firm_address_zh": "上海市浦东新区银城中路 8 号 26 楼",
    "firm_address_en": "26/F, 8 Yincheng Middle Road, Pudong New Area, Shanghai",
    "firm_uscc": "91310000MA1FL8Q2KM",
    "firm_licence_no": "000000029801",
    "firm_service_phone": "400-820-8866",
}

COURT_VARIANT: dict[str, Any] = {
    "dispute_venue_kind": "court",
    "dispute_venue_zh": "上海金融法院",
    "dispute_venue_en": "the Shanghai Financial Court",
    "dispute_seat_zh": "上海市",
    "dispute_seat_en": "Shanghai",
    "custody_account_masked": None,
    "fees": (),
    "day_count": "ACT/365",
}

SAMPLE_META: dict[str, Any] = {
    "contract_no": "FC2026000000-01",
    "contract_version": 1,
    "generated_on": date(2026, 1, 12),
}


def sample_terms(**overrides: Any) -> ContractTerms:
    return ContractTerms(**{**SAMPLE, **overrides})


def sample_variants() -> list[ContractTerms]:
    return [sample_terms(), sample_terms(**COURT_VARIANT)]
