"""`ivr models install`: the mechanics of fetching, checking and unpacking a Vosk model.

What is installed is a tiny model-shaped tree (recognition itself is tested with the real
Korean model elsewhere); it travels by local zip, directory, file:// URL and real HTTP.
"""

from __future__ import annotations

import hashlib
import http.server
import threading
import zipfile
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivr.app.cli import main
from ivr.config.settings import Settings
from ivr.speech.models import InstallError, install, resolve

NAME = "vosk-model-tiny-test-0.1"


def model_tree(root: Path) -> Path:
    model = root / NAME
    for rel, data in {"am/final.mdl": b"acoustic", "conf/model.conf": b"--beam=10\n",
                      "conf/mfcc.conf": b"--sample-frequency=16000\n",
                      "graph/HCLG.fst": b"graph", "README": b"tiny"}.items():
        (model / rel).parent.mkdir(parents=True, exist_ok=True)
        (model / rel).write_bytes(data)
    return model


def zipped(tree: Path, archive: Path, top: bool = True) -> Path:
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(tree.rglob("*")):
            if path.is_file():
                zf.write(path, (Path(tree.name) / path.relative_to(tree)) if top
                         else path.relative_to(tree))
    return archive


@pytest.fixture
def model_zip(tmp_path: Path) -> Path:
    return zipped(model_tree(tmp_path / "src"), tmp_path / f"{NAME}.zip")


@pytest.fixture
def http_root(tmp_path: Path):
    root = tmp_path / "www"
    root.mkdir()
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_a_local_zip_installs_into_models_and_the_command_prints_what_to_set(model_zip, tmp_path):
    dest = tmp_path / "models"
    result = CliRunner().invoke(main, ["models", "install", str(model_zip), "--dest", str(dest)])
    assert result.exit_code == 0, result.output
    assert (dest / NAME / "am" / "final.mdl").read_bytes() == b"acoustic"
    assert f"IVR_VOSK_MODEL={(dest / NAME).resolve()}" in result.output


def test_a_zip_without_a_top_folder_and_a_plain_directory_also_install(tmp_path):
    tree = model_tree(tmp_path / "src")
    flat = zipped(tree, tmp_path / "flat-model.zip", top=False)
    assert (install(str(flat), tmp_path / "a", progress=False) / "conf" / "model.conf").exists()
    assert install(str(tree), tmp_path / "b", progress=False) == tmp_path / "b" / NAME


def test_a_file_url_works_offline(model_zip, tmp_path):
    path = install(model_zip.as_uri(), tmp_path / "models", progress=False)
    assert path == tmp_path / "models" / NAME and (path / "am").is_dir()


def test_a_model_downloads_over_http_and_is_verified_by_sha256(model_zip, http_root, tmp_path):
    root, base = http_root
    (root / model_zip.name).write_bytes(model_zip.read_bytes())
    digest = hashlib.sha256(model_zip.read_bytes()).hexdigest()
    path = install(f"{base}/{model_zip.name}#sha256={digest}", tmp_path / "models",
                   progress=False)
    assert (path / "graph" / "HCLG.fst").exists()


def test_a_checksum_mismatch_installs_nothing(model_zip, http_root, tmp_path):
    root, base = http_root
    (root / model_zip.name).write_bytes(model_zip.read_bytes())
    with pytest.raises(InstallError, match="checksum mismatch"):
        install(f"{base}/{model_zip.name}#sha256={'0' * 64}", tmp_path / "models",
                progress=False)
    assert not (tmp_path / "models" / NAME).exists()


def test_a_missing_download_and_a_broken_zip_fail_clearly(http_root, tmp_path):
    root, base = http_root
    with pytest.raises(InstallError, match="HTTP 404"):
        install(f"{base}/nowhere.zip", tmp_path / "models", progress=False)
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip")
    result = CliRunner().invoke(main, ["models", "install", str(broken), "--dest",
                                       str(tmp_path / "models")])
    assert result.exit_code == 1 and "not a valid zip" in result.output


def test_an_archive_that_is_not_a_vosk_model_is_refused(tmp_path):
    other = tmp_path / "holiday-photos"
    (other / "beach").mkdir(parents=True)
    (other / "beach" / "sun.jpg").write_bytes(b"jpeg")
    with pytest.raises(InstallError, match="does not look like a Vosk model"):
        install(str(zipped(other, tmp_path / "photos.zip")), tmp_path / "models",
                progress=False)


def test_a_zip_that_would_write_outside_models_is_refused(tmp_path):
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../../outside.txt", "gotcha")
    with pytest.raises(InstallError, match="unsafe path"):
        install(str(evil), tmp_path / "models", progress=False)
    assert not (tmp_path / "outside.txt").exists()


def test_names_resolve_to_the_vosk_model_site_and_the_default_is_small_english():
    default = resolve(None)
    assert default.name == "vosk-model-small-en-us-0.15"
    assert default.url == "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip"
    assert resolve("vosk-model-small-de-0.15").url.endswith("/vosk-model-small-de-0.15.zip")


def test_models_install_knows_the_spanish_model(tmp_path):
    spanish = resolve("es")
    assert spanish.name == "vosk-model-small-es-0.42"
    assert spanish.url == "https://alphacephei.com/vosk/models/vosk-model-small-es-0.42.zip"
    assert resolve("en").name == "vosk-model-small-en-us-0.15"

    tree = model_tree(tmp_path / "src").rename(tmp_path / "src" / "vosk-model-small-es-0.42")
    dest = tmp_path / "models"
    result = CliRunner().invoke(main, ["models", "install", str(tree), "--dest", str(dest)])
    assert result.exit_code == 0, result.output
    assert f"IVR_VOSK_MODEL_ES={(dest / 'vosk-model-small-es-0.42').resolve()}" in result.output


def test_the_spanish_model_is_found_where_install_puts_it_or_where_the_env_says():
    assert Settings().speech_model("es") == Path("models/vosk-model-small-es-0.42")
    assert Settings.from_env({"IVR_VOSK_MODEL_ES": "/m/es"}).speech_model("es") == Path("/m/es")
    assert Settings.from_env({}).speech_model("en") == Path("models/vosk-model-small-en-us-0.15")
