from align import align, score
from normalise import is_filler


def test_identical() -> None:
    c = score(["a", "b"], ["a", "b"], is_filler)
    assert (c.sub, c.dele, c.ins, c.wer) == (0, 0, 0, 0.0)


def test_counts() -> None:
    c = score("the cat sat on the mat".split(), "the cat sit on mat today".split(), is_filler)
    assert c.errors == 3 and abs(c.wer - 3 / 6) < 1e-9
    assert (lambda c: (c.sub, c.dele, c.ins))(score(["a", "b", "c"], ["a", "c"], is_filler)) == (0, 1, 0)
    assert (lambda c: (c.sub, c.dele, c.ins))(score(["a", "c"], ["a", "b", "c"], is_filler)) == (0, 0, 1)
    assert (lambda c: (c.sub, c.dele, c.ins))(score(["a", "b", "c"], ["a", "x", "c"], is_filler)) == (1, 0, 0)


def test_alignment_pairs() -> None:
    assert align(["a", "b", "c"], ["a", "c"]) == [("a", "a"), ("b", None), ("c", "c")]
    assert align([], ["x"]) == [(None, "x")]


def test_fillers() -> None:
    ref = "so um i think uh we did it".split()
    hyp = "so um i think we did it um".split()
    c = score(ref, hyp, is_filler)
    assert (c.ref_fillers, c.hyp_fillers, c.fillers_found) == (2, 2, 1)
    assert c.filler_precision == 0.5 and c.filler_recall == 0.5


def test_filler_substituted_by_other_filler_not_found() -> None:
    c = score("so um yes".split(), "so uh yes".split(), is_filler)
    assert c.fillers_found == 0 and c.sub == 1
