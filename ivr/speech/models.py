"""`ivr models install [LANGUAGE|NAME|URL|PATH]`: fetch, verify and unpack a Vosk model under models/.

No package registry carries an English Vosk model, so the product fetches one from
alphacephei.com (the default is the small US English model, ~40 MB; `es` is the small Spanish
one, ~39 MB, for callers who choose Spanish) with a progress bar. The
download is checked — its length against Content-Length, its sha256 when known (append
`#sha256=<hex>` to a URL to pin one), the zip's CRCs — unpacked without trusting the archive's
paths, checked to look like a Vosk model, and moved into place in one rename. A local
directory, a local .zip or a file:// URL installs the same way offline.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import click
import requests
from tqdm import tqdm

from ivr.speech.vosk import ModelMissing, check_model_dir

#: Where Vosk publishes its models.
MODELS_URL = "https://alphacephei.com/vosk/models/"

#: The model `ivr models install` fetches when given no name (IVR_VOSK_MODEL's default, docs/contracts.md).
DEFAULT_MODEL = "vosk-model-small-en-us-0.15"

#: The small Latin-American Spanish model (~39 MB): `ivr models install es` (IVR_VOSK_MODEL_ES).
SPANISH_MODEL = "vosk-model-small-es-0.42"

#: A customer language → the model `ivr models install LANGUAGE` fetches for it.
LANGUAGE_MODELS: dict[str, str] = {"en": DEFAULT_MODEL, "es": SPANISH_MODEL}

#: The environment variable that points the app at each language's model.
MODEL_ENV: dict[str, str] = {"en": "IVR_VOSK_MODEL", "es": "IVR_VOSK_MODEL_ES"}

#: Known models: name → sha256 of the zip when pinned ("" = not pinned; the digest is printed
#: after a download so an operator can pin it with `URL#sha256=...`).
KNOWN_SHA256: dict[str, str] = {DEFAULT_MODEL: "", SPANISH_MODEL: ""}

#: Seconds to wait for the model server to answer (the download itself may take minutes).
CONNECT_TIMEOUT_S = 20.0

_CHUNK = 1 << 16


class InstallError(RuntimeError):
    """The model could not be installed; the message says why."""


@dataclass(frozen=True)
class Source:
    """Where a model comes from: a URL to download, or a local zip or directory."""

    name: str
    url: str = ""
    path: Path | None = None
    sha256: str = ""


def resolve(source: str | None) -> Source:
    """Turn LANGUAGE ("en", "es"), NAME, URL (http, https, file) or PATH into a `Source`."""
    text = (source or DEFAULT_MODEL).strip()
    text = LANGUAGE_MODELS.get(text, text)
    text, _, fragment = text.partition("#sha256=")
    parts = urlsplit(text)
    if parts.scheme in ("http", "https"):
        name = PurePosixPath(unquote(parts.path)).name.removesuffix(".zip") or "model"
        return Source(name=name, url=text, sha256=fragment or KNOWN_SHA256.get(name, ""))
    if parts.scheme == "file":
        path = Path(unquote(parts.path))
        return Source(name=path.name.removesuffix(".zip"), path=path, sha256=fragment)
    path = Path(text).expanduser()
    if path.exists() or "/" in text or text.endswith(".zip"):
        return Source(name=path.name.removesuffix(".zip"), path=path, sha256=fragment)
    return Source(name=text, url=f"{MODELS_URL}{text}.zip",
                  sha256=fragment or KNOWN_SHA256.get(text, ""))


def download(url: str, target: Path, progress: bool = True) -> str:
    """Stream `url` to `target` with a progress bar; returns the sha256 of what arrived."""
    digest = hashlib.sha256()
    received = 0
    try:
        with requests.get(url, stream=True, timeout=(CONNECT_TIMEOUT_S, 60)) as response:
            if response.status_code != 200:
                raise InstallError(f"{url}: HTTP {response.status_code}")
            total = int(response.headers.get("Content-Length") or 0) or None
            with target.open("wb") as out, tqdm(
                    total=total, unit="B", unit_scale=True, unit_divisor=1024,
                    desc=target.name.removesuffix(".part"), disable=not progress,
                    file=sys.stderr) as bar:
                for chunk in response.iter_content(_CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
    except requests.RequestException as exc:
        raise InstallError(f"download failed: {url}: {type(exc).__name__} (offline? download "
                           "the zip elsewhere and run `ivr models install PATH.zip`)") from exc
    if total is not None and received != total:
        raise InstallError(f"download incomplete: {received} of {total} bytes")
    return digest.hexdigest()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def unpack(archive: Path, into: Path) -> Path:
    """Check a zip (CRCs, no absolute or `..` paths) and extract it into `into`."""
    try:
        with zipfile.ZipFile(archive) as zf:
            broken = zf.testzip()
            if broken is not None:
                raise InstallError(f"{archive.name}: corrupt member {broken}")
            for member in zf.infolist():
                path = PurePosixPath(member.filename)
                if path.is_absolute() or ".." in path.parts or "\\" in member.filename:
                    raise InstallError(f"{archive.name}: unsafe path {member.filename!r}")
            zf.extractall(into)
    except zipfile.BadZipFile as exc:
        raise InstallError(f"{archive.name} is not a valid zip: {exc}") from exc
    return into


def find_model(root: Path, name: str) -> Path:
    """The model inside an unpacked tree: the tree itself or its single top-level folder."""
    candidates = [root]
    children = [p for p in root.iterdir() if not p.name.startswith(".")]
    if len(children) == 1 and children[0].is_dir():
        candidates.insert(0, children[0])
    for candidate in candidates:
        try:
            check_model_dir(candidate)
        except ModelMissing:
            continue
        if candidate == root:
            named = root.with_name(name)
            root.rename(named)
            return named
        return candidate
    raise InstallError(f"{name} does not look like a Vosk model (no am/ folder)")


def install(source: str | None, dest: Path, progress: bool = True) -> Path:
    """Install a model into `dest` (models/); returns its directory.

    Raises:
        InstallError: not found, download failed, checksum mismatch, not a Vosk model.
    """
    src = resolve(source)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest, prefix=".install-") as tmp:
        work = Path(tmp)
        if src.url:
            archive = work / f"{src.name}.zip.part"
            digest = download(src.url, archive, progress)
        elif src.path is not None and src.path.is_dir():
            archive, digest = None, ""
        elif src.path is not None and src.path.is_file():
            archive, digest = src.path, sha256_of(src.path)
        else:
            raise InstallError(f"no model at {src.path}: give a model NAME, a URL, a .zip or a "
                               "directory")
        if src.sha256 and digest and digest != src.sha256.lower():
            raise InstallError(f"checksum mismatch for {src.name}: expected {src.sha256}, "
                               f"got {digest}")
        staging = work / "unpacked"
        if archive is not None:
            unpack(archive, staging)
        else:
            assert src.path is not None
            shutil.copytree(src.path, staging)
        model = find_model(staging, src.name)
        target = dest / model.name
        if target.exists():
            shutil.rmtree(target)
        model.rename(target)
    if digest:
        click.echo(f"sha256 {digest}", err=True)
    return target


def install_cli(source: str | None, dest: Path) -> None:
    """The `ivr models install` command body: install, then say what to set; exit 1 on error."""
    try:
        path = install(source, dest)
    except InstallError as exc:
        click.echo(f"ivr models install: {exc}", err=True)
        sys.exit(1)
    click.echo(f"installed {path.name} in {path.parent}")
    click.echo(f"export {env_for(path.name)}={path.resolve()}")


def env_for(model: str) -> str:
    """The variable to set for an installed model: IVR_VOSK_MODEL_ES for a Spanish one (its
    name says "-es-"), IVR_VOSK_MODEL otherwise."""
    spanish = model == SPANISH_MODEL or "-es-" in f"{model}-"
    return MODEL_ENV["es"] if spanish else MODEL_ENV["en"]
