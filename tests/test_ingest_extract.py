"""Each fact kind from short sentences in the style of the trade press (written for the tests)."""

import datetime as dt

import pytest

from magchain.ingest.extract import extract_facts


def only(text, kind, published=None):
    facts = [f for f in extract_facts(text, published) if f.kind == kind]
    assert len(facts) == 1, [(f.kind, f.quantity) for f in extract_facts(text, published)]
    return facts[0]


def kinds(text, published=None):
    return sorted(f.kind for f in extract_facts(text, published))


def test_every_fact_cites_its_sentence():
    text = ("Markets were calm. Lynas Rare Earths said its Kalgoorlie plant has a nameplate "
            "capacity of 12,000 tonnes per year. Analysts were unmoved.")
    fact = only(text, "capacity")
    assert text[fact.start:fact.end] == fact.evidence
    assert fact.evidence.startswith("Lynas Rare Earths said")


def test_capacity_with_site_company_country_and_stage():
    fact = only("Lynas Rare Earths said its Kalgoorlie plant has a nameplate capacity of 12,000 "
                "tonnes per year.", "capacity")
    assert (fact.quantity, fact.unit, fact.company, fact.facility, fact.country, fact.stage) == (
        12000, "t/yr", "Lynas Rare Earths", "Kalgoorlie", "AU", "separation")


def test_an_undated_planned_capacity_takes_no_year_from_its_paragraph():
    text = ("Tollan Metals opened its pilot line in March 2024. The company expects the plant to reach "
            "a capacity of 3,000 tonnes a year.")
    fact, = [f for f in extract_facts(text, dt.date(2024, 6, 1)) if f.kind == "capacity"]
    assert (fact.status, fact.year) == ("planned", None)


def test_planned_capacity_takes_its_year_and_status():
    fact = only("Neo Performance Materials will open a 2,000 tpa sintered magnet plant in Narva, "
                "Estonia, in 2025.", "capacity")
    assert (fact.quantity, fact.year, fact.status, fact.country, fact.material) == (
        2000, 2025, "planned", "EE", "NdFeB magnet")


def test_capacity_written_as_a_multiple():
    fact = only("The refiner plans to expand capacity to four times the current level.",
                "capacity")
    assert (fact.quantity, fact.unit) == (4, "x")


def test_production_in_a_past_period():
    fact = only("Iluka produced about 1,200 t of rare earth concentrate in the third quarter of "
                "2024.", "production")
    assert (fact.quantity, fact.unit, fact.qualifier, fact.year, fact.company) == (
        1200, "t", "about", 2024, "Iluka Resources")


def test_share_of_world_output_belongs_to_the_country():
    fact = only("Beijing still accounts for roughly 88% of global magnet production.", "production")
    assert (fact.quantity, fact.country, fact.company, fact.qualifier) == (88, "CN", None, "about")


@pytest.mark.parametrize("text, status", [
    ("Vulcan Elements broke ground on its magnet factory in North Carolina.",
     "under_construction"),
    ("Noveon Magnetics said its second production line will be commissioned in mid-2026.",
     "planned"),
    ("Niron Magnetics began commercial production at its Sartell plant in March.", "operating"),
    ("Ucore shipped its first batch of separated oxide from the Louisiana plant.", "operating"),
    (("Energy Fuels has postponed the start-up of its heavy rare earth circuit at the White Mesa "
     "Mill until 2027."), "delayed"),
    ("Solvay shut down the rare earth separation line at La Rochelle in 2023.", "closed"),
    ("JS Link announced plans to build a magnet plant in Georgia.", "announced"),
    ("A ground breaking ceremony for Halvard Metals took place at its Toledo site on Wednesday.",
     "under_construction"),
    ("Plans have been submitted to build Halvard Metals' rare earth processing facility in Hull.", "planned"),
    ("Plans for Halvard Metals' processing facility in Hull were approved by the council last April.",
     "announced"),
])
def test_plant_status(text, status):
    assert only(text, "plant_status").status == status


