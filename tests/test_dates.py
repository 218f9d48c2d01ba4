"""Dates: explicit, partial and relative phrases resolve against the publication date, with a precision."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.dates import find_dates, find_publication_date

TUESDAY = dt.date(2023, 9, 5)


@pytest.mark.parametrize("text, language, value, precision", [
    ("pertemuan pada 30 Agustus", "id", "2023-08-30", "day"),
    ("tiba Selasa (18/6/2024) pagi", "id", "2024-06-18", "day"),
    ("kata Retno di Jakarta, Senin (4/9).", "id", "2023-09-04", "day"),
    ("Shoigu datang pada bulan Juli", "id", "2023-07", "month"),
    ("kata Times pada hari Senin", "id", "2023-09-04", "day"),
    ("Kremlin mengatakan minggu lalu", "id", "2023-08", "month"),
    ("berencana berangkat bulan ini", "id", "2023-09", "month"),
    ("kunjungan kemarin", "id", "2023-09-04", "day"),
    ("terjadi pada tahun 2011", "id", "2011", "year"),
    ("kontrak berakhir bulan depan", "id", "2023-10", "month"),
    ("the summit on June 19, 2024 in Pyongyang", "en", "2024-06-19", "day"),
    ("officials said last week", "en", "2023-08", "month"),
    ("he arrived on Saturday", "en", "2023-09-02", "day"),
    ("talks will be held next Monday", "en", "2023-09-11", "day"),
    ("in March 2024 the panel", "en", "2024-03", "month"),
    ("the visit in July", "en", "2023-07", "month"),
])
def test_dates_resolve_against_publication_date(text, language, value, precision):
    found = find_dates(text, language, TUESDAY)
    assert [(d.value, d.precision) for d in found] == [(value, precision)]


def test_dates_durations_are_not_event_dates_and_numbers_are_not_years():
    found = find_dates("uji nuklir sejak tahun 2006 dan peringatan 70 tahun", "id", TUESDAY)
    assert [(d.value, d.not_event) for d in found] == [("2006", True)]


def test_dates_month_and_weekday_names_count_only_capitalised():
    assert find_dates("Moscow may march on", "en", TUESDAY) == []


@pytest.mark.parametrize("line, expected", [
    ("5 September 2023, 20:37 WIB", dt.date(2023, 9, 5)),
    ("Rabu, 19 Juni 2024 |06:23 WIB", dt.date(2024, 6, 19)),
    ("June 19, 2024", dt.date(2024, 6, 19)),
    ("Updated: March 12, 2025 09:41 GMT", dt.date(2025, 3, 12)),
])
def test_dates_publication_line_styles(line, expected):
    assert find_publication_date(["A title", line, "Body text."]) == (expected, 1)


@pytest.mark.parametrize("text, language", [
    ("김 위원장은 13일 푸틴 대통령과 회담했다. 이날 두 정상은 만찬을 함께했다.", "ko"),
    ("Лидеры встретились 13 сентября. В тот же день стороны подписали план.", "ru"),
    ("The leaders met on September 13. On the same day they signed a plan.", "en"),
])
def test_dates_that_day_is_the_day_last_named_not_the_publication_day(text, language):
    found = find_dates(text, language, dt.date(2023, 9, 14))
    that_day = found[-1]
    assert that_day.phrase.lower().endswith(("이날", "в тот же день", "the same day"))  # the phrase itself is read
    assert (that_day.value, that_day.precision) == ("2023-09-13", "day")


def test_dates_korean_numbered_parts_and_russian_lower_case_months():
    ko = find_dates("2024년 6월 19일 발표. 지난해 9월 회담. 25일 도착.", "ko", dt.date(2024, 6, 19))
    assert [d.value for d in ko] == ["2024-06-19", "2023-09", "2024-05-25"]  # the 25th not yet come: May's
    ru = find_dates("19 июня 2024 года, в среду, в прошлом месяце", "ru", dt.date(2024, 6, 21))
    assert [d.value for d in ru] == ["2024-06-19", "2024-06-19", "2024-05"]


def test_dates_korean_days_named_by_their_month_or_as_coming_look_ahead():
    # Published 28 June: "the coming 27th" has passed this month, so it is July's; a bare "27일" stays June's.
    ko = find_dates("오는 27일부터 운항한다. 오는 30일 열린다. 다음 달 5일 회담. 지난달 26일 발표. 27일 도착.", "ko",
                    dt.date(2025, 6, 28))
    assert [(d.value, d.precision) for d in ko] == [("2025-07-27", "day"), ("2025-06-30", "day"),
                                                    ("2025-07-05", "day"), ("2025-05-26", "day"),
                                                    ("2025-06-27", "day")]
