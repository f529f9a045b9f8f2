"""Rules added so the extractor reads unseen trade press: units, ranges, milestones, stocks.

Every sentence here is made up for the test, in the style of mining and metals news.
"""

import datetime as dt

import pytest
from helpers import facts_of, only

from magchain.ingest.dates import parse_dates
from magchain.ingest.extract import extract_facts
from magchain.ingest.quantities import parse_quantities
from magchain.ingest.sentences import split_sentences


# -- quantities ----------------------------------------------------------------------------------
def test_space_grouped_thousands_are_one_number():
    quantity, = parse_quantities("a plant rated at 12 500 t/y of oxide")
    assert (quantity.value, quantity.unit) == (12500, "t/yr")


def test_unit_written_at_both_ends_of_a_range_is_one_range():
    quantity, = parse_quantities("output of 300 t/y to 450 t/y of terbium oxide")
    assert (quantity.value, quantity.high, quantity.unit) == (300, 450, "t/yr")


def test_change_by_an_amount_to_a_total_is_not_a_range():
    assert [q.value for q in parse_quantities("lifted output by 200 t to 1,400 t")] == [200, 1400]


def test_bare_target_after_from_borrows_the_unit():
    found = parse_quantities("cut from 90 days to 45, the agency said")
    assert [(q.value, q.unit) for q in found] == [(90, "days"), (45, "days")]


def test_bare_year_after_from_is_not_a_target():
    assert [q.value for q in parse_quantities("grow from 70 t today to 2030")] == [70]


def test_price_per_metric_ton():
    quantity, = parse_quantities("oxide sold at $61,200 per metric ton")
    assert (quantity.value, quantity.unit) == (61200, "USD/t")


def test_days_are_a_unit():
    quantity, = parse_quantities("deliveries within ten days")
    assert (quantity.value, quantity.unit) == (10, "days")


# -- sentences and dates -------------------------------------------------------------------------
def test_rate_unit_before_a_period_ends_the_sentence():
    text = "The new line is rated at 400 t/y. Gamma Metals expects first sales next year."
    assert len(split_sentences(text)) == 2


def test_end_of_a_month_resolves_against_the_publication_date():
    date, = parse_dates("to be finished by the end of March.", dt.date(2026, 1, 20))
    assert (date.year, date.month) == (2026, 3)


# -- volumes -------------------------------------------------------------------------------------
def test_largest_producer_does_not_make_shipments_production():
    text = ("For May, inbound shipments to the biggest producer of magnet alloys in the region "
            "were 2,310 tonnes, port data showed.")
    assert only(text, "trade_flow").quantity == 2310
    assert not facts_of(text, "production")


def test_back_reference_carries_the_measure_to_earlier_volumes():
    text = ("Japan's imports of oxide totalled 800 tonnes in March. "
            "That was down from 950 tonnes in February.")
    assert sorted(f.quantity for f in facts_of(text, "trade_flow")) == [800, 950]


def test_a_repeated_rate_of_change_is_two_facts():
    text = ("Magnet exports fell 3.1% in June from May. "
            "In the first half, magnet exports fell 3.1% from a year earlier.")
    assert len(facts_of(text, "trade_flow")) == 2


# -- prices --------------------------------------------------------------------------------------
def test_multiple_beside_a_price_is_a_price_comparison():
    text = ("Terbium traded at $1,900 per kilogram in Rotterdam, about four times higher than in "
            "January.")
    assert sorted(f.unit for f in facts_of(text, "price")) == ["USD/kg", "x"]


def test_element_as_subject_of_a_percent_change_is_a_price():
    assert only("Praseodymium oxide has climbed 18 per cent since May.", "price").quantity == 18


def test_element_output_change_is_not_a_price():
    assert not facts_of("Praseodymium output rose 18 per cent in May.", "price")