def test_plant_status_for_each_listed_company():
    facts = [f for f in extract_facts("Producers such as Vulcan Elements and Niron Magnetics are "
                                      "now constructing new magnet factories.")
             if f.kind == "plant_status"]
    assert sorted(f.company for f in facts) == ["Niron Magnetics", "Vulcan Elements"]


def test_funding_with_agency_instrument_and_recipient():
    fact = only("The Pentagon awarded a $35 million grant to ReElement Technologies under the "
                "Defense Production Act.", "funding")
    assert (fact.quantity, fact.unit, fact.agency, fact.company) == (
        35e6, "USD", "DoD", "ReElement Technologies")


def test_funding_in_a_foreign_currency():
    fact = only("Export Finance Australia provided A$200 million in debt to Iluka Resources for "
                "the Eneabba refinery.", "funding")
    assert (fact.quantity, fact.unit, fact.company, fact.facility) == (
        200e6, "AUD", "Iluka Resources", "Eneabba")


def test_funding_without_an_amount_needs_a_named_agency_or_recipient():
    assert kinds("The Department of Energy will back the refinery with a loan guarantee.") == [
        "funding"]
    assert kinds("Policymakers are debating more subsidies for the sector.") == []


def test_use_of_proceeds_and_exploratory_finance_are_not_funding():
    assert kinds("Serra Verde will use the proceeds to repay existing loans.") == []
    assert kinds("Officials will explore whether EXIM loans could help the miners.") == []


def test_revenue_is_not_funding():
    assert kinds("The plant could earn $900 million in annual revenue.") == []


def test_offtake_seller_is_the_supplier():
    fact = only("General Motors agreed to buy magnets produced by Niron Magnetics under a "
                "multi-year supply agreement.", "offtake")
    assert fact.company == "Niron Magnetics"
    fact = only("Ionic Rare Earths signed a binding offtake agreement with Ford.", "offtake")
    assert fact.company == "Ionic Rare Earths"


def test_offtake_volume():
    fact = only("Ionic Rare Earths signed a binding offtake agreement to supply 1,500 tonnes of "
                "oxide.", "offtake")
    assert fact.quantity == 1500


def test_export_control_actor_material_and_start():
    fact = only("China's Ministry of Commerce imposed export controls on dysprosium and terbium "
                "from April 4, 2025.", "export_control")
    assert (fact.country, fact.agency, fact.material, fact.year) == ("CN", "MOFCOM", "Dy+Tb",
                                                                    2025)


def test_export_licence_interval():
    fact = only("Beijing now issues export licences valid for three months.", "export_control")
    assert (fact.quantity, fact.unit) == (3, "months")


def test_trade_flow_change_and_volume():
    fact = only("China's exports of rare earth magnets rose 12% in July, customs data showed.",
                "trade_flow")
    assert (fact.quantity, fact.unit, fact.country) == (12, "%", "CN")
    fact = only("Japan imported 4,500 tonnes of rare earths from China in 2024.", "trade_flow")
    assert (fact.quantity, fact.unit, fact.country, fact.year) == (4500, "t", "JP", 2024)


def test_price_and_price_floor():
    price = only("NdPr oxide prices climbed to $90/kg in October 2025.", "price")
    assert (price.quantity, price.unit, price.material, price.year) == (90, "USD/kg", "NdPr oxide",
                                                                        2025)
    floor = only("The agreement sets a price floor of $110 per kilogram for NdPr products.",
                 "price_floor")
    assert (floor.quantity, floor.unit) == (110, "USD/kg")


def test_price_floor_term_and_bare_mention():
    fact = only("The deal includes a seven-year price floor for NdPr.", "price_floor")
    assert (fact.quantity, fact.unit) == (7, "years")
    assert kinds("Ministers discussed minimum prices for critical minerals.") == ["price_floor"]


