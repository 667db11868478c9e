"""Process settings, read once from the environment (never at import time).

Everything the contract in docs/contracts.md (Environment) names lives here so that the app factory, the worker and
the CLI agree on one frozen view of the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

#: Root of a source checkout (where `flows/`, `examples/` and `var/` live in development).
PROJECT_ROOT = Path(__file__).resolve().parents[2]

#: Twilio's real REST API; tests and the demo point TWILIO_API_BASE at the carrier simulator.
DEFAULT_API_BASE = "https://api.twilio.com"

#: The English model `ivr models install` fetches by default.
DEFAULT_VOSK_MODEL = "models/vosk-model-small-en-us-0.15"

#: The Spanish model `ivr models install es` fetches; without it Spanish calls are keypad only.
DEFAULT_VOSK_MODEL_ES = "models/vosk-model-small-es-0.42"


def default_config_path() -> Path:
    """The shipped example businesses: the packaged copy, else the checkout's `examples/`."""
    packaged = Path(__file__).resolve().parents[1] / "examples"
    return packaged if packaged.is_dir() else PROJECT_ROOT / "examples"


@dataclass(frozen=True)
class Settings:
    """One frozen view of the environment contract (docs/contracts.md, Environment)."""

    account_sid: str = ""
    auth_token: str = ""
    #: The secret of a webhook shared key (TWILIO_SIGNING_KEY): checks requests Twilio signs
    #: with it (HMAC-SHA256, named in X-Twilio-Webhooks-Signature-Settings). Unset: such
    #: requests are refused; Auth-Token signatures are checked either way.
    signing_key: str = ""
    api_base: str = DEFAULT_API_BASE
    public_url: str = ""
    redis_url: str = ""
    config_path: Path = field(default_factory=default_config_path)
    vosk_model: Path = Path(DEFAULT_VOSK_MODEL)
    #: The Spanish Vosk model (IVR_VOSK_MODEL_ES), for callers who choose Spanish.
    vosk_model_es: Path = Path(DEFAULT_VOSK_MODEL_ES)
    api_token: str = ""
    #: Signs the dashboard's session ids (IVR_SECRET_KEY). Its own secret, never another
    #: token; when unset one is generated once and kept in Redis (`ivr.web.sessions`).
    secret_key: str = ""
    trust_proxy: int = 0
    var_dir: Path = PROJECT_ROOT / "var"
    audio_dir: Path = PROJECT_ROOT / "audio"
    demo: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from `environ` (defaults to `os.environ`); keyword overrides win."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {
            "account_sid": env.get("TWILIO_ACCOUNT_SID", ""),
            "auth_token": env.get("TWILIO_AUTH_TOKEN", ""),
            "signing_key": env.get("TWILIO_SIGNING_KEY", ""),
            "api_base": env.get("TWILIO_API_BASE", DEFAULT_API_BASE).rstrip("/"),
            "public_url": env.get("IVR_PUBLIC_URL", "").rstrip("/"),
            "redis_url": env.get("REDIS_URL", ""),
            "api_token": env.get("IVR_API_TOKEN", ""),
            "secret_key": env.get("IVR_SECRET_KEY", ""),
            "trust_proxy": int(env.get("IVR_TRUST_PROXY", "0") or 0),
        }
        if env.get("IVR_CONFIG"):
            values["config_path"] = Path(env["IVR_CONFIG"])
        if env.get("IVR_VOSK_MODEL"):
            values["vosk_model"] = Path(env["IVR_VOSK_MODEL"])
        if env.get("IVR_VOSK_MODEL_ES"):
            values["vosk_model_es"] = Path(env["IVR_VOSK_MODEL_ES"])
        if env.get("IVR_VAR_DIR"):
            values["var_dir"] = Path(env["IVR_VAR_DIR"])
        if env.get("IVR_AUDIO_DIR"):
            values["audio_dir"] = Path(env["IVR_AUDIO_DIR"])
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    def speech_model(self, language: str = "en") -> Path:
        """The Vosk model that hears `language` (English's for any language without one)."""
        return self.vosk_model_es if language == "es" else self.vosk_model

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed (used by the demo and tests)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def missing_for_serve(self) -> list[str]:
        """Variables `ivr serve` cannot run without."""
        missing = [name for name, value in (
            ("TWILIO_ACCOUNT_SID", self.account_sid),
            ("TWILIO_AUTH_TOKEN", self.auth_token),
        ) if not value]
        if not self.api_token and not self.demo:
            missing.append("IVR_API_TOKEN")
        return missing
