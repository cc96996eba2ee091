"""The quick paths of the statement reader give exactly what the careful path gives: the same
value for every cell and the same problems, for any mix of cells (Hypothesis). Speed may never
change an answer."""

from datetime import date, datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from api.statements import reader
from api.statements.cells import CANONICAL_COLUMNS
from api.statements.limits import StatementLimits
from api.statements.reader import RawStatement

LIMITS = StatementLimits(max_text_length=40)

texts = st.one_of(
    st.text(alphabet=st.characters(max_codepoint=127), max_size=50),  # controls included
    st.text(max_size=12),  # any character: accents, bidi marks, private use, surrogates
    st.sampled_from(["", "  ", "\t", "Rijk", "rijk", "In natura", "cofinanciering  Publiek"]),
)
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e13, max_value=1e13).map(lambda x: round(x, 2)),
    st.decimals(min_value=-(10**6), max_value=10**6, places=2).map(float),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.booleans(),
)
days = st.one_of(
    st.dates(min_value=date(1, 1, 1)),
    st.datetimes(min_value=datetime(1800, 1, 1), max_value=datetime(2300, 1, 1)),
)
cells = st.one_of(st.none(), texts, numbers, days)
#: Columns of one kind, the way sheets are: most cells alike, some odd ones in between.
columns = st.one_of(
    st.lists(cells, min_size=1, max_size=30),
    st.lists(texts, min_size=1, max_size=30),
    st.lists(st.one_of(st.none(), numbers), min_size=1, max_size=30),
    st.lists(st.floats(), min_size=1, max_size=30),
    st.lists(st.one_of(st.none(), days), min_size=1, max_size=30),
)


def statement(size: int) -> RawStatement:
    found = RawStatement("Bestedingen", 1, {name: i for i, name in enumerate(CANONICAL_COLUMNS)})
    found.rows = list(range(2, size + 2))
    return found


def careful(name: str, values: list) -> tuple[list, list]:
    read = statement(len(values))
    letter = read.letter(name)
    cell = reader._careful_reader(read, name, letter, set(), LIMITS)
    return [cell(row, value) for row, value in zip(read.rows, values, strict=True)], read.problems


def quick(name: str, values: list) -> tuple[list, list]:
    read = statement(len(values))
    found = reader._read_column(read, name, values, CANONICAL_COLUMNS.index(name), set(), LIMITS)
    return found, read.problems


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(CANONICAL_COLUMNS), values=columns)
@example(name="bedrag", values=[float("nan"), 1.0])  # NaN passes every comparison
@example(name="bedrag", values=[1e300, float("-inf")])
@example(name="datum", values=[date(1899, 12, 31), date(2025, 1, 1)])
def test_every_quick_path_answers_as_the_careful_one(name, values):
    careful_values, careful_problems = careful(name, values)
    quick_values, quick_problems = quick(name, values)
    assert quick_values == careful_values
    assert [type(v) for v in quick_values] == [type(v) for v in careful_values]
    assert sorted(quick_problems, key=repr) == sorted(careful_problems, key=repr)


def test_a_column_of_the_usual_cells_is_read_whole():
    """The whole-column readers do answer for the usual statement (else the quick path would
    never be taken and the property above would prove nothing about it)."""
    from api.statements import cells

    assert cells.text_column(["Factuur 1", " REF-2 ", None, ""], 40) == [
        "Factuur 1",
        "REF-2",
        None,
        None,
    ]
    assert cells.date_column([date(2025, 5, 2)], 40) == [date(2025, 5, 2)]
    assert cells.amount_column([3108.14, -0.01, 12.0], 40) == [310814, -1, 1200]
    assert cells.amount_column([0.1 + 0.2], 40) is None  # 0.30000000000000004: too many decimals
    assert cells.source_column(["Rijk", "in natura"], 40) == ["rijk", "in_natura"]
    assert cells.text_column(["a\x1bb"], 40) is None  # an escape: read cell by cell, refused
