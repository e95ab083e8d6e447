"""The converter's corpus through the running stack: every kind of recording a
candidate can make, and the bad files they upload by mistake, uploaded through
the gateway. Accepted ones must end `complete` with the right media in the
report and a `video_url` that plays (decoded to its end by the ffmpeg program,
right duration, size and orientation); bad ones must end `failed` with a reason
a candidate understands. Afterwards the converter still answers /readyz and the
work dir holds nothing. Clips are 2 s and small, and all interviews are
submitted before any is awaited, so the whole file takes well under 2 minutes."""
import http.client
import json
import os
import random
import shutil
import subprocess
import urllib.parse
import urllib.request

import pytest

from conftest import put_file

OFF = int(os.environ.get("ISIM_PORT_OFFSET", "0"))
CONVERTER = f"http://127.0.0.1:{9101 + OFF}"
MAX_DURATION_S = int(os.environ.get("ISIM_MAX_DURATION_S", "600"))
MAX_UPLOAD_BYTES = int(os.environ.get("ISIM_MAX_UPLOAD_BYTES", "536870912"))

FF = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y"]
PICTURE = ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15:duration=2"]
TONE = ["-f", "lavfi", "-i", "sine=frequency=440:duration=2"]
VP8 = ["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "300k"]
X264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
STREAMED = ["-f", "webm", "pipe:1"]  # as MediaRecorder writes: no duration, no cues
UNREADABLE = "The uploaded file is not a video or audio recording we can read."

# name: (ffmpeg arguments after the inputs' FF, or a callable(path)), what the report must say
GOOD = {
    "chrome-vp8-opus.webm": (PICTURE + TONE + ["-vf", "select='not(eq(mod(n,5),2))'", "-fps_mode", "vfr"]
                             + VP8 + ["-c:a", "libopus"] + STREAMED,
                             dict(video="vp8", audio="opus", size=(320, 240), out=(320, 240))),
    "chrome-vp9-opus.webm": (PICTURE + TONE + ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8",
                                               "-b:v", "300k", "-c:a", "libopus"],
                             dict(video="vp9", audio="opus", size=(320, 240), out=(320, 240))),
    "firefox-vp8-vorbis.webm": (PICTURE + TONE + VP8 + ["-c:a", "libvorbis"] + STREAMED,
                                dict(video="vp8", audio="vorbis", size=(320, 240), out=(320, 240))),
    "h264-aac.mp4": (PICTURE + TONE + X264 + ["-c:a", "aac"],
                     dict(video="h264", audio="aac", size=(320, 240), out=(320, 240))),
    "hevc-aac.mp4": (PICTURE + TONE + ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error",
                                       "-tag:v", "hvc1", "-pix_fmt", "yuv420p", "-c:a", "aac"],
                     dict(video="hevc", audio="aac", size=(320, 240), out=(320, 240))),
    "phone-portrait.mp4": (None, dict(video="h264", audio="aac", size=(640, 360), out=(360, 640), rotation=270)),
    "obs-h264-flac.mkv": (PICTURE + TONE + X264 + ["-c:a", "flac"],
                          dict(video="h264", audio="flac", size=(320, 240), out=(320, 240))),
    "camera-mpeg4-mp3.avi": (PICTURE + TONE + ["-c:v", "mpeg4", "-q:v", "5", "-c:a", "libmp3lame"],
                             dict(video="mpeg4", audio="mp3", size=(320, 240), out=(320, 240))),
    "mute-h264.mp4": (PICTURE + X264 + ["-an"], dict(video="h264", audio="", size=(320, 240), out=(320, 240))),
    "voice-opus.webm": (TONE + ["-c:a", "libopus"] + STREAMED, dict(video="", audio="opus")),
    "voice-aac.m4a": (TONE + ["-c:a", "aac"], dict(video="", audio="aac")),
    "voice.mp3": (TONE + ["-c:a", "libmp3lame", "-b:a", "64k"], dict(video="", audio="mp3")),
    "voice-44k-stereo.wav": (["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=2", "-ac", "2"],
                             dict(video="", audio="pcm_s16le")),
}


def say_duration(secs):
    m, s = divmod(secs, 60)
    plural = lambda n, unit: f"{n} {unit}{'' if n == 1 else 's'}"
    if m == 0:
        return plural(s, "second")
    return plural(m, "minute") if s == 0 else f"{plural(m, 'minute')} {plural(s, 'second')}"


