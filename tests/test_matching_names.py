"""Payer names against customer names: normalisation, similarity and the name index.

Expected scores are computed by hand from the documented rule (Indel similarity
of the normalised names, capped for initials); the index is checked against a
brute-force comparison with every name that shares a word with the query.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paymatch.matching import names
from paymatch.matching.names import (
    JOINING_WORDS,
    LEGAL_FORMS,
    TITLES,
    NameIndex,
    name_similarity,
    normalise_name,
)

# -- normalise_name ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("Hans Müller", "hans mueller"),
        ("Müller, Hans", "hans mueller"),
        ("MUELLER HANS", "hans mueller"),
        ("Jürgen Groß-Öhler", "gross juergen oehler"),
        ("Ärzte Ölmühle", "aerzte oelmuehle"),
        ("A\u0308rzte", "aerzte"),  # decomposed Ä
        ("Café Zoé", "cafe zoe"),
        ("Søren Kierkegaard", "kierkegaard soren"),
        ("Æsop Œuvre", "aesop oeuvre"),
        ("Łukasz Đoković Þór", "dokovic lukasz thor"),
        ("Müller GmbH", "mueller"),
        ("Müller GmbH & Co. KG", "mueller"),
        ("Müller GmbH&Co.KG", "mueller"),
        ("Schmidt UG (haftungsbeschränkt)", "schmidt"),
        ("Blumen Schulz e.K.", "blumen schulz"),
        ("Blumen Schulz e. K.", "blumen schulz"),
        ("Sportverein e.V.", "sportverein"),
        ("Sportverein e. V.", "sportverein"),
        ("Bank eG", "bank"),
        ("Acme Ltd.", "acme"),
        ("Acme Inc", "acme"),
        ("Acme Corp.", "acme"),
        ("Acme S.A.", "acme"),
        ("Acme B.V.", "acme"),
        ("Acme A/S", "acme"),
        ("Acme AB", "acme"),
        ("Acme Oyj", "acme"),
        ("Herrn Dr. Hans Müller", "hans mueller"),
        ("Frau Prof. Erika Muster", "erika muster"),
        ("Mr & Mrs Smith", "smith"),
        ("Hans und Erika Müller", "erika hans mueller"),
        ("Hans & Erika Müller", "erika hans mueller"),
        ("Tom and Jerry", "jerry tom"),
        ("Firma Meier", "meier"),
        ("H. Müller", "h mueller"),
        ("H.P. Müller", "h mueller p"),
        ("Autohaus 2000 GmbH", "2000 autohaus"),
        ("GmbH", ""),
        ("", ""),
        ("  ,.;  ", ""),
    ],
)
def test_normalise_name(name: str, normalised: str) -> None:
    assert normalise_name(name) == normalised


def test_every_listed_word_is_removed() -> None:
    for word in LEGAL_FORMS + TITLES + JOINING_WORDS:
        assert normalise_name(f"{word} x") == "x", word
    assert len(set(LEGAL_FORMS)) == len(LEGAL_FORMS)


@given(st.text())
def test_normalise_name_is_idempotent(name: str) -> None:
    normalised = normalise_name(name)
    assert normalise_name(normalised) == normalised


WORDS = st.text(alphabet=string.ascii_letters + "äöüÄÖÜßéøæ.,&-/", min_size=1, max_size=8).filter(
    lambda word: word.strip()
)


@given(st.lists(WORDS, min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_normalise_name_ignores_word_order(words: list[str], random: object) -> None:
    shuffled = list(words)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert normalise_name(" ".join(shuffled)) == normalise_name(" ".join(words))


# -- name_similarity --------------------------------------------------------------------


def test_the_same_person_in_other_spelling_scores_one() -> None:
    assert name_similarity("Hans Müller", "Hans Mueller") == 1.0
    assert name_similarity("Müller, Hans", "HANS MUELLER") == 1.0
    assert name_similarity("Müller GmbH", "MUELLER GMBH & CO. KG") == 1.0


def test_a_company_of_the_surname_scores_below_the_person() -> None:
    # "hans mueller" (12) and "mueller" (7) share 7 characters: 14 / 19
    assert name_similarity("Hans Müller", "Müller GmbH") == pytest.approx(14 / 19)
    assert name_similarity("Hans Müller", "Müller GmbH") < 0.85


def test_a_typo_scores_high() -> None:
    # "hans mueler" (11) in "hans mueller" (12): 22 / 23
    assert name_similarity("Hans Mueler", "Hans Müller") == pytest.approx(22 / 23)


def test_initials_score_medium() -> None:
    # an initial that stands for a word of the other name caps the score at 0.8
    assert name_similarity("H. Müller", "Hans Müller") == 0.8
    assert name_similarity("H. Müller", "Heinz Müller") == 0.8  # raw 18 / 22
    # one that stands for nothing caps it at 0.7
    assert name_similarity("H. Müller", "Peter Müller") == pytest.approx(14 / 22)
    assert name_similarity("H. Müller", "Müller GmbH") == pytest.approx(0.7)
    # the costs add up
    assert name_similarity("H. P. Müller", "Hans Peter Müller") == pytest.approx(0.6)
    # the same initials are no cost
    assert name_similarity("H. Müller", "Müller, H.") == 1.0


def test_nothing_left_scores_zero() -> None:
    assert name_similarity("GmbH", "GmbH") == 0.0
    assert name_similarity("", "Hans") == 0.0


NAMES = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)


@given(NAMES)
def test_a_name_is_identical_to_itself(name: str) -> None:
    expected = 1.0 if normalise_name(name) else 0.0
    assert name_similarity(name, name) == expected


@given(NAMES, NAMES)
def test_similarity_is_symmetric_and_bounded(a: str, b: str) -> None:
    score = name_similarity(a, b)
    assert score == name_similarity(b, a)
    assert 0.0 <= score <= 1.0


# -- NameIndex --------------------------------------------------------------------------


def index_of(*entries: tuple[str, str]) -> NameIndex:
    index = NameIndex()
    for name, value in entries:
        index.add(name, value)
    return index


def test_best_ranks_the_values_by_their_best_name() -> None:
    index = index_of(
        ("Müller GmbH", "K-1"),
        ("Hans Mueller", "K-2"),
        ("Müller, Hans-Peter", "K-3"),
        ("Hans Müller", "K-3"),
        ("Erika Schmidt", "K-4"),
    )
    assert index.best("Hans Müller") == [
        ("K-2", 1.0),
        ("K-3", 1.0),
        ("K-1", pytest.approx(14 / 19)),
    ]
    assert index.best("Hans Müller", limit=1) == [("K-2", 1.0)]
    assert index.best("Hans Müller", cutoff=0.85) == [("K-2", 1.0), ("K-3", 1.0)]


def test_ties_are_ordered_by_value() -> None:
    index = index_of(("Hans Müller", "K-2"), ("Müller, Hans", "K-1"))
    assert index.best("HANS MUELLER", limit=2) == [("K-1", 1.0), ("K-2", 1.0)]


def test_one_name_of_several_customers_and_several_names_of_one() -> None:
    index = index_of(("Meier", "K-1"), ("Meier", "K-2"), ("Meier", "K-1"), ("Maier", "K-1"))
    assert index.best("Meier GmbH") == [("K-1", 1.0), ("K-2", 1.0)]


def test_no_candidate_no_answer() -> None:
    index = index_of(("Hans Müller", "K-1"))
    assert index.best("Erika Schmidt") == []
    assert index.best("GmbH") == []
    assert index.best("Hans Müller", limit=0) == []
    # blocking: a name sharing no word is not compared, however alike
    assert name_similarity("Mueler", "Müller") > 0.9
    assert index.best("Mueler") == []


def test_initials_alone_find_the_identical_name() -> None:
    index = index_of(("H. P.", "K-1"), ("H. Müller", "K-2"))
    assert index.best("h.p.") == [("K-1", 1.0)]
    assert index.best("H Müller", cutoff=0.85) == [("K-2", 1.0)]


def test_common_words_are_skipped_when_a_rarer_one_is_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(names, "MAX_POSTINGS", 2)
    index = index_of(
        ("Hans Müller", "K-1"),
        ("Hans Meier", "K-2"),
        ("Hans Schulz", "K-3"),
        ("Hans Schulze", "K-4"),
    )
    # "hans" is on four names, more than the bound: only "schulz" finds candidates
    assert index.best("Hans Schulz") == [("K-3", 1.0)]
    # with only common words the names with all of them are compared
    index.add("Hans Meier", "K-5")
    index.add("Meier", "K-6")
    index.add("Meier, Hansi", "K-7")
    assert index.best("Meier Hans") == [("K-2", 1.0), ("K-5", 1.0)]


def test_the_names_of_every_rare_word_are_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(names, "MAX_POSTINGS", 2)
    index = index_of(
        ("Hans Schulz", "K-1"),
        ("Erika Schulz", "K-2"),
        ("Hans Meier", "K-3"),
        ("Hans Schulze", "K-4"),
        ("Erika Meier", "K-5"),
    )
    # "schulz" and "meier" are rare, "hans" is not: "Hans Schulze" shares no rare word
    query = "Hans Schulz Meier"
    assert index.best(query, limit=5) == [
        ("K-1", name_similarity(query, "Hans Schulz")),
        ("K-3", name_similarity(query, "Hans Meier")),
        ("K-2", name_similarity(query, "Erika Schulz")),
        ("K-5", name_similarity(query, "Erika Meier")),
    ]
    assert name_similarity(query, "Hans Schulze") > name_similarity(query, "Erika Meier")


def test_one_common_word_is_compared_in_its_length_and_initials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(names, "MAX_POSTINGS", 3)
    index = index_of(
        ("Müller GmbH", "K-1"),
        ("Mueller AG", "K-2"),
        ("Hans Müller", "K-3"),
        ("H. Müller", "K-4"),
        ("Joachim-Friedrich Müller", "K-5"),
    )
    # "mueller" is on four names: a query with no other word is compared with
    # the names of a length that can reach the cutoff, and above 0.8 only with
    # those of the same initials
    assert index.best("Müller KG", cutoff=0.85) == [("K-1", 1.0), ("K-2", 1.0)]
    assert index.best("H. Müller", cutoff=0.85) == [("K-4", 1.0)]
    assert index.best("H. Müller", cutoff=0.7, limit=5) == [
        ("K-4", 1.0),
        ("K-3", 0.8),
        ("K-1", 0.7),
        ("K-2", 0.7),
    ]
    # without a cutoff all four could: more than the bound, so only the identical name
    assert index.best("H. Müller", limit=5) == [("K-4", 1.0)]
    assert index.best("Müller") == [("K-1", 1.0), ("K-2", 1.0)]
    assert index.best("Anna Müller") == []


def test_adding_after_a_search_is_seen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(names, "MAX_POSTINGS", 1)
    index = index_of(("Müller GmbH", "K-1"), ("Hans Müller", "K-2"), ("Hans Müller Jr", "K-3"))
    assert index.best("Müller KG", cutoff=0.85) == [("K-1", 1.0)]
    assert index.best("H Müller", cutoff=0.85) == []
    assert index.best("Hans Müller", cutoff=0.85) == [("K-2", 1.0), ("K-3", 24 / 27)]
    index.add("Mueller, H.", "K-4")
    index.add("Müller, Hans", "K-5")
    index.add("Hans Mueller Sr", "K-6")
    assert index.best("H Müller", cutoff=0.85) == [("K-4", 1.0)]
    assert index.best("Hans Müller", limit=4, cutoff=0.85) == [
        ("K-2", 1.0),
        ("K-5", 1.0),
        ("K-3", 24 / 27),
        ("K-6", 24 / 27),
    ]
    # "jr" is rare, so only the names with it are compared
    assert index.best("Hans Müller Jr", cutoff=0.85) == [("K-3", 1.0)]


SMALL_NAMES = st.lists(
    st.sampled_from(["Hans", "Müller", "Mueller", "Meier", "H.", "Erika", "Schmidt", "GmbH"]),
    min_size=1,
    max_size=3,
).map(" ".join)


@given(
    st.lists(st.tuples(SMALL_NAMES, st.sampled_from(["K-1", "K-2", "K-3", "K-4"])), max_size=12),
    SMALL_NAMES,
    st.integers(min_value=1, max_value=4),
    st.sampled_from([0.0, 0.5, 0.85]),
)
def test_best_is_the_best_of_the_names_sharing_a_word(
    entries: list[tuple[str, str]], query: str, limit: int, cutoff: float
) -> None:
    index = index_of(*entries)
    words = {word for word in normalise_name(query).split() if len(word) > 1}
    scores: dict[str, float] = {}
    for name, value in entries:
        normalised = normalise_name(name)
        if normalised and (words & set(normalised.split()) or normalised == normalise_name(query)):
            score = name_similarity(query, name)
            if score >= cutoff:
                scores[value] = max(score, scores.get(value, 0.0))
    expected = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
    assert index.best(query, limit=limit, cutoff=cutoff) == expected
