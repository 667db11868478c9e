"""`ivr flows try` and `ivr flows draft`: what a business owner sees before going live.

Each test is named after what the owner would notice: where their past customers would go,
whether an edit changes who reaches a person, that a bad row costs a line and not the run, and
that a card number typed by a customer never comes back out.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from jobs_support import settle

from ivr.app.cli import main
from ivr.config.settings import PROJECT_ROOT

HVAC_BUSINESS = PROJECT_ROOT / "examples" / "polar_bear_hvac.yaml"
HVAC_FLOW = PROJECT_ROOT / "flows" / "hvac.yaml"
#: Wednesday 11:00 and Saturday 10:00 in Austin (Polar Bear is open Saturday 9 to noon).
WEDNESDAY = "2025-03-12T11:00:00-05:00"
SATURDAY = "2025-03-15T10:00:00-05:00"
CARD = "4111 1111 1111 1111"
KEYS = {"conversations", "by_bucket", "by_route", "reach_person", "not_understood", "rows"}
LABELLED_KEYS = KEYS | {"accuracy", "person_recall", "needless_pages", "misses"}


def flows(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["flows", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def csv_file(tmp_path: Path, rows: list[str], header: str = "id,text,at,label,needs_person",
             name: str = "past.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def tried(*args: str) -> dict:
    code, out, _ = flows("try", *map(str, args), "--json")
    assert code == 0, out
    return json.loads(out)


def edited_hvac(tmp_path: Path, flow_text: str) -> Path:
    """A copy of Polar Bear's business file running `flow_text`."""
    flow = tmp_path / "hvac_edited.yaml"
    flow.write_text(flow_text, encoding="utf-8")
    business = tmp_path / "polar_bear.yaml"
    business.write_text(HVAC_BUSINESS.read_text(encoding="utf-8").replace(
        "flow: flows/hvac.yaml", f"flow: {flow}"), encoding="utf-8")
    return business


def without_the_gas_trigger() -> str:
    """An edit an owner could make by mistake: the life-safety trigger and the needs-a-person
    net (the flow's last block, which would still hear the danger) deleted, and "smell gas"
    moved onto the hours answer."""
    text = HVAC_FLOW.read_text(encoding="utf-8")
    start, end = text.index("  # Life safety: gas"), text.index("  # Urgent without danger")
    text = text[:start] + text[end:]
    text = text[:text.index("\nneeds_a_person:")] + "\n"
    return text.replace("phrases: [hours, what time,", "phrases: [smell gas, hours, what time,")


def test_try_reports_where_each_conversation_goes_and_who_reaches_a_person(tmp_path):
    past = csv_file(tmp_path, [
        f"g1,I smell gas in the kitchen,{WEDNESDAY},emergency_repair,yes",
        f"h1,what are your hours,{WEDNESDAY},hours,no",
        f"h2,are you open on saturday,{WEDNESDAY},hours,no",
        f"r1,my furnace stopped working,{WEDNESDAY},emergency_repair,yes",
    ])
    body = tried(HVAC_BUSINESS, past)
    assert set(body) - {"problems"} == LABELLED_KEYS
    assert body["conversations"] == 4
    assert body["by_bucket"] == {"emergency_repair": 2, "hours": 2}
    assert body["by_route"] == {"bot_only": 2, "human": 2}
    assert (body["reach_person"], body["not_understood"]) == (2, 0)
    assert [r["id"] for r in body["rows"] if r["reach_person"]] == ["g1", "r1"]
    assert (body["accuracy"], body["person_recall"], body["needless_pages"]) == (1.0, 1.0, 0)
    assert body["misses"] == []

    code, text, _ = flows("try", str(HVAC_BUSINESS), str(past))
    assert code == 0
    assert "emergency_repair" in text and "e.g. 'I smell gas in the kitchen'" in text
    assert "must reach a person and would: 2/2 (100%)" in text


def test_unlabelled_conversations_get_the_summary_without_the_label_measures(tmp_path):
    past = csv_file(tmp_path, ["I need a quote for a new furnace", "blorp zzz"], header="text")
    body = tried(HVAC_BUSINESS, past)
    assert set(body) - {"problems"} == KEYS
    assert body["not_understood"] == 1


def test_a_flow_edit_that_stops_a_gas_smell_text_reaching_a_person_shows_in_compare(tmp_path):
    past = csv_file(tmp_path, [f"gas,I smell gas in the kitchen,{WEDNESDAY},,yes",
                               f"hours,what are your hours,{WEDNESDAY},,no"])
    body = tried(edited_hvac(tmp_path, without_the_gas_trigger()), past, "--compare", HVAC_FLOW)
    assert body["changed"] == [{
        "id": "gas", "text": "I smell gas in the kitchen",
        "before": {"bucket": "emergency_repair", "route": "human", "reach_person": True},
        "after": {"bucket": "hours", "route": "bot_only", "reach_person": False}}]
    assert [m["id"] for m in body["misses"]] == ["gas"]


