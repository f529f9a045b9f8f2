"""Rules for how the trade press words plant milestones, deals, prices, quotas and trade.

Every sentence here is made up for the test, in the style of mining and metals news.
"""

import pytest
from helpers import facts_of, only

from magchain.ingest.extract import extract_facts
from magchain.ingest.quantities import parse_quantities


def kinds(text, published=None):
    return sorted(f.kind for f in extract_facts(text, published))


# -- quantities ----------------------------------------------------------------------------------
def test_mtpa_is_metric_tonnes_per_annum():
    quantity, = parse_quantities("two lines of 800 MTPA each")
    assert (quantity.value, quantity.unit) == (800, "t/yr")


def test_between_x_and_y_is_one_range():
    quantity, = parse_quantities("a capital cost of between A$400 million and A$450 million")
    assert (quantity.value, quantity.high, quantity.unit) == (400e6, 450e6, "AUD")


def test_between_two_different_units_stays_two_quantities():
    assert len(parse_quantities("between 40% and 2,000 tonnes")) == 2


def test_pc_is_percent():
    quantity, = parse_quantities("output rose 15pc on the year")
    assert (quantity.value, quantity.unit) == (15, "%")


# -- titles ----------------------------------------------------------------------------------------
def test_a_sentence_case_title_line_is_not_a_statement():
    text = ("Brantwood secures magnet supply deal\n\n"
            "Analysts welcomed the news on Monday.")
    assert extract_facts(text) == []


# -- plant status ------------------------------------------------------------------------------------
def test_first_production_expected_is_planned():
    fact = only("First production at the Corrie Hill mine is expected in 2027.", "plant_status")
    assert (fact.status, fact.year) == ("planned", 2027)


def test_production_expected_to_start_is_planned():
    fact = only("Production at the Tollan refinery is scheduled to start next year.",
                "plant_status", "2025-03-01")
    assert (fact.status, fact.year) == ("planned", 2026)


def test_construction_start_and_first_output_are_two_dated_milestones():
    found = facts_of("Construction of the Tollan refinery is due to begin in mid-2026, with "
                     "first output targeted for 2028.", "plant_status")
    assert sorted((f.status, f.year) for f in found) == [("planned", 2026), ("planned", 2028)]


@pytest.mark.parametrize("text, milestones", [
    ("The company expects construction to begin in 2026 and be completed in 2027.",
     [("planned", 2026), ("planned", 2027)]),
    ("The construction of the Tollan magnet plant began in 2021 and was finalised in March 2023.",
     [("operating", 2023), ("under_construction", 2021)]),
])
def test_a_start_and_a_finish_each_dated_are_two_milestones(text, milestones):
    assert sorted((f.status, f.year) for f in facts_of(text, "plant_status")) == milestones


def test_one_status_without_a_new_date_gives_one_fact():
    fact = only("Construction will start this year and first production is expected soon at "
                "the Tollan plant.", "plant_status", "2025-03-01")
    assert fact.year == 2025


def test_construction_began_needs_no_plant_word():
    fact = only("Stage two construction started in May 2024 at Tollan.", "plant_status")
    assert (fact.status, fact.year) == ("under_construction", 2024)


def test_scheduled_completion_is_planned():
    found = facts_of("Stage two construction commenced in March 2024 and completion is expected "
                     "in late 2025.", "plant_status")
    assert sorted((f.status, f.year) for f in found) == [("planned", 2025),
                                                         ("under_construction", 2024)]


def test_completed_construction_is_still_construction_until_it_runs():
    fact = only("Halvard Metals has completed construction of its oxide separation plant.",
                "plant_status")
    assert fact.status == "under_construction"


@pytest.mark.parametrize(("sentence", "status"), [
    # commissioning takes the status of its frame
    ("Halvard Metals' second magnet plant is slated to begin commissioning in 2028.", "planned"),
    ("Halvard Metals said commissioning has begun at its Tollan metals plant.", "operating"),
    ("Halvard Metals' Tollan refinery is entering final commissioning.", "under_construction"),
    ("Halvard Metals advanced the commissioning of its Tollan magnet plant.", "planned"),
    # online, production and opening milestones
    ("Operations at Halvard Metals' Tollan refinery are expected to be online in 2028.", "planned"),
    ("Halvard Metals' Tollan magnet plant came online in 2024.", "operating"),
    ("Halvard Metals expects its projects to converge and enter production by mid-2028.", "planned"),
    ("Halvard Metals is currently producing magnet precursor materials in a pilot facility.", "operating"),
    ("Halvard's Tollan facility will have a capacity of 3,000 t/yr and open in January 2027.", "planned"),
    ("The first production of dysprosium at Halvard's Tollan plant is expected in May.", "planned"),
    ("Halvard Metals targets initial production at its Tollan mine by 2028.", "planned"),
    # a go-ahead, an installation, money to expand
    ("Halvard Metals gave the green light to the $1.2 billion Tollan refinery in early 2022.", "announced"),
    ("Halvard Metals said its board has approved a plan to invest in a rare earth metal plant in Vietnam.",
     "announced"),
    ("Halvard Metals plans to install rare earth metallization facilities at its Tollan subsidiary.", "planned"),
    ("The agency provided a $150 million loan to Halvard Metals to expand separation capacity at Tollan.",
     "planned"),
    # a permit granted announces, one awaited plans
    ("In April, Halvard Metals received the final permit from the authorities to develop the Tollan project.",
     "announced"),
    ("Halvard Metals is awaiting final approval for its Tollan processing plant.", "planned"),
])
def test_a_plant_milestone_takes_the_status_of_its_cue(sentence, status):
    assert only(sentence, "plant_status").status == status


