"""`ivr flows try` and `ivr flows draft`: the wiring between the command line and the replay.

The replay engine (`ivr.analytics.replay`) may not import the conversation layer, so this is
where the live product's own Context (`ivr.conversation.service.build_context`) and semantic
layer (`ivr.semantic.shared`) are handed to it: what `try` reports is what a live text gets.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from ivr.analytics import draft as drafting
from ivr.analytics.replay import (
    Conversation,
    Trial,
    changes,
    read_conversations,
    run,
    summary_lines,
)
from ivr.analytics.replay_report import render_html
from ivr.config.business import Business, load_business
from ivr.conversation.service import build_context
from ivr.flow.context import Similar
from ivr.flow.loader import load_flow
from ivr.flow.model import Flow
from ivr.flow.yamlsrc import parse
from ivr.runtime import system_clock
from ivr.semantic import Semantic, shared
from ivr.store.private import open_private

#: The semantic layer for a flow, None for rules only (the live product: `shared().for_flow`).
SimilarFor = Callable[[Flow], Similar | None]


def live_similar(flow: Flow) -> Similar | None:
    """What the live product consults for `flow`: the shared model, when it loads."""
    return shared().for_flow(flow)


def is_flow_file(path: Path) -> bool:
    """A flow has `buckets:`; a business file names its `flow:`."""
    node = parse(Path(path).read_text(encoding="utf-8"), str(path))
    return isinstance(node, dict) and "buckets" in node and "numbers" not in node


def version_of(business: Business, path: Path) -> tuple[Business, Flow]:
    """The business and flow as `path` has them: an older flow file runs with today's business
    facts; an older business file brings its own hours, params and flow."""
    if is_flow_file(path):
        return business, load_flow(path)
    old = load_business(path)
    return old, load_flow(old.flow_path)


def trial(business: Business, flow: Flow, conversations: list[Conversation], now: datetime,
          similar_for: SimilarFor = live_similar) -> Trial:
    """Replay through the live Context and semantic layer."""
    return run(conversations, business, flow, build_context, similar_for(flow), now)


def try_cli(business_file: Path, conversations_file: Path, *, compare: Path | None = None,
            as_json: bool = False, html: Path | None = None,
            similar_for: SimilarFor = live_similar, now: datetime | None = None) -> None:
    """`ivr flows try`: print the summary (or JSON), write the HTML report when asked."""
    business = load_business(business_file)
    flow = load_flow(business.flow_path)
    conversations, problems = read_conversations(conversations_file)
    now = now or system_clock()
    result = run(conversations, business, flow, build_context, similar_for(flow), now, problems)
    changed = None
    if compare is not None:
        old_business, old_flow = version_of(business, compare)
        before = trial(old_business, old_flow, conversations, now, similar_for)
        changed = changes(before, result)
    if as_json:  # the summary lists them; JSON readers get them on stderr as well
        for problem in result.problems:
            click.echo(f"{conversations_file}: {problem}", err=True)
    if html is not None:
        with open_private(html, "w") as handle:
            handle.write(render_html(result, changed))
    if as_json:
        body: dict[str, Any] = result.to_json()
        if changed is not None:
            body["changed"] = [c.to_json() for c in changed]
        click.echo(json.dumps(body, indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(summary_lines(result, changed)))
        if html is not None:
            click.echo(f"\nreport written to {html}")


def draft_cli(conversations_file: Path, out: Path | None, semantic: Semantic | None = None,
              *, name: str = "draft") -> None:
    """`ivr flows draft`: group the first messages, print the groups, write the flow YAML."""
    conversations, problems = read_conversations(conversations_file)
    for problem in problems:
        click.echo(f"{conversations_file}: {problem}", err=True)
    semantic = semantic or shared()
    if not semantic.available:
        raise click.ClickException("the sentence model could not be loaded; `ivr flows draft` "
                                   "needs it (see docs/configuration.md)")
    texts = [c.text for c in conversations]
    groups, unsorted = drafting.group(texts, semantic)
    text = drafting.flow_yaml(groups, len(texts), unsorted, name)
    if out is None:
        click.echo(text, nl=False)
        return
    with open_private(out, "w") as handle:
        handle.write(text)
    click.echo("\n".join(drafting.summary(groups, len(texts), unsorted)))
    click.echo(f"\ndraft flow written to {out}: finish each TODO(owner), then "
               f"`ivr flows check {out}`")