def test_demand_forecast_rate_multiple_and_horizon():
    fact = only("Global demand for NdFeB magnets is forecast to grow 8.5% a year through 2035.",
                "demand_forecast")
    assert (fact.quantity, fact.unit, fact.year) == (8.5, "%", 2035)
    fact = only("Demand for dysprosium in wind turbines is expected to triple by 2030.",
                "demand_forecast")
    assert (fact.quantity, fact.unit, fact.year) == (3, "x", 2030)


def test_demand_forecast_regions_in_one_sentence():
    facts = [f for f in extract_facts("By 2032, Indian demand is expected to rise fourfold, "
                                      "while Japanese demand should double.")
             if f.kind == "demand_forecast"]
    assert sorted((f.country, f.quantity) for f in facts) == [("IN", 4), ("JP", 2)]


def test_stockpile():
    fact = only("The US Senate passed a bill directing the Defense Logistics Agency to stockpile "
                "1,000 tonnes of NdFeB magnets.", "stockpile")
    assert (fact.quantity, fact.agency, fact.material) == (1000, "DoD", "NdFeB magnet")


def test_recycling():
    fact = only("Cyclic Materials opened a recycling facility in Mesa, Arizona, to recover rare "
                "earths from end-of-life electric motors.", "recycling")
    assert (fact.company, fact.stage, fact.country) == ("Cyclic Materials", "recycling", "US")


def test_water_recycling_is_not_magnet_recycling():
    assert "recycling" not in kinds("The mine uses a process that enables 90% water recycling.")


def test_relative_year_resolved_against_publication_date():
    fact = only("Last month, China cut exports of rare earth magnets by 40 percent.",
                "trade_flow", published="2025-06-24")
    assert fact.year == 2025


def test_a_sentence_can_state_several_kinds():
    text = ("The Department of Defense made a $1.5 billion loan commitment, promising to purchase "
            "all magnets produced by MP Materials and setting a 10-year price floor for NdPr.")
    assert kinds(text) == ["funding", "offtake", "price_floor"]


def test_repeated_items_are_reported_once():
    text = ("Serra Verde received $565 million in financing from the DFC. "
            "Serra Verde received $565 million in financing from the DFC.")
    assert kinds(text) == ["funding"]


def test_headlines_are_not_statements():
    headline = "Frontier Secures $20 Million And Signs Rare Earth Offtake Agreement"
    assert extract_facts(headline) == []


def test_unknown_company_is_proposed_not_guessed():
    fact = only("Startup Kestrel Magnetics signed an offtake agreement with Ford.", "offtake")
    assert fact.company == "Kestrel Magnetics"
    assert fact.proposed and fact.company_id is None


def test_reading_stops_with_a_message_when_the_budget_is_spent():
    from magchain.dataset import seed_documents
    from magchain.errors import MagchainError

    text = next(iter(sorted(seed_documents().values()))).read_text(encoding="utf-8")
    with pytest.raises(MagchainError, match=r"reading took more than 0 s and was stopped at character [\d,]+ of "):
        extract_facts(text, "2025-01-01", budget_s=0.0)
    assert extract_facts(text, "2025-01-01")  # within the default budget it reads


def test_the_shipped_sentence_model_adds_a_fact_the_rules_miss_and_only_a_kind_without_a_number():
    from magchain.ingest.learned import ADDABLE, shipped

    model = shipped().kinds
    assert model is not None, "data/learned/sentence_kinds.npz is missing: python gold/train_models.py"
    text = "MP Materials will manufacture magnets at a new production facility in Fort Worth, Texas."
    rules = extract_facts(text, None, learned=False)
    both = extract_facts(text, None)
    added = [f for f in both if (f.kind, f.start) not in {(r.kind, r.start) for r in rules}]
    assert [f.kind for f in added] == ["plant_status"] and added[0].company == "MP Materials"
    assert added[0].evidence == text and added[0].quantity is None
    assert set(model.sure("China will ban exports of rare earth magnets, Reuters reported.", 0.0)) <= set(ADDABLE)


