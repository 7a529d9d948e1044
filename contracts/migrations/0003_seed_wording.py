"""Seed the initial wording: the three documents and the clause library, in Chinese and English.

The texts live beside this file in ``seed_v1/`` and are frozen: a change of wording is a new
version proposed and approved in the console, never an edit of these files.
"""

from pathlib import Path

from django.db import migrations

SEED_DIR = Path(__file__).resolve().parent / "seed_v1"
REASON = "Initial wording of the contract bundle (seed v1)."

TEMPLATES = {
    ("margin_contract", "zh-hans"): ("融资融券业务合同", "融资融券业务合同（融资）"),
    ("margin_contract", "en"): ("Margin financing contract", "Margin Financing Contract"),
    ("risk_disclosure", "zh-hans"): ("融资融券交易风险揭示书", "融资融券交易风险揭示书"),
    ("risk_disclosure", "en"): ("Margin trading risk disclosure", "Margin Trading Risk Disclosure"),
    ("custody_agreement", "zh-hans"): (
        "客户交易结算资金第三方存管协议",
        "客户交易结算资金第三方存管协议（信用账户）",
    ),
    ("custody_agreement", "en"): (
        "Third-party custody agreement",
        "Third-Party Custody Agreement for Client Funds (Credit Account)",
    ),
}

CLAUSES = {
    "credit_line": ("授信额度与期限", "Credit Line and Term"),
    "margin_ratio": ("保证金比例与维持担保比例", "Margin Ratio and Maintenance Lines"),
    "margin_call": ("追加担保物（补仓）", "Margin Calls"),
    "liquidation_order": ("强制平仓及平仓顺序", "Forced Liquidation and Its Order"),
    "fees_interest": ("融资利息与费用", "Interest and Fees"),
    "default_handling": ("违约处理", "Default Handling"),
    "dispute_resolution": ("适用法律与争议解决", "Governing Law and Dispute Resolution"),
    "risk_disclosure": ("融资交易主要风险", "Principal Risks of Margin Financing"),
    "custody": ("资金存管", "Custody of Funds"),
}


def _read(*parts):
    return (SEED_DIR.joinpath(*parts)).read_text(encoding="utf-8")


def seed(apps, schema_editor):
    # The variable list is derived exactly as a proposal in the console derives it.
    from contracts.rendering.inspect import names_used

    ContractTemplate = apps.get_model("contracts", "ContractTemplate")
    TemplateVersion = apps.get_model("contracts", "TemplateVersion")
    Clause = apps.get_model("contracts", "Clause")
    ClauseVersion = apps.get_model("contracts", "ClauseVersion")
    stylesheet = _read("document.css")
    for (kind, language), (name, title) in TEMPLATES.items():
        template, _ = ContractTemplate.objects.get_or_create(
            kind=kind, language=language, defaults={"name": name}
        )
        body = _read("templates", f"{kind}.{language}.html")
        TemplateVersion.objects.get_or_create(
            template=template,
            number=1,
            defaults={
                "status": "approved",
                "source": "seed",
                "title": title,
                "body": body,
                "stylesheet": stylesheet,
                "variables": names_used(body, what=f"{kind}/{language}"),
                "reason": REASON,
            },
        )
    for code, titles in CLAUSES.items():
        for language, title in zip(("zh-hans", "en"), titles, strict=True):
            clause, _ = Clause.objects.get_or_create(code=code, language=language)
            body = _read("clauses", f"{code}.{language}.html")
            ClauseVersion.objects.get_or_create(
                clause=clause,
                number=1,
                defaults={
                    "status": "approved",
                    "source": "seed",
                    "title": title,
                    "body": body,
                    "variables": names_used(body, what=f"{code}/{language}"),
                    "reason": REASON,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("contracts", "0002_contract_parameters")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
