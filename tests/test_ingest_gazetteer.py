"""Entity resolution against the shipped registry."""

from magchain.ingest.gazetteer import build_gazetteer, default_gazetteer, find_agencies


def companies(text, gazetteer=None):
    found = (gazetteer or default_gazetteer()).find_companies(text)
    return [(m.canonical, m.proposed) for m in found]


def test_exact_names_and_aliases_resolve_to_the_registry_name():
    found = companies("Noveon and VAC signed deals with Lynas and eVAC.")
    assert found == [("Noveon Magnetics", False), ("Vacuumschmelze", False),
                     ("Lynas Rare Earths", False), ("e-VAC Magnetics", False)]


def test_short_aliases_only_match_in_their_own_case():
    assert companies("the vac pump and mp3 player") == []


def test_fuzzy_match_tolerates_misspelling_and_dropped_suffix():
    found = default_gazetteer().find_companies("Vacuumschmeltze and Canada's Aclara expanded.")
    assert [(m.canonical, m.proposed) for m in found] == [("Vacuumschmelze", False),
                                                         ("Aclara Resources", False)]
    assert all(m.score < 100 for m in found)


def test_generic_words_alone_do_not_fuzzy_match():
    assert companies("Rare Earth Magnets Achieve Breakthrough") == []


def test_subsidiary_links_to_its_parent():
    gazetteer = default_gazetteer()
    evac = gazetteer.find_companies("eVAC shipped magnets.")[0]
    assert gazetteer.parent(evac.id)["name"] == "Vacuumschmelze"
    assert gazetteer.parent("vacuumschmelze") is None


def test_unknown_organisation_is_proposed():
    found = companies("Indianapolis-based HG Ventures partnered with American Rare Earth LLC.")
    assert found == [("HG Ventures", True), ("American Rare Earth LLC", True)]


def test_facility_site_names_come_from_the_registry():
    found = default_gazetteer().find_facilities("The Sumter plant and the Pela Ema deposit.")
    assert [(m.canonical, m.id, m.country) for m in found] == [
        ("Sumter", "evac-sumter", "US"), ("Pela Ema", "serra-verde-pela-ema", "BR")]


def test_countries_demonyms_and_states():
    found = default_gazetteer().find_countries("Beijing, South Korea's LS Cable, a plant in "
                                               "South Carolina and European demand")
    assert [m.canonical for m in found] == ["CN", "KR", "US", "EU"]


def test_agencies():
    assert [m.canonical for m in find_agencies(
        "The U.S. Department of Defense and the Export-Import Bank of the United States (EXIM)")
    ] == ["DoD", "EXIM", "EXIM"]


def test_gazetteer_is_built_from_registry_records():
    gazetteer = build_gazetteer(
        [{"id": "acme", "name": "Acme Magnet Works", "aliases": "AMW", "country": "US",
          "parent_id": None}],
        [{"id": "acme-plant", "name": "Springfield magnet plant", "company_id": "acme",
          "country": "US", "stage": "magnet"}])
    assert companies("AMW and Acme Magnet Works", gazetteer) == [("Acme Magnet Works", False)] * 2
    assert [m.id for m in gazetteer.find_facilities("at Springfield")] == ["acme-plant"]


def test_a_name_the_document_shows_to_be_an_organisation_is_known_in_its_other_sentences():
    text = ("“The goal is to supply 20% of demand,” Ian Halvers, Tollanor’s founder, said. "
            "Tollanor has purchased a site in Gujarat. Producers have raised their prices. "
            "Halvers added that costs were high.")
    names = default_gazetteer().find_organisations(text)
    assert names == {"Tollanor"}  # not the person, nor a common noun opening a sentence
    mentions = default_gazetteer().find_companies("Tollanor will open the plant in 2026.", organisations=names)
    assert [(m.canonical, m.proposed) for m in mentions] == [("Tollanor", True)]
    assert companies("Tollanor will open the plant in 2026.") == []


def test_a_name_of_several_words_that_intends_something_or_is_called_a_company_is_an_organisation():
    text = ("Velmora Recycling plans to increase its output tenfold. Kestrin, a diversified producer of "
            "critical minerals, is going to build a plant announced by Kestrin. Beijing plans to tighten "
            "controls. Halvard Metals, based in Las Vegas, plans to begin production. The plant is in Pune, a "
            "company executive said.")
    # not the capital standing for its government, the town a company is based in, nor the town an executive is in
    assert default_gazetteer().find_organisations(text) == {"Velmora Recycling", "Kestrin", "Halvard Metals"}


def test_a_common_word_opening_a_sentence_is_no_company_and_a_registry_word_is():
    assert companies("Less than a week after the council approved the incentives, work began.") == []
    assert companies("Work is ongoing at the site.") == []
    assert companies("Mkango signed the lease.") == [("Mkango Resources", False)]


def test_a_joint_venture_and_a_towns_plant_are_no_organisations():
    text = "The JV plans to build a plant. Sumter’s plant for the VAC company will open in 2026."
    assert default_gazetteer().find_organisations(text) == set()