def test_the_shipped_status_model_settles_the_status_the_cues_left_open():
    from magchain.ingest.learned import STATUSES, Models, shipped

    statuses = shipped().statuses
    assert statuses is not None, "data/learned/plant_status.npz is missing: python gold/train_models.py"
    text = "Solvay is planning a small-scale expansion of its rare earths processing facility in La Rochelle."
    without = [f for f in extract_facts(text, None, learned=Models(shipped().kinds, None)) if f.kind == "plant_status"]
    with_model = [f for f in extract_facts(text, None) if f.kind == "plant_status"]
    assert [f.status for f in without] == [None]  # no status cue matches "is planning a ... expansion"
    assert [f.status for f in with_model] == [statuses.likeliest(text)] and with_model[0].status in STATUSES


def test_the_shipped_role_model_gives_a_kind_to_a_number_the_rules_left_open():
    from magchain.ingest.learned import Models, shipped

    models = shipped()
    assert models.roles is not None, "data/learned/quantity_roles.npz is missing: python gold/train_models.py"
    text = "For example, 70% of the rare earths imported by the US come from China."
    assert extract_facts(text, None, learned=Models(models.kinds, models.statuses, None)) == []
    assert [(f.kind, f.quantity, f.unit) for f in extract_facts(text, None)] == [("trade_flow", 70, "%")]


def _always(kind: str, chance: float):
    """A role model that gives every number ``kind`` at ``chance`` and no kind at 1 - chance."""
    import numpy as np

    from magchain.ingest.learned import DIMENSIONS, NO_ROLE, SentenceLabels

    odds = np.log(chance / (1 - chance))
    return SentenceLabels([kind, NO_ROLE], np.zeros((2, DIMENSIONS)), np.array([odds, -odds]))


def test_the_role_model_decides_only_numbers_the_rules_have_no_opinion_on():
    from magchain.ingest.learned import Models

    sure = Models(None, None, _always("capacity", 0.9))
    unsure = Models(None, None, _always("capacity", 0.55))
    open_number = "Halvard Metals said the figure was 400 tonnes."
    assert extract_facts(open_number, None, learned=False) == []
    assert [(f.kind, f.quantity) for f in extract_facts(open_number, None, learned=sure)] == [("capacity", 400)]
    assert extract_facts(open_number, None, learned=unsure) == []
    # a kind the rules decided stays, and so does their deliberate "no fact"
    stockpile = "The US Senate passed a bill directing the Defense Logistics Agency to stockpile 1,000 tonnes of magnets."
    assert [f.kind for f in extract_facts(stockpile, None, learned=sure)] == ["stockpile"]
    for no_fact in ("Halvard Metals share prices rose 8% on Tuesday.",
                    "Investors were cautious. That was down 6% from a year earlier.",
                    "Buyers have expressed interest in buying up to 2,000 t/yr, more than the plant's capacity."):
        assert extract_facts(no_fact, None, learned=sure) == [], no_fact


def test_a_sentence_without_a_year_takes_the_year_of_the_one_before_or_else_the_publication_year():
    text = ("China exported 5,000 tonnes of magnets in March 2024. Shipments to the United States fell by 20%. "
            "Exports to Japan fell by 12%.\n\n"
            "China's exports of rare earths climbed 10% from a year earlier, customs data showed.")
    facts = [f for f in extract_facts(text, "2025-06-02") if f.kind == "trade_flow"]
    assert [(f.quantity, f.year) for f in facts] == [(5000, 2024), (20, 2024), (12, 2025), (10, 2025)]
    assert [f.year for f in extract_facts(text, None) if f.kind == "trade_flow"] == [2024, 2024, None, None]


