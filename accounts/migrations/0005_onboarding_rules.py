"""Seed the onboarding rules as dated parameters (approved "regulatory seed" versions).

CSRC Order 130 (证券期货投资者适当性管理办法, in force 2017-07-01): professional natural persons
hold financial assets of at least CNY 5M or earned on average at least CNY 500k a year over the
last 3 years, with 2 years' investing experience; an ordinary investor with CNY 3M / 300k and 1
year may apply to be treated as professional. The other values are the firm's onboarding policy
and change through maker-checker in the console.
"""

from datetime import date

from django.db import migrations

INT0 = {"type": "integer", "min": 0}
MONEY = {"type": "decimal", "min": "0"}
SETS = [
    (
        "kyc-rules",
        "KYC rules",
        "Minimum age, document uploads (size, types) and the documents each kind of client needs.",
        {
            "min_age_years": {**INT0, "max": 100, "label": "Minimum age of a natural-person client"},
            "max_upload_bytes": {"type": "integer", "min": 1024, "label": "Largest document upload (bytes)"},
            "allowed_file_types": {"type": "json", "label": "Document types accepted (pdf, jpeg, png)"},
            "required_documents_person": {"type": "json", "label": "Documents a person must upload"},
            "required_documents_institution": {"type": "json", "label": "Documents an institution must upload"},
        },
        [
            (date(2015, 1, 1), {
                "min_age_years": 18,
                "max_upload_bytes": 10 * 1024 * 1024,
                "allowed_file_types": ["pdf", "jpeg", "png"],
                "required_documents_person": ["id_front", "id_back", "proof_of_assets"],
                "required_documents_institution": ["business_licence", "authorisation_letter", "proof_of_assets"],
            }, "Firm onboarding policy: adults only (Civil Code Art. 17), 10 MiB scans."),
        ],
    ),
    (
        "suitability-rules",
        "Suitability rules",
        "Re-assessment interval, special warnings and the CSRC professional-investor thresholds.",
        {
            "reassessment_months": {"type": "integer", "min": 1, "max": 60, "label": "Months until a questionnaire must be answered again"},
            "reassessment_notice_days": {**INT0, "label": "Days before the due date the console starts asking"},
            "special_warning_valid_days": {"type": "integer", "min": 1, "label": "Days a recorded special warning stays valid"},
            "professional_assets_min": {**MONEY, "label": "Professional: financial assets at least (CNY)"},
            "professional_income_min": {**MONEY, "label": "Professional: average annual income at least (CNY)"},
            "professional_income_years": {"type": "integer", "min": 1, "label": "Years the income is averaged over"},
            "professional_experience_years": {**INT0, "label": "Professional: years of investing experience"},
            "conversion_assets_min": {**MONEY, "label": "Conversion on application: financial assets at least (CNY)"},
            "conversion_income_min": {**MONEY, "label": "Conversion on application: average income at least (CNY)"},
            "conversion_experience_years": {**INT0, "label": "Conversion on application: years of experience"},
        },
        [
            (date(2017, 7, 1), {
                "reassessment_months": 24,
                "reassessment_notice_days": 30,
                "special_warning_valid_days": 180,
                "professional_assets_min": "5000000",
                "professional_income_min": "500000",
                "professional_income_years": 3,
                "professional_experience_years": 2,
                "conversion_assets_min": "3000000",
                "conversion_income_min": "300000",
                "conversion_experience_years": 1,
            }, "CSRC Order 130 Arts. 8 and 11 (in force 2017-07-01); re-assessment every 24 "
               "months is firm policy."),
        ],
    ),
    (
        "client-tiers",
        "Client tiers",
        "Tiers from assets, experience and suitability level; the first tier a client meets wins.",
        {"tiers": {"type": "json", "label": "Tiers, best first: code, kinds, assets_min, experience_years_min, level_min"}},
        [
            (date(2015, 1, 1), {"tiers": [
                {"code": "institutional", "kinds": ["institution"], "assets_min": "0",
                 "experience_years_min": 0, "level_min": "C1"},
                {"code": "premium", "kinds": ["person"], "assets_min": "3000000",
                 "experience_years_min": 3, "level_min": "C4"},
                {"code": "standard", "kinds": ["person"], "assets_min": "0",
                 "experience_years_min": 0, "level_min": "C1"},
            ]}, "Firm tiering policy: premium from CNY 3M financial assets, 3 years' experience "
                "and C4; institutions have their own tier."),
        ],
    ),
    (
        "sanctions-screening",
        "Sanctions and PEP screening",
        "Fuzzy name matching across Hanzi and pinyin; dates of birth and ID numbers as evidence.",
        {
            "name_threshold": {"type": "decimal", "min": "0", "max": "1", "label": "Open a case from this score (0–1)"},
            "dob_match_bonus": {"type": "decimal", "min": "0", "max": "0.5", "label": "Added when a date of birth agrees"},
            "dob_mismatch_penalty": {"type": "decimal", "min": "0", "max": "0.5", "label": "Taken off when the dates of birth differ"},
            "min_name_score": {"type": "decimal", "min": "0", "max": "1", "label": "Below this name score, a birth date never raises a hit"},
        },
        [
            (date(2015, 1, 1), {
                "name_threshold": "0.70",
                "dob_match_bonus": "0.10",
                "dob_mismatch_penalty": "0.10",
                "min_name_score": "0.60",
            }, "Reference threshold ~0.70 on syllable-level name similarity (one differing "
               "syllable in a three-character name scores 0.67 and does not hit)."),
        ],
    ),
]


def seed(apps, schema_editor):
    ParameterSet = apps.get_model("core", "ParameterSet")
    ParameterVersion = apps.get_model("core", "ParameterVersion")
    for key, name, description, schema, versions in SETS:
        parameter_set, _ = ParameterSet.objects.update_or_create(
            key=key,
            defaults={"name": name, "category": "onboarding", "description": description,
                      "schema": schema},
        )
        for effective_from, values, citation in versions:
            ParameterVersion.objects.get_or_create(
                parameter_set=parameter_set,
                effective_from=effective_from,
                status="approved",
                defaults={"values": values, "source": "seed", "reason": citation},
            )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_onboarding"), ("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