def test_guaranteed_price_is_a_price_floor():
    text = ("The agency will buy oxide at $75 per kilogram and guarantee that price for "
            "eight years.")
    assert sorted(f.unit for f in facts_of(text, "price_floor")) == ["USD/kg", "years"]


# -- deals and controls --------------------------------------------------------------------------
def test_deal_signed_by_the_company_needs_no_named_seller():
    text = "Last month the company signed a supply agreement with a European carmaker."
    assert only(text, "offtake").company is None


def test_supply_to_a_country_is_not_a_deal():
    text = "In May, it imposed export curbs on alloys, tightening supply to Vietnam's factories."
    assert not facts_of(text, "offtake")


def test_licensing_regime_for_shipments_is_an_export_control():
    text = "Beijing is drafting a licensing system that would govern shipments of magnet alloys."
    assert only(text, "export_control").country == "CN"


def test_licensing_regime_without_trade_is_not_an_export_control():
    assert not facts_of("The state revised its mining licensing rules last year.",
                        "export_control")


def test_controls_cited_as_a_cause_are_not_news():
    text = "Oxide prices rose, led by grades hit by Chinese export restrictions."
    assert not facts_of(text, "export_control")


# -- plant milestones ----------------------------------------------------------------------------
def test_nominal_milestones_in_a_future_frame_are_two_planned_statuses():
    text = ("The developer expects the start of construction of its alloy plant in 2026 and the "
            "commencement of commercial operations in 2028.")
    assert sorted((f.status, f.year) for f in facts_of(text, "plant_status")) == [
        ("planned", 2026), ("planned", 2028)]


def test_nominal_milestone_in_the_past_is_not_a_plan():
    assert not facts_of("The start of production in 2019 transformed the town.", "plant_status")


def test_ready_for_shipment_is_a_planned_first_delivery():
    text = "Gamma Metals expects to have oxide ready for delivery by the end of March."
    fact = only(text, "plant_status", "2026-01-20")
    assert (fact.status, fact.year) == ("planned", 2026)


def test_recycling_taken_into_operations_is_recycling():
    text = "The magnet maker will integrate recycling into its production line."
    assert only(text, "recycling").status == "planned"


# -- stockpiles ----------------------------------------------------------------------------------
def test_days_of_cover_in_a_stockpile_article_are_stockpile_targets():
    text = ("The agency will expand its stockpile of dysprosium. "
            "Reserves will last 90 days instead of 40, and release will take under ten days.")
    assert sorted(f.quantity for f in facts_of(text, "stockpile") if f.quantity) == [10, 90]


def test_stockpile_of_metals_outside_the_chain_is_not_counted():
    assert not facts_of("Stockpiles of non-ferrous metals will be raised to 70 days.",
                        "stockpile")


def test_the_base_of_a_comparison_does_not_date_the_figure():
    found = facts_of("Halvard's output of magnet-scrap oxide rose by 2pc against 2022 to 34,147t in "
                     "2024.", "production")
    assert [(f.quantity, f.unit, f.year) for f in found] == [(2, "%", 2024), (34147, "t", 2024)]
    found = facts_of("Exports reached 4,300 tonnes, up 12% from 2022, in 2023.", "trade_flow")
    assert [(f.quantity, f.year) for f in found] == [(4300, 2023), (12, 2023)]


# -- stages and subjects ---------------------------------------------------------------------------
def test_oxide_output_of_a_mine_is_at_the_mine():
    fact = only("Halvard's Tollan ionic clay deposit is scheduled to begin commercial production in "
                "2027, with an expected annual output of 5,000 t of total rare earth oxides.", "capacity")
    assert fact.stage == "mine"
    refined = only("Halvard's Tollan refinery will separate 5,000 t/yr of rare earth oxides.", "capacity")
    assert refined.stage == "separation"


def test_a_magnet_recycling_plant_is_at_the_recycling_step():
    assert only("Halvard Metals is building a rare earth magnet recycling plant in Tollan.",
                "plant_status").stage == "recycling"
    assert only("The plant will produce 300 t/yr of NdFeB magnets from recycled materials.",
                "capacity").stage == "recycling"


