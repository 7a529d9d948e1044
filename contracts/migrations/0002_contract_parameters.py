"""Seed the contract parameters: signing rules and the firm's contract particulars.

Both are dated parameter sets: later changes go through maker-checker in the console
(*Rules and audit → Parameter sets*).
"""

from datetime import date

from django.db import migrations

SIGNING_KEY = "contracts-signing"
FIRM_KEY = "contracts-firm"

I = {"type": "integer"}
SIGNING_SCHEMA = {
    "code_ttl_minutes": {**I, "min": 1, "max": 60, "label": "Signing code valid for (minutes)"},
    "code_max_attempts": {**I, "min": 1, "max": 10, "label": "Wrong codes allowed per code"},
    "code_resend_seconds": {**I, "min": 0, "max": 3600, "label": "Wait before a new code (seconds)"},
    "signing_window_days": {**I, "min": 1, "max": 90, "label": "Days to sign an issued contract"},
    "expiring_soon_days": {**I, "min": 1, "max": 180, "label": "Console: contracts ending within (days)"},
    "max_term_months": {**I, "min": 1, "max": 36, "label": "Longest contract term (months)"},
}
SIGNING_VALUES = {
    "code_ttl_minutes": 10,
    "code_max_attempts": 5,
    "code_resend_seconds": 60,
    "signing_window_days": 15,
    "expiring_soon_days": 30,
    # SZSE margin rules: a contract term (and each rollover) is at most six months.
    "max_term_months": 6,
}

T = {"type": "string"}
FIRM_SCHEMA = {
    "firm_name_zh": {**T, "label": "Firm name (Chinese)"},
    "firm_name_en": {**T, "label": "Firm name (English)"},
    "firm_address_zh": {**T, "label": "Registered address (Chinese)"},
    "firm_address_en": {**T, "label": "Registered address (English)"},
    "firm_uscc": {**T, "label": "Unified social credit code"},
    "firm_licence_no": {**T, "label": "Securities and futures business licence no."},
    "firm_service_phone": {**T, "label": "Client service telephone"},
    "custody_bank_zh": {**T, "label": "Custodian bank for client funds (Chinese)"},
    "custody_bank_en": {**T, "label": "Custodian bank for client funds (English)"},
    "dispute_venue_kind": {"type": "choice", "choices": ["arbitration", "court"], "label": "Disputes go to"},
    "dispute_venue_zh": {**T, "label": "Arbitration commission or court (Chinese)"},
    "dispute_venue_en": {**T, "label": "Arbitration commission or court (English)"},
    "dispute_seat_zh": {**T, "label": "Seat of arbitration or court jurisdiction (Chinese)"},
    "dispute_seat_en": {**T, "label": "Seat of arbitration or court jurisdiction (English)"},
    "governing_law_zh": {**T, "label": "Governing law (Chinese)"},
    "governing_law_en": {**T, "label": "Governing law (English)"},
}
FIRM_VALUES = {
    "firm_name_zh": "支点证券股份有限公司",
    "firm_name_en": "Fulcrum Securities Co., Ltd.",
    "firm_address_zh": "上海市浦东新区银城中路 8 号 26 楼",
    "firm_address_en": "26/F, 8 Yincheng Middle Road, Pudong New Area, Shanghai",
    "firm_uscc": "91310000MA1FL8Q2KM",
    "firm_licence_no": "000000029801",
    "firm_service_phone": "400-820-8866",
    "custody_bank_zh": "华东商业银行股份有限公司上海分行",
    "custody_bank_en": "East China Commercial Bank Co., Ltd., Shanghai Branch",
    "dispute_venue_kind": "arbitration",
    "dispute_venue_zh": "上海国际经济贸易仲裁委员会（上海国际仲裁中心）",
    "dispute_venue_en": (
        "the Shanghai International Economic and Trade Arbitration Commission "
        "(Shanghai International Arbitration Center)"
    ),
    "dispute_seat_zh": "上海",
    "dispute_seat_en": "Shanghai",
    "governing_law_zh": (
        "中华人民共和国法律（为本合同之目的，不包括香港特别行政区、澳门特别行政区和台湾地区法律）"
    ),
    "governing_law_en": (
        "the laws of the People's Republic of China (for the purposes of this document excluding "
        "the laws of the Hong Kong and Macao Special Administrative Regions and of Taiwan)"
    ),
}

SETS = [
    (
        SIGNING_KEY,
        "Contract signing",
        "Signing codes (lifetime, attempts, resend wait), how long an issued contract may be "
        "signed, the console's expiry horizon and the longest contract term.",
        SIGNING_SCHEMA,
        SIGNING_VALUES,
        "Initial signing rules; contract term at most six months (SZSE margin rules).",
    ),
    (
        FIRM_KEY,
        "Contract particulars of the firm",
        "The firm's identity, the custodian bank and the dispute venue and governing law printed "
        "in every contract.",
        FIRM_SCHEMA,
        FIRM_VALUES,
        "Initial contract particulars.",
    ),
]


def seed(apps, schema_editor):
    ParameterSet = apps.get_model("core", "ParameterSet")
    ParameterVersion = apps.get_model("core", "ParameterVersion")
    for key, name, description, schema, values, reason in SETS:
        parameter_set, _ = ParameterSet.objects.update_or_create(
            key=key,
            defaults={
                "name": name,
                "category": "contracts",
                "description": description,
                "schema": schema,
            },
        )
        ParameterVersion.objects.get_or_create(
            parameter_set=parameter_set,
            effective_from=date(2020, 1, 1),
            status="approved",
            defaults={"values": dict(values), "source": "seed", "reason": reason},
        )


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial"), ("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
