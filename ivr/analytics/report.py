"""`ivr report`: the monthly review, as Markdown, a standalone HTML page, or CSV.

What the owner needs once a month: the metrics with their trend against the previous period of
the same length (overall and per business), the unanswered questions to write answers for,
content nobody has touched in 90 days, buckets whose escalations staff judged unnecessary
(routing suggestions), and background jobs that failed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ivr.analytics import charts, display
from ivr.analytics.period import BadPeriod, Period, business_keys, period_metrics
from ivr.analytics.staleness import StaleItem, stale_content
from ivr.config.settings import Settings
from ivr.jobs.queues import failed_jobs
from ivr.runtime import Runtime, system_clock
from ivr.store.embedded import ensure_redis
from ivr.store.records import iso

#: A bucket is flagged when at least this many escalations were judged ...
MIN_JUDGED = 3
#: ... and at least this share of them were judged unnecessary.
UNNEEDED_SHARE = 0.5

#: Where a bucket's route could move when people say its escalations were not needed.
GENTLER_ROUTE = {"human": "bot_first", "bot_first": "bot_only"}

TEMPLATES = Path(__file__).resolve().parents[1] / "web" / "templates"


@dataclass
class Review:
    """Everything the monthly review shows."""

    period: Period
    generated_at: datetime
    overall: dict[str, Any]
    businesses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    stale: list[StaleItem] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)


def routing_suggestions(by_bucket: dict[str, dict[str, Any]]) -> list[str]:
    """"complaint: 4 of 5 escalations judged unnecessary — consider bot_first"."""
    out = []
    for bucket, row in by_bucket.items():
        judged = row["judged_needed"] + row["judged_unneeded"]
        if judged < MIN_JUDGED or row["judged_unneeded"] < UNNEEDED_SHARE * judged:
            continue
        target = GENTLER_ROUTE.get(row.get("route") or "")
        advice = f"consider {target}" if target else "review its escalation triggers"
        out.append(f"{bucket}: {row['judged_unneeded']} of {judged} escalations judged "
                   f"unnecessary — {advice}")
    return out


def build_review(runtime: Runtime, period: Period, business: str | None = None) -> Review:
    keys = business_keys(runtime, business)
    overall = period_metrics(runtime, period, keys)
    names = {b.key: b.name for b in runtime.directory}
    per_business = [(names.get(key, key), period_metrics(runtime, period, [key]))
                    for key in keys] if len(keys) > 1 else []
    configured = [b for b in runtime.directory if b.key in keys]
    return Review(period=period, generated_at=runtime.clock(), overall=overall,
                  businesses=per_business,
                  stale=stale_content(runtime.store, configured, runtime.clock()),
                  suggestions=routing_suggestions(overall["by_bucket"]),
                  failed=failed_jobs(runtime.redis))


# -- renderers --------------------------------------------------------------------------------
def _metric_rows(body: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(label, this period, previous period, change) per metric, formatted."""
    return [(label, display.metric(body[name], name),
             display.metric(body["change"][name]["previous"], name),
             display.delta(body["change"][name], name) or "—")
            for name, label in display.LABELS.items()]