LONG_S = MAX_DURATION_S + 60
BAD = {
    "random.webm": UNREADABLE,
    "notes.webm": UNREADABLE,
    "picture.webm": UNREADABLE,
    "cut.mp4": UNREADABLE,
    "corrupt-header.webm": UNREADABLE,
    "unknown-codec.avi": ("The recording's picture is in a format we cannot read (ZZZZ). Please record again "
                          "in the browser, or upload an MP4 or WebM file."),
    f"too-long-{LONG_S}.webm": (f"The recording is {say_duration(LONG_S)} long; "
                      f"the limit is {say_duration(MAX_DURATION_S)}."),
}


def ffmpeg(args, out):
    if args[-1] == "pipe:1":
        with open(out, "wb") as f:
            subprocess.run(FF + args, stdout=f, check=True)
    else:
        subprocess.run(FF + args + [out], check=True)


def boxes(data, start, end):
    """(type, payload start, box end) of the MP4 boxes in data[start:end]."""
    pos = start
    while pos + 8 <= end:
        size = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8].decode("latin-1")
        head = 8
        if size == 1:
            size, head = int.from_bytes(data[pos + 8:pos + 16], "big"), 16
        if size < head:
            break
        yield kind, pos + head, pos + size
        pos += size


def set_rotation(path, clockwise):
    """Writes a phone's rotation into the video track's tkhd matrix (ffmpeg 5.1
    cannot): for 270 degrees clockwise a=0 b=-1 c=1 d=0, as av_display_rotation_set writes."""
    data = bytearray(open(path, "rb").read())
    cos, sin = {90: (0, -1), 180: (-1, 0), 270: (0, 1)}[clockwise]
    fixed = lambda v: (v * 0x10000).to_bytes(4, "big", signed=True)
    for kind, moov, moov_end in boxes(data, 0, len(data)):
        if kind != "moov":
            continue
        for kind, trak, trak_end in boxes(data, moov, moov_end):
            inner = {k: (s, e) for k, s, e in boxes(data, trak, trak_end)} if kind == "trak" else {}
            if "tkhd" not in inner or "mdia" not in inner:
                continue
            hdlr = {k: s for k, s, e in boxes(data, *inner["mdia"])}.get("hdlr")
            if data[hdlr + 8:hdlr + 12] != b"vide":
                continue
            tkhd = inner["tkhd"][0]
            matrix = tkhd + (52 if data[tkhd] == 1 else 40)
            data[matrix:matrix + 16] = fixed(cos) + fixed(-sin) + (0).to_bytes(4, "big") + fixed(sin)
            data[matrix + 16:matrix + 20] = fixed(cos)
            open(path, "wb").write(bytes(data))
            return
    raise AssertionError("no video track in " + path)


