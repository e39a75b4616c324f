"""Meta lines (``[score]CAT Mon D[, YYYY][Code]``) and dates written without a year."""

from __future__ import annotations

import datetime as dt

import pytest

from sitegen.ingest.dates import MetaLine, parse_meta_line, resolve_date


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("LGMar 11, 2023Code", MetaLine(None, "LG", 3, 11, 2023, True)),
        ("LGOct 24, 2023", MetaLine(None, "LG", 10, 24, 2023, False)),
        ("68.7CLMay 11", MetaLine(68.7, "CL", 5, 11, None, False)),
        ("93.3LGMay 7Code", MetaLine(93.3, "LG", 5, 7, None, True)),
        ("MLNov 12, 2023", MetaLine(None, "ML", 11, 12, 2023, False)),
        ("MAMar 3", MetaLine(None, "MA", 3, 3, None, False)),
        ("NESep 22, 2016Code", MetaLine(None, "NE", 9, 22, 2016, True)),
        ("DCMay 23, 2024Code", MetaLine(None, "DC", 5, 23, 2024, True)),
        ("90CVJun 1", MetaLine(90.0, "CV", 6, 1, None, False)),
        ("  ETDec 29, 2019  ", MetaLine(None, "ET", 12, 29, 2019, False)),
        ("LGSept 3, 2021 Code", MetaLine(None, "LG", 9, 3, 2021, True)),
        ("CSDecember 31,2020", MetaLine(None, "CS", 12, 31, 2020, False)),
    ],
)
def test_meta_lines(line: str, expected: MetaLine) -> None:
    assert parse_meta_line(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Collegial Ensembles",
        "LG",
        "h-index24",
        "AI May 13 agents that plan",
        "AI May 13",
        "68.7 CL May 11",
        "lgMar 11, 2023",
        "LGMar 11, 23",
        "LGMarch",
        "LGMar 11, 2023Code and more",
        "",
    ],
)
def test_not_meta_lines(line: str) -> None:
    assert parse_meta_line(line) is None


AS_OF = dt.date(2026, 11, 25)


def test_explicit_year_is_not_inferred() -> None:
    assert resolve_date(3, 11, 2023, AS_OF) == ("2023-03-11", False)


def test_explicit_future_year_is_kept() -> None:
    assert resolve_date(12, 7, 2027, AS_OF) == ("2027-12-07", False)


def test_yearless_date_takes_the_reference_year_when_not_after_it() -> None:
    assert resolve_date(5, 11, None, AS_OF) == ("2026-05-11", True)


def test_yearless_date_on_the_reference_day_is_that_day() -> None:
    assert resolve_date(11, 25, None, AS_OF) == ("2026-11-25", True)


def test_yearless_december_after_the_reference_day_goes_back_a_year() -> None:
    assert resolve_date(12, 5, None, dt.date(2025, 11, 30)) == ("2024-12-05", True)
    assert resolve_date(11, 26, None, AS_OF) == ("2025-11-26", True)


def test_yearless_december_on_new_years_eve() -> None:
    assert resolve_date(12, 31, None, dt.date(2025, 12, 31)) == ("2025-12-31", True)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (dt.date(2024, 2, 29), "2024-02-29"),
        (dt.date(2024, 2, 28), "2020-02-29"),
        (dt.date(2026, 11, 25), "2024-02-29"),
        (dt.date(2023, 3, 1), "2020-02-29"),
        (dt.date(2103, 1, 1), "2096-02-29"),  # 2100 is not a leap year
    ],
)
def test_feb_29_takes_the_latest_leap_year_that_fits(as_of: dt.date, expected: str) -> None:
    assert resolve_date(2, 29, None, as_of) == (expected, True)


@pytest.mark.parametrize(("month", "day", "year"), [(2, 30, None), (4, 31, None), (2, 29, 2023)])
def test_impossible_dates_raise(month: int, day: int, year: int | None) -> None:
    with pytest.raises(ValueError):
        resolve_date(month, day, year, AS_OF)
