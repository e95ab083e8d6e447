"""Which engine transcribes, on the real stack: the speech-to-text server by
default; pocketsphinx in the transcriber when the server is down, and the
report says so; the command-line tool picks the same way, or as told."""
import json
import os
import subprocess

from conftest import put_file, stack


def analyze(media_dir, *args, env=None):
    cli = os.path.join(os.environ["ISIM_BUILD_DIR"], "isim")
    out = subprocess.run([cli, *args], capture_output=True, text=True, env=env, timeout=600)
    return out.returncode, out.stdout, out.stderr


def test_transcriber_falls_back_to_pocketsphinx_when_the_server_is_down(api, media_dir):
    stack("stt-down")
    try:
        created = api.create(upload=os.path.join(media_dir, "sample.webm"))
        assert put_file(created["upload"]["url"], os.path.join(media_dir, "sample.webm")) == 200
        assert api.call("POST", f"/v1/interviews/{created['id']}/uploaded")[0] == 202
        done = api.wait_done(created["id"])
    finally:
        stack("stt-up")
    assert done["status"] == "complete", done
    t = done["report"]["transcript"]
    assert t["engine"] == "pocketsphinx" and "model" not in t, t.get("engine")
    assert "openai engine failed" in t["note"] and "pocketsphinx" in t["note"], t["note"]
    assert len(t["words"]) > 30  # a real transcript, not an empty stand-in


def test_cli_options_in_any_order_and_engine_choice(media_dir):
    sample = os.path.join(media_dir, "sample.webm")
    # Options after and before the file, as command-line users expect.
    rc, out, err = analyze(media_dir, "analyze", "--question", "Why this job?", "--engine", "pocketsphinx", sample)
    assert rc == 0, err
    report = json.loads(out)
    assert report["question"] == "Why this job?" and report["transcript"]["engine"] == "pocketsphinx"
    # The default (auto) uses the server when ISIM_TRANSCRIBE_URL is set...
    rc, out, err = analyze(media_dir, "analyze", sample, "--question=Why this job?")
    assert rc == 0, err
    t = json.loads(out)["transcript"]
    assert t["engine"] == "openai" and t["model"] == "whisper-base"
    # ...and pocketsphinx when it is not.
    env = {k: v for k, v in os.environ.items() if k != "ISIM_TRANSCRIBE_URL"}
    rc, out, err = analyze(media_dir, "analyze", sample, env=env)
    assert rc == 0, err
    assert json.loads(out)["transcript"]["engine"] == "pocketsphinx"
    rc, _, err = analyze(media_dir, "analyze", "--engine", "kaldi", sample)
    assert rc == 2 and "unknown engine kaldi" in err
