"""`ivr models install` failures are one clear line and exit 1: a missing path, a directory that
is not a Vosk model, a URL that cannot be reached (this machine is offline for model hosts)."""

from __future__ import annotations

from click.testing import CliRunner

from ivr.app.cli import main
from ivr.store.redis_server import free_port


def install(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["models", "install", *args])
    return result.exit_code, result.output


def test_a_missing_path_says_what_to_give(tmp_path):
    code, output = install(str(tmp_path / "nope"), "--dest", str(tmp_path / "models"))
    assert code == 1
    assert output.strip() == (f"ivr models install: no model at {tmp_path / 'nope'}: give a "
                              "model NAME, a URL, a .zip or a directory")


def test_a_directory_that_is_not_a_model_is_refused(tmp_path):
    (tmp_path / "notes").mkdir()
    code, output = install(str(tmp_path / "notes"), "--dest", str(tmp_path / "models"))
    assert code == 1 and "does not look like a Vosk model" in output
    assert not list((tmp_path / "models").iterdir())  # nothing half-installed


def test_an_unreachable_url_suggests_installing_from_a_downloaded_zip(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/vosk-model-small-en-us-0.15.zip"
    code, output = install(url, "--dest", str(tmp_path / "models"))
    assert code == 1
    assert output.startswith(f"ivr models install: download failed: {url}")
    assert "ivr models install PATH.zip" in output
