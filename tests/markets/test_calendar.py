from datetime import date, timedelta

from markets import calendar
from markets.codes import classify_code
from markets.enums import Board, Exchange


def test_weekends_and_holidays_are_not_trading_days():
    assert calendar.is_trading_day(date(2024, 1, 2))
    assert not calendar.is_trading_day(date(2024, 1, 6))  # Saturday
    assert not calendar.is_trading_day(date(2024, 10, 1))  # National Day
    assert not calendar.is_trading_day(date(2024, 2, 12))  # Spring Festival


def test_stepping_over_a_long_holiday():
    # 2024-09-30 (Mon) is followed by the National Day week; trading resumes on 2024-10-08.
    assert calendar.next_trading_day(date(2024, 9, 30)) == date(2024, 10, 8)
    assert calendar.previous_trading_day(date(2024, 10, 8)) == date(2024, 9, 30)
    assert calendar.add_trading_days(date(2024, 9, 27), 2) == date(2024, 10, 8)
    assert calendar.add_trading_days(date(2024, 10, 5), 1) == date(2024, 10, 8)


def test_trading_days_between_is_inclusive():
    days = calendar.trading_days_between(date(2024, 1, 1), date(2024, 1, 5))
    assert days == [date(2024, 1, d) for d in (2, 3, 4, 5)]


def test_board_from_the_code():
    assert classify_code("600519") == (Exchange.XSHG, Board.MAIN)
    assert classify_code("688981") == (Exchange.XSHG, Board.STAR)
    assert classify_code("300750") == (Exchange.XSHE, Board.CHINEXT)
    assert classify_code("000002") == (Exchange.XSHE, Board.MAIN)
    assert classify_code("920001") == (Exchange.BJSE, Board.BSE)


def test_beyond_the_library_weekdays_trade_unless_a_holiday_is_entered(db):
    from markets.models import ExchangeHoliday

    last = calendar.library_last_day()
    first_monday = last + timedelta(days=1)
    while first_monday.weekday() != 0:
        first_monday += timedelta(days=1)
    calendar.refresh()
    assert calendar.is_trading_day(first_monday)
    ExchangeHoliday.objects.create(day=first_monday, name="announced closure")
    calendar.refresh()
    assert not calendar.is_trading_day(first_monday)
    assert calendar.next_trading_day(first_monday).weekday() == 1
    calendar.refresh()
