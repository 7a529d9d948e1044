"""Tiers from dated rules; the list-import and re-screen commands."""

from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.enums import StaffRole
from accounts.models import ScreeningCase
from accounts.services import suitability_assess
from accounts.services.tiering import tier_for
from core.exceptions import InvalidInput
from core.models import ParameterSet
from core.params.services import (
    parameter_change_approve,
    parameter_change_propose,
)
from tests.accounts.factories import register_institution, register_person
from tests.accounts.test_suitability_flow import C5_ANSWERS

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "accounts" / "fixtures" / "sanctions"


def test_tiers_follow_assets_experience_and_level(verified, ops2, ops):
    assert tier_for(verified, date(2026, 11, 27)) == ""  # no tier before the questionnaire
    suitability_assess(client=verified, answers=C5_ANSWERS, by=ops2)
    verified.refresh_from_db()
    # C5, but CNY 1.2M of assets is under the premium line of CNY 3M.
    assert verified.tier == "standard"
    rich = register_person(ops, name="陈晓明", serial=3, financial_assets="3000000")
    rich.suitability_level = "C4"
    assert tier_for(rich, date(2026, 11, 27)) == "premium"
    institution = register_institution(ops)
    institution.suitability_level = "C3"
    assert tier_for(institution, date(2026, 11, 27)) == "institutional"


def test_a_tier_table_without_a_catch_all_is_refused(make_staff):
    risk1, risk2 = make_staff(StaffRole.RISK_OFFICER), make_staff(StaffRole.RISK_OFFICER)
    tiers = ParameterSet.objects.get(key="client-tiers")
    bad = {"tiers": [{"code": "premium", "assets_min": "3000000", "level_min": "C4"}]}
    with pytest.raises(InvalidInput, match="no tier catches every person client"):
        parameter_change_propose(
            parameter_set=tiers,
            effective_from=timezone.localdate() + timedelta(days=1),
            values=bad,
            maker=risk1,
            reason="test",
        )
    good = {
        "tiers": [
            {"code": "institutional", "kinds": ["institution"]},
            {"code": "gold", "kinds": ["person"], "assets_min": "500000", "level_min": "C2"},
            {"code": "standard", "kinds": ["person"]},
        ]
    }
    version = parameter_change_propose(
        parameter_set=tiers,
        effective_from=timezone.localdate() + timedelta(days=1),
        values=good,
        maker=risk1,
        reason="a gold tier from next day",
    )
    parameter_change_approve(version=version, checker=risk2)
    client = register_person(make_staff(StaffRole.OPERATIONS))
    client.suitability_level = "C3"
    assert tier_for(client, timezone.localdate()) == "standard"
    assert tier_for(client, timezone.localdate() + timedelta(days=1)) == "gold"


def test_the_import_command_reads_both_formats(ops):
    register_person(ops, name="周建平", born=date(1979, 5, 1))
    out = StringIO()
    call_command(
        "import_sanctions_list",
        str(FIXTURES / "demo-pep.ftm.jsonl"),
        key="pep",
        name="PEP",
        fmt="ftm",
        pep=True,
        stdout=out,
    )
    assert out.getvalue().strip() == "added: 3, updated: 0, unchanged: 0, removed: 0, skipped: 1"
    call_command(
        "import_sanctions_list",
        str(FIXTURES / "demo-sanctions.csv"),
        key="sanctions",
        name="Sanctions",
        fmt="csv",
        stdout=StringIO(),
    )
    # (The imports' own re-screening runs on commit, which this test transaction never does.)
    out = StringIO()
    call_command("rescreen_clients", stdout=out)
    assert out.getvalue().strip() == "1 clients screened, 1 new cases"
    assert ScreeningCase.objects.get().entry.name == "周建平"
