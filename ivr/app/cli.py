"""The `ivr` command line: serve, worker, demo, simulate, flows check/try/draft, models install,
report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ivr.analytics.report import report_cli
from ivr.app.demo import run_demo
from ivr.app.serve import serve as run_serve
from ivr.app.tryflow import draft_cli, try_cli
from ivr.app.wiring import build_runtime
from ivr.config.checks import check_files
from ivr.config.directory import load_directory
from ivr.config.oncall import find_business, format_roster, roster_view
from ivr.config.settings import Settings
from ivr.flow.errors import ConfigError
from ivr.handoff.export import export_cli
from ivr.jobs.worker import run_worker
from ivr.logs import configure
from ivr.runtime import system_clock
from ivr.sim.terminal import run_terminal
from ivr.speech.models import install_cli
from ivr.store.embedded import ensure_redis
from ivr.store.redis_server import RedisServerError


class _Main(click.Group):
    """The command group: a broken business config or a missing redis-server is one clear
    message and exit 1 for every command, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            click.echo(f"ivr: the business config has problems:\n{exc}", err=True)
            sys.exit(1)
        except RedisServerError as exc:
            click.echo(f"ivr: {exc}", err=True)
            sys.exit(1)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ivr")
def main() -> None:
    """ivr: a self-hosted, voice-first phone and SMS front desk for small businesses.

    New here? `ivr demo` runs everything on this machine with the example businesses.
    Settings come from the environment (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, IVR_API_TOKEN,
    IVR_PUBLIC_URL, REDIS_URL, IVR_CONFIG, ...): see docs/configuration.md.
    """


@main.command(short_help="Run the web app (webhooks, media streams, API, dashboard).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=32, show_default=True, type=int,
              help="gunicorn threads (each WebSocket media stream holds one)")
@click.option("--workers", default=1, show_default=True, type=int)
def serve(host: str, port: int, threads: int, workers: int) -> None:
    """Run the web app: webhooks, media streams, API, dashboard (gunicorn, threaded)."""
    run_serve(Settings.from_env(), host=host, port=port, threads=threads, workers=workers)


@main.command()
@click.option("--burst", is_flag=True, help="exit when the queues are empty")
@click.option("--fork", is_flag=True,
              help="run each job in a forked work-horse (isolated, but each starts cold)")
def worker(burst: bool, fork: bool) -> None:
    """Run the rq worker (with its scheduler) for background jobs."""
    configure()
    settings = ensure_redis(Settings.from_env())
    run_worker(build_runtime(settings), burst=burst, fork=fork)


@main.command(short_help="Everything on loopback, and you at the terminal.")
@click.option("--script", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="read the session from a file instead of the terminal")
def demo(script: Path | None) -> None:
    """Start everything locally (Redis, web, worker, carrier simulator) and talk to it."""
    run_demo(script=script)


@main.command(short_help="Call or text a running ivr, or sit on call.")
@click.option("--as", "role", type=click.Choice(["caller", "texter", "agent"]), default="caller",
              show_default=True)
@click.option("--business", help="business name or number to reach (default: the first)")
@click.option("--from", "from_", default="+15125550199", show_default=True,
              help="your number (as agent: default the business's first on-call staff)")
def simulate(role: str, business: str | None, from_: str) -> None:
    """Talk to a running `ivr serve` as a caller, texter or agent through the carrier simulator.

    Run the server with the same TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN and with TWILIO_API_BASE
    set to a free loopback port (e.g. http://127.0.0.1:5056): this command serves Twilio's REST
    API there, so the server's texts and calls reach you. IVR_PUBLIC_URL is the server's URL
    (default http://127.0.0.1:5000).
    """
    run_terminal(Settings.from_env(), role=role, business=business, caller=from_)


@main.group()
def flows() -> None:
    """Flows and business configs: check them before deploying."""