def test_a_company_named_in_an_aside_is_not_the_subject():
    fact = only("Halvard Metals, part of the Lyons Magnetics group, plans to build a magnet plant in "
                "Tollan.", "plant_status")
    assert fact.company == "Halvard Metals"


def test_output_placed_in_no_country_is_the_company_the_article_is_on():
    text = ("Halvard Metals reported results for the quarter.\n\n"
            "Record NdPr production of 721 metric tons, a 51% increase year over year.")
    output = [f for f in extract_facts(text, None) if f.kind == "production" and f.unit == "t"]
    assert [f.company for f in output] == ["Halvard Metals"]
    national = [f for f in extract_facts(text + " The country's output of magnets rose to 3,723 tons in 2023.", None)
                if f.kind == "production" and f.unit == "t"]
    assert [f.company for f in national] == ["Halvard Metals", None]


# -- statuses ------------------------------------------------------------------------------------
def test_an_existing_capacity_runs_though_the_sentence_looks_ahead():
    fact = only("This would add to an existing NdFeB capacity of 23,750 t/yr, largely in Japan.", "capacity")
    assert fact.status == "operating"


def test_a_companys_output_guidance_is_planned_and_a_market_forecast_has_no_status():
    guidance = only("Halvard Metals now expects NdPr production in the March quarter to be around "
                    "1,500 tonnes.", "production")
    assert guidance.status == "planned"
    market = facts_of("Global rare earth mine production is expected to reach 107,000 tonnes by 2030.",
                      "production")
    assert [f.status for f in market] == [None]


def test_a_smelting_quota_is_at_separation_and_a_mining_quota_at_the_mine():
    found = facts_of("Halvard Rare Earth has been allocated a mining quota for light rare earth of "
                     "94,580 tonnes and a smelting quota of 88,010 tonnes.", "production")
    assert [(f.quantity, f.stage) for f in found] == [(94580, "mine"), (88010, "separation")]


def test_a_share_of_the_worlds_rare_earth_metals_is_at_no_one_step():
    fact = only("China, which produces 97 percent of the world's rare earth metals, cut its quota.",
                "production")
    assert (fact.quantity, fact.stage) == (97, None)


def test_separated_products_and_a_smelting_plant_are_at_separation():
    fact = only("Halvard Metals has begun commercial production of separated NdPr at its Tollan mill.",
                "plant_status")
    assert fact.stage == "separation"
    upgrade = only("The first phase of Halvard's smelting upgrade project started operations on Tuesday.",
                   "plant_status")
    assert upgrade.stage == "separation"


def test_an_industrys_or_a_countrys_capacity_is_not_the_articles_company():
    text = ("Halvard Metals is building a magnet plant in Tollan, Texas.\n\n"
            "The plant will have a production capacity of 3,000 tons per year. "
            "This would add to an existing NdFeB capacity of 23,750 t/yr, largely in Japan. "
            "More than 20 magnet facilities outside China target a total capacity of 60,000 t/yr.")
    capacities = [f for f in extract_facts(text, None) if f.kind == "capacity"]
    assert [(f.quantity, f.company) for f in capacities] == [
        (3000, "Halvard Metals"), (23750, None), (60000, None)]


def test_a_share_a_company_will_produce_is_the_companys_and_a_countrys_share_is_not():
    fact = only("Upon completion, Lynas will produce approximately 25 percent of the world supply of "
                "rare earth oxides.", "production")
    assert (fact.quantity, fact.company) == (25, "Lynas Rare Earths")
    national = only("Unlike Lynas, China produces 90 percent of the world supply of rare earth oxides.",
                    "production")
    assert (national.quantity, national.company, national.country) == (90, None, "CN")


