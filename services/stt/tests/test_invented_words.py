"""What Whisper invents, and what guarding against it must not take away;
each case was seen on this project's data (docs/accuracy.md)."""
from __future__ import annotations

import subprocess

from conftest import LIBRIVOX, clip
from test_contract import words_of

PROMPT = "Um, uh, so, like, you know, I mean... I was, uh, thinking."  # the transcriber's default


def run(*args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(args, input=data, check=True, capture_output=True).stdout


def test_no_words_invented_on_the_tail_of_a_browser_recording(server):
    """The sample answer as the pipeline sees it (five LibriVox clips, Opus in
    WebM as a browser records, back to 16 kHz WAV): its last 0.3 s once came
    back as "Okay." or "Thank you very much."."""
    ids = ["0870", "0880", "0890", "0920", "0930"]
    inputs = [a for i in ids for a in ("-i", str(clip(i)))]
    labels = "".join(f"[{k}:a]" for k in range(len(ids)))
    webm = run("ffmpeg", "-nostdin", "-loglevel", "error", *inputs, "-filter_complex",
               f"{labels}concat=n={len(ids)}:v=0:a=1[a]", "-map", "[a]", "-ar", "16000", "-ac", "1",
               "-c:a", "libopus", "-b:a", "48k", "-f", "webm", "-")
    wav = run("ffmpeg", "-nostdin", "-loglevel", "error", "-i", "pipe:0", "-ar", "16000", "-ac", "1", "-f", "wav",
              "-", data=webm)
    status, body, _ = server.transcribe(wav, response_format="verbose_json", language="en", prompt=PROMPT,
                                        **{"timestamp_granularities[]": "word"})
    assert status == 200, body
    said = words_of(" ".join(
        line.split("</s>")[0].replace("<s>", "") for line in (LIBRIVOX / "transcription").read_text().splitlines()
        if any(f"austen_64kb-{i})" in line for i in ids)))
    heard = words_of(body["text"])
    assert heard[-3:] == said[-3:], heard[-8:]  # "made amiable himself", nothing after it


def test_the_filler_prompt_keeps_a_whole_answer(server):
    """A 30 s spoken answer with the filler prompt: faster-whisper's own
    hallucination guard once dropped its only window, leaving nothing."""
    text = ("In my last job, um, two engineers on my team disagreed about how to rebuild our billing service. "
            "The situation was getting tense, and the release date was only three weeks away. My task was to get "
            "us to one plan without losing either of them. So I, uh, booked an hour with both, asked each to write "
            "down what they were most worried about, and we compared the lists. It turned out they agreed on most "
            "of it. We, um, shipped on time, and the new service cut failed payments by about 15 percent.")
    speech = run("espeak-ng", "-v", "en-us", "--stdout", text)
    wav = run("ffmpeg", "-nostdin", "-loglevel", "error", "-i", "pipe:0", "-ar", "16000", "-ac", "1", "-f", "wav",
              "-", data=speech)
    status, body, _ = server.transcribe(wav, response_format="json", language="en", prompt=PROMPT)
    assert status == 200, body
    heard = words_of(body["text"])
    assert len(heard) >= 0.8 * len(words_of(text)), body["text"]
