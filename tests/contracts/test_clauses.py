"""Clause completeness: every required clause is in every rendered document, in both languages,
filled with the terms (lines, rates, day count, fees, cure period, liquidation order, venue)."""

import pytest

from contracts.enums import REQUIRED_CLAUSES, DocumentKind
from contracts.models import ClauseVersion, ContractTemplate
from tests.contracts.factories import COURT, ContractTermsFactory
from tests.contracts.helpers import render_text

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hans", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(DocumentKind.values))
def test_every_required_clause_is_in_the_rendered_document(kind, language):
    terms = ContractTermsFactory.build()
    html, text = render_text(kind, language, terms)
    for code in REQUIRED_CLAUSES[kind]:
        clause = ClauseVersion.objects.get(
            clause__code=code, clause__language=language, status="approved"
        )
        assert f'id="clause-{code}"' in html, code
        assert clause.title in text, code


def test_the_seeded_library_covers_every_document_and_language():
    assert ContractTemplate.objects.count() == 6
    for language in LANGUAGES:
        for kind in DocumentKind.values:
            assert (
                ContractTemplate.objects.get(kind=kind, language=language)
                .versions.filter(status="approved")
                .exists()
            )


ZH_CONTRACT_FACTS = [
    "人民币 1,000,000.00 元",
    "2026年3月2日",
    "2026年8月31日",
    "不得低于100%",  # financing margin ratio
    "警戒线 140%",
    "平仓线 130%",
    "160%",
    "高于300%",
    "2个交易日内",  # cure period
    "年利率为8.35%",
    "实际天数/360（ACT/360）",
    "日利率 = 年利率 ÷ 360",
    "交易佣金 0.03%（最低 人民币 5.00 元） 按成交金额计收",
    "每日0.05%",  # default interest
    "非担保证券及折算率为零的证券 浮动亏损最大的证券 占担保物市值比例最高的证券",  # in order,
    "上海国际经济贸易仲裁委员会（上海国际仲裁中心）",
    "在上海进行仲裁",
    "适用中华人民共和国法律",
    "稳健型融资方案",
    "R4",
    "110105********002X",
]

EN_CONTRACT_FACTS = [
    "CNY 1,000,000.00",
    "2 March 2026",
    "31 August 2026",
    "may not be lower than 100%",
    "Warning line 140%",
    "Liquidation line 130%",
    "top-up target) 160%",
    "above 300%",
    "Within 2 trading day(s)",
    "at 8.35% per annum",
    "actual days/360 (ACT/360)",
    "daily rate = annual rate ÷ 360",
    "Trading commission 0.03% (minimum CNY 5.00) of the traded value, per trade",
    "default interest of 0.05% of the overdue amount per day",
    "securities that are not eligible collateral or whose collateral value is zero",
    "positions with the largest unrealised loss",
    "the Shanghai International Economic and Trade Arbitration Commission",
    "for arbitration in Shanghai",
    "governed by the laws of the People's Republic of China",
    "Balanced package",
]


@pytest.mark.parametrize(
    ("language", "facts"), [("zh-hans", ZH_CONTRACT_FACTS), ("en", EN_CONTRACT_FACTS)]
)
def test_the_contract_is_filled_from_the_terms(language, facts):
    _html, text = render_text(DocumentKind.MARGIN_CONTRACT, language, ContractTermsFactory.build())
    missing = [fact for fact in facts if " ".join(fact.split()) not in text]
    assert missing == []


def test_a_court_venue_reads_as_litigation_with_its_jurisdiction():
    terms = ContractTermsFactory.build(**COURT)
    _html, zh = render_text(DocumentKind.MARGIN_CONTRACT, "zh-hans", terms)
    _html, en = render_text(DocumentKind.MARGIN_CONTRACT, "en", terms)
    assert "任何一方均可向上海金融法院提起诉讼（管辖地：上海市）" in zh
    assert "仲裁规则" not in zh
    assert "bring proceedings before the Shanghai Financial Court (jurisdiction: Shanghai)" in en


def test_risk_disclosure_and_custody_agreement_carry_their_terms():
    terms = ContractTermsFactory.build()
    _html, risk = render_text(DocumentKind.RISK_DISCLOSURE, "zh-hans", terms)
    assert "低于130%时您将收到追加担保物通知，须在2个交易日内将其恢复到160%以上" in risk
    assert "年利率8.35%（实际天数/360（ACT/360））" in risk
    _html, custody = render_text(DocumentKind.CUSTODY_AGREEMENT, "en", terms)
    assert "East China Commercial Bank Co., Ltd., Shanghai Branch" in custody
    assert "designated settlement account with Party C is 6222 **** **** 0456" in custody


def test_articles_are_numbered_in_order():
    _html, zh = render_text(DocumentKind.MARGIN_CONTRACT, "zh-hans", ContractTermsFactory.build())
    positions = [zh.index(f"第{n}条") for n in "一二三四五六七"]
    assert positions == sorted(positions)
    _html, en = render_text(DocumentKind.MARGIN_CONTRACT, "en", ContractTermsFactory.build())
    assert "Article 7. Governing Law and Dispute Resolution" in en