def test_trade_in_rare_earths_at_large_takes_no_stage_from_the_article_in_any_clause():
    text = ("Halvard's Tollan refinery separates NdPr oxide.\n\n"
            "China's rare earths imports in May rose 2.7% to 13,747 tons, while total imports for the "
            "January-May period dropped 14.3% to 62,589 tons.")
    trade = [f for f in extract_facts(text, None) if f.kind == "trade_flow"]
    assert len(trade) == 4 and {f.stage for f in trade} == {None}


def test_a_founding_year_does_not_date_the_fact():
    fact = only("Halvard Rare Earth, co-founded in 2011 by two trading houses, today announced that it has "
                "contributed an additional USD 9 million to Lynas.", "funding")
    assert fact.year is None


def test_kilotons_and_a_year_before_a_smaller_number_are_read():
    assert [(q.value, q.unit) for q in parse_quantities("from 59 kilotons (kt) in 2022 to 176 kt in 2035")] == [
        (59000, "t"), (176000, "t")]


def test_a_demand_forecast_is_its_horizon_figure_not_its_base():
    found = facts_of("Global demand for magnetic rare earths is expected to triple from 59 kilotons in 2022 "
                     "to 176 kt in 2035.", "demand_forecast")
    assert [(f.quantity, f.unit) for f in found if f.unit == "t"] == [(176000, "t")]
    far = facts_of("Demand for rare earth magnets is forecast to more than double globally to 607,000 tons "
                   "by 2035.", "demand_forecast")
    assert (607000, "t") in [(f.quantity, f.unit) for f in far]


@pytest.mark.parametrize("sentence", [
    "Downstream buyers will stockpile rare earths moderately before the Chinese New Year holiday.",
    "Exports fell after widespread stockpiling of rare earth magnets in advance of the holidays.",
    "Beijing has encouraged leading producers to build their own stockpiles of rare earths.",
    "The works will convert Halvard's stockpiles of rare earths into separated oxides.",
])
def test_a_market_or_a_company_stocking_up_is_no_strategic_stockpile(sentence):
    assert facts_of(sentence, "stockpile") == []


def test_a_government_reserve_is_still_a_stockpile():
    assert [f.quantity for f in facts_of("Japan will build a strategic stockpile of rare earths lasting 180 days.",
                                         "stockpile")] == [180]


def test_recycling_under_an_export_control_or_as_a_priced_source_is_no_recycling_fact():
    assert not facts_of("China banned exports of technologies for rare earth mining, separation and magnet "
                        "recycling.", "recycling")
    assert not facts_of("The price of Pr-Nd recycled from NdFeB scrap reached 485.5 yuan/kg.", "recycling")


def test_statuses_of_works_that_run_and_capacities_still_to_grow():
    assert only("Halvard Metals has accomplished its first production of dysprosium oxide at its plant in "
                "Malaysia.", "plant_status").status == "operating"
    assert only("Halvard Metals has completed its 1,000 t/yr Tollan neodymium-based rare earth permanent "
                "magnet plant.", "plant_status").status == "operating"
    assert only("Capacity at Halvard's Tollan plant can be ramped up to 1,200 tons/year in the near term.",
                "capacity").status == "planned"
    assert only("The facility starts with the capability of producing 600 tons per year of magnet powders.",
                "capacity").status == "operating"
    works = only("The Tollan recycling facility currently processes 30 t/yr of magnet scrap and will "
                 "expand.", "recycling")
    assert works.status == "operating"


def test_a_first_production_is_a_plan_only_when_it_is_expected():
    assert only("First production at Halvard's Tollan mine is expected in 2027.", "plant_status").status == "planned"


def test_a_forecast_change_in_world_output_is_no_plan():
    fact = only("The IEA forecasts that global supply of rare earth elements will increase by 44% by 2030.",
                "production")
    assert fact.status is None


