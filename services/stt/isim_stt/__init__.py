"""isim-stt: the interview simulator's speech-to-text server.

An OpenAI-compatible ``POST /v1/audio/transcriptions`` backed by faster-whisper
(CTranslate2), with bounded work and Prometheus metrics. See README.md.
"""

import os as _os

# CTranslate2's OpenMP threads spin while they wait for work. On a machine
# whose cores are shared (the converter and video metrics decode video at the
# same time) spinning threads starve each other: measured on 2 cores with one
# busy, 24.7 s of speech took 39 s to decode instead of 1.9 s. Set before
# ctranslate2 is loaded; an operator's own value wins.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