def test_an_unchanged_flow_changes_nothing_in_compare(tmp_path):
    past = csv_file(tmp_path, [f"gas,I smell gas in the kitchen,{WEDNESDAY},,yes"])
    assert tried(HVAC_BUSINESS, past, "--compare", HVAC_BUSINESS)["changed"] == []


def test_closing_on_saturdays_shows_in_compare_for_saturday_texts(tmp_path):
    """An edit of opening hours is an edit: the quote asked on Saturday morning was answered by
    the bot while open, and becomes a call-back for a person once Saturday is closed."""
    past = csv_file(tmp_path, [f"sat,can I get a quote,the furnace,{SATURDAY}",
                               f"wed,can I get a quote,the furnace,{WEDNESDAY}"],
                    header="id,text,more,at")
    closed = tmp_path / "polar_bear_weekdays.yaml"
    closed.write_text(HVAC_BUSINESS.read_text(encoding="utf-8").replace(
        ', sat: "09:00-12:00"', "").replace("flow: flows/hvac.yaml", f"flow: {HVAC_FLOW}"),
        encoding="utf-8")
    body = tried(closed, past, "--compare", HVAC_BUSINESS)
    assert [c["id"] for c in body["changed"]] == ["sat"]
    [change] = body["changed"]
    assert (change["before"]["reach_person"], change["after"]["reach_person"]) == (False, True)


def test_a_malformed_row_is_reported_with_its_line_and_skipped(tmp_path):
    past = csv_file(tmp_path, [
        f"ok1,what are your hours,{WEDNESDAY},hours,no",
        f"empty,,{WEDNESDAY},hours,no",                       # line 3: no text
        "when,what are your hours,next tuesday-ish,hours,no",  # line 4: bad time
        f"judge,what are your hours,{WEDNESDAY},hours,maybe",  # line 5: bad yes/no
        'multi,"my furnace',                                    # line 6-7: a quoted newline
        f'stopped working",{WEDNESDAY},emergency_repair,yes',
        f"extra,what are your hours,{WEDNESDAY},hours,no,surplus",  # line 8: extra cell
        f"ok2,are you open on saturday,{WEDNESDAY},hours,no",
    ])
    code, out, err = flows("try", str(HVAC_BUSINESS), str(past))
    assert code == 0
    for line in (3, 4, 5, 8):
        assert f"line {line}: " in out
    body = tried(HVAC_BUSINESS, past)
    assert [r["id"] for r in body["rows"]] == ["ok1", "multi", "ok2"]
    assert [p.split(":")[0] for p in body["problems"]] == ["line 3", "line 4", "line 5",
                                                           "line 8"]

    jsonl = tmp_path / "export.jsonl"
    jsonl.write_text('{"id": "a", "text": "what are your hours"}\nnot json\n[1]\n'
                     '{"id": "b", "transcript": []}\n', encoding="utf-8")
    body = tried(HVAC_BUSINESS, jsonl)
    assert body["conversations"] == 1
    assert [p.split(":")[0] for p in body["problems"]] == ["line 2", "line 3", "line 4"]


def test_our_own_jsonl_export_replays_every_customer_message(tmp_path):
    record = {"id": "c-1", "caller": "+15125550123", "started_at": WEDNESDAY, "channel": "sms",
              "transcript": [{"role": "caller", "text": "can I get a quote", "at": WEDNESDAY},
                             {"role": "bot", "text": "What kind of system?", "at": WEDNESDAY},
                             {"role": "caller", "text": "the furnace", "at": WEDNESDAY}]}
    export = tmp_path / "month.jsonl"
    export.write_text(json.dumps(record) + "\n", encoding="utf-8")
    body = tried(HVAC_BUSINESS, export)
    assert body["rows"] == [{"id": "c-1", "bucket": "quote", "route": "bot_first",
                             "reach_person": False}]