def test_a_date_set_off_after_an_attribution_dates_every_clause():
    found = facts_of("According to the statistics of Halvard Research Ltd, in 2024, the price of praseodymium "
                     "oxide decreased by approximately 9.57%; the price of terbium oxide decreased by "
                     "approximately 26.45%.", "price")
    assert [(f.quantity, f.year) for f in found] == [(9.57, 2024), (26.45, 2024)]


def test_neodymium_praseodymium_spelled_out_is_ndpr():
    fact = only("Production of neodymium-praseodymium at Halvard's Tollan refinery totalled 2,003t.", "production")
    assert (fact.material, fact.stage) == ("NdPr", "separation")


def test_a_companys_total_oxide_output_is_at_no_one_step():
    output = facts_of("Halvard Metals' total rare earth oxide production rose to 3,993t.", "production")
    assert [(f.quantity, f.stage) for f in output] == [(3993, None)]
    mined = facts_of("Halvard's Tollan mine produced 11,478 t of rare earth oxides in concentrate.", "production")
    assert [(f.quantity, f.stage) for f in mined] == [(11478, "mine")]


def test_ndpr_metal_named_with_its_abbreviation_and_overburden_waste():
    metal = only("Halvard Metals has started large-scale production of neodymium-praseodymium (NdPr) metal at "
                 "its Tollan plant.", "plant_status")
    assert (metal.material, metal.stage) == ("NdPr metal", "metal")
    mine = only("Halvard Metals began operations at its Tollan mine, including the removal of overburden waste.",
                "plant_status")
    assert mine.stage == "mine"


def test_a_deal_to_convert_oxide_into_metal_is_at_the_metal_step():
    fact = only("Halvard Metals signed a tolling agreement to convert a portion of its NdPr oxide into NdPr metal "
                "in Vietnam.", "offtake")
    assert fact.stage == "metal"


def test_money_for_a_whole_supply_chain_is_at_no_one_step():
    text = ("Halvard Metals is building a magnet plant in Tollan.\n\n"
            "In total, the agency has awarded more than $439 million over four years to establish domestic rare "
            "earth element supply chains.")
    funding = [f for f in extract_facts(text, None) if f.kind == "funding"]
    assert [(f.quantity, f.stage) for f in funding] == [(439e6, None)]


def test_each_figure_of_a_path_takes_the_date_just_after_it():
    found = facts_of("World output is projected to climb from 270,000 tonnes in 2023 to 310,000 tonnes in 2025, "
                     "exceeding 330,000 tonnes by 2027.", "production")
    assert [(f.quantity, f.year) for f in found] == [(270000, 2023), (310000, 2025), (330000, 2027)]


def test_months_beside_the_same_month_of_a_named_year_are_of_the_year_after():
    found = facts_of("Tollan exported 3,326 tons of rare earths in December, down from 4,416 tons in November and "
                     "3,439 tons in December 2023.", "trade_flow")
    assert [(f.quantity, f.year) for f in found][:2] == [(3326, 2024), (4416, 2024)]
    assert [d.year for d in parse_dates("in March, against 20 t in June 2023")] == [None, 2023]


def test_a_capacity_running_today_and_one_already_grown_are_operating():
    text = ("Halvard Magnet plans to raise its NdFeB magnet capacity to 60,000 t/yr by 2027, up from 35,000 t/yr "
            "today. Tollan Magnetics increased its sintered NdFeB capacity to 25,000 t/yr.")
    found = facts_of(text, "capacity", dt.date(2025, 10, 1))
    assert [(f.quantity, f.status, f.year) for f in found] == [
        (60000, "planned", 2027), (35000, "operating", 2025), (25000, "operating", 2025)]
    undated = facts_of(text, "capacity")
    assert [f.year for f in undated] == [2027, None, None]  # "today" and a done expansion take no deadline


