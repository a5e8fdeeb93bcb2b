"""Reference extraction: open item numbers found in payment texts despite format noise.

Expected hits are written by hand from the rules in the module docstring of
:mod:`paymatch.matching.references`; the typo properties are checked against a
brute-force Damerau-Levenshtein comparison with every indexed key.
"""

from __future__ import annotations

import string

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from paymatch.matching.references import (
    PREFIXES,
    ReferenceHit,
    ReferenceIndex,
    reference_key,
)

FIELD = "remittance_info"


def index_of(*references: str | tuple[str, str]) -> ReferenceIndex:
    """An index of references, each naming itself unless given as (reference, value)."""
    index = ReferenceIndex()
    for reference in references:
        text, value = reference if isinstance(reference, tuple) else (reference, reference)
        index.add(text, value)
    return index


def found(index: ReferenceIndex, text: str) -> list[tuple[tuple[str, ...], str]]:
    return [(hit.values, hit.seen) for hit in index.find(text, field=FIELD)]


def near(index: ReferenceIndex, text: str) -> list[tuple[str, ...]]:
    return [hit.values for hit in index.near(text, field=FIELD)]


# -- keys ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("RE-2026-0017", "RE20260017"),
        ("re 2026/0017", "RE20260017"),
        ("Re.2026_0017", "RE20260017"),
        ("#RE:2026.0017", "RE20260017"),
        ("RE20260017", "RE20260017"),
        ("0001001", "1001"),
        ("AU-000123", "AU123"),
        ("A0B0012", "A0B12"),
        ("000", "0"),
        ("Müller-Straße", "MUELLERSTRASSE"),
        ("ÄÖÜ", "AEOEUE"),
        ("A\u0308", "AE"),  # decomposed Ä
        ("RE\u20132026", "RE2026"),  # en dash
        (" -/._#: ", ""),
        ("", ""),
    ],
)
def test_reference_key(text: str, key: str) -> None:
    assert reference_key(text) == key


def test_zeros_are_stripped_after_separators_so_fixed_width_numbers_stay_apart() -> None:
    assert reference_key("AB-01-0017") != reference_key("AB-11-0007")
    # the documented price: padding zeros left out inside a number do not match
    assert reference_key("RE-2026-17") != reference_key("RE-2026-0017")


def test_colliding_references_name_all_their_values() -> None:
    index = index_of(("A-12", "item 1"), ("A1-2", "item 2"), ("A-12", "item 1"))
    assert len(index) == 1
    assert found(index, "a12") == [(("item 1", "item 2"), "a12")]


def test_several_references_may_name_one_value() -> None:
    index = index_of(("1001", "A-1"), ("RE-77", "A-1"))
    assert len(index) == 2
    assert found(index, "1001 und RE 77") == [(("A-1",), "1001"), (("A-1",), "RE 77")]


def test_a_reference_without_key_is_ignored() -> None:
    assert len(index_of(" - ")) == 0


@given(st.text())
def test_reference_key_is_idempotent(text: str) -> None:
    key = reference_key(text)
    assert reference_key(key) == key


# -- exact hits ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1001",
        "Re. 1001",
        "Rechnung Nr. 1001",
        "Rechnungsnummer 1001",
        "Best.-Nr.:1001",
        "Re.1001",
        "Kd.-Nr. 1001",
        "Invoice No. 1001",
        "Auftrag 1-001",
        "0001001",
        "nr 01001",
    ],
)
def test_a_number_is_found_behind_prefix_words(text: str) -> None:
    assert [hit.values for hit in index_of("1001").find(text, field=FIELD)] == [("1001",)]


def test_the_whole_window_is_seen_with_its_prefix() -> None:
    index = index_of("RE-2026-0017")
    assert found(index, "Danke! Re. 2026-0017") == [(("RE-2026-0017",), "Re. 2026-0017")]


def test_a_full_reference_wins_over_the_same_number_without_its_prefix() -> None:
    index = index_of("RE-1001", "1001")
    assert found(index, "Rechnung RE-1001") == [(("RE-1001",), "Rechnung RE-1001")]
    assert found(index, "1001") == [(("1001",), "1001")]


@pytest.mark.parametrize(
    "text",
    [
        "RE-2026-0017",
        "re 2026 0017",
        "RE 2026-0017",
        "RE20260017",
        "RE-2026-\n0017",
        "RE - 2026 - 0017",
        "Rechnung RE 2026 0017",
    ],
)
def test_noise_and_numbers_split_over_words_or_lines(text: str) -> None:
    assert [hit.values for hit in index_of("RE-2026-0017").find(text, field=FIELD)] == [
        ("RE-2026-0017",)
    ]


