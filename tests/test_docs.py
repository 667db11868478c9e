"""The README and the docs name only files that exist: a reader who follows a link or looks for
a file the docs name finds it (the README once sent readers to a DESIGN.md that was never
there)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ivr.config.settings import PROJECT_ROOT

#: The pages a reader is sent to.
PAGES = sorted([PROJECT_ROOT / "README.md", *PROJECT_ROOT.glob("docs/*.md"),
                PROJECT_ROOT / "flows" / "README.md", PROJECT_ROOT / "bench" / "results.md"])
#: Top-level folders of the repository: a backticked path starting with one names a repo file.
#: (Others, like `var/` or `config/`, are made at run time or by the reader.)
REPO_DIRS = ("ivr", "flows", "examples", "docs", "bench", "tests", "scripts")
#: A page named in prose, like "see DESIGN.md".
PAGE_NAME = re.compile(r"(?<![\w/.-])([\w-]+(?:/[\w-]+)*\.md)\b")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
TICKED = re.compile(r"`([^`\s]+)`")
FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def links(text: str) -> list[str]:
    """Relative link targets (no scheme, no bare anchor), without their #anchor."""
    return [target.split("#", 1)[0] for target in LINK.findall(text)
            if not re.match(r"^[a-z]+:", target) and not target.startswith("#")]


def repo_paths(text: str) -> list[str]:
    """Backticked names of repository files and folders, like `ivr/web/app.py` or
    `flows/*.yaml`, outside code blocks (which hold commands and YAML, not references)."""
    names = TICKED.findall(FENCE.sub("", text))
    return [n.rstrip(".,:;") for n in names
            if n.split("/", 1)[0] in REPO_DIRS and "/" in n and not re.search(r"[<>{}|]", n)]


def page_names(text: str) -> list[str]:
    """Markdown pages named in prose or code (`DESIGN.md`, docs/security.md)."""
    return PAGE_NAME.findall(re.sub(r"https?://\S+", "", text))


def exists(path: Path) -> bool:
    """A file or folder, or a glob that matches at least one."""
    if any(c in path.name for c in "*?["):
        return any(path.parent.glob(path.name))
    return path.exists()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_every_link_in_the_docs_names_a_file_that_exists(page: Path):
    missing = [target for target in links(page.read_text(encoding="utf-8"))
               if target and not exists(page.parent / target)]
    assert missing == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_every_file_the_docs_name_exists(page: Path):
    missing = [name for name in repo_paths(page.read_text(encoding="utf-8"))
               if not exists(PROJECT_ROOT / name)]
    assert missing == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_every_page_the_docs_mention_exists(page: Path):
    """A page named in passing ("the shape of DESIGN.md's API") is one a reader goes looking
    for: beside this page, or from the repository's root."""
    missing = [name for name in page_names(page.read_text(encoding="utf-8"))
               if not (page.parent / name).exists() and not (PROJECT_ROOT / name).exists()]
    assert missing == []


def test_the_readme_reads_in_a_few_screens():
    """What it is, the two commands, trying, configuring, deploying, scaling, the figures:
    the rest lives in docs/ and bench/results.md."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    assert readme.index("make demo") < readme.index("## ")  # the two commands come first
    for secret in ("IVR_SECRET_KEY", "IVR_API_TOKEN", "TWILIO_AUTH_TOKEN", "docs/security.md"):
        assert secret in readme