def render_md(review: Review) -> str:
    o = review.overall
    lines = [f"# Monthly review: {display.local(review.period.since)} – "
             f"{display.local(review.period.until)}", "",
             f"Compared with the previous {review.period.length.days} days. "
             f"Generated {display.local(review.generated_at)}.", "",
             "## Metrics", "", "| Metric | This period | Previous | Change |",
             "|---|---:|---:|---:|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in _metric_rows(o)]
    if review.businesses:
        lines += ["", "## By business", "",
                  "| Business | " + " | ".join(display.LABELS.values()) + " |",
                  "|---|" + "---:|" * len(display.LABELS)]
        for name, body in review.businesses:
            cells = [display.metric(body[k], k) for k in display.LABELS]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "## Volume by bucket", ""]
    if o["by_bucket"]:
        lines += ["| Bucket | Route | Conversations | Escalations | Judged unnecessary |",
                  "|---|---|---:|---:|---:|"]
        lines += [f"| {b} | {r['route'] or '—'} | {r['conversations']} | {r['escalations']} | "
                  f"{r['judged_unneeded']} |" for b, r in o["by_bucket"].items()]
    else:
        lines.append("No conversations in this period.")
    lines += ["", "## Unanswered questions", ""]
    if o["unanswered"]:
        lines += ["| Asked | Question | Also asked as | Status |", "|---:|---|---|---|"]
        for g in o["unanswered"]:
            others = "; ".join(f"“{e}”" for e in g["examples"] if e != g["question"]) or "—"
            status = "handled" if g["handled"] else "open"
            lines.append(f"| {g['count']} | {_cell(g['question'])} | {_cell(others)} | "
                         f"{status} |")
    else:
        lines.append("Nothing went unanswered.")
    lines += ["", "## Stale content (unchanged for 90 days or more)", ""]
    lines += [f"- {s.business}: `{s.item}` unchanged since {s.unchanged_since.date()} "
              f"({s.age(review.generated_at)} days, {s.source})" for s in review.stale] or [
        "Nothing is stale."]
    lines += ["", "## Routing suggestions", ""]
    lines += [f"- {s}" for s in review.suggestions] or ["No bucket's escalations were mostly "
                                                        "judged unnecessary."]
    lines += ["", "## Failed background jobs", ""]
    lines += [f"- {display.local(j['failed_at']) if j.get('failed_at') else '?'} "
              f"`{j.get('function')}` ({j.get('queue')}): "
              f"{j.get('error') or 'no error text'}" for j in review.failed] or ["No failed jobs."]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_csv(review: Review) -> str:
    """One table: section, business, item, value, previous, change, detail."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "business", "item", "value", "previous", "change", "detail"])
    scopes = [("all", review.overall), *review.businesses]
    for scope, body in scopes:
        for name in display.LABELS:
            change = body["change"][name]
            writer.writerow(["metric", scope, name, _raw(body[name]), _raw(change["previous"]),
                             _raw(change["delta"]), ""])
    for bucket, row in review.overall["by_bucket"].items():
        writer.writerow(["bucket", "all", bucket, row["conversations"], "", "",
                         f"route={row['route'] or ''} escalations={row['escalations']} "
                         f"judged_unneeded={row['judged_unneeded']}"])
    for g in review.overall["unanswered"]:
        writer.writerow(["unanswered", ",".join(g["businesses"]), g["question"], g["count"], "",
                         "", "handled" if g["handled"] else "open"])
    for s in review.stale:
        writer.writerow(["stale", s.business, s.item, iso(s.unchanged_since), "", "", s.source])
    for text in review.suggestions:
        writer.writerow(["suggestion", "all", text.split(":")[0], "", "", "", text])
    for j in review.failed:
        writer.writerow(["failed_job", "", j.get("function"), j.get("failed_at"), "", "",
                         j.get("error") or ""])
    return out.getvalue()


def _raw(value: Any) -> str:
    return "" if value is None else str(value)


def render_html(review: Review) -> str:
    """A standalone page (inline CSS and SVG) to archive or mail."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    env.filters.update(metric=display.metric, delta=display.delta, local=display.local)
    css = (TEMPLATES.parent / "static" / "dashboard.css").read_text(encoding="utf-8")
    o = review.overall
    human = [b for b, r in o["by_bucket"].items() if r["route"] == "human"]
    figures = {
        "time_to_human": Markup(charts.histogram(o["time_to_human_s"], "Time to a human")),
        "by_bucket": Markup(charts.bar_chart(
            [(b, r["conversations"]) for b, r in o["by_bucket"].items()],
            "Conversations by bucket", alt=human)),
    }
    return env.get_template("report.html").render(
        r=review, o=o, rows=_metric_rows(o), labels=display.LABELS, css=Markup(css),
        charts=figures)


RENDERERS = {"md": render_md, "html": render_html, "csv": render_csv}


def report_cli(settings: Settings, since: str | None = None, until: str | None = None,
               fmt: str = "md", business: str | None = None) -> None:
    """`ivr report [--since] [--until] [--format md|html|csv]`: print the review to stdout."""
    try:
        period = Period.parse(since, until, system_clock())
    except BadPeriod as exc:
        raise click.BadParameter(str(exc)) from exc
    runtime = Runtime.build(ensure_redis(settings))
    try:
        review = build_review(runtime, period, business)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(RENDERERS[fmt](review), nl=False)