def test_board_approval_of_construction_is_announced():
    fact = only("The Halvard Metals board approved stage three construction of the Tollan "
                "refinery.", "plant_status")
    assert fact.status == "announced"


def test_final_investment_decision_is_announced():
    fact = only("Halvard Metals reached a final investment decision on its magnet plant.",
                "plant_status")
    assert fact.status == "announced"


def test_a_final_investment_decision_named_in_passing_is_no_status():
    assert facts_of("The final investment decision will make Tollan a regional hub.",
                    "plant_status") == []


def test_will_establish_capacity_is_planned():
    fact = only("Halvard Metals will establish heavy rare earth separation capacity in Nevada.",
                "plant_status")
    assert fact.status == "planned"


def test_joint_venture_for_a_plant_is_announced():
    fact = only("Halvard Metals formed a joint venture with a local partner for a metals plant "
                "in 2023.", "plant_status")
    assert (fact.status, fact.year) == ("announced", 2023)


def test_operates_a_plant_is_operating():
    fact = only("Halvard Metals operates a 3,000 tpa separation plant in Vietnam.", "plant_status")
    assert fact.status == "operating"


def test_which_operates_the_mine_only_describes_the_company():
    assert facts_of("Its ore comes from Halvard Metals, which operates the only mine in the "
                    "region.", "plant_status") == []


def test_broken_ground_is_under_construction():
    fact = only("Halvard Metals said it had broken ground on the magnet plant.", "plant_status")
    assert fact.status == "under_construction"


# -- offtake -----------------------------------------------------------------------------------------
def test_agreed_supply_volume_is_offtake_not_capacity():
    fact = only("Halvard Metals has agreed to supply 250 t/yr of NdPr oxide to a Japanese "
                "magnet maker.", "offtake")
    assert (fact.quantity, fact.unit) == (250, "t/yr")
    assert facts_of("Halvard Metals has agreed to supply 250 t/yr of NdPr oxide to a Japanese "
                    "magnet maker.", "capacity") == []


def test_a_partner_taking_a_further_volume_is_offtake():
    found = facts_of("A German carmaker will buy 400 t/yr of oxide from Halvard Metals, with a "
                     "cable maker taking a further 150 t/yr.", "offtake")
    assert sorted(f.quantity for f in found) == [150, 400]


def test_volume_already_committed_to_customers_is_offtake():
    fact = only("The plant has 900 tpa committed to customers.", "offtake")
    assert fact.quantity == 900


def test_an_offtake_target_is_not_a_deal():
    assert kinds("Halvard Metals is closer to its offtake target of 3,000 t/yr.") == []


def test_volume_only_sought_is_neither_offtake_nor_capacity():
    text = ("Buyers have expressed interest in buying up to 2,000 t/yr, more than the plant's "
            "production capacity.")
    assert kinds(text) == []


def test_aiming_to_secure_offtake_is_not_a_deal():
    assert kinds("Halvard Metals is aiming to secure offtake deals for 70pc of its capacity.") == []


def test_the_share_of_output_a_signed_deal_takes_is_an_offtake():
    found = facts_of("Halvard Metals signed an offtake agreement with Norvik Magnetics for 50% of the "
                     "NdPr oxide produced at its Texas plant.", "offtake", "2025-03-01")
    assert [(f.quantity, f.unit) for f in found] == [(50, "%")]


def test_memorandum_for_supply_is_offtake():
    fact = only("Halvard Metals signed a memorandum of understanding for the supply of NdPr "
                "oxide.", "offtake")
    assert fact.company == "Halvard Metals"


# -- funding -----------------------------------------------------------------------------------------
def test_contributing_and_spending_are_funding_amounts():
    text = ("The agency is contributing $12 million to fund the pilot line, while Halvard "
            "Metals expects to spend about $9 million.")
    assert sorted(f.quantity for f in facts_of(text, "funding")) == [9e6, 12e6]


