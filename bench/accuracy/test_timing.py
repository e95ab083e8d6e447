from timing import Boundaries


def w(s: float, e: float) -> dict[str, float]:
    return {"word": "x", "start": s, "end": e}


def test_boundaries() -> None:
    b = Boundaries()
    b.add([w(1.1, 1.5), w(1.5, 2.9), w(5.2, 6.1), w(8.0, 8.2)], [(1.0, 3.0), (5.0, 6.0), (9.0, 9.5)])
    s = b.summary()
    assert s["sentences"] == 3 and s["missed"] == 0 and s["words"] == 4
    assert s["words_in_silence"] == 1  # 8.0-8.2 is more than 0.3 s before 9.0
    assert [round(x, 2) for x in b.start_err] == [0.1, 0.2, -1.0]
    assert [round(x, 2) for x in b.end_err] == [-0.1, 0.1, -1.3]
    assert s["start"]["within_0_3"] == round(2 / 3, 4)


def test_missed_sentence() -> None:
    b = Boundaries()
    b.add([w(1.1, 1.5)], [(1.0, 2.0), (4.0, 5.0)])
    assert b.summary()["missed"] == 1
