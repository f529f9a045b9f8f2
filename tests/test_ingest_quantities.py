"""Quantities and dates as the trade press writes them."""

import datetime as dt

import pytest

from magchain.ingest.dates import parse_dates, parse_full_date
from magchain.ingest.quantities import parse_quantities


def one(text):
    quantities = parse_quantities(text)
    assert len(quantities) == 1, quantities
    return quantities[0]


@pytest.mark.parametrize("text, value, unit", [
    ("2,000 mt/year", 2000, "t/yr"),
    ("600 tons per year", 600, "t/yr"),
    ("45,000 metric tons", 45000, "t"),
    ("1,000 tonnes per annum", 1000, "t/yr"),
    ("5 ktpa", 5000, "t/yr"),
    ("20 kt", 20000, "t"),
    ("3,501 kilograms", 3.501, "t"),  # the guide's unit list has tonnes, not kilograms
    ("750 tonnes a year", 750, "t/yr"),
    ("74 percent", 74, "%"),
    ("74%", 74, "%"),
    ("six times the current level", 6, "x"),
    ("five-fold", 5, "x"),
    ("a fivefold rise", 5, "x"),
    ("expected to double", 2, "x"),
    ("six-month intervals", 6, "months"),
    ("a 10-year price floor", 10, "years"),
    ("a 310,000-square-foot factory", 310000, "sq ft"),
    ("500,000 electric vehicles annually", 500000, "EVs/yr"),
])
def test_units(text, value, unit):
    quantity = one(text)
    assert quantity.value == pytest.approx(value)
    assert quantity.unit == unit


@pytest.mark.parametrize("text, value, unit", [
    ("$1.2 billion", 1.2e9, "USD"),
    ("US$110/kg", 110, "USD/kg"),
    ("$110 per kilogram", 110, "USD/kg"),
    ("€45 million", 45e6, "EUR"),
    ("$565M", 565e6, "USD"),
    ("A$140-million", 140e6, "AUD"),  # the hyphenated scale of Canadian and Australian copy
    ("9.8 billion won", 9.8e9, "KRW"),
    ("RMB 600,000/t", 600000, "CNY/t"),
    ("457,500 yuan a ton", 457500, "CNY/t"),
])
def test_money(text, value, unit):
    quantity = one(text)
    assert quantity.value == pytest.approx(value)
    assert quantity.unit == unit


def test_foreign_amount_keeps_its_currency_and_the_stated_usd():
    quantity = one("a 72.8 billion rupee (approximately $815 million) incentive scheme")
    assert (quantity.value, quantity.currency, quantity.usd) == (72.8e9, "INR", 815e6)


@pytest.mark.parametrize(("text", "value"), [("approval for up to $115m (€106.5m) in loan guarantees", 115e6),
                                             ("a $150m (A$223m) debt financing package", 150e6)])
def test_a_dollar_amount_restated_in_another_currency_is_one_amount(text, value):
    quantity = one(text)  # one quantity, not two
    assert (quantity.value, quantity.currency) == (value, "USD")
    assert text[quantity.start:quantity.end].endswith(")")  # the restatement is part of it


@pytest.mark.parametrize("text", ["1,000 to 2,000 tonnes", "1,000-2,000 tonnes"])
def test_ranges(text):
    quantity = one(text)
    assert (quantity.value, quantity.high, quantity.unit) == (1000, 2000, "t")


def test_from_to_is_two_values_not_a_range():
    assert [q.value for q in parse_quantities("raise output from 600 to 5,000 tonnes")] == [
        600, 5000]


@pytest.mark.parametrize("text, qualifier", [
    ("more than 45,000 tonnes", "more_than"), ("over 90%", "more_than"),
    ("up to 500 t", "up_to"), ("about 1,300 tons", "about"), ("nearly $200 million", "about"),
    ("at least 3 months", "at_least"), ("less than 70 percent", "less_than"),
    ("more than double", "more_than"),
])
def test_qualifiers(text, qualifier):
    assert one(text).qualifier == qualifier


def test_scale_up_to_is_not_a_qualifier():
    assert one("plans to scale up to 5,000 tons").qualifier is None


@pytest.mark.parametrize("text, value", [("two years", 2), ("ten-year", 10)])
def test_number_words(text, value):
    assert one(text).value == value


def test_offsets_cover_the_written_quantity():
    text = "The plant will make 2,000 mt/year by 2026."
    quantity = one(text)
    assert text[quantity.start:quantity.end] == "2,000 mt/year"


def test_bare_numbers_years_and_ordinals_are_not_quantities():
    assert parse_quantities("In 2024, order 14017 on October 30th listed 57 sets.") == []


PUBLISHED = dt.date(2025, 6, 24)


def first_date(text, published=PUBLISHED):
    return parse_dates(text, published)[0]


