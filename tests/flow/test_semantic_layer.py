"""The semantic layer as the core sees it: a table of scores in the Context, no model.

The core decides (rules first, then the scores, then the safety net); these tests pin what a
score table makes it do, so thresholds and ordering are checked without loading anything.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

import pytest
from flowchat import FRIDAY_NIGHT, Chat

from ivr.flow.actions import Transfer
from ivr.flow.errors import ConfigError
from ivr.flow.loader import parse_flow
from ivr.flow.semantic import combined, semantic_bucket
from ivr.semantic import Semantic, shared


def table(scores: Mapping[str, float]) -> Callable[[str], Mapping[str, float]]:
    """A similarity function that gives every message the same scores."""
    return lambda text: scores


def with_scores(chat: Chat, scores: Mapping[str, float]) -> Chat:
    chat.ctx = dataclasses.replace(chat.ctx, similar=table(scores))
    return chat


def test_a_threat_to_take_the_children_in_new_words_reaches_intake_staff(law):
    chat = with_scores(law(), {"emergency": 0.72, "intake": 0.55, "asked_for_human": 0.1})
    chat.send("he keeps saying one day I'll wake up and the boys will be gone for good")
    assert chat.transfer is not None and chat.transfer.urgent
    assert "emergency" in chat.state.reasons
    assert chat.state.bucket == "emergency"


def test_the_rules_come_first(hvac):
    """A phrase the flow lists decides unless the layer hears another topic far more clearly
    (below: a clear lead moves a bot's topic)."""
    chat = with_scores(hvac(), {"hours": 0.6, "quote": 0.5, "installation": 0.5})
    chat.send("I'd like a quote for a new furnace")
    assert chat.state.bucket in ("quote", "installation")


def test_a_bucket_from_the_scores_when_the_rules_are_blind(shop):
    chat = with_scores(shop(), {"recommendation": 0.62, "returns": 0.3})
    chat.send("my aunt adores anything lemony, what would you pick for her")
    assert chat.state.bucket == "recommendation"


def test_a_request_for_a_person_in_any_words_reaches_one_in_every_flow(law, hvac, shop):
    for start in (law, hvac, shop):
        chat = with_scores(start(), {"asked_for_human": 0.7, "hours": 0.2})
        chat.send("I would really prefer someone real on the line")
        assert chat.transfer is not None, chat.flow.name
        assert "asked_for_human" in chat.state.reasons


def test_a_danger_trigger_is_checked_in_every_state(hvac):
    """Mid-way through a quote, a message near the emergency examples still escalates."""
    chat = hvac()
    chat.send("I'd like a quote")
    assert chat.ask is not None and chat.ask.slot == "system"
    with_scores(chat, {"emergency": 0.8, "quote": 0.2})
    chat.send("hang on there is a weird sulphur smell by the heater and I feel dizzy")
    assert chat.transfer is not None and chat.transfer.urgent


def test_short_answers_are_left_to_the_rules(hvac):
    chat = hvac()
    chat.send("I'd like a quote")
    with_scores(chat, {"emergency": 0.99})
    chat.send("heat pump")
    assert chat.transfer is None


def test_an_unplaced_message_with_a_distress_cue_goes_to_a_person(shop):
    chat = shop()
    chat.send("please help I'm so scared right now")
    assert chat.transfer is not None and chat.transfer.urgent
    assert "distress" in chat.state.reasons


def test_after_hours_a_distress_cue_still_rings_on_call(shop):
    chat = shop(at=FRIDAY_NIGHT)
    chat.send("something is very wrong and I'm panicking")
    assert chat.transfer is not None and chat.transfer.urgent


def test_a_near_trigger_score_is_a_cue(shop):
    chat = with_scores(shop(), {"health_safety": 0.4, "returns": 0.2})
    chat.send("the kitty has been acting odd since the new bottle came")
    assert chat.state.extra["distress_cue"] == "near:health_safety"
    assert chat.state.reasons == ["distress"]
    assert isinstance(chat.last[-1], Transfer) or chat.transfer is not None


def test_a_near_miss_of_a_routine_trigger_is_no_distress(shop):
    """Nearly a billing problem or a big order is a routine question, not an emergency: an
    unplaced "is there a discount over 100" must not ring staff as urgent."""
    chat = with_scores(shop(), {"billing_problem": 0.45, "bulk_order": 0.42,
                                "product_question": 0.2})
    chat.send("is there some sort of deal if I spend a lot")
    assert "distress_cue" not in chat.state.extra
    assert chat.transfer is None and "distress" not in chat.state.reasons


def test_two_turns_in_a_row_not_understood_offer_a_person(hvac):
    chat = hvac()
    chat.send("blorp zing")
    chat.send("wibble wobble")
    assert chat.ask is not None and chat.ask.menu
    assert "0 to talk to a person" in chat.ask.prompt
    chat.send("0")
    assert chat.transfer is not None


def test_escalation_confidence_combines_the_layers(hvac):
    chat = with_scores(hvac(), {"asked_for_human": 0.64})
    chat.send("would love to chat with somebody from the shop directly")
    assert chat.state.confidence == 0.64
    assert combined(1.0, 0.5) == 1.0 and combined(0.8, 0.5) == 0.9
    assert combined(None, 0.6) == 0.6 and combined(None, None) == 0.0


def test_an_unclear_table_chooses_no_bucket(hvac):
    assert semantic_bucket(hvac().flow, {"quote": 0.2, "hours": 0.1}) is None


TINY = """\
name: tiny
greeting: "Hi"
ask: "How can I help?"
buckets:
  order:
    route: bot_only
    answer: "ok"
    examples:
      - "where has my parcel got to"
      - refund
"""


def test_examples_are_validated_with_their_line():
    with pytest.raises(ConfigError) as raised:
        parse_flow(TINY, "tiny.yaml")
    assert "tiny.yaml:10: bucket 'order': example 2 is not a sentence" in str(raised.value)


def test_examples_alone_make_a_bucket_reachable():
    flow = parse_flow(TINY.replace("      - refund\n", ""), "tiny.yaml")
    assert flow.buckets["order"].examples == ("where has my parcel got to",)


def test_the_layer_may_move_a_bots_bucket_to_a_person_never_the_reverse(law):
    """"Checking on my child support case" reads as a new matter by its words; the layer hears
    an existing client (a person's bucket) and the rules' choice gives way, only that way."""
    chat = with_scores(law(), {"existing_client": 0.66, "intake": 0.5})
    chat.send("hey it's Dee, checking how my child support case is going")
    assert chat.state.bucket == "existing_client" and chat.transfer is not None
    chat = with_scores(law(), {"hours": 0.9, "intake": 0.5})
    chat.send("I need help with my divorce please")
    assert chat.state.bucket == "intake"


def test_an_answer_to_a_question_is_not_a_request_for_a_person(law):
    chat = law()
    chat.send("I need help with a divorce")
    asked = chat.ask.slot if chat.ask else None
    with_scores(chat, {"asked_for_human": 0.6})
    chat.send("No, I don't have a lawyer")
    assert chat.transfer is None and asked is not None


def test_a_clear_lead_moves_a_bots_topic_to_another_bots_topic(hvac):
    """"Maintenance" is the rules' word for scheduling a visit; a customer asking what the
    maintenance club costs asks about the plan, and the layer's clear lead says so."""
    chat = hvac()
    chat.send("what does your maintenance club cost per year")
    assert chat.state.bucket == "maintenance_scheduling"  # the rules alone
    chat = with_scores(hvac(), {"service_plan": 0.72, "maintenance_scheduling": 0.44})
    chat.send("what does your maintenance club cost per year")
    assert chat.state.bucket == "service_plan"


def test_a_narrow_lead_or_a_persons_bucket_keeps_the_rules_choice(hvac, law):
    chat = with_scores(hvac(), {"service_plan": 0.6, "maintenance_scheduling": 0.5})
    chat.send("what does your maintenance club cost per year")
    assert chat.state.bucket == "maintenance_scheduling"
    chat = with_scores(hvac(), {"hours": 0.9, "emergency_repair": 0.3})
    chat.send("my furnace is making a loud noise")
    assert chat.state.bucket == "emergency_repair" and chat.transfer is not None
    chat = with_scores(law(), {"consultation_fee": 0.9, "intake": 0.4})
    chat.send("I need help with my divorce please")
    assert chat.state.bucket == "intake"


def test_a_customer_who_says_they_are_not_a_client_is_not_paged_as_one(law):
    """Rules alone: a denied "current client" is no existing client, exact or fuzzy."""
    chat = law()
    chat.send("I'm not a current client, how much is a first consultation")
    assert chat.state.bucket != "existing_client" and chat.transfer is None


def test_a_complaint_heard_beside_a_price_reaches_a_person(hvac):
    """Rules alone: "money back" (a complaint) nearly as strong as the price words is safety
    first, not a quote."""
    chat = hvac()
    chat.send("money back please, the tech only gave me an estimate and charged me the diagnostic fee")
    assert chat.state.bucket == "complaint" and chat.transfer is not None


def test_an_existing_client_who_names_their_matter_reaches_their_lawyer_not_intake(law):
    """Rules alone: "update on my" and "case status" heard nearly as strongly as "child
    support" are the firm's own client, not a new matter to qualify."""
    chat = law()
    chat.send("Renee again, any update on my child support case status")
    assert chat.state.bucket == "existing_client" and chat.transfer is not None


NET = TINY.replace("      - refund\n", "") + """\
needs_a_person:
  examples:
    - "I was charged twice for one parcel"
  not:
    - "where has my parcel got to"
"""


def test_the_needs_a_person_examples_are_read_with_their_contrast():
    flow = parse_flow(NET, "tiny.yaml")
    assert flow.person_examples == ("I was charged twice for one parcel",)
    assert flow.routine_examples == ("where has my parcel got to",)


def test_a_needs_a_person_net_without_its_contrast_is_refused_with_its_line():
    with pytest.raises(ConfigError) as raised:
        parse_flow(NET.replace('  not:\n    - "where has my parcel got to"\n', ""), "tiny.yaml")
    assert "tiny.yaml:10: needs_a_person: needs both examples" in str(raised.value)
    mixed = NET[:NET.rindex("    - ")] + '    - "I was charged twice for one parcel"\n  also: [x]\n'
    with pytest.raises(ConfigError) as raised:
        parse_flow(mixed, "tiny.yaml")
    assert "tiny.yaml:14: needs_a_person: not 1 is also an example" in str(raised.value)
    assert "tiny.yaml:15: needs_a_person: unknown key 'also'" in str(raised.value)


def test_a_customer_the_net_hears_needing_a_person_reaches_one(shop):
    """No phrase, no bucket's examples: nearer the shop's "needs a person" sentences than its
    routine ones, and nearest the billing trigger, so the billing team takes it."""
    chat = with_scores(shop(), {"needs_a_person": 0.62, "needs_no_person": 0.41,
                                "billing_problem": 0.48, "order_status": 0.3})
    chat.send("the numbers on my statement look off to me")
    assert chat.transfer is not None and "billing_problem" in chat.state.reasons


def test_a_routine_question_the_net_is_unsure_of_stays_with_the_bot(shop):
    chat = with_scores(shop(), {"needs_a_person": 0.5, "needs_no_person": 0.48,
                                "product_question": 0.52})
    chat.send("is the soap vegan, asking for a friend")
    assert chat.transfer is None and chat.state.bucket == "product_question"


def test_the_net_with_no_person_label_near_hands_over_without_guessing_a_topic(law):
    chat = with_scores(law(), {"needs_a_person": 0.6, "needs_no_person": 0.3, "intake": 0.2})
    chat.send("wibble the thing about the thing")
    assert chat.transfer is not None and chat.state.reasons == ["needs_a_person"]


# -- with the real model (the bundled sentence encoder; skipped where it is not installed) ----
@pytest.fixture(scope="module")
def model() -> Semantic:
    layer = shared()
    if not layer.available:
        pytest.skip("the sentence encoder is not installed")
    return layer


def listening(chat: Chat, layer: Semantic) -> Chat:
    chat.ctx = dataclasses.replace(chat.ctx, similar=layer.for_flow(chat.flow))
    return chat


def test_an_existing_client_asking_about_their_hearing_in_their_own_words_reaches_a_person(
        law, model):
    """No existing-client phrase and a new matter's words ("orders", "hearing"): the net hears
    a client of the firm."""
    chat = listening(law(), model)
    chat.send("what happened with my temporary orders hearing")
    assert chat.state.bucket == "existing_client" and chat.transfer is not None


def test_a_new_client_with_a_hearing_and_no_lawyer_is_qualified_not_paged(law, model):
    chat = listening(law(), model)
    chat.send("we have a hearing coming up and I don't have a lawyer yet, can you help")
    assert chat.state.bucket == "intake" and chat.transfer is None


def test_a_charge_for_shipping_that_should_be_free_goes_to_the_billing_team_not_a_product_answer(
        shop, model):
    chat = listening(shop(), model)
    chat.send("got charged a shipping fee even though my order was over the free shipping amount")
    assert "billing_problem" in chat.state.reasons and chat.transfer is not None
    assert chat.state.bucket is None  # staff read a billing problem, not a product question


def test_a_routine_shipping_price_question_is_answered_by_the_bot(shop, model):
    for text in ("do you charge for shipping to Hawaii", "is shipping free if I spend fifty dollars"):
        chat = listening(shop(), model)
        chat.send(text)
        assert chat.transfer is None and chat.state.bucket == "product_question", text


def test_a_business_ordering_by_the_case_reaches_a_person(shop, model):
    chat = listening(shop(), model)
    chat.send("we run a bakery and want to order your soaps by the case")
    assert chat.transfer is not None


def test_asking_for_the_owner_about_an_install_reaches_a_person(hvac, model):
    chat = listening(hvac(), model)
    chat.send("I want to speak with the owner about the install")
    assert chat.transfer is not None and chat.state.bucket == "installation"


def test_a_danger_only_as_near_as_the_new_matter_stays_a_matter(law):
    """A custody quarrel the sentence model hears as near the danger examples as the new
    matter's is qualified, not paged as an emergency (`TRIGGER_LEAD`); a clear lead pages."""
    chat = with_scores(law(), {"emergency": 0.57, "intake": 0.57, "asked_for_human": 0.1})
    chat.send("every holiday turns into a tug of war with her over the kids")
    assert chat.state.bucket == "intake" and "emergency" not in chat.state.reasons
    chat = with_scores(law(), {"emergency": 0.6, "intake": 0.57, "asked_for_human": 0.1})
    chat.send("every holiday turns into a tug of war with her over the kids")
    assert chat.state.bucket == "emergency" and chat.transfer is not None
