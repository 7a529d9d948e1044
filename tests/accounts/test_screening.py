"""Sanctions / PEP screening across Hanzi and pinyin; cases block eligibility until cleared."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from accounts import selectors
from accounts.enums import ClientStatus, ScreeningStatus
from accounts.models import SanctionsEntry, SanctionsList, ScreeningCase
from accounts.screening.matching import name_similarity
from accounts.screening.names import name_key
from accounts.services import (
    client_resume,
    client_screen,
    kyc_submit,
    kyc_verify,
    sanctions_list_import,
    screening_case_clear,
    screening_case_confirm,
    suitability_assess,
)
from accounts.services.screening import screening_settings
from core.exceptions import IllegalTransition, InvalidInput
from tests.accounts.factories import complete_kyc_file, register_person, resident_id
from tests.accounts.test_suitability_flow import C3_ANSWERS

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "accounts" / "fixtures" / "sanctions"
HEADER = "id,schema,name,aliases,birth_dates,id_numbers,countries,topics\n"


def import_csv(rows: str, by=None, key: str = "test-list") -> dict[str, int]:
    return sanctions_list_import(
        key=key, name="Test list", fmt="csv", content=(HEADER + rows).encode(), by=by
    )


def test_a_pinyin_spelling_of_a_listed_hanzi_name_is_a_hit(ops):
    import_csv("T-1,Person,王建国,,,,cn,sanction\n")
    client = register_person(ops, name="Jianguo WANG")  # tone-less, surname last, no Hanzi

    result = client_screen(client=client)

    assert (result.hits, result.opened) == (1, 1)
    case = ScreeningCase.objects.get(client=client)
    assert case.status == ScreeningStatus.OPEN
    assert case.evidence["listed_name"] == "王建国"
    assert case.evidence["by"] == "pinyin syllables"
    assert "birth_date" not in case.evidence  # the list gives none


@pytest.mark.parametrize(
    "spelling", ["Wang Jianguo", "wáng jiànguó", "WANG Jian-Guo", "wangjianguo"]
)
def test_pinyin_spellings_all_match_the_hanzi(spelling):
    score, method = name_similarity(name_key(spelling), name_key("王建国"))
    assert (score, method) == (1, "pinyin syllables")


def test_a_merely_similar_common_name_is_not_a_hit_at_the_default_threshold(ops):
    import_csv("T-1,Person,王建国,WANG Jianguo,1961-04-12,,cn,sanction\n")
    client = register_person(ops, name="王建军", name_latin="Wang Jianjun")

    result = client_screen(client=client)

    assert screening_settings(date(2026, 11, 27)).threshold == Decimal("0.70")
    assert name_similarity(name_key("王建军"), name_key("王建国"))[0] == Decimal("0.6667")
    assert name_similarity(name_key("Wang Jianjun"), name_key("WANG Jianguo"))[0] == Decimal(
        "0.6667"
    )
    assert result.hits == 0
    assert not ScreeningCase.objects.exists()


def test_the_same_birth_date_lifts_a_similar_name_over_the_line(ops):
    import_csv("T-1,Person,王建国,,1985-06-15,,cn,sanction\n")
    client = register_person(ops, name="王建军")  # born 1985-06-15 by default
    assert client_screen(client=client).hits == 1
    assert ScreeningCase.objects.get().evidence["birth_date"] == "agrees"


def test_an_id_number_on_the_list_is_a_hit_whatever_the_name(ops):
    number = resident_id(date(1985, 6, 15))
    import_csv(f"T-9,Person,Somebody Else,,,{number},cn,sanction\n")
    client = register_person(ops)
    client_screen(client=client)
    case = ScreeningCase.objects.get(client=client)
    assert case.score == 1 and case.evidence["id_number"] == "the client's ID number is on the list"


def test_a_list_update_rescreens_every_client_after_commit(ops, django_capture_on_commit_callbacks):
    clean = register_person(ops)
    other = register_person(ops, name="周建平", born=date(1979, 5, 1), serial=7)
    with django_capture_on_commit_callbacks(execute=True) as first:
        import_csv("T-1,Person,王建国,,,,cn,sanction\n")
    assert len(first) == 1
    assert not ScreeningCase.objects.exists()

    content = (FIXTURES / "demo-pep.ftm.jsonl").read_bytes()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        counts = sanctions_list_import(key="pep", name="PEP", fmt="ftm", content=content, by=None)

    assert counts == {"added": 3, "updated": 0, "unchanged": 0, "removed": 0, "skipped": 1}
    assert len(callbacks) == 1
    case = ScreeningCase.objects.get()
    assert (case.client, case.entry.external_id) == (other, "pep-zhou-jianping")
    assert case.evidence["birth_date"] == "differs"
    clean.refresh_from_db()
    assert clean.last_screened_at is not None


def test_a_cleared_case_stays_cleared_until_the_entry_changes(ops, compliance):
    import_csv("T-1,Person,王建国,,,,cn,sanction\n")
    client = register_person(ops, name="Wang Jianguo")
    client_screen(client=client)
    screening_case_clear(
        case=ScreeningCase.objects.get(), by=compliance, reason="different person: ID differs"
    )
    import_csv("T-1,Person,王建国,,,,cn,sanction\n")
    client_screen(client=client)
    assert ScreeningCase.objects.count() == 1
    import_csv("T-1,Person,王建国,Wang Chien-kuo,,,cn,sanction\n")
    client_screen(client=client)
    assert list(ScreeningCase.objects.values_list("status", flat=True).order_by("pk")) == [
        "cleared",
        "open",
    ]


def test_a_bad_row_imports_nothing(ops):
    with pytest.raises(InvalidInput) as error:
        import_csv("T-1,Person,王建国,,,,cn,x\nT-2,Person,,,,,cn,x\n")
    assert str(error.value) == "line 3: entry 'T-2' needs a name of 1–300 characters"
    assert not SanctionsList.objects.exists() and not SanctionsEntry.objects.exists()


def test_an_open_case_blocks_eligibility_until_compliance_clears_it(ops, ops2, compliance):
    import_csv("T-1,Person,王建国,,,,cn,sanction\n")
    client = complete_kyc_file(register_person(ops, name="王建国"), ops)
    kyc_submit(client=client, by=ops)
    kyc_verify(client=client, by=ops2, risk_rating="low")
    suitability_assess(client=client, answers=C3_ANSWERS, by=ops2)
    client.refresh_from_db()
    assert client.status == ClientStatus.SUITABILITY_ASSESSED

    from accounts.services import client_mark_eligible

    with pytest.raises(IllegalTransition, match=r"screening case #\d+ \(王建国\) is open"):
        client_mark_eligible(client=client, by=ops2)
    assert not selectors.screening_clear(client)

    screening_case_clear(
        case=ScreeningCase.objects.get(), by=compliance, reason="born 1985, listed party 1961"
    )
    client.refresh_from_db()
    assert client.status == ClientStatus.ELIGIBLE
    assert selectors.screening_clear(client)


def test_a_confirmed_match_suspends_the_client_for_good(ops, compliance):
    import_csv("T-1,Person,王建国,,,,cn,sanction\n")
    client = register_person(ops, name="王建国")
    client_screen(client=client)
    screening_case_confirm(
        case=ScreeningCase.objects.get(), by=compliance, reason="same person per passport"
    )
    client.refresh_from_db()
    assert (client.status, client.risk_rating) == (ClientStatus.SUSPENDED, "high")
    with pytest.raises(IllegalTransition, match="confirmed case"):
        client_resume(client=client, by=compliance, reason="try")


def test_only_compliance_decides_cases(ops):
    import_csv("T-1,Person,王建国,,,,cn,sanction\n")
    client = register_person(ops, name="王建国")
    client_screen(client=client)
    from core.exceptions import PermissionRefused

    with pytest.raises(PermissionRefused):
        screening_case_clear(case=ScreeningCase.objects.get(), by=ops, reason="looks fine")
    assert ScreeningCase.objects.get().status == ScreeningStatus.OPEN