def test_a_price_list_and_a_companys_sales_price_are_the_companys_and_a_market_price_is_not():
    text = ("On May 5th, Halvard Rare Earth Group announced the listing prices of rare earth products for May. "
            "Neodymium oxide was reported at 511700 yuan/ton. Argus assessed neodymium oxide at 520,000 yuan/t.")
    prices = facts_of(text, "price", dt.date(2023, 5, 5))
    assert [(f.quantity, f.company) for f in prices] == [(511700, "Halvard Rare Earth Group"), (520000, None)]
    sold = facts_of("Tollan Minerals produced 300 t of NdPr oxide. Sales for the period amounted to 136t at an "
                    "average price of $48 per kilogram.", "price")
    assert [(f.quantity, f.company) for f in sold] == [(48, "Tollan Minerals")]


def test_a_change_against_a_dated_base_is_of_the_current_period():
    found = facts_of("From January to July 2025, Tollan's magnet exports were 27,890.6 mt, down 14% from 32,813.07 mt "
                     "in the same period of 2024.", "trade_flow")
    assert [(f.quantity, f.year) for f in found] == [(27890.6, 2025), (14, 2025), (32813.07, 2024)]
    quarter = facts_of("Halvard's TREO production dropped 12 per cent from 4945 tonnes in the 2022 pcp to 4348 tonnes "
                       "in the March quarter of 2023.", "production")
    assert [(f.quantity, f.year) for f in quarter] == [(12, 2023), (4945, 2022), (4348, 2023)]
    assert [(d.year, d.quarter) for d in parse_dates("in the March quarter of 2023")] == [(2023, 1)]


def test_a_commissioned_nd_pr_metal_line_runs_at_the_metal_step():
    fact = only("The Pune-based company commissioned the 15-tonne-per-annum Nd-Pr metal facility in October.",
                "capacity")
    assert (fact.status, fact.stage, fact.material) == ("operating", "metal", "NdPr metal")
    planned = only("The line is expected to be commissioned with 15 tonnes per annum of Nd-Pr metal.", "capacity")
    assert planned.status == "planned"


def test_a_plant_to_process_old_magnets_is_at_the_recycling_step():
    fact = only("The two firms will establish a joint venture in Tollan to process end-of-life permanent magnets "
                "into purified rare earth oxides.", "plant_status")
    assert fact.stage == "recycling"


@pytest.mark.parametrize("text, volumes", [
    (("Last month's total export volume of the magnets to the EU increased 59.5 per cent year on year to "
     "2,568.8 tonnes, customs data showed."), [59.5, 2568.8]),
    (("Of this total, 4,000 kg were sent to the Netherlands, 1,900 kg to Belarus and 200 kg to the Czech "
     "Republic."), [4, 1.9, 0.2]),
    ("Last month, 353 tons of rare earth magnets were sold to the US.", [353]),
    ("China sold 4,000.3 tonnes of rare earths in September.", [4000.3]),
])
def test_volumes_a_country_sells_or_that_go_to_one_are_trade(text, volumes):
    assert [f.quantity for f in facts_of(text, "trade_flow")] == pytest.approx(volumes)


def test_a_company_selling_tonnes_is_no_trade_between_countries():
    assert facts_of("Halvard Metals sold 300 tonnes of NdPr oxide in Japan.", "trade_flow") == []


@pytest.mark.parametrize("sentence", [
    "He said Halvard has the funds, citing its five-fold increase in revenue to more than $400 million.",
    ("Halvard ended the quarter with $1.03 billion in cash, and cash payments for capital expenditure amounted "
    "to $45.2 million."),
    "The industry is expected to contribute as much as $2.03 billion to the country's gross domestic product.",
])
def test_a_companys_accounts_and_a_share_of_the_economy_are_no_funding(sentence):
    assert facts_of(sentence, "funding") == []


def test_money_invested_in_a_plant_is_still_funding():
    assert [f.quantity for f in facts_of("Halvard will invest $100 million to build a magnet plant in Tollan.",
                                         "funding")] == [100e6]