def test_a_line_wrapped_by_the_bank_prefers_the_longer_number() -> None:
    index = index_of("AU12345", "AU1234")
    assert found(index, "AU1234 5") == [(("AU12345",), "AU1234 5")]
    assert found(index, "AU1234\n5 Stueck") == [(("AU12345",), "AU1234 5")]
    assert found(index, "AU1234") == [(("AU1234",), "AU1234")]


@pytest.mark.parametrize("text", ["123456", "ABC12345", "12345-6", "X-12345", "912345 Euro"])
def test_a_number_contained_in_a_longer_one_is_not_a_match(text: str) -> None:
    assert found(index_of("12345"), text) == []


def test_words_are_not_joined_across_punctuation() -> None:
    index = index_of("1001", "1002", "10011002")
    assert found(index, "1001, 1002") == [(("1001",), "1001"), (("1002",), "1002")]
    assert found(index, "1001 1002") == [(("10011002",), "1001 1002")]


def test_more_than_three_words_are_not_joined_by_default() -> None:
    reference = "RF18 5390 0754 7034"
    assert found(index_of(reference), reference) == []
    assert found(index_of(reference), "RF18539007547034") == [((reference,), "RF18539007547034")]
    wide = ReferenceIndex(max_words=5)
    wide.add(reference, "A-1")
    assert found(wide, f"Ref {reference}") == [(("A-1",), f"Ref {reference}")]
    with pytest.raises(ValueError, match="max_words"):
        ReferenceIndex(max_words=0)


def test_keys_ending_in_a_letter_or_without_digits_are_found() -> None:
    # windows are only looked up when an indexed key ends like them: these must still be
    index = index_of(("12-AB", "letter end"), ("Mustermann", "no digit"), ("RE-7", "digit"))
    assert found(index, "Re 12 AB, Zahlung Mustermann, RE-7 danke") == [
        (("letter end",), "Re 12 AB"),
        (("no digit",), "Mustermann"),
        (("digit",), "RE-7"),
    ]
    assert found(index, "12 ABC, Mustermann7, RE-7X") == []
    assert index.unknown("34AB und 12AB") == ["34AB"]


def test_non_ascii_texts_are_read_like_ascii_ones() -> None:
    index = index_of("RE-2026-0017", "Müller-0042")
    assert found(index, "Überweisung Rechnung RE\u20132026\u20130017 von MÜLLER 42") == [
        (("RE-2026-0017",), "Rechnung RE\u20132026\u20130017"),
        (("Müller-0042",), "MÜLLER 42"),
    ]
    assert found(index, "Ru\u0308ckzahlung Mu\u0308ller 0042") == [
        (("Müller-0042",), "Mu\u0308ller 0042")
    ]


def test_an_index_answers_for_references_added_after_a_text_was_read() -> None:
    index = index_of("RE-2026-0017")
    text = "RE-2026-0017 und AU-4711"
    assert found(index, text) == [(("RE-2026-0017",), "RE-2026-0017")]
    assert index.unknown(text) == []
    assert near(index, text) == []
    index.add("AU-4712", "AU-4712")
    assert found(index, text) == [(("RE-2026-0017",), "RE-2026-0017")]
    assert index.unknown(text) == ["AU-4711"]
    assert near(index, text) == [("AU-4712",)]
    index.add("AU-4711", "AU-4711")
    assert found(index, text) == [
        (("RE-2026-0017",), "RE-2026-0017"),
        (("AU-4711",), "AU-4711"),
    ]
    assert index.unknown(text) == []
    assert near(index, text) == []


def test_each_key_is_reported_once_in_order_of_the_text() -> None:
    index = index_of("1002", "1001")
    assert found(index, "Re 1001, Re 1002, Re 1001") == [
        (("1001",), "Re 1001"),
        (("1002",), "Re 1002"),
    ]


def test_a_hit_says_where_it_was_found() -> None:
    [hit] = index_of("1001").find("1001", field="end_to_end_id")
    assert hit == ReferenceHit(values=("1001",), seen="1001", field="end_to_end_id", typo=False)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        hit.seen = "x"  # type: ignore[misc]


def test_every_prefix_word_is_a_key() -> None:
    assert all(reference_key(prefix) == prefix for prefix in PREFIXES)
    assert len(set(PREFIXES)) == len(PREFIXES)


REFERENCES = st.text(
    alphabet=string.ascii_uppercase + string.digits, min_size=1, max_size=12
).filter(lambda reference: any(char.isdigit() for char in reference))
SEPARATED = st.sampled_from(["", "", "", "-", "/", ".", " "])
FILLER = st.sampled_from(["", "Danke", "Zahlung", "vom 01.03.", "Gruss,"])