def test_a_planned_capacity_without_a_date_keeps_its_year_unknown():
    fact = only("Arafura will build a refinery with a capacity of 4,400 tonnes per year of NdPr oxide.", "capacity",
                "2025-06-02")
    assert (fact.year, fact.status) == (None, "planned")


def test_a_capacity_is_planned_unless_the_sentence_says_it_runs_now():
    current = only("At present, SMMV's rare earth magnet production capacity is 1,100 tons/year.", "capacity")
    plan = only("The Caremag facility has a design capacity of 2,000 tons of magnets per year.", "capacity")
    assert (current.status, plan.status) == ("operating", "planned")


def test_each_share_takes_the_stage_it_is_of():
    facts = extract_facts("China accounts for 90% of rare earth refining capacity and about 70% of mined output.")
    assert [(f.kind, f.quantity, f.country, f.stage) for f in facts] == [
        ("capacity", 90, "CN", "separation"), ("production", 70, "CN", "mine")]


def test_each_quota_takes_the_stage_named_before_it():
    facts = [f for f in extract_facts("China set its rare earth mining quota at 255,000 tons and the smelting and "
                                      "separation quota at 243,850 tons.") if f.kind == "production"]
    assert [(f.quantity, f.stage) for f in facts] == [(255000, "mine"), (243850, "separation")]


def test_a_plant_fact_without_owner_or_stage_is_about_the_article_s_last_company_and_stage():
    text = ("Iluka Resources approved the construction of its Eneabba rare earths refinery. "
            "Construction will commence in the second half of 2022, with first production expected in 2025.")
    later = [f for f in extract_facts(text) if f.kind == "plant_status" and f.start > 0]
    assert later and {(f.company, f.stage) for f in later} == {("Iluka Resources", "separation")}


def test_a_quota_set_after_an_aside_is_production_and_so_is_a_stated_world_supply():
    quota = only("The ministry said the quota for rare earth smelting and separation – or the processing of minerals "
                 "into a form that can be used by manufacturers – had been set at 162,000 tonnes.", "production")
    supply = [f for f in extract_facts("Current global didymium supply of around 38,000 tonnes will rise to nearly "
                                       "60,000 tonnes by 2030.") if f.kind == "production"]
    assert (quota.quantity, quota.unit) == (162000, "t")
    assert [f.quantity for f in supply] == [38000, 60000]


@pytest.mark.parametrize("text, seller", [
    (("General Motors has entered into a multi-year deal under which Noveon Magnetics will supply rare earth magnets "
      "for its trucks."), "Noveon Magnetics"),
    ("Lynas currently supplies light rare earths to Japan, where they are used in motor magnets.", "Lynas"),
    (("In July, SRC finalized tolling agreements with several international clients to convert rare earth oxides "
      "into metals."), None),
])
def test_a_supply_relationship_without_the_word_offtake(text, seller):
    fact = only(text, "offtake")
    assert seller is None or fact.company.startswith(seller)


# -- slots as the annotation guide gives them (written for the tests) ---------------------------
def test_a_price_is_of_a_material_not_of_a_step():
    fact = only("NdPr oxide prices rose to $62/kg in March 2025.", "price")
    assert (fact.material, fact.stage, fact.year) == ("NdPr oxide", None, 2025)


def test_the_same_price_of_two_materials_is_two_facts_not_a_repeat():
    text = ("NdPr oxide was assessed at $70-72 per kg on Thursday. NdPr metal was offered at "
            "$70-72 per kg in a thin market.")
    found = [f for f in extract_facts(text, "2024-04-18") if f.kind == "price"]
    assert [(f.quantity, f.material) for f in found] == [(70, "NdPr oxide"), (70, "NdPr metal")]


