import datetime as dt

import pytest

from timeline.dates import date_range, parse_data_date, parse_user_date
from timeline.errors import UsageError
from timeline.models import PartialDate


@pytest.mark.parametrize(
    ("value", "iso", "first", "last", "shown"),
    [
        (dt.date(2018, 6, 12), "2018-06-12", "2018-06-12", "2018-06-12", "12 Jun 2018"),
        ("2018-06-12", "2018-06-12", "2018-06-12", "2018-06-12", "12 Jun 2018"),
        ("2018-06", "2018-06", "2018-06-01", "2018-06-30", "Jun 2018"),
        ("2020-02", "2020-02", "2020-02-01", "2020-02-29", "Feb 2020"),
        (2018, "2018", "2018-01-01", "2018-12-31", "2018"),
        ("2018", "2018", "2018-01-01", "2018-12-31", "2018"),
        ("2018~", "2018~", "2018-01-01", "2018-12-31", "c. 2018"),
        ("2018-06?", "2018-06?", "2018-06-01", "2018-06-30", "Jun 2018?"),
        (" 2019-02-28 ", "2019-02-28", "2019-02-28", "2019-02-28", "28 Feb 2019"),
    ],
)
def test_data_dates_keep_their_precision(value: object, iso: str, first: str, last: str, shown: str) -> None:
    date = parse_data_date(value)
    assert date.iso() == iso
    assert date.first_day.isoformat() == first
    assert date.last_day.isoformat() == last
    assert date.display() == shown


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2019-02-30", "impossible date"),
        ("2018-13", "impossible date"),
        ("2018-6-12", "malformed date"),
        ("12 June 2018", "malformed date"),
        ("0000", "year 0"),
        ("2018-06-12T10:00", "malformed date"),
        (dt.datetime(2018, 6, 12, 9, 0), "time of day"),
        (True, "got bool"),
        (None, "got nothing"),
        ([2018], "got list"),
        ("2018~~", "malformed"),
        ("2019-00-15", "impossible date '2019-00-15': month 00 does not exist"),
        ("2019-00", "impossible date '2019-00': month 00 does not exist"),
        ("2019-05-00", "impossible date '2019-05-00': day 00 does not exist"),
        ("0000-05-01", r"year 0 does not exist \(years 0001 to 9998 are accepted\)"),
        ("9999", "date '9999' is out of range: years 0001 to 9998 are accepted"),
        ("9999-12-31", "out of range"),
        (dt.date(9999, 12, 31), "date '9999-12-31' is out of range"),
    ],
)
def test_bad_data_dates_say_why(value: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_data_date(value)


@pytest.mark.parametrize(
    "value", ["0001", "0999-01-01", "9998-12-31", dt.date(1, 1, 1), dt.date(9998, 12, 31)]
)
def test_every_accepted_year_has_a_day_after_its_last(value: object) -> None:
    date = parse_data_date(value)
    assert date.last_day + dt.timedelta(days=1) > date.first_day  # an iCalendar DTEND can be written


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018", PartialDate(2018)),
        ("June 2018", PartialDate(2018, 6)),
        ("Jun 2018", PartialDate(2018, 6)),
        ("2018-06", PartialDate(2018, 6)),
        ("2018-06-12", PartialDate(2018, 6, 12)),
        ("12 June 2018", PartialDate(2018, 6, 12)),
        ("June 12, 2018", PartialDate(2018, 6, 12)),
        ("1 Feb 2019", PartialDate(2019, 2, 1)),
    ],
)
def test_user_dates(text: str, expected: PartialDate) -> None:
    assert parse_user_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("June", "needs a year"),
        ("12 June", "needs a year"),
        ("soon", "cannot read"),
        ("", "cannot read"),
        (
            "0000",
            r"--since: impossible date '0000': year 0 does not exist \(years 0001 to 9999 are accepted\)",
        ),
        ("0", "--since: cannot read '0' as a date"),
        ("00", "cannot read"),
        ("0000-06", "year 0 does not exist"),
        ("2019-00", "--since: impossible date '2019-00': month 00 does not exist"),
        ("2019-05-00", "day 00 does not exist"),
        ("2019-02-30", "day is out of range for month"),
        ("10000", "cannot read"),
    ],
)
def test_bad_user_dates_are_usage_errors(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_user_date(text, "--since")


@pytest.mark.parametrize(
    ("since", "until", "low", "high"),
    [
        ("2019", "2019", "2019-01-01", "2019-12-31"),
        ("June 2018", None, "2018-06-01", None),
        (None, "Feb 2020", None, "2020-02-29"),
        ("2018-06-12", "12 June 2018", "2018-06-12", "2018-06-12"),
    ],
)
def test_partial_bounds_cover_their_whole_period(
    since: str | None, until: str | None, low: str | None, high: str | None
) -> None:
    got_low, got_high = date_range(since, until)
    assert (got_low.isoformat() if got_low else None) == low
    assert (got_high.isoformat() if got_high else None) == high


@pytest.mark.parametrize("text", ["0001", "9999", "31 Dec 9999", "0999-01-01"])
def test_user_bounds_reach_every_representable_year(text: str) -> None:
    low, high = date_range(text, text)
    assert low is not None and high is not None and low <= high


def test_reversed_range_is_refused() -> None:
    with pytest.raises(UsageError, match="is after"):
        date_range("2020", "2019")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--since", "0000"),
            "--since: impossible date '0000': year 0 does not exist (years 0001 to 9999 are accepted)",
        ),
        (
            ("--until", "0000"),
            "--until: impossible date '0000': year 0 does not exist (years 0001 to 9999 are accepted)",
        ),
        (("--since", "0"), "--since: cannot read '0' as a date; try 2018, 'June 2018' or 2018-06-12"),
        (("--until", "2019-00"), "--until: impossible date '2019-00': month 00 does not exist"),
        (("--since", "2019-05-00"), "--since: impossible date '2019-05-00': day 00 does not exist"),
    ],
)
@pytest.mark.parametrize("command", ["show", "filter", "export json"])
def test_impossible_bounds_are_usage_errors_on_one_line(
    invoke, command: str, args: tuple[str, str], message: str
) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import MINI

    result = invoke(*command.split(), *args, "--data", str(MINI))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"timeline: {message}\n"


