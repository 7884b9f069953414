"""Deadline phrases as Vietnamese documents write them, read into a plan's forms."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plantrack.asof import parse_day
from plantrack.domain.deadlines import parse_deadline
from plantrack.domain.recurrence import validate_rule
from plantrack.lang import Words
from plantrack.phrases import PhraseError, Reading, day_numbers, read_deadline

VI = Words("vi")
DAYS = st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31))
YEARS = st.integers(1900, 2200)
WEEK = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def due(phrase: str, **kwargs: int) -> str | None:
    reading = read_deadline(phrase, **kwargs)  # type: ignore[arg-type]
    assert reading.recurs is None and reading.warning is None, reading
    return reading.due


# 1. Months, quarters, halves, years ------------------------------------------------------

@pytest.mark.parametrize("phrase", ["Tháng 4/2025", "tháng 4 năm 2025", "T4/2025", "T.4/2025",
                                    "tháng 04/2025", "04/2025", "Tháng 4-2025", "2025-04",
                                    "2025-4", "April 2025", "apr 2025", "trong tháng 4/2025",
                                    "Hoàn thành trong Tháng 4/2025"])
def test_months(phrase: str) -> None:
    assert due(phrase) == "2025-04"


@pytest.mark.parametrize("phrase, expected", [
    ("Quý III/2025", "2025-Q3"), ("quý 3 năm 2025", "2025-Q3"), ("Quý II năm 2025", "2025-Q2"),
    ("QUÝ IV/2025", "2025-Q4"), ("Quý I - 2025", "2025-Q1"), ("Q3 2025", "2025-Q3"),
    ("Q3/2025", "2025-Q3"), ("2025-Q3", "2025-Q3"), ("2025-q3", "2025-Q3"),
    ("2025 Q3", "2025-Q3"), ("trong Quý III/2025", "2025-Q3"),
])
def test_quarters(phrase: str, expected: str) -> None:
    assert due(phrase) == expected


@pytest.mark.parametrize("phrase, expected", [
    ("6 tháng đầu năm 2025", "2025-H1"), ("6 tháng cuối năm 2025", "2025-H2"),
    ("sáu tháng đầu năm 2025", "2025-H1"), ("nửa cuối năm 2025", "2025-H2"),
    ("H1 2025", "2025-H1"), ("2025-H2", "2025-H2"), ("first half of 2025", "2025-H1"),
])
def test_halves(phrase: str, expected: str) -> None:
    assert due(phrase) == expected


@pytest.mark.parametrize("phrase", ["Năm 2025", "trong năm 2025", "2025", "cả năm 2025",
                                    "Đến hết năm 2025", "year 2025"])
def test_years(phrase: str) -> None:
    assert due(phrase) == "2025"


# 2. Days and minutes ---------------------------------------------------------------------

@pytest.mark.parametrize("phrase", [
    "Chậm nhất ngày 10/3/2025", "Hoàn thành ngày 10/3/2025", "10/3/2025", "10-3-2025",
    "10.3.2025", "10/03/2025", "ngày 10 tháng 3 năm 2025", "ngày 10 tháng 03 năm 2025",
    "2025-03-10", "Hạn: 10/3/2025", "Thời hạn: ngày 10/3/2025", "chậm nhất là ngày 10/3/2025",
    "Đến hết ngày 10/3/2025", "10 March 2025", "March 10, 2025", "by 10 March 2025",
])
def test_a_day_is_its_own_deadline(phrase: str) -> None:
    assert due(phrase) == "2025-03-10"


@pytest.mark.parametrize("phrase", ["Trước ngày 10/3/2025", "trước 10/3/2025",
                                    "Hoàn thành trước 10/3/2025",
                                    "Hoàn thành trước ngày 10 tháng 3 năm 2025",
                                    "before 10 March 2025"])
def test_before_a_day_is_the_day_before(phrase: str) -> None:
    # "trước" always means before: the last allowed day is the one before (PLAN-FORMAT.md).
    assert due(phrase) == "2025-03-09"


def test_before_crosses_months_years_and_leap_days() -> None:
    assert due("Trước ngày 1/3/2024") == "2024-02-29"
    assert due("Trước ngày 1/1/2025") == "2024-12-31"
    assert due("trước Quý I/2025") == "2024-Q4"
    assert due("trước tháng 4/2025") == "2025-03"
    assert due("trước 6 tháng cuối năm 2025") == "2025-H1"
    assert due("trước năm 2025") == "2024"


@pytest.mark.parametrize("phrase, expected", [
    ("Trước 10 giờ ngày 20/02/2025", "2025-02-20T10:00"),
    ("10h00 ngày 20/02/2025", "2025-02-20T10:00"),
    ("10h ngày 20/02/2025", "2025-02-20T10:00"),
    ("10:30 ngày 20/02/2025", "2025-02-20T10:30"),
    ("10 giờ 30 phút ngày 20/02/2025", "2025-02-20T10:30"),
    ("14 giờ ngày 20 tháng 2 năm 2025", "2025-02-20T14:00"),
    ("2 giờ chiều ngày 20/2/2025", "2025-02-20T14:00"),
    ("ngày 20/02/2025 lúc 10:00", "2025-02-20T10:00"),
    ("2025-02-20T10:00", "2025-02-20T10:00"),
    ("2025-02-20 10:00:00", "2025-02-20T10:00"),
])
def test_a_minute(phrase: str, expected: str) -> None:
    # Before a time of day is that minute: the deadline is the minute itself.
    assert due(phrase) == expected


# 3. Standing duties, no deadline yet --------------------------------------------------------

@pytest.mark.parametrize("phrase, expected", [
    ("Thường xuyên", "ongoing"), ("thuong xuyen", "ongoing"), ("THƯỜNG XUYÊN.", "ongoing"),
    ("ongoing", "ongoing"), ("Ongoing", "ongoing"), ("tbd", "tbd"), ("TBD", "tbd"),
    ("Chưa xác định", "tbd"), ("chưa xác định thời hạn", "tbd"),
])
def test_open_ended(phrase: str, expected: str) -> None:
    assert due(phrase) == expected


# 4. Recurring duties ---------------------------------------------------------------------

@pytest.mark.parametrize("phrase, rule", [
    ("ngày 25 hằng tháng", "FREQ=MONTHLY;BYMONTHDAY=25"),
    ("Định kỳ ngày 25 hằng tháng", "FREQ=MONTHLY;BYMONTHDAY=25"),
    ("ngày 25 hàng tháng", "FREQ=MONTHLY;BYMONTHDAY=25"),
    ("vào ngày 25 của mỗi tháng", "FREQ=MONTHLY;BYMONTHDAY=25"),
    ("hằng tháng vào ngày 25", "FREQ=MONTHLY;BYMONTHDAY=25"),
    ("trước ngày 25 hằng tháng", "FREQ=MONTHLY;BYMONTHDAY=24"),
    ("trước ngày 1 hằng tháng", "FREQ=MONTHLY;BYMONTHDAY=-1"),
    ("ngày cuối cùng hằng tháng", "FREQ=MONTHLY;BYMONTHDAY=-1"),
    ("thứ Sáu hằng tuần", "FREQ=WEEKLY;BYDAY=FR"),
    ("vào thứ 6 hằng tuần", "FREQ=WEEKLY;BYDAY=FR"),
    ("thứ Hai, thứ Năm hằng tuần", "FREQ=WEEKLY;BYDAY=MO,TH"),
    ("thứ Hai và thứ Năm hằng tuần", "FREQ=WEEKLY;BYDAY=MO,TH"),
    ("hằng ngày", "FREQ=DAILY"),
    ("ngày 31/12 hằng năm", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"),
    ("ngày 15 tháng 12 hằng năm", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=15"),
    ("trước ngày 15 tháng cuối quý", "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=14"),
    ("ngày 5 tháng đầu quý", "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=5"),
    ("ngày 25 3 tháng một lần", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=25"),
    ("Định kỳ FREQ=MONTHLY;BYMONTHDAY=25", "FREQ=MONTHLY;BYMONTHDAY=25"),
    ("FREQ=WEEKLY;BYDAY=MO,FR", "FREQ=WEEKLY;BYDAY=MO,FR"),
])
def test_recurring_duties(phrase: str, rule: str) -> None:
    assert read_deadline(phrase) == Reading(None, rule)
    validate_rule(rule, dt.date(2025, 1, 1))


@pytest.mark.parametrize("phrase, rule, says", [
    ("Hằng tháng", "FREQ=MONTHLY", "BYMONTHDAY"),
    ("Hàng tháng", "FREQ=MONTHLY", "BYMONTHDAY"),
    ("Hằng quý", "FREQ=MONTHLY;INTERVAL=3", "quarter"),
    ("ngày 25 hằng quý", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=25", "start"),
    ("Hằng tuần", "FREQ=WEEKLY", "BYDAY"),
    ("Hằng năm", "FREQ=YEARLY", "BYMONTH"),
    ("ngày 31 hằng tháng", "FREQ=MONTHLY;BYMONTHDAY=31", "BYMONTHDAY=-1"),
    ("ngày 29/2 hằng năm", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "leap"),
])
def test_recurring_duties_the_plan_must_complete(phrase: str, rule: str, says: str) -> None:
    reading = read_deadline(phrase)
    assert (reading.due, reading.recurs) == (None, rule)
    assert reading.warning and says in reading.warning
    validate_rule(rule, dt.date(2024, 1, 1))


# 5. Tolerance ----------------------------------------------------------------------------

@pytest.mark.parametrize("phrase", ["quy iii/2025", "QUÝ III/2025", "  Quý   III / 2025 .",
                                    "Quý III/2025;", "(Quý III/2025)", "Quý III/2025\u00a0",
                                    "Qu\u0079\u0301 III/2025",  # decomposed: not NFC
                                    "Quý III/2025:", "«Quý III/2025»"])
def test_case_diacritics_spaces_punctuation(phrase: str) -> None:
    assert due(phrase) == "2025-Q3"


def test_a_phrase_without_a_year_takes_the_default_year() -> None:
    assert due("Quý III", default_year=2026) == "2026-Q3"
    assert due("tháng 4", default_year=2026) == "2026-04"
    assert due("ngày 10/3", default_year=2026) == "2026-03-10"
    assert due("trước ngày 10 tháng 3", default_year=2026) == "2026-03-09"
    assert due("6 tháng đầu năm", default_year=2026) == "2026-H1"
    assert due("Quý III/2025", default_year=2026) == "2025-Q3"  # the written year wins
    with pytest.raises(PhraseError, match=r"'Quý III'.*no year"):
        read_deadline("Quý III")
    with pytest.raises(PhraseError, match="2300"):
        read_deadline("Quý III", default_year=2300)


# 6. Refusals -----------------------------------------------------------------------------

@pytest.mark.parametrize("phrase, says", [
    ("31/2/2025", "not a real date"),
    ("ngày 31 tháng 2 năm 2025", "not a real date"),
    ("29/2/2025", "not a real date"),
    ("10/3/2300", "1900-2200"),
    ("Năm 1899", "1900-2200"),
    ("trước ngày 1/1/1900", "1899"),
    ("trước ngày 1/1/2201", "2201"),
    ("Quý V/2025", "quarters"),
    ("2025-Q5", "quarters"),
    ("2025-H3", "halves"),
    ("Tháng 13/2025", "no month 13"),
    ("25 giờ ngày 1/3/2025", "not a time"),
    ("10:00:30 ngày 1/3/2025", "minute"),
    ("10/3/25", "year in full"),
    ("ngày 32 hằng tháng", "no day 32"),
    ("ngày 30/2 hằng năm", "not a real date"),
    ("FREQ=HOURLY", "at most daily"),
    ("FREQ=DAILY;BYHOUR=9", "BYHOUR"),
    ("định kỳ tháng 4/2025", "recurs"),
    ("trước hằng tháng", "before"),
    ("ngày 25 hằng ngày", "daily"),
])
def test_what_is_not_a_deadline_is_refused(phrase: str, says: str) -> None:
    with pytest.raises(PhraseError, match=says):
        read_deadline(phrase)


@pytest.mark.parametrize("phrase", [
    "Sau khi Trung ương ban hành hướng dẫn", "", "   ", "T4", "Quý III, IV/2025",
    "2021-2025", "giai đoạn 2021-2025", "đầu năm 2025", "cuối năm 2025", "Sau ngày 10/3/2025",
    "Kể từ ngày 10/3/2025", "10", "tháng", "năm", "6 tháng năm 2025", "tuần sau",
    "Hà Nội, ngày 05 tháng 02 năm 2025", "x" * 10_000, "1" * 500,
])
def test_unreadable_phrases_are_refused_quoting_them(phrase: str) -> None:
    with pytest.raises(PhraseError) as caught:
        read_deadline(phrase)
    assert isinstance(caught.value, ValueError)
    assert repr(phrase.strip()[:40])[:-1] in str(caught.value)


# 7. What plantrack prints in Vietnamese reads back --------------------------------------

def _reads_back(written: str) -> None:
    deadline = parse_deadline(written)
    assert due(VI.deadline(deadline)) == deadline.text


@given(DAYS)
def test_printed_days_read_back(day: dt.date) -> None:
    _reads_back(day.isoformat())
    assert due(VI.day(day)) == day.isoformat()
    assert due(VI.date(day)) == day.isoformat()
    if day < dt.date(2200, 12, 31):  # "trước ngày 1/1/2201" writes a year beyond the format's
        assert due(f"Trước ngày {VI.day(day + dt.timedelta(days=1))}") == day.isoformat()


@given(DAYS, st.integers(0, 23), st.integers(0, 59))
def test_printed_minutes_read_back(day: dt.date, hour: int, minute: int) -> None:
    _reads_back(f"{day.isoformat()}T{hour:02d}:{minute:02d}")


@given(YEARS, st.integers(1, 12))
def test_printed_months_read_back(year: int, month: int) -> None:
    _reads_back(f"{year}-{month:02d}")
    assert due(VI.month(dt.date(year, month, 1))) == f"{year}-{month:02d}"


@given(YEARS, st.integers(1, 4))
def test_printed_quarters_read_back(year: int, quarter: int) -> None:
    _reads_back(f"{year}-Q{quarter}")


@given(YEARS, st.integers(1, 2))
def test_printed_halves_and_years_read_back(year: int, half: int) -> None:
    _reads_back(f"{year}-H{half}")
    _reads_back(str(year))


def test_printed_open_ended_deadlines_read_back() -> None:
    _reads_back("ongoing")
    _reads_back("tbd")
    assert VI.deadline(parse_deadline("2025-Q3")) == "Quý III/2025"
    assert due("Quý III/2025") == "2025-Q3"


def _interval(every: int) -> str:
    return f";INTERVAL={every}" if every > 1 else ""


@given(st.integers(-31, 31).filter(bool), st.integers(1, 12))
def test_printed_monthly_rules_read_back(day: int, every: int) -> None:
    rule = f"FREQ=MONTHLY{_interval(every)};BYMONTHDAY={day}"
    assert read_deadline(VI.recurrence(rule)).recurs == rule


@given(st.lists(st.sampled_from(WEEK), unique=True, max_size=7), st.integers(1, 9))
def test_printed_weekly_rules_read_back(days: list[str], every: int) -> None:
    rule = f"FREQ=WEEKLY{_interval(every)}" + (f";BYDAY={','.join(days)}" if days else "")
    assert read_deadline(VI.recurrence(rule)).recurs == rule


@given(st.dates(dt.date(2024, 1, 1), dt.date(2024, 12, 31)), st.integers(1, 5))
def test_printed_daily_and_yearly_rules_read_back(day: dt.date, every: int) -> None:
    for rule in (f"FREQ=DAILY{_interval(every)}",
                 f"FREQ=YEARLY{_interval(every)};BYMONTH={day.month};BYMONTHDAY={day.day}"):
        assert read_deadline(VI.recurrence(rule)).recurs == rule


def test_rules_printed_as_written_read_back() -> None:
    rule = "FREQ=MONTHLY;BYDAY=-1FR"
    assert VI.recurrence(rule) == "định kỳ FREQ=MONTHLY;BYDAY=-1FR"
    assert read_deadline(VI.recurrence(rule)).recurs == rule


# 8. Command-line days ---------------------------------------------------------------------

def test_day_numbers_name_one_day_only() -> None:
    assert day_numbers("ngày 10/3/2025") == (2025, 3, 10)
    assert day_numbers("Ngày 10 tháng 3 năm 2025") == (2025, 3, 10)
    assert day_numbers("ngay 31/2/2025") == (2025, 2, 31)  # unchecked: the caller says why
    assert day_numbers("Ngày 10 / 3 / 2025.") == (2025, 3, 10)
    for text in ("Quý III/2025", "trước ngày 10/3/2025", "ngày 10/3", "10 giờ ngày 1/3/2025",
                 "10 / 3 / 2025", "(10/3/2025)", "x" * 10_000):
        assert day_numbers(text) is None


def test_parse_day_reads_a_vietnamese_day() -> None:
    assert parse_day("ngày 10/3/2025") == dt.date(2025, 3, 10)
    assert parse_day("ngày 10 tháng 3 năm 2025") == dt.date(2025, 3, 10)
    with pytest.raises(ValueError, match="not a real date"):
        parse_day("ngày 31 tháng 2 năm 2025")
    with pytest.raises(ValueError, match="1900-2200"):
        parse_day("ngày 1 tháng 1 năm 2300")
    for text in ("Quý III/2025", "10 / 3 / 2025", "trước ngày 10/3/2025", "x" * 10_000):
        with pytest.raises(ValueError, match="is not a date; write 2025-06-30"):
            parse_day(text)


@given(st.text(st.sampled_from("0123456789/-.:, ngàytháquýIVHhTQđầucốiằướcxyênhmbpf"
                               "ongoing=;FREQ"), max_size=40) | st.text(max_size=40))
def test_any_text_is_read_or_refused_never_a_crash(text: str) -> None:
    try:
        reading = read_deadline(text, default_year=2025)
    except PhraseError:
        return
    if reading.due is None:
        assert reading.recurs
    else:
        assert reading.recurs is None
        parse_deadline(reading.due)