def test_the_alloy_magnets_are_made_from_is_at_the_alloy_step():
    found = [f for f in extract_facts("Halvard Metals will double its NdFeB alloy production capacity "
                                      "to 3,600 tpa in 2026.") if f.kind == "capacity"]
    assert [(f.quantity, f.material, f.stage) for f in found] == [(2, "NdFeB alloy", "alloy"),
                                                                   (3600, "NdFeB alloy", "alloy")]


def test_a_listed_price_belongs_to_the_company_that_lists_it():
    fact = only("Northern Rare Earth raised its listed price for NdPr oxide to 332,000 yuan/t in "
                "February 2018.", "price")
    assert fact.company == "China Northern Rare Earth"


def test_trade_in_rare_earths_at_large_has_no_stage():
    text = ("China's exports of rare earth magnets rose 5% in May 2024. China's exports of rare "
            "earths fell to 3,439 tons in December 2023.")
    magnets, rare_earths = [f for f in extract_facts(text) if f.kind == "trade_flow"][-2:]
    assert magnets.stage == "magnet"
    assert (rare_earths.material, rare_earths.stage) == ("rare earths", None)


def test_a_stockpile_plan_without_a_number_is_planned():
    fact = only("South Korea will build a strategic stockpile of rare earths at a new base in "
                "Gunsan in 2022.", "stockpile")
    assert fact.status == "planned"


def test_a_deal_does_not_take_the_year_its_plant_is_to_start():
    fact = only("Expected to begin operations by late 2026, the project is backed by €110 million "
                "from Japanese investors.", "funding")
    assert fact.year is None
    dated = only("In 2024 the company received a $35 million grant for a plant due to start "
                 "production in 2026.", "funding")
    assert dated.year == 2024


@pytest.mark.parametrize(("text", "status"), [
    ("MP Materials began commercial magnet production at its Fort Worth plant in 2025.", "operating"),
    ("Deliveries of magnets to General Motors began in July 2025 from the Fort Worth factory.", "operating"),
    ("Lynas resumed production at its Kalgoorlie plant in 2025.", "operating"),
    ("Vulcan Elements was awarded a $620 million loan to build a magnet factory in North Carolina.", "planned"),
    ("Noveon Magnetics has completed its new magnet plant in San Marcos, Texas.", "operating"),
    ("The governor announced Halvard Metals will build a magnet plant in Louisville.", "announced"),
    ("Lynas and JS Link signed an agreement to build a 3,000-tonne magnet plant in Malaysia.", "announced"),
    ("Halvard Metals will build a magnet plant in Louisville.", "planned"),
    ("The ministry has issued a 25-year mining licence to Halvard Metals for its Lofdal project.", "announced"),
    ("Halvard Metals announced its intention to invest $94 million in a magnet project.", "announced"),
    ("Halvard Metals said its Longonjo project is on track for first production in early 2027.", "planned"),
    ("Halvard Metals announced significant progress in constructing its magnet plant in Quebec.",
     "under_construction"),
    ("Halvard Metals anticipates completing plant construction by the end of 2025.", "planned"),
    ("Halvard Metals became Canada's first rare earth producer in April at its Nechalacho mine.", "operating"),
])
def test_status_cues_for_starts_awards_and_completions(text, status):
    assert [f.status for f in extract_facts(text, None, learned=False) if f.kind == "plant_status"] == [status]


@pytest.mark.parametrize(("text", "kind", "stage"), [
    ("In April, China imposed restrictions on REPM exports.", "export_control", "magnet"),
    ("China tightened controls on the export of rare earth metals in October 2025.", "export_control", None),
    ("Japan Organization for Metals and Energy Security (JOGMEC) will invest $200 million in Lynas.", "funding", None),
    ("Phoenix Tailings will produce 200 tons of rare earth metals each year at its Exeter facility.", "capacity",
     "metal"),
    ("China imported 6,225t of rare earth ores from Myanmar last year.", "trade_flow", "mine"),
])
def test_the_step_a_fact_is_about(text, kind, stage):
    assert [f.stage for f in extract_facts(text, "2025-06-01", learned=False) if f.kind == kind] == [stage]


