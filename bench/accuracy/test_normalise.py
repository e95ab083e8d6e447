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


def test_portuguese_accents_kept_punctuation_dropped() -> None:
    assert normalise("Você não é o único, né? Ação!", "pt") == ["você", "não", "é", "o", "único", "né", "ação"]
    assert normalise("Ele disse: \u201cfaça-o já\u201d.", "pt") == ["ele", "disse", "faça", "o", "já"]


def test_portuguese_numbers() -> None:
    assert normalise("1, 2, 3", "pt") == ["um", "dois", "três"]
    assert normalise("1.200", "pt") == ["mil", "e", "duzentos"]
    assert normalise("2,5", "pt") == ["dois", "vírgula", "cinco"]
    assert normalise("15%", "pt") == ["quinze", "por", "cento"]
    assert normalise("o 3º lugar", "pt") == ["o", "terceiro", "lugar"]


def test_portuguese_fillers() -> None:
    from normalise import is_filler_pt
    words = normalise("Hum, então, hmm... eu, ahn, acho", "pt")
    assert words == ["hum", "então", "hum", "eu", "ahn", "acho"]
    assert [w for w in words if is_filler_pt(w)] == ["hum", "hum", "ahn"]