@flows.command("check", short_help="Validate flows and business configs.")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
def flows_check(files: tuple[Path, ...]) -> None:
    """Validate flows and business configs; prints `file:line: problem`, exits 1 on any."""
    problems = check_files(list(files))
    for problem in problems:
        click.echo(str(problem))
    if problems:
        sys.exit(1)
    checked = sum(len(list(f.glob("*.y*ml"))) if f.is_dir() else 1 for f in files)
    click.echo(f"ok: {checked} file(s)")


@flows.command("try", short_help="Replay past conversations through a business's flow.")
@click.argument("business_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("conversations_file",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--compare", "compare", metavar="OLD_FILE",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="an older flow or business file: list every conversation it treats "
                   "differently")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.option("--html", type=click.Path(dir_okay=False, path_type=Path),
              help="also write a report with plots to this file")
def flows_try(business_file: Path, conversations_file: Path, compare: Path | None,
              as_json: bool, html: Path | None) -> None:
    """Replay past conversations (CSV with a `text` column, or `ivr export` JSON lines)
    through the business's flow exactly as live, texting and calling nobody: where each would
    go, who would reach a person, and, with `label`/`needs_person` columns, how often it is
    right. A malformed row is reported with its line and skipped."""
    try_cli(business_file, conversations_file, compare=compare, as_json=as_json, html=html)


@flows.command("draft", short_help="Group conversations by meaning into a starting flow.")
@click.argument("conversations_file",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="write the draft flow here (default: print it)")
@click.option("--name", default="draft", show_default=True, help="the flow's name")
def flows_draft(conversations_file: Path, out: Path | None, name: str) -> None:
    """Group unlabelled conversations by meaning (the local sentence model) into candidate
    buckets, each with its size and example sentences, and write a starting flow whose
    buckets carry those examples, for you to finish."""
    draft_cli(conversations_file, out, name=name)


@main.group()
def models() -> None:
    """Vosk speech models."""


@models.command("install", short_help="Install a Vosk model (NAME, URL or PATH).")
@click.argument("source", required=False)
@click.option("--dest", type=click.Path(path_type=Path), default=Path("models"), show_default=True)
def models_install(source: str | None, dest: Path) -> None:
    """Install a Vosk model by NAME, URL or local PATH (progress bar, checksum)."""
    install_cli(source, dest)


@main.command(short_help="The monthly review: metrics, unanswered questions.")
@click.option("--since", help="ISO date/time (default: 30 days ago)")
@click.option("--until", help="ISO date/time (default: now)")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "csv"]), default="md",
              show_default=True)
@click.option("--business", help="one business's key or name (default: all)")
def report(since: str | None, until: str | None, fmt: str, business: str | None) -> None:
    """The monthly review: metrics, unanswered questions, stale content, routing suggestions."""
    report_cli(Settings.from_env(), since=since, until=until, fmt=fmt, business=business)


@main.command()
@click.option("--business", help="business name or key (default: all)")
def oncall(business: str | None) -> None:
    """Who is on call right now, in hunt order."""
    directory = load_directory(Settings.from_env().config_path)
    if business:
        chosen = find_business(directory, business) or directory.named_like(business)
        if chosen is None:
            raise click.ClickException(f"no business named {business!r}; known: "
                                       + ", ".join(b.name for b in directory))
        businesses = [chosen]
    else:
        businesses = list(directory)
    now = system_clock()
    click.echo("\n\n".join(format_roster(roster_view(b, now)) for b in businesses))


@main.command(short_help="Finished conversations as CSV or JSON lines.")
@click.option("--since", help="ISO date/time")
@click.option("--until", help="ISO date/time")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="jsonl",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False),
              help="write to this file (created readable by you only) instead of stdout")
def export(since: str | None, until: str | None, fmt: str, out: str | None) -> None:
    """Export finished conversations as CSV or JSON lines to stdout or a private file."""
    export_cli(Settings.from_env(), since=since, until=until, fmt=fmt, out=out)


if __name__ == "__main__":
    main()
