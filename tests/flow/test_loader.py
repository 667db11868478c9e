"""Flow files with mistakes are reported as `file:line: problem`, every problem at once."""

from __future__ import annotations

import pytest

from ivr.flow.errors import ConfigError
from ivr.flow.loader import load_flow, parse_flow

GOOD = """\
name: tiny
greeting: "Hi, this is the virtual assistant for {business}."
ask: "How can I help?"
slots:
  size:
    type: choice
    prompt: "Which size?"
    options:
      - {value: small, digit: "1"}
      - {value: large, digit: "2"}
buckets:
  order:
    route: bot_first
    phrases: [order]
    slots: [size]
    answer: "Noted."
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_flow(text, "tiny.yaml")
    return [str(p) for p in caught.value.problems]


def test_a_good_flow_loads():
    flow = parse_flow(GOOD, "tiny.yaml")
    assert flow.name == "tiny"
    assert flow.skill_for("order") == "intake"
    assert [c.value for c in flow.choices_for("size")] == ["small", "large"]


def test_every_shipped_flow_loads(directory):
    names = {load_flow(b.flow_path).name for b in directory}
    assert names == {"law_firm", "hvac", "ecommerce"}


def test_unknown_key_is_reported_on_its_line():
    text = GOOD.replace("    phrases: [order]\n", "    phrases: [order]\n    colour: red\n")
    assert problems(text) == ["tiny.yaml:15: bucket 'order': unknown key 'colour' (known: "
                              "after_hours, answer, description, digit, examples, faq, ignore, label, "
                              "lookup, pairs, phrases, places, qualify, reason, route, skill, "
                              "slots, urgent, urgent_if)"]


def test_bad_route_is_reported_on_its_line():
    assert problems(GOOD.replace("route: bot_first", "route: robot")) == [
        "tiny.yaml:13: bucket 'order': bad route 'robot' (routes: bot_only, bot_first, human)"]


def test_missing_prompt_is_reported_on_the_slot():
    assert problems(GOOD.replace('    prompt: "Which size?"\n', "")) == [
        "tiny.yaml:5: slot 'size': missing prompt"]


def test_bucket_naming_an_unknown_slot():
    assert problems(GOOD.replace("slots: [size]", "slots: [colour]")) == [
        "tiny.yaml:15: bucket 'order': names unknown slot 'colour'"]


def test_trigger_naming_an_unknown_slot_and_a_bad_regex():
    text = GOOD + """\
triggers:
  - name: big
    when: "slots.weight > 10"
  - name: odd
    patterns: ["(unclosed"]
"""
    found = problems(text)
    assert found[0] == "tiny.yaml:19: trigger 'big': names unknown slot 'weight'"
    assert found[1].startswith("tiny.yaml:21: trigger 'odd': bad regex pattern '(unclosed'")


def test_unreachable_bucket():
    text = GOOD + """\
  orphan:
    route: human
"""
    assert problems(text) == ["tiny.yaml:17: bucket 'orphan' is unreachable: no phrases, digit, "
                              "examples, default_bucket or trigger leads to it"]


def test_template_naming_an_unknown_slot():
    text = GOOD.replace('answer: "Noted."', 'answer: "Noted your {slots.colour}."')
    assert problems(text) == ["tiny.yaml:16: bucket 'order': names unknown slot 'colour'"]


def test_yaml_syntax_error_names_the_line():
    assert problems(GOOD + "  broken: [unclosed\n")[0].startswith("tiny.yaml:18: YAML syntax")


def test_several_problems_come_back_together_in_line_order():
    text = GOOD.replace("route: bot_first", "route: robot").replace("type: choice", "type: blob")
    found = problems(text)
    assert len(found) == 2
    assert found[0].startswith("tiny.yaml:6: slot 'size': unknown type 'blob'")
    assert found[1].startswith("tiny.yaml:13:")


def test_a_misspelt_name_in_the_greeting_or_a_prompt_is_reported():
    text = GOOD.replace("{business}", "{busines}").replace('"Which size?"', '"Which {sise}?"')
    assert problems(text) == [
        "tiny.yaml:2: flow greeting: unknown template name '{busines}'",
        "tiny.yaml:7: slot 'size' prompt: unknown template name '{sise}'"]


def test_a_slots_check_words_are_read_and_a_bad_one_is_reported():
    flow = parse_flow(GOOD.replace('    prompt: "Which size?"\n',
                                   '    prompt: "Which size?"\n    check: {small: "the small one"}\n'),
                      "tiny.yaml")
    assert flow.slots["size"].said_back("small") == "the small one"
    found = problems(GOOD.replace('    prompt: "Which size?"\n',
                                  '    prompt: "Which size?"\n    check: "small"\n'))
    assert any("check is a mapping" in p for p in found)
