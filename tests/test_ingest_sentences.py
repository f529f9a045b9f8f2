"""Sentence splitting: offsets point into the original text and abbreviations do not split."""

from magchain.ingest.sentences import split_sentences


def texts(text):
    return [s.text for s in split_sentences(text)]


def test_offsets_point_into_the_original_text():
    text = ("  MP Materials Corp. said output rose.\n\nThe U.S. Department of Defense agreed. "
            "Prices hit $1.2 billion in Jan. 2025, approx. 12% more!  Is it enough?")
    sentences = split_sentences(text)
    assert sentences
    for sentence in sentences:
        assert text[sentence.start:sentence.end] == sentence.text


def test_abbreviations_and_decimals_do_not_end_a_sentence():
    text = ("Lynas Rare Earths Inc. signed a deal with Dr. Smith on Jan. 5 for approx. 1.2 "
            "million tonnes, invoice No. 7, in the U.S. market. A second sentence follows.")
    assert texts(text) == [
        ("Lynas Rare Earths Inc. signed a deal with Dr. Smith on Jan. 5 for approx. 1.2 million "
        "tonnes, invoice No. 7, in the U.S. market."),
        "A second sentence follows.",
    ]


def test_initialism_ends_a_sentence_before_an_opening_word():
    assert texts("Magnet output is growing in the U.S. The trend will continue.") == [
        "Magnet output is growing in the U.S.", "The trend will continue."]


def test_company_suffix_ends_a_sentence_before_a_new_clause():
    assert texts("HG Ventures partnered with American Rare Earth LLC. Establishing a plant "
                 "is next.") == ["HG Ventures partnered with American Rare Earth LLC.",
                                 "Establishing a plant is next."]


def test_glued_sentences_from_scraped_pages_are_split():
    assert texts("Exports fell sharply.Prices rose in May.") == [
        "Exports fell sharply.", "Prices rose in May."]


def test_headings_on_their_own_line_are_separate():
    assert texts("Market Update\nPrices rose 5% in May.") == ["Market Update",
                                                              "Prices rose 5% in May."]


def test_hard_wrapped_lines_do_not_end_sentences():
    line = "word " * 17
    wrapped = "\n".join([line + "alpha", "Beta " + line + "gamma."] * 6)
    sentences = split_sentences(wrapped)
    assert len(sentences) == 6
    assert all("\n" in s.text for s in sentences)


def test_bullets_are_not_part_of_the_sentence():
    text = "Key points:\n• DoD awarded a grant.\no A $5 million loan followed."
    assert texts(text) == ["Key points:", "DoD awarded a grant.", "A $5 million loan followed."]


def test_a_passage_without_stops_is_cut_into_bounded_pieces_that_keep_their_offsets():
    from magchain.ingest.sentences import MAX_SENTENCE

    row = "Plant A, 1,000 t of magnets, Texas; Plant B 2,000 t "
    text = row * 2000  # about 100 kB and not one full stop
    sentences = split_sentences(text)
    assert len(sentences) >= len(text) // MAX_SENTENCE
    assert all(len(s.text) <= MAX_SENTENCE for s in sentences)
    assert all(text[s.start:s.end] == s.text for s in sentences)
    assert "".join(s.text for s in sentences).replace(" ", "") == text.replace(" ", "")