def test_capital_cost_is_funding():
    fact = only("The refinery's capital cost will be between $300 million and $350 million.",
                "funding")
    assert (fact.quantity, fact.quantity_high) == (300e6, 350e6)


@pytest.mark.parametrize("text", [
    "The study estimated initial capex of C$461 million, an after-tax NPV8 of $512 million and IRR of 16%.",
    "The DFS outlined an estimated CAPEX of US$277M for an open-pit mine and processing plant.",
    "Halvard Metals put the capex to first production at US$286 million.",
])
def test_a_studys_economics_are_no_funding(text):
    assert "funding" not in kinds(text)


def test_government_has_backed_a_named_project():
    fact = only("Canberra has backed several projects, including Lynas Rare Earths' Kalgoorlie "
                "plant.", "funding")
    assert fact.company == "Lynas Rare Earths"


# -- production, prices and trade -------------------------------------------------------------------
def test_mining_and_separation_quotas_are_production():
    found = facts_of("Beijing set the 2024 mining quota at 200,000 tonnes and the separation "
                     "quota at 190,000 tonnes.", "production")
    assert sorted(f.quantity for f in found) == [190000, 200000]
    assert {f.year for f in found} == {2024}


def test_share_of_world_mining_is_production():
    fact = only("The country controls roughly 70 percent of world rare earth mining.",
                "production")
    assert (fact.quantity, fact.unit) == (70, "%")


@pytest.mark.parametrize("text, share", [
    ("China accounts for about 70% of rare earth mining and 90% of refining.", 90),
    ("China dominates the global magnet market, producing over 90% of supply.", 90),
    ("It holds 90 percent of the supply chain for permanent magnets.", 90),
])
def test_a_share_of_a_step_of_the_chain_is_production(text, share):
    assert share in [f.quantity for f in facts_of(text, "production")]


@pytest.mark.parametrize("text", [
    "The EU targets 10% mined, 25% recycled and 40% processed domestically by 2030.",
    "The EU targets 10 percent mined, 25 percent recycled and 40 percent processed domestically by 2030.",
    "Britain aims to meet 10% of demand from local mining and 25% from recycling by 2035.",
])
def test_a_share_met_by_recycling_is_a_recycling_target_and_the_next_share_is_not(text):
    assert [f.quantity for f in facts_of(text, "recycling")] == [25]


def test_a_share_of_refining_capacity_stays_capacity():
    assert [f.kind for f in extract_facts("China holds 85% of global refining capacity.")] == ["capacity"]


def test_price_change_and_price_per_tonne():
    found = facts_of("The spot price of terbium oxide at the end of the quarter was 12% lower "
                     "than a year before, at 6,100,000 yuan a tonne.", "price")
    assert sorted((f.quantity, f.unit) for f in found) == [(12, "%"), (6_100_000, "CNY/t")]


def test_share_price_moves_are_not_prices():
    assert kinds("Halvard Metals share prices rose 8% on Tuesday.") == []


def test_volume_in_a_clause_about_exports_is_trade():
    found = facts_of("Vietnam's rare earth exports rose 11% in the first half, to 2,450 tonnes.",
                     "trade_flow")
    assert sorted(f.quantity for f in found) == [11, 2450]


def test_that_was_down_takes_the_kind_of_the_sentence_before():
    text = ("Vietnam's rare earth exports rose 11% in June to 450 tonnes. "
            "That was down 6% from a year earlier.")
    assert sorted(f.quantity for f in facts_of(text, "trade_flow")) == [6, 11, 450]


def test_that_was_down_with_nothing_measured_before_is_nothing():
    assert kinds("Investors were cautious. That was down 6% from a year earlier.") == []


# -- precision guards ---------------------------------------------------------------------------------
def test_export_controls_on_other_minerals_are_out_of_scope():
    assert kinds("Beijing imposed export restrictions on antimony and tungsten last year.") == []


def test_export_controls_on_rare_earths_still_count():
    assert kinds("Beijing imposed export restrictions on antimony and rare earths.") == [
        "export_control"]


@pytest.mark.parametrize("text", [
    "The plant will be fed initially from the run-of-mine stockpile.",
    "The mine's ore stockpile holds 2 million tonnes.",
])
def test_a_feed_stockpile_is_not_a_strategic_stockpile(text):
    assert facts_of(text, "stockpile") == []


def test_expects_first_production_is_planned():
    fact = only("Halvard Metals expects first oxide production in the second half of 2026.",
                "plant_status")
    assert (fact.status, fact.year) == ("planned", 2026)


def test_operations_were_suspended_is_closed():
    fact = only("Operations at the Tollan plant were suspended in June after a fire.",
                "plant_status")
    assert fact.status == "closed"