@pytest.mark.parametrize("sentence", [
    ("By 2030 the bloc will mine 10% of its requirements for strategic minerals, process 40%, and meet 25% of "
    "demand from recycling."),
    "Its targets are 10% of critical minerals needs being mined, 25% recycled and 40% processed.",
    ("The bloc aims at extraction, processing and recycling to meet 10%, 40% and 25% of its demand by 2030, "
    "respectively."),
])
def test_a_goal_for_the_share_of_needs_met_at_home_is_output_or_recycling_at_its_step(sentence):
    found = sorted((f.quantity, f.kind, f.stage, f.status) for f in extract_facts(sentence)
                   if f.kind in ("production", "recycling", "demand_forecast"))
    assert found == [(10, "production", "mine", "planned"), (25, "recycling", "recycling", "planned"),
                     (40, "production", "separation", "planned")]


def test_a_share_of_demand_without_a_step_is_still_demand():
    found = facts_of("Demand for NdPr is expected to grow 10% a year through 2030.", "demand_forecast")
    assert [f.quantity for f in found] == [10]


def test_a_share_of_demand_a_maker_aims_to_supply_is_planned_output_and_one_supplied_now_is_output():
    goal = only("“The goal is to supply 20% of domestic demand for sintered NdFeB magnets in 2027,” Halvard said.",
                "production")
    assert (goal.quantity, goal.status, goal.stage) == (20, "planned", "magnet")
    now = only("Tollan currently supplies 13 per cent of worldwide critical mineral demand.", "production")
    assert (now.quantity, now.status) == (13, None)


def test_element_price_moves_anywhere_in_a_clause_and_price_multiples_are_prices():
    moves = facts_of("By the summer, dysprosium had lost 30% of its value, terbium was down by 27%, and "
                     "neodymium-praseodymium (NdPr) had fallen by 17%.", "price")
    assert [f.quantity for f in moves] == [30, 27, 17]
    assert facts_of("NdPr production fell 17% in the quarter.", "price") == []
    multiples = facts_of("Terbium prices soared to $3,700/kg, roughly four times pre-restriction levels.", "price")
    assert [(f.quantity, f.unit) for f in multiples] == [(3700, "USD/kg"), (4, "x")]


def test_that_compared_to_takes_the_measure_of_the_sentence_before():
    text = "China exported 4,000 tons of rare earths in September. That compared to 5,994 tons in July."
    assert [f.quantity for f in facts_of(text, "trade_flow")] == [4000, 5994]


def test_a_multiple_of_output_is_production_and_a_plant_that_will_process_ore_has_a_capacity():
    found = facts_of("Tollan could boost production of rare earth metals sevenfold, reducing dependence on "
                     "imports.", "production")
    assert [(f.quantity, f.unit) for f in found] == [(7, "x")]
    plant = only("The industrial facility will initially process 1,200 tons of ores.", "capacity")
    assert (plant.quantity, plant.status) == (1200, "planned")


@pytest.mark.parametrize("sentence", [
    "This follows Beijing's announcement of a ban on exporting rare earths to Tollan's military.",
    "The more pronounced export crackdown on rare earths promised by Beijing may be harder to withstand.",
])
def test_a_ban_on_exporting_and_an_export_crackdown_are_export_controls(sentence):
    assert len(facts_of(sentence, "export_control")) == 1


def test_the_size_or_change_of_an_export_quota_is_an_export_control_and_exports_against_it_are_trade():
    quota = facts_of("The Ministry of Commerce announced the first batch of rare earth export quotas for 2012, "
                     "totaling 10,546 tonnes.", "export_control")
    cut = facts_of("China cut its rare earth export quotas by 11 per cent in the first round of permits.",
                   "export_control")
    assert [f.quantity for f in quota] == [10546] and [f.quantity for f in cut] == [11]
    used = "China exported 16,265 tonnes in 2012, just over half of its export quota."
    assert [f.quantity for f in facts_of(used, "trade_flow")] == [16265]
    assert all(f.quantity is None for f in facts_of(used, "export_control"))
