"""Market funding series: the CSV importer (all or nothing, by line) and the series reads."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.exceptions import InvalidInput
from markets.enums import PriceSource
from markets.funding_import import FundingFileError, funding_import_text
from markets.models import SeriesPoint
from markets.selectors import funding_series_values

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[2] / "markets" / "fixtures" / "funding"
GOOD = "date,series,value\n2016-07-04,shibor_on,2.0020\n2016-07-04,gc001,2.050\n"


def test_the_illustrative_sample_imports_once_and_is_marked_synthetic(capsys):
    sample = str(SAMPLE / "sample_illustrative.csv")
    call_command("import_funding", "--illustrative", sample)
    call_command("import_funding", "--illustrative", sample)
    assert SeriesPoint.objects.count() == 60
    assert set(SeriesPoint.objects.values_list("source", flat=True)) == {PriceSource.SYNTHETIC}
    assert "60 values" in capsys.readouterr().out


def test_series_values_are_read_oldest_first():
    funding_import_text(text=GOOD + "2016-07-01,shibor_on,2.0090\n")
    values = funding_series_values(
        ["shibor_on", "margin_balance"], date(2016, 7, 1), date(2016, 7, 8)
    )
    assert values == {
        "margin_balance": [],
        "shibor_on": [(date(2016, 7, 1), Decimal("2.009")), (date(2016, 7, 4), Decimal("2.002"))],
    }
    with pytest.raises(InvalidInput, match="unknown funding series: shibor_2w"):
        funding_series_values(["shibor_2w"], date(2016, 7, 1), date(2016, 7, 8))


def test_a_bad_row_is_named_by_its_line_and_nothing_is_imported():
    text = GOOD + "2016-07-05,shibor_2w,2.40\n" + "2016-07-05,r007,240\n"
    with pytest.raises(FundingFileError) as refused:
        funding_import_text(text=text)
    assert str(refused.value) == (
        "nothing imported — line 4: unknown series 'shibor_2w' (known: gc001, margin_balance, "
        "r007, shibor_1w, shibor_3m, shibor_on); line 5: r007 value 240 is outside the plausible "
        "range 0 to 100"
    )
    assert not SeriesPoint.objects.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("day,value\n", "line 1: missing columns date, series"),
        (GOOD + "2016-07-04,gc001,2.1\n", "line 4: gc001 2016-07-04 already given on line 3"),
        (GOOD + "2016-02-30,gc001,2.1\n", "line 4: date '2016-02-30' is not YYYY-MM-DD"),
        (GOOD + "2016-07-05,gc001,n/a\n", "line 4: value 'n/a' is not a number"),
        (GOOD + "2016-07-05,gc001,NaN\n", "line 4: value 'NaN' is not a finite number"),
        ("date,series,value\n", "the file has no values"),
    ],
)
def test_each_kind_of_bad_row_is_explained(text, expected):
    with pytest.raises(FundingFileError, match=expected):
        funding_import_text(text=text)
    assert not SeriesPoint.objects.exists()


def test_the_command_names_the_file_and_fails(tmp_path, capsys):
    bad = tmp_path / "funding.csv"
    bad.write_text(GOOD + "2016-07-05,margin_balance,-1\n")
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_funding", str(bad))
    assert (
        "line 4: margin_balance value -1 is outside the plausible range" in capsys.readouterr().err
    )
    assert not SeriesPoint.objects.exists()