@st.composite
def noisy(draw: st.DrawFn, reference: str) -> str:
    """``reference`` in random case, with separators between its characters (at most
    two blanks, so it stays within three words) and maybe a prefix word."""
    spaces = 0
    written = ""
    for char in reference:
        separator = draw(SEPARATED)
        if separator == " ":
            spaces += 1
            separator = " " if spaces <= 2 else "-"
        written += separator + (char.lower() if draw(st.booleans()) else char)
    prefix = draw(st.sampled_from(["", "Re. ", "Rechnung ", "Best.-Nr.:", "Auftrag Nr. ", "KD"]))
    return prefix + written.strip(" ")


@given(st.data(), REFERENCES, FILLER, FILLER)
def test_any_noisy_indexed_reference_is_found(
    data: st.DataObject, reference: str, before: str, after: str
) -> None:
    written = data.draw(noisy(reference))
    index = index_of((reference, "the item"))
    hits = index.find(f"{before} {written}; {after}", field=FIELD)
    assert [hit.values for hit in hits] == [("the item",)]


# -- typos -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("482914", "substitution"),
        ("4829813", "insertion"),
        ("48213", "deletion"),
        ("489213", "transposition"),
        ("Re. 482931", "transposition behind a prefix"),
        ("4829 14", "substitution split over two words"),
    ],
)
def test_a_unique_typo_is_found(text: str, kind: str) -> None:
    [hit] = index_of("482913").near(text, field=FIELD)
    assert (hit.values, hit.typo) == (("482913",), True), kind


def test_a_typo_lists_every_key_within_one_edit() -> None:
    index = index_of("482913", "482917")
    assert near(index, "482915") == [("482913", "482917")]


def test_exact_hits_are_no_typos() -> None:
    index = index_of("482913", "482914")
    assert near(index, "482913") == []
    # not even the neighbour of an exact hit, nor a window overlapping it
    assert near(index, "482913 5") == []


def test_short_keys_are_never_typo_hits() -> None:
    index = index_of("123", "AB12")
    assert near(index, "124") == []
    assert near(index, "1234") == []  # one deletion from 123, still too short
    assert near(index, "AB123") == [("AB12",)]


def test_a_typo_needs_three_digits_in_the_text() -> None:
    index = index_of("ABCD12")
    assert near(index, "ABCE12") == []
    assert near(index_of("ABC123"), "ABD123") == [("ABC123",)]


def test_typos_use_leading_zero_keys() -> None:
    assert near(index_of("0004711"), "Kunde 4712") == [("0004711",)]


def test_typos_with_letters_from_the_indexed_alphabet() -> None:
    index = index_of("AU-10017")
    assert near(index, "AV10017") == [("AU-10017",)]  # substitution of a letter
    assert near(index, "A10017") == [("AU-10017",)]  # deletion of a letter
    assert near(index, "BV10017") == []  # two edits


def damerau_one(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are at most one edit apart, by brute force."""
    if a == b:
        return True
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diffs) == 1 or (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long = sorted((a, b), key=len)
    return len(long) == len(short) + 1 and any(
        long[:i] + long[i + 1 :] == short for i in range(len(long))
    )


NUMBERS = st.text(alphabet="0123", min_size=3, max_size=6).map(reference_key)


@given(st.lists(NUMBERS, min_size=1, max_size=30), NUMBERS)
def test_near_finds_exactly_the_keys_within_one_edit(keys: list[str], token: str) -> None:
    assume(token not in keys)
    index = index_of(*keys)
    expected = sorted(key for key in set(keys) if len(key) >= 4 and damerau_one(key, token))
    hits = index.near(token, field=FIELD)
    if not expected:
        assert hits == []
    else:
        [hit] = hits
        assert hit.values == tuple(expected)


# -- unknown ---------------------------------------------------------------------------


def test_unknown_numbers_of_our_shape() -> None:
    index = index_of("RE-2026-0017", "AU-10001")
    text = "RE 20264711, Auftrag AU10002, RE-2026-0017, PLZ 12345, AU10001"
    assert index.unknown(text) == ["RE 20264711", "Auftrag AU10002"]
    # like typos, unknown numbers are looked for in windows of up to two words
    assert index.unknown("RE 2026 4711") == []


def test_shapes_keep_letters_and_write_digits_as_nine() -> None:
    index = index_of("RE-2026-0017")
    assert index.unknown("RE-2026-9999") == ["RE-2026-9999"]
    assert index.unknown("RG-2026-0017") == []  # other letters
    assert index.unknown("RE-226-0017") == []  # other length
    assert index.unknown("RE-2026-0017") == []  # known
