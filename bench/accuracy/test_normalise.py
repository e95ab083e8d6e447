from normalise import is_filler, normalise


def test_case_punctuation_hyphens() -> None:
    assert normalise("Well-known, isn't it? Yes!") == ["well", "known", "isn't", "it", "yes"]


def test_markup_dropped() -> None:
    assert normalise("<s> he was [laughter] <cutoff-mont> here </s>") == ["he", "was", "here"]


def test_numbers() -> None:
    assert normalise("115") == ["one", "hundred", "fifteen"]
    assert normalise("15%") == ["fifteen", "percent"]
    assert normalise("2.5") == ["two", "point", "five"]
    assert normalise("the 3rd time") == ["the", "third", "time"]
    assert normalise("$5") == ["five", "dollars"]
    assert normalise("1,200") == ["one", "thousand", "two", "hundred"]
    assert normalise("twenty-one") == ["twenty", "one"]


def test_abbreviations_and_spellings() -> None:
    assert normalise("Mr. Smith and Mrs Jones met Dr. Who") == \
        ["mister", "smith", "and", "missus", "jones", "met", "doctor", "who"]
    assert normalise("OK, alright") == ["okay", "all", "right"]


def test_fillers_kept() -> None:
    words = normalise("So, um, I think, uhh... Hm.")
    assert words == ["so", "um", "i", "think", "uh", "hmm"]
    assert [w for w in words if is_filler(w)] == ["um", "uh", "hmm"]


def test_apostrophes() -> None:
    assert normalise("the team's 'best' don\u2019t") == ["the", "team's", "best", "don't"]
