"""The demo's instrument universe: real listed names with approximate reference data.

Free-float share counts and starting prices are rounded approximations for a realistic-looking
book, not reference data to rely on. The ST, suspended and newly listed names are fictional (so
no real company is shown under a status it may not have). Bars for all of them, beyond the three
real files, are synthetic: real daily moves of a source stock, scaled and kept inside each
instrument's own band.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from markets.enums import InstrumentKind

STOCK = InstrumentKind.STOCK
ETF = InstrumentKind.ETF
MONEY = InstrumentKind.MONEY_FUND


@dataclass(frozen=True)
class DemoInstrument:
    code: str
    name: str
    start_price: Decimal
    free_float: int
    source: str  # the real stock whose daily moves drive the synthetic bars
    beta: Decimal = Decimal(1)
    kind: str = STOCK
    index: bool = False
    is_st: bool = False
    role: str = ""  # "suspended" or "new_listing" for the two special cases


def _i(code, name, price, free_float, source, beta="1", kind=STOCK, index=False, **kw):
    return DemoInstrument(
        code, name, Decimal(price), free_float, source, Decimal(beta), kind, index, **kw
    )


# Real files: free float and index membership for the three stocks shipped as real history.
REAL_STOCKS = {
    "000001": ("平安银行 Ping An Bank", 19_405_000_000),
    "000002": ("万科A China Vanke", 9_724_000_000),
    "000333": ("美的集团 Midea Group", 6_800_000_000),
}

UNIVERSE: list[DemoInstrument] = [
    # Shanghai main board
    _i("600519", "贵州茅台 Kweichow Moutai", "1450.00", 1_256_000_000, "000333", "0.8", index=True),
    _i("601318", "中国平安 Ping An Insurance", "52.00", 10_800_000_000, "000001", index=True),
    _i("600036", "招商银行 China Merchants Bank", "44.00", 20_600_000_000, "000001", index=True),
    _i(
        "601012", "隆基绿能 LONGi Green Energy", "14.00", 7_580_000_000, "000002", "1.3", index=True
    ),
    _i("600276", "恒瑞医药 Jiangsu Hengrui", "55.00", 6_380_000_000, "000333", index=True),
    _i(
        "600900",
        "长江电力 China Yangtze Power",
        "29.00",
        24_500_000_000,
        "000001",
        "0.5",
        index=True,
    ),
    _i("603259", "药明康德 WuXi AppTec", "65.00", 2_500_000_000, "000333", "1.3", index=True),
    _i(
        "601888",
        "中国中免 China Tourism Group",
        "62.00",
        1_950_000_000,
        "000333",
        "1.2",
        index=True,
    ),
    _i("600030", "中信证券 CITIC Securities", "26.00", 12_200_000_000, "000001", "1.2", index=True),
    # Shenzhen main board
    _i("000858", "五粮液 Wuliangye Yibin", "125.00", 3_880_000_000, "000333", "0.9", index=True),
    _i("002594", "比亚迪 BYD", "350.00", 1_160_000_000, "000333", "1.2", index=True),
    _i("002415", "海康威视 Hikvision", "28.00", 8_900_000_000, "000002", index=True),
    _i("000651", "格力电器 Gree Electric", "45.00", 5_600_000_000, "000333", index=True),
    # ChiNext
    _i("300750", "宁德时代 CATL", "250.00", 3_900_000_000, "000333", "1.4", index=True),
    _i("300059", "东方财富 East Money", "22.00", 13_000_000_000, "000001", "1.6", index=True),
    _i("300760", "迈瑞医疗 Mindray", "230.00", 1_200_000_000, "000333", "1.1", index=True),
    _i("300015", "爱尔眼科 Aier Eye Hospital", "12.00", 8_000_000_000, "000002", "1.3"),
    # STAR Market
    _i("688981", "中芯国际 SMIC", "85.00", 1_980_000_000, "000002", "1.6", index=True),
    _i("688111", "金山办公 Kingsoft Office", "300.00", 460_000_000, "000333", "1.5"),
    _i("688599", "天合光能 Trina Solar", "14.00", 2_170_000_000, "000002", "1.5"),
    _i("688036", "传音控股 Transsion", "75.00", 1_140_000_000, "000333", "1.5"),
    # Beijing Stock Exchange
    _i("835185", "贝特瑞 BTR New Material", "25.00", 1_100_000_000, "000002", "1.8"),
    _i("430047", "诺思兰德 Novel Biotech", "12.00", 270_000_000, "000002", "2.0"),
    # Exchange-traded funds
    _i("510300", "沪深300ETF CSI 300 ETF", "3.900", 30_000_000_000, "000001", "0.8", ETF),
    _i("510050", "上证50ETF SSE 50 ETF", "2.800", 20_000_000_000, "000001", "0.7", ETF),
    _i("159915", "创业板ETF ChiNext ETF", "2.000", 10_000_000_000, "000333", "1.2", ETF),
    _i("588000", "科创50ETF STAR 50 ETF", "1.000", 40_000_000_000, "000002", "1.3", ETF),
    _i("511880", "银华日利 money-market ETF", "101.500", 150_000_000, "000001", "0", MONEY),
    # Fictional names for statuses that should not be pinned on a real company.
    _i("600877", "ST 示例甲 (fictional)", "3.20", 900_000_000, "000002", "1.2", is_st=True),
    _i("002999", "*ST 示例乙 (fictional)", "2.10", 600_000_000, "000002", "1.4", is_st=True),
    _i(
        "000999",
        "示例停牌 (fictional, suspended)",
        "6.50",
        1_500_000_000,
        "000001",
        role="suspended",
    ),
    _i(
        "688799",
        "示例新材 (fictional, new listing)",
        "30.00",
        60_000_000,
        "000333",
        "2.0",
        role="new_listing",
    ),
]