def test_contract_volumes_and_their_step_ups_are_offtake():
    found = facts_of("Contract volumes for NdPr metal are 150 tpy from 2027, increasing to 300 tpy "
                     "in the second year.", "offtake")
    assert sorted(f.quantity for f in found) == [150, 300]


def test_supply_volume_under_a_named_memorandum_is_offtake():
    found = facts_of("The MoU covers the supply of 900tpy of mixed carbonate for three years.", "offtake")
    assert [(f.quantity, f.unit) for f in found] == [(900, "t/yr"), (3, "years")]  # the volume and the term


def test_tonnes_of_a_material_a_year_is_a_rate():
    fact = only("The refinery is expected to turn out 3,300 tonnes of NdPr oxide a year.",
                "capacity")
    assert (fact.quantity, fact.unit) == (3300, "t/yr")


def test_a_purchase_contract_is_an_offtake():
    assert len(facts_of("Halvard Metals signed a 'rare earth oxide purchase contract' with a Vietnamese miner.",
                        "offtake")) == 1


def test_the_term_of_a_supply_deal_is_an_offtake_fact_and_a_funding_period_is_not():
    found = facts_of("Halvard Metals signed a 10-year offtake contract with Tollan Magnetics for NdPr oxide.",
                     "offtake")
    assert (10, "years") in [(f.quantity, f.unit) for f in found]
    grant = extract_facts("The agency awarded Halvard Metals a $20 million grant over seven years.", None)
    assert not [f for f in grant if f.unit == "years"]
    deal = facts_of("Tollan Motors has agreed to a five-year deal with Halvard Metals to supply rare earth oxides.",
                    "offtake")
    assert (5, "years") in [(f.quantity, f.unit) for f in deal]


def test_the_value_of_a_supply_order_is_an_offtake_not_funding():
    found = extract_facts("Halvard Metals secured an order worth approximately KRW 900 billion from an automaker "
                          "to supply permanent magnets from 2026 to 2031.", None)
    assert [(f.kind, f.quantity) for f in found if f.quantity] == [("offtake", 900e9)]


def test_two_milestones_of_a_plant_in_one_year_are_two_facts_and_a_repeated_sentence_one():
    first = "Halvard Metals began production of NdPr metal at its Tollan plant in 2025. "
    text = first + "Halvard Metals also began shipments of magnets from its Tollan plant in 2025. " + first
    milestones = [f for f in extract_facts(text, None) if f.kind == "plant_status"]
    assert len(milestones) == 2 and {f.status for f in milestones} == {"operating"}


def test_an_export_licence_is_no_plant_permit():
    assert not facts_of("Halvard Metals received export licences for magnets from its Tollan plant.", "plant_status")


def test_a_suspensions_length_in_an_export_control_article_is_the_controls_term():
    text = ("China imposed export controls on seven rare earths in April. "
            "However, the announcement confirms only a one-year suspension of the most recent rules.")
    terms = [f for f in extract_facts(text, None) if f.unit == "years"]
    assert [(f.kind, f.quantity) for f in terms] == [("export_control", 1)]


def test_an_offtake_and_an_amountless_grant_take_the_date_of_their_sentence():
    offtake = only("Halvard Metals announced that on 8 August 2023 it executed a binding offtake agreement "
                   "with Lynas.", "offtake")
    assert offtake.year == 2023
    grant = only("In a statement, Halvard Metals said it had won a grant from the DOE in March 2024.", "funding")
    assert grant.year == 2024


def test_a_plant_that_runs_and_a_complex_being_built_are_two_statuses():
    found = facts_of("Halvard currently operates a pilot facility in Tollan and is building a new "
                     "complex in Marion.", "plant_status")
    assert sorted(f.status for f in found) == ["operating", "under_construction"]


def test_once_commissioned_is_a_condition_not_a_running_plant():
    found = facts_of("Once fully commissioned, Halvard's Tollan lab will produce prototype magnets.", "plant_status")
    assert "operating" not in [f.status for f in found]
    assert [f.status for f in facts_of("Halvard commissioned its Tollan magnet plant in May.", "plant_status")] == [
        "operating"]


def test_a_volume_sold_or_ordered_under_a_deal_is_an_offtake_and_sales_alone_are_nothing():
    deal = "The deal envisions the sale of at least 500 tonnes of rare earth oxides from 2024."
    order = "Yesterday, Halvard Metals said REEtec had upped its order to 750tpa of NdPr."
    assert [f.quantity for f in facts_of(deal, "offtake")] == [500]
    assert [f.quantity for f in facts_of(order, "offtake")] == [750]
    assert kinds("NdPr sales of 464 tonnes were a record for Halvard Metals.") == []