def make_corpus(folder):
    """Makes the files missing from folder (a rerun reuses them)."""
    os.makedirs(folder, exist_ok=True)

    def made(name, make):
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            part = os.path.join(folder, f"part-{os.getpid()}-{name}")
            make(part)
            os.replace(part, path)
        return path

    def write(data):
        return lambda part: open(part, "wb").write(data)

    for name, (args, _) in GOOD.items():
        if args is not None:
            made(name, lambda part, args=args: ffmpeg(args, part))

    def portrait(part):
        # A phone held upright: landscape frames, white on the right, to be turned 270 degrees clockwise.
        ffmpeg(["-f", "lavfi", "-i",
                "color=c=black:s=640x360:r=15:d=2,drawbox=x=320:y=0:w=320:h=360:color=white:t=fill"]
               + TONE + X264 + ["-c:a", "aac"], part)
        set_rotation(part, 270)
    made("phone-portrait.mp4", portrait)

    made("random.webm", write(random.Random(3).randbytes(200_000)))  # seeded: every run meets the same bytes
    made("notes.webm", write(b"My notes for the interview.\n" * 200))
    made("picture.webm", lambda part: ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=320x240", "-frames:v", "1",
                                               "-c:v", "png", "-f", "image2pipe", "pipe:1"], part))
    whole = open(os.path.join(folder, "h264-aac.mp4"), "rb").read()
    made("cut.mp4", write(whole[:len(whole) * 2 // 3]))
    webm = open(os.path.join(folder, "chrome-vp9-opus.webm"), "rb").read()
    made("corrupt-header.webm", write(bytes(256) + webm[256:]))
    made("unknown-codec.avi", lambda part: ffmpeg(PICTURE + TONE + ["-c:v", "mpeg4", "-tag:v", "ZZZZ", "-strict", "-1",
                                                                    "-c:a", "libmp3lame"], part))
    made(f"too-long-{LONG_S}.webm", lambda part: ffmpeg(["-f", "lavfi", "-i", f"sine=duration={LONG_S}",
                                                        "-c:a", "libopus", "-b:a", "6k"], part))


@pytest.fixture(scope="module")
def corpus(media_dir):
    folder = os.path.join(media_dir, "converter-corpus-it-v1")  # change v1 when a recipe changes
    make_corpus(folder)
    return folder


def submit(api, path):
    created = api.create(upload=path)
    assert put_file(created["upload"]["url"], path) == 200
    status, body = api.call("POST", f"/v1/interviews/{created['id']}/uploaded")
    assert status == 202, body
    return created["id"]


@pytest.fixture(scope="module")
def outcomes(api, corpus):
    """Every corpus file submitted at once, then each awaited: name -> final interview."""
    ids = {name: submit(api, os.path.join(corpus, name)) for name in list(GOOD) + list(BAD)}
    return {name: api.wait_done(iid, timeout=180) for name, iid in ids.items()}


def probe(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def fetch(url, path):
    with urllib.request.urlopen(url, timeout=30) as r, open(path, "wb") as f:
        assert r.status == 200
        shutil.copyfileobj(r, f)


@pytest.mark.parametrize("name", list(GOOD))
def test_accepted_recording(name, outcomes, tmp_path):
    done, want = outcomes[name], GOOD[name][1]
    assert done["status"] == "complete", done.get("failure_reason")
    media = done["report"]["media"]
    assert abs(media["duration_s"] - 2.0) <= 0.1, media
    assert media["video_codec"] == want["video"] and media["audio_codec"] == want["audio"], media
    assert media["has_video"] == bool(want["video"]) and media["has_audio"] == bool(want["audio"])
    notes = " ".join(done["report"]["notes"])
    if not want["video"]:
        assert done["video_url"] is None and done["poster_url"] is None
        assert "no video was analysed" in notes, notes
        return
    assert (media["width"], media["height"]) == want["size"], media
    assert media["rotation"] == want.get("rotation", 0)
    if not want["audio"]:
        assert "no speech" in notes.lower(), notes

    video = str(tmp_path / "video")
    fetch(done["video_url"], video)
    # Plays: decoded to its end without a single error.
    decode = subprocess.run(FF[:-1] + ["-xerror", "-i", video, "-f", "null", "-"], capture_output=True, text=True)
    assert decode.returncode == 0 and decode.stderr == "", decode.stderr
    info = probe(video)
    assert abs(float(info["format"]["duration"]) - 2.0) <= 0.1, info["format"]
    vstreams = [s for s in info["streams"] if s["codec_type"] == "video"]
    assert len(vstreams) == 1
    assert (vstreams[0]["width"], vstreams[0]["height"]) == want["out"]
    assert not any(sd.get("rotation") for sd in vstreams[0].get("side_data_list", [])), vstreams[0]
    assert vstreams[0]["codec_name"] in ("vp8", "vp9", "h264")
    assert any(s["codec_type"] == "audio" for s in info["streams"]) == bool(want["audio"])
    if want.get("rotation"):
        w, h = want["out"]
        gray = subprocess.run(FF + ["-i", video, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"],
                              capture_output=True, check=True).stdout
        assert len(gray) == w * h
        top, bottom = gray[:w * h // 4], gray[-(w * h // 4):]
        assert sum(top) / len(top) > 200 and sum(bottom) / len(bottom) < 50, "the portrait video is not upright"
    poster = str(tmp_path / "poster.jpg")
    fetch(done["poster_url"], poster)
    pinfo = probe(poster)["streams"][0]
    assert (pinfo["width"], pinfo["height"]) == want["out"]


@pytest.mark.parametrize("name", list(BAD))
def test_bad_upload(name, outcomes):
    done = outcomes[name]
    assert done["status"] == "failed"
    assert BAD[name] in done["failure_reason"], done["failure_reason"]
    assert done["stages"]["converter"]["state"] == "failed"


def test_too_large_upload_refused(api):
    """A recording over ISIM_MAX_UPLOAD_BYTES gets no upload URL (its size is
    signed into the URL, so a smaller announcement cannot smuggle it in)."""
    status, body = api.call("POST", "/v1/interviews", {"question": "q", "size_bytes": MAX_UPLOAD_BYTES + 1})
    assert status == 422 and body["error"]["code"] == "invalid_size", body
    limit_mb = MAX_UPLOAD_BYTES >> 20
    assert f"{limit_mb} MB" in body["error"]["message"], body


def test_converter_still_serving_and_work_dir_clean(outcomes):
    assert outcomes  # every interview above is finished
    with urllib.request.urlopen(CONVERTER + "/readyz", timeout=5) as r:
        assert r.status == 200
    work = os.environ["ISIM_WORK_DIR"]
    left = [os.path.join(d, f) for d, _, files in os.walk(work) for f in files] + \
           [d for d, dirs, files in os.walk(work) if d != work and not dirs and not files]
    assert left == [], left