@pytest.mark.parametrize("text, year, month, quarter", [
    ("by Q1 2026", 2026, None, 1),
    ("in the first quarter of 2026", 2026, None, 1),
    ("early 2025", 2025, None, None),
    ("in 2027", 2027, None, None),
    ("In December 2021, GM", 2021, 12, None),
    ("on June 12, 2025", 2025, 6, None),
    ("2025-06-12", 2025, 6, None),
    ("Fiscal Year 2023", 2023, None, None),
    ("next year", 2026, None, None),
    ("by the end of the year", 2025, None, None),
    ("this year", 2025, None, None),
    ("last month", 2025, 5, None),
    ("in April", 2025, 4, None),
])
def test_dates(text, year, month, quarter):
    date = first_date(text)
    assert (date.year, date.month, date.quarter) == (year, month, quarter)


def test_relative_dates_need_a_publication_date():
    date = first_date("next year", published=None)
    assert date.year is None and date.relative


def test_last_month_in_january_is_december_of_the_year_before():
    assert (first_date("last month", dt.date(2025, 1, 10)).year,
            first_date("last month", dt.date(2025, 1, 10)).month) == (2024, 12)


@pytest.mark.parametrize("text, year", [
    ("Imports fell by 92pc on the year to 173t in December.", 2024),
    ("Lynas cut output in the December quarter.", 2024),
    ("Exports rose in April.", 2025),
    ("Production will start in December.", 2025),
    ("Output should recover by June.", 2025),
])
def test_a_month_without_a_year_is_the_last_one_before_publication(text, year):
    assert first_date(text, dt.date(2025, 4, 14)).year == year


def test_a_months_statistics_are_of_the_last_such_month():
    assert first_date("The December data showed exports fell 3%.", dt.date(2026, 1, 19)).year == 2025
    assert first_date("December's figure was still 32% higher.", dt.date(2026, 1, 19)).year == 2025


def test_two_digit_fiscal_years():
    assert first_date("In FY24, India imported around 460 tonne of magnets.").year == 2024
    assert first_date("FY25 (the 2024-25 financial year)").year == 2025


def test_relation_words():
    assert first_date("by 2030").relation == "by"
    assert first_date("since 2020").relation == "since"


def test_full_dates_in_bylines():
    assert parse_full_date("Published: Dec 19, 2025 17:56") == dt.date(2025, 12, 19)
    assert parse_full_date("rare earths 24 June 202524 June 2025 author") == dt.date(2025, 6, 24)
    assert parse_full_date("no date here") is None


@pytest.mark.parametrize("text, value, high, unit", [
    ("574,000-576,000 yuan/mt", 574000, 576000, "CNY/t"),  # SMM's "yuan/mt" is per tonne
    ("1.55-1.57 million yuan/mt", 1.55e6, 1.57e6, "CNY/t"),  # one scale after the range scales both ends
    ("Yn1,890-1,920/kg ex-works", 1.89e6, 1.92e6, "CNY/t"),  # Argus's "Yn"; yuan prices are kept per tonne
    ("6,150 yuan/kg", 6.15e6, None, "CNY/t"),
    ("$110 per kilogram", 110, None, "USD/kg"),
    ("$US110 per kilogram", 110, None, "USD/kg"),  # the Australian press puts the country after the sign
])
def test_prices_as_chinese_price_reports_write_them(text, value, high, unit):
    quantity = parse_quantities(text)[0]
    assert (quantity.value, quantity.high, quantity.unit) == (value, high, unit)


def test_the_australian_presss_currency_signs():
    assert [(q.value, q.unit) for q in parse_quantities("a $US1.2 billion loan and $A300 million in grants")] == \
        [(1.2e9, "USD"), (3e8, "AUD")]


def test_a_scale_after_a_range_is_not_applied_to_a_larger_first_number():
    quantity = one("between 500-1.2 million tonnes")
    assert (quantity.value, quantity.high) == (500, 1.2e6)


def test_a_year_before_a_sum_of_money_is_no_range_and_no_crash():
    found = parse_quantities("Revenue rose from $217.5 million in the December quarter of 2022 to $237.1 million.")
    assert [(q.value, q.unit) for q in found] == [(217.5e6, "USD"), (237.1e6, "USD")]


def test_a_price_basis_after_the_dollar_figure_makes_a_price():
    found = parse_quantities("The transaction price will be CNY39,189 (USD5,837) per ton from July 1.")
    assert [(q.value, q.unit, q.usd) for q in found] == [(39189, "CNY/t", 5837)]
    per_kg = parse_quantities("10,000 yuan ($1,500) per kilogram")
    assert [(q.value, q.unit, q.usd) for q in per_kg] == [(10_000_000, "CNY/t", 1_500_000)]
