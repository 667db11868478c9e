"""`ivr flows try --html FILE`: the replay as a standalone page with plots, to keep or mail.

Standalone (inline CSS and SVG from `ivr.analytics.charts`, no script) like `ivr report
--format html`, so it opens from a file with nothing fetched. Every customer text on it is
masked (`ivr.flow.redact`), as in the summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ivr.analytics import charts
from ivr.analytics.replay import EXAMPLES, NO_BUCKET, Change, Trial, summary_lines

TEMPLATES = Path(__file__).resolve().parents[1] / "web" / "templates"


def figures(trial: Trial) -> dict[str, Markup]:
    """The report's plots: conversations per bucket (person buckets in the other colour), per
    route, and how many reach a person, with and without the labels' verdict."""
    person = {r.decision.bucket or NO_BUCKET for r in trial.replayed
              if r.decision.route == "human"}
    reached = sum(r.decision.reach_person for r in trial.replayed)
    people = [("reach a person", reached), ("stay with the bot", len(trial.replayed) - reached)]
    if trial.judged:
        people += [("must reach one, would not", len(trial.misses)),
                   ("needless pages", len(trial.needless))]
    return {
        "by_bucket": Markup(charts.bar_chart(list(trial.counts(lambda d: d.bucket).items()),
                                             "Conversations by bucket", alt=tuple(person))),
        "by_route": Markup(charts.bar_chart(list(trial.counts(lambda d: d.route).items()),
                                            "Conversations by route")),
        "people": Markup(charts.bar_chart(people, "Who reaches a person",
                                          alt=("must reach one, would not",))),
    }


def render_html(trial: Trial, changed: Sequence[Change] | None = None) -> str:
    """The page: plots, then the same summary `ivr flows try` prints, then the changes."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    css = (TEMPLATES.parent / "static" / "dashboard.css").read_text(encoding="utf-8")
    return env.get_template("try.html").render(
        t=trial, summary="\n".join(summary_lines(trial, None)), charts=figures(trial),
        changed=changed, css=Markup(css), examples=EXAMPLES)