def test_card_numbers_in_the_input_are_masked_in_every_output(tmp_path):
    past = csv_file(tmp_path, [
        f'card,"I smell gas, pay with {CARD}",{WEDNESDAY},,no',
        f'{CARD},"my card {CARD} was charged twice",{WEDNESDAY},payment,yes',
        f'bad,"{CARD}",not a date,,',
    ])
    report = tmp_path / "report.html"
    outputs = [flows("try", str(HVAC_BUSINESS), str(past), "--html", str(report)),
               flows("try", str(HVAC_BUSINESS), str(past), "--json"),
               flows("try", str(edited_hvac(tmp_path, without_the_gas_trigger())), str(past),
                     "--compare", str(HVAC_FLOW), "--json")]
    texts = [out + err for _, out, err in outputs] + [report.read_text(encoding="utf-8")]
    assert all(CARD not in t and CARD.replace(" ", "") not in t for t in texts)
    assert all("[card number]" in t for t in texts)
    draft = tmp_path / "draft.yaml"
    flows("draft", str(past), "--out", str(draft))
    assert CARD not in draft.read_text(encoding="utf-8")


def test_the_report_has_plots_and_no_script(tmp_path):
    past = csv_file(tmp_path, [f"g1,I smell gas in the kitchen,{WEDNESDAY},,yes"])
    report = tmp_path / "r.html"
    code, out, _ = flows("try", str(HVAC_BUSINESS), str(past), "--html", str(report))
    page = report.read_text(encoding="utf-8")
    assert code == 0 and "<svg" in page and "emergency_repair" in page
    assert "<script" not in page
    assert report.stat().st_mode & 0o077 == 0


DRAFT_TEXTS = {
    "heat": ["my furnace is not turning on", "the heater won't start this morning",
             "furnace stopped working and the house is cold", "no heat coming from the furnace",
             "our heater quit last night"],
    "bill": ["how do I pay my invoice", "can I pay my bill online",
             "where do I send payment for the invoice", "do you take credit cards for bills"],
    "hours": ["what time do you open", "are you open on saturday",
              "what are your business hours", "when do you close today"],
}


def test_draft_groups_texts_by_meaning_into_buckets_with_examples(tmp_path):
    texts = [t for group in DRAFT_TEXTS.values() for t in group]
    past = csv_file(tmp_path, texts, header="text")
    draft = tmp_path / "draft.yaml"
    code, out, _ = flows("draft", str(past), "--out", str(draft))
    assert code == 0, out
    assert "candidate bucket" in out
    text = draft.read_text(encoding="utf-8")
    assert "TODO(owner)" in text and "examples:" in text
    assert flows("check", str(draft))[0] == 0, flows("check", str(draft))[1]

    # each topic's texts land in one bucket of their own when the draft is tried
    business = tmp_path / "new_business.yaml"
    business.write_text(HVAC_BUSINESS.read_text(encoding="utf-8").replace(
        "flow: flows/hvac.yaml", f"flow: {draft}"), encoding="utf-8")
    labelled = csv_file(tmp_path, texts, header="text", name="again.csv")
    rows = tried(business, labelled)["rows"]
    buckets = [r["bucket"] for r in rows]
    start = 0
    seen: set[str] = set()
    for group in DRAFT_TEXTS.values():
        mine = buckets[start:start + len(group)]
        start += len(group)
        assert len(set(mine)) == 1 and mine[0] and mine[0] not in seen, buckets
        seen.add(mine[0])


LIVE_TEXTS = ["what are your hours", "can I get a quote", "my furnace stopped working",
              "I smell gas near the furnace", "hail damage to my outdoor unit",
              "I want to talk to a real person", "zxqv blorp", "do you serve Round Rock?"]


def test_try_reports_the_decisions_the_live_product_makes(live_app, carrier, runtime, clock,
                                                          tmp_path):
    """The same first texts, sent through the carrier simulator to the running app and replayed
    by `try` at the same moment from the same numbers, are put in the same bucket and route and
    reach a person alike."""
    at = clock().isoformat()
    rows = []
    live = {}
    for i, text in enumerate(LIVE_TEXTS):
        phone = f"+1512555{7000 + i}"
        carrier.phone(phone).text("+15125550200", text, settle_s=0.05)
        rows.append(f'{phone},"{text}",{at},{phone}')
    settle(runtime)
    for i, _ in enumerate(LIVE_TEXTS):
        phone = f"+1512555{7000 + i}"
        [record] = runtime.store.conversations(phone=phone)
        reached = bool(record.get("notified") or record.get("followup")
                       or record.get("transfer")
                       or record.get("outcome") in ("transferred", "escalated",
                                                    "after_hours_queued"))
        live[phone] = {"id": phone, "bucket": record["bucket"], "route": record["route"],
                       "reach_person": reached}
    past = csv_file(tmp_path, rows, header="id,text,at,phone")
    body = tried(HVAC_BUSINESS, past)
    assert {r["id"]: r for r in body["rows"]} == live
    assert any(r["reach_person"] for r in live.values())
    assert not all(r["reach_person"] for r in live.values())
