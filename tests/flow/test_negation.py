"""Negation everywhere (issue 20.3): what the customer denies lowers a trigger instead of firing
it, in every flow; genuine danger worded with a negation still reaches a person at once."""

from __future__ import annotations

import dataclasses

import pytest

from ivr.flow.actions import Transfer
from ivr.flow.negation import deny
from ivr.flow.phrasing import padded


def _urgent(chat) -> bool:
    return any(isinstance(a, Transfer) and a.urgent for a in chat.actions)


def test_not_an_emergency_and_nobody_in_danger_does_not_say_call_911(law):
    chat = law()
    chat.send("It's not an emergency and nobody's in danger, I just need help with a custody "
              "schedule in Texas")
    assert "911" not in chat.said
    assert not _urgent(chat)
    assert "emergency" not in chat.state.reasons
    assert chat.state.slots["matter_type"] == "custody"


def test_nobody_hurt_me_is_not_read_as_hurt_me(law):
    chat = law()
    chat.send("He never hit me, I just want a divorce")
    assert "911" not in chat.said and not _urgent(chat)


def test_he_hit_me_still_fires_when_something_else_is_denied(law):
    chat = law()
    chat.send("I'm not sure what to do, he hit me last night")
    assert _urgent(chat) and "911" in chat.said


def test_not_safe_is_still_danger(law):
    chat = law()
    chat.send("I am not safe at home")
    assert _urgent(chat)


def test_no_gas_smell_and_no_smoke_is_a_repair_not_an_emergency(hvac):
    chat = hvac()
    chat.send("there's no smoke or burning smell, the furnace is just making a loud noise")
    assert "911" not in chat.said
    assert not _urgent(chat)


def test_i_smell_gas_after_a_no_still_fires(hvac):
    chat = hvac()
    chat.send("no, I smell gas in the kitchen")
    assert _urgent(chat) and "911" in chat.said


def test_no_heat_and_my_mom_is_80_still_fires(hvac):
    chat = hvac()
    chat.send("no heat and my mom is 80, she is elderly")
    assert _urgent(chat)


def test_nobody_had_a_rash_or_got_sick_is_a_return_not_a_safety_case(shop):
    chat = shop()
    chat.send("nobody got sick or had any swelling, I just want to return the lotion")
    assert "911" not in chat.said
    assert "health_safety" not in chat.state.reasons


def test_my_son_swallowed_some_still_fires_with_a_denial_nearby(shop):
    chat = shop()
    chat.send("I'm not kidding, my son swallowed some of the bath bomb")
    assert "health_safety" in chat.state.reasons


@pytest.mark.parametrize("danger", [
    "i cannot breathe", "he will not let me leave", "my baby is not breathing",
    "no heat and my mom is 80",
])
def test_genuine_danger_worded_with_a_negation_is_never_blanked(danger):
    assert deny(padded(danger), ("no heat",)) == padded(danger)


def test_a_denial_stops_at_and():
    assert deny(padded("not an emergency and there is smoke")).split()[-1] == "smoke"


def _danger_words_score(text: str) -> dict[str, float]:
    """A stand-in sentence model: close to the emergency examples whenever a danger word shows."""
    hot = any(w in text for w in ("emergency", "danger", "hurt", "scared"))
    return {"emergency": 0.9 if hot else 0.1, "intake": 0.5}


def test_the_semantic_layer_judges_what_is_left_once_the_denials_are_set_aside(law):
    chat = law()
    chat.ctx = dataclasses.replace(chat.ctx, similar=_danger_words_score)
    chat.send("this is not an emergency and nobody is in danger, my divorce papers came today")
    assert not _urgent(chat) and "911" not in chat.said


def test_the_semantic_layer_still_hears_danger_beside_a_denial(law):
    chat = law()
    chat.ctx = dataclasses.replace(chat.ctx, similar=_danger_words_score)
    chat.send("it is not about money, I am scared he will come back tonight")
    assert _urgent(chat)


def test_no_idea_where_he_took_the_kids_still_fires(law):
    chat = law()
    chat.send("I have no idea where he took the kids")
    assert _urgent(chat)


def test_a_threat_worded_with_never_keeps_the_semantic_layers_scores(law):
    chat = law()
    chat.ctx = dataclasses.replace(
        chat.ctx, similar=lambda text: {"emergency": 0.9 if "kids" in text else 0.1,
                                        "intake": 0.5})
    chat.send("he says I will never see my kids again and he is packing the car")
    assert _urgent(chat)


#: Per flow: its danger trigger, a message denying danger, and an opening that leaves a
#: question open (the denial must lower the trigger mid-conversation too).
DENIED = {
    "Hartley Family Law": ("emergency", "it's not an emergency, nobody is hurt, I need help "
                           "with a divorce", "I need help with a divorce"),
    "Polar Bear HVAC": ("emergency", "there's no gas smell, nobody is hurt, the furnace is just "
                        "making a loud noise", "I'd like a quote"),
    "Fernhill Goods": ("health_safety", "not an emergency, nobody is hurt, I just want to "
                       "return the lotion", "where is my order"),
}


@pytest.mark.parametrize("name", DENIED)
@pytest.mark.parametrize("midway", [False, True], ids=["first message", "while asked a slot"])
def test_not_an_emergency_nobody_is_hurt_no_gas_smell_fires_nothing_in_every_flow(
        chat, name, midway):
    trigger, denial, opening = DENIED[name]

    def danger_words(text: str) -> dict[str, float]:  # a stand-in model: danger words score
        hot = any(w in text for w in ("emergency", "danger", "hurt", "gas", "smoke"))
        return {trigger: 0.9 if hot else 0.1}

    for similar in (None, danger_words):  # the rules alone, then both layers
        conversation = chat(name)
        conversation.ctx = dataclasses.replace(conversation.ctx, similar=similar)
        if midway:
            conversation.send(opening)
        conversation.send(denial)
        assert "911" not in conversation.said and not _urgent(conversation), similar
        assert trigger not in conversation.state.reasons, similar
        assert "distress" not in conversation.state.reasons, similar


@pytest.mark.parametrize("text", [
    "my cousin's husband used to hit her, for me it's just that we stopped talking, I want a divorce",
    "my neighbor had to get a restraining order against her ex, ours is a friendly split",
    "a mi amiga la amenazaba su esposo, lo mio es que ya no nos entendemos y quiero divorciarme",
])
def test_someone_elses_danger_set_against_the_customers_own_story_is_not_an_emergency(law, text):
    chat = law()
    chat.send(text)
    assert "emergency" not in chat.state.reasons
    assert not _urgent(chat)
    assert chat.state.bucket == "intake"


@pytest.mark.parametrize("text", [
    "my brother's girlfriend hits him and he's afraid to go home",
    "a mi hermana la golpea su pareja y no sabe a dónde ir",
    "my friend's divorce was easy, mine is different, he threatened to kill me",
])
def test_a_relatives_danger_told_as_news_or_beside_the_customers_own_still_fires(law, text):
    chat = law()
    chat.send(text)
    assert "emergency" in chat.state.reasons
    assert _urgent(chat)


@pytest.mark.parametrize(("text", "court"), [
    ("he keeps threatening to sue me for full custody", True),
    ("she threatened to haul me into court over the school change", True),
    ("mi ex me amenaza con demandarme por la casa", True),
    ("he's threatening to hurt me if I go to court", False),
    ("he is threatening to take the kids before the court date", False),
])
def test_a_threat_to_go_to_court_is_set_aside_a_threat_of_harm_is_not(text, court):
    kept = deny(padded(text))
    assert ("threat" not in kept and "amenaza" not in kept) is court
