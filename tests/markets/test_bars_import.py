from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from markets.bars_import import BarFileError, bars_import_text
from markets.enums import Board, Exchange
from markets.models import DailyBar, Instrument

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "markets" / "fixtures" / "ashare"


def test_the_real_files_import_and_a_rerun_changes_nothing(capsys):
    files = [str(FIXTURES / f"{code}.csv") for code in ("000001", "000002", "000333")]
    call_command("import_bars", *files)
    counts = {i.code: i.bars.count() for i in Instrument.objects.all()}
    assert counts == {"000001": 1704, "000002": 2295, "000333": 2380}
    call_command("import_bars", *files)
    assert DailyBar.objects.count() == sum(counts.values())
    vanke = Instrument.objects.get(code="000002")
    assert (vanke.exchange, vanke.board) == (Exchange.XSHE, Board.MAIN)
    bar = vanke.bars.get(date="2016-07-04")
    assert bar.is_one_price and bar.close == Decimal("21.99")
    assert not vanke.bars.filter(date="2016-03-01").exists()  # suspended: no row


GOOD = "datetime,open,high,low,close,volume\n2024-01-02,10.00,10.50,9.90,10.20,1000\n"


def test_a_malformed_row_is_named_by_line_and_nothing_is_imported():
    text = GOOD + "2024-01-03,10.2,10.1,10.0,10.05,500\n" + "2024-01-04,abc,1,1,1,1\n"
    with pytest.raises(BarFileError) as error:
        bars_import_text(code="600000", name="浦发银行", text=text)
    message = str(error.value)
    assert "nothing imported" in message
    assert "line 3: high 10.1 / low 10.0 do not contain open 10.2" in message
    assert "line 4: open 'abc' is not a number" in message
    assert not Instrument.objects.exists()
    assert not DailyBar.objects.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("date,open\n", "line 1: missing columns datetime, high, low, close, volume"),
        (GOOD + "2024-01-02,10,10,10,10,1\n", "line 3: 2024-01-02 already given on line 2"),
        (GOOD + "2024-02-30,10,10,10,10,1\n", "line 3: date '2024-02-30' is not YYYY-MM-DD"),
        (GOOD + "2024-01-05,10,10,10,10,1.5\n", "line 3: volume '1.5' must be a whole number"),
        (GOOD + "2024-01-05,0,0,0,0,1\n", "line 3: prices must be positive"),
        ("datetime,open,high,low,close,volume\n", "the file has no bars"),
    ],
)
def test_each_kind_of_bad_row_is_explained(text, expected):
    with pytest.raises(BarFileError, match=expected):
        bars_import_text(code="600000", name="浦发银行", text=text)
    assert not DailyBar.objects.exists()


def test_the_command_reports_the_file_and_fails(tmp_path, capsys):
    bad = tmp_path / "600000.csv"
    bad.write_text(GOOD + "2024-01-03,x,1,1,1,1\n")
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_bars", str(bad))
    assert "line 3: open 'x' is not a number" in capsys.readouterr().err
    assert not DailyBar.objects.exists()


def test_an_unknown_board_is_refused():
    with pytest.raises(Exception, match="belongs to no known A-share board"):
        bars_import_text(code="999999", name="?", text=GOOD)
