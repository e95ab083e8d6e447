"""Reference pitch track of a recording for the pitch accuracy test: Praat's
autocorrelation pitch (Boersma 1993) through praat-parselmouth, with Praat's
own settings except the time step (10 ms) and the pitch range, which are the
product's (60 to 500 Hz). Used in the test's preparation only.

    pitch_reference.py WAV OUT.tsv
writes one line per 10 ms frame: time of the frame's centre (s), tab, pitch
(Hz, 0 where Praat finds the frame unvoiced)."""
import sys

import parselmouth

STEP, FLOOR, CEILING = 0.01, 60.0, 500.0


def main(wav, out):
    pitch = parselmouth.Sound(wav).to_pitch_ac(time_step=STEP, pitch_floor=FLOOR, pitch_ceiling=CEILING)
    with open(out + ".tmp", "w") as f:
        for t, hz in zip(pitch.xs(), pitch.selected_array["frequency"]):
            f.write(f"{t:.4f}\t{hz:.2f}\n")
    import os
    os.replace(out + ".tmp", out)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