# -- issue 10: dates that cannot be misread, and relative bounds ------------------------------------

TODAY = dt.date(2026, 3, 31)  # a Tuesday at the end of a 31-day month: the hard case for "N months ago"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("today", "2026-03-31"),
        ("Yesterday", "2026-03-30"),
        ("3 days ago", "2026-03-28"),
        ("1 day ago", "2026-03-30"),
        ("2 weeks ago", "2026-03-17"),
        ("a week ago", "2026-03-24"),
        ("1 month ago", "2026-02-28"),  # no 31 February: the month's last day
        ("13 months ago", "2025-02-28"),
        ("2 years ago", "2024-03-31"),
        ("last year", "2025"),
        ("this year", "2026"),
        ("this month", "2026-03"),
        ("last month", "2026-02"),
        ("this week", "2026-03-30"),  # its Monday
        ("last week", "2026-03-23"),
    ],
)
def test_relative_dates(text: str, iso: str) -> None:
    assert parse_user_date(text, "--since", today=TODAY).iso() == iso


def test_relative_bounds_cover_their_period() -> None:
    assert date_range("last year", "last year", today=TODAY) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert date_range("this month", None, today=TODAY) == (dt.date(2026, 3, 1), None)
    assert date_range(None, "yesterday", today=TODAY) == (None, dt.date(2026, 3, 30))


def test_relative_dates_count_from_the_given_day() -> None:
    assert parse_user_date("today", today=dt.date(2019, 6, 30)).iso() == "2019-06-30"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12/06/2018", "--since: '12/06/2018' could be 12 June 2018 or 6 December 2018; write 2018-06-12 or 2018-12-06"),
        ("12.06.2018", "--since: '12.06.2018' could be 12 June 2018 or 6 December 2018; write 2018-06-12 or 2018-12-06"),
        ("1-2-2019", "--since: '1-2-2019' could be 1 February 2019 or 2 January 2019; write 2019-02-01 or 2019-01-02"),
        ("12/06/18", "--since: '12/06/18' has a two-digit year; write the date as YYYY-MM-DD"),
    ],
)  # fmt: skip
def test_ambiguous_numeric_dates_are_refused(text: str, message: str) -> None:
    with pytest.raises(UsageError) as exc:
        parse_user_date(text, "--since", today=TODAY)
    assert str(exc.value) == message


@pytest.mark.parametrize(
    ("text", "iso"),
    [("13/06/2018", "2018-06-13"), ("06/13/2018", "2018-06-13"), ("06/06/2018", "2018-06-06")],
)
def test_numeric_dates_with_one_reading_are_read(text: str, iso: str) -> None:
    assert parse_user_date(text, "--since", today=TODAY).iso() == iso
