# ivr: the web app (`ivr serve`) and, with another command, the rq worker (`ivr worker`).
# Build:  docker build -t ivr .        Run everything: docker compose up (see docker-compose.yml)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# espeak-ng (+ its library, which pyttsx3 loads) renders the agent's spoken summary;
# libgomp1 is the OpenMP runtime Kaldi inside the vosk wheel links against.
RUN apt-get update \
    && apt-get install -y --no-install-recommends espeak-ng libespeak-ng1 libgomp1 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY ivr ./ivr
RUN pip install .

# The speech model: fetched and verified at build time so a container starts listening at once.
# (No package registry carries an English Vosk model; alphacephei.com publishes them.)
ARG VOSK_MODEL=vosk-model-small-en-us-0.15
RUN ivr models install "${VOSK_MODEL}" --dest /models
# Spanish: callers who choose Spanish are heard with it (without it they use the keypad).
# Build with --build-arg VOSK_MODEL_ES= to leave it out.
ARG VOSK_MODEL_ES=vosk-model-small-es-0.42
RUN if [ -n "${VOSK_MODEL_ES}" ]; then ivr models install "${VOSK_MODEL_ES}" --dest /models; fi

# Flows and the example businesses. /app/config starts as a copy of the examples so the image
# runs as built; docker-compose.yml mounts your ./config over it. A business file's
# `flow: flows/x.yaml` resolves against /app, where the shipped flows live.
COPY flows ./flows
COPY examples ./examples
COPY examples ./config

RUN useradd --create-home --uid 10001 ivr \
    && mkdir -p /data/audio /data/var \
    && chown -R ivr /data
USER ivr

ENV IVR_VOSK_MODEL=/models/${VOSK_MODEL} \
    IVR_VOSK_MODEL_ES=/models/${VOSK_MODEL_ES} \
    IVR_CONFIG=/app/config \
    IVR_AUDIO_DIR=/data/audio \
    IVR_VAR_DIR=/data/var

EXPOSE 5000
# /readyz: 503 until the speech model is warm, so no call lands on a cold recogniser
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:5000/readyz', timeout=4).status != 200)"

CMD ["ivr", "serve", "--host", "0.0.0.0", "--port", "5000"]