def test_light_rare_earths_are_a_material_of_their_own():
    fact = only("Lynas will supply 5,000 tonnes of light rare earths a year to Noveon Magnetics.", "offtake")
    assert fact.material == "light rare earths"


def test_a_sentence_dated_by_its_publication_does_not_take_the_paragraphs_year():
    text = ("Global demand for NdFeB magnets will reach 300,000 tonnes in 2035. China currently accounts for 90% of "
            "rare earth refining.")
    shares = [f for f in extract_facts(text, None, learned=False) if f.kind == "production"]
    assert [f.year for f in shares] == [None]  # 'currently' is the unknown publication year, not 2035
    assert [f.year for f in extract_facts(text, "2025-06-01", learned=False) if f.kind == "production"] == [2025]


def test_money_for_the_project_the_article_is_about_goes_to_its_company():
    text = ("HyProMag will build a magnet recycling plant in Pforzheim, Germany. "
            "This includes a €2.5 million grant from the European Regional Development Fund.")
    funding = [f for f in extract_facts(text, None, learned=False) if f.kind == "funding"]
    assert [(f.company, f.quantity) for f in funding] == [("HyProMag", 2.5e6)]


def test_a_volume_is_of_the_step_named_first_and_oxides_are_refined():
    ore = only("The Tanbreez project is expected to produce 85,000 metric tons per year of a rare earths "
               "concentrate and two minor metals.", "capacity")
    oxide = only("Ucore aims to produce 2,000 tonnes per annum of high-purity rare earth oxides in Louisiana.", "capacity")
    assert (ore.stage, oxide.stage) == ("mine", "separation")


def test_output_from_scrap_is_recycling_and_ndpr_output_is_refined():
    scrap = only("China's output of rare earth oxide produced from NdFeB magnet scrap rose to 34,147t in 2024.",
                 "production")
    ndpr = only("Lynas reported a production of 901 tonnes of NdPr in the quarter.", "production")
    assert (scrap.stage, ndpr.stage) == ("recycling", "separation")


def test_highlights_under_a_title_are_the_titled_companys():
    text = ("Lynas Reports Record Quarter\n\nRecord NdPr production of 1,508 tonnes, up 20% on the quarter.\n"
            "The plant ran at full rate.")
    assert [(f.kind, f.company) for f in extract_facts(text, None) if f.quantity == 1508] == [
        ("production", "Lynas Rare Earths")]


def test_a_change_in_output_after_a_company_is_its_own_but_a_share_of_the_world_is_not():
    text = ("Lynas reported a strong quarter. NdPr production rose 19.4% to 1,600 tonnes. "
            "Rare earths output outside China makes up 10% of world supply.")
    found = {f.quantity: f.company for f in extract_facts(text, None) if f.kind == "production"}
    assert found[19.4] == "Lynas Rare Earths" and found[1600] == "Lynas Rare Earths"
    assert found.get(10) is None


def test_production_of_an_element_moving_is_output_not_its_price():
    assert [(f.kind, f.quantity) for f in extract_facts("Production of NdPr jumped 19.4% to 1,600 tonnes.", None)] == [
        ("production", 19.4), ("production", 1600)]
    assert [f.kind for f in extract_facts("Dysprosium had lost 30% of its value.", None)] == ["price"]


def test_a_magnet_users_plant_stopped_for_want_of_supply_is_no_plant_closing():
    text = ("Several European auto supplier plants have been shut down due to a shortage of rare earths, "
            "an industry group said.")
    assert [f for f in extract_facts(text, None, learned=False) if f.kind == "plant_status"] == []
    closed = "Halvard Metals closed its magnet plant in Ohio in 2024."
    assert [f.status for f in extract_facts(closed, None, learned=False) if f.kind == "plant_status"] == ["closed"]
