"""The semantic layer's decisions, behind the rules: pure, over a table of scores.

The rules (phrases, vocabulary, pairs) are precise where they were written and blind a word
away. The edge (`ivr.semantic`) compares a message with each label's `examples:` and hands the
core `{label: score}` (mean of the two best cosine similarities, 0..1) through
`Context.similar`; this module decides what those scores mean, so the thresholds are tested
here with plain tables and no model:

- a trigger (danger, health and safety ...) fires when its examples score at least
  `TRIGGER_MIN` and lead every bucket by `TRIGGER_LEAD` (a message about a burnt-orange candle
  is nearer the product question than the burns);
- asking for a person: `asked_for_human` at least `HUMAN_MIN`, leading everything else;
- a bucket, only when the rules chose none: the best bucket at least `BUCKET_MIN`, ahead of the
  next bucket by `BUCKET_MARGIN` (a margin alone is not a safety net: the cue check below is);
- a bucket over the rules' choice: towards a person's bucket that hands over at once
  (`needs_a_person`), or from a bot's topic to another bot's topic the sentence clearly means
  (`better_topic`: at least `RELABEL_MIN`, `RELABEL_LEAD` ahead), never away from a person;
- the needs-a-person net (`person_net`): a message that reached no person yet is nearer the
  person's side (the flow's `needs_a_person:` examples, word triggers, buckets that hand over,
  asking for a person, being fed up) than the bot's (its routine `not:` examples and every
  other bucket) by `NET_LEAD`, at least `NET_MIN`: it goes to the person's label it is
  nearest (`person_target`, at least `TARGET_MIN`), else to a person with no topic guessed;
  the routine examples also hold back a semantic trigger or a person's bucket they are nearer;
- the safety net: a message nobody could place that carries a danger, harm, urgency or distress
  cue (a word below, or a trigger scoring at least `CUE_MIN`) goes to a person, never to
  "I didn't catch that".

- a choice slot's option (`examples:` on the option), only for an answer to that question
  and only when the synonyms found nothing sure: the best option at least `OPTION_MIN` is used
  when it leads the next by `OPTION_LEAD`, else checked in one short question ("Just to check:
  is this about child support?"), never guessed. Option labels (`option_label`) share the table
  with the buckets' and triggers'; `topic_scores` sets them aside for the decisions above.

Short messages (under `MIN_WORDS` words: "yes", "Travis county", "$5000") are answers to the
question asked, and a sentence model says little about them; they are left to the rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ivr.flow.model import Bucket, Flow, Slot, Trigger
from ivr.flow.text import normalize

#: The label under which the edge scores a request for a person.
HUMAN = "asked_for_human"
#: The label under which the edge scores a customer fed up with us or with the bot.
FRUSTRATION = "frustration"
#: The labels under which the edge scores a flow's `needs_a_person:` examples and its routine
#: contrast (`not:`): the net behind every other decision (`person_net`).
PERSON = "needs_a_person"
ROUTINE = "needs_no_person"
#: Labels that are no topic: never compared with the buckets and triggers as if they were one.
NET_LABELS = (PERSON, ROUTINE)
#: Thresholds, tuned on tests/understanding/dev.csv only (never on the held-out set).
TRIGGER_MIN = 0.5
#: A tie is no lead: a custody quarrel as near the danger examples as the new matter's
#: ("she keeps the kids from me on my weekends") is qualified, not paged; the plain signs of a
#: child taken and out of reach are the law firm's rules (`pairs:`), not this margin.
TRIGGER_LEAD = 0.01
HUMAN_MIN = 0.5
BUCKET_MIN = 0.4
BUCKET_MARGIN = 0.0
CUE_MIN = 0.35
PERSON_MIN = 0.5
PERSON_LEAD = 0.1
RELABEL_MIN = 0.55
RELABEL_LEAD = 0.15
FRUSTRATION_MIN = 0.55
NET_MIN = 0.4
NET_LEAD = 0.05
TARGET_MIN = 0.35
MIN_WORDS = 3
#: A choice option heard in a described answer: at least OPTION_MIN to be considered; used when
#: OPTION_LEAD ahead of the next option (confidence OPTION_SURE), else checked (OPTION_UNSURE,
#: below `extract.UNSURE`, so the engine asks "Just to check"). Tuned on slots_dev.csv only.
OPTION_MIN = 0.4
OPTION_LEAD = 0.06
OPTION_SURE = 0.8
OPTION_UNSURE = 0.6
#: How an option's label is spelled in the scores table ("option:matter_type:custody").
OPTION_PREFIX = "option:"

#: How every flow's customers ask for a person; a flow's `asked_for_human: examples:` add to
#: these. Written for this layer, not taken from `rules.HUMAN_PHRASES`.
HUMAN_EXAMPLES = (
    "can I talk to a real human please",
    "I want to speak with an actual person, not a machine",
    "are you a bot? get me somebody real",
    "put a live agent on the line",
    "let me talk to someone who works there",
    "I need a representative",
    "get me the operator",
    "is there anybody there I can actually talk to",
    "stop with the robot and give me a person",
    "I'd rather deal with a human being",
    "can somebody from your staff call me",
    "transfer me to customer support please",
    "no more automated answers, I want a person",
    "connect me with a team member",
    "please have someone call me back",
    "how do I reach an actual person at your company",
    "I don't want to text with a bot",
    "have the owner or a manager give me a call",
)

#: How every flow's customers say they are fed up: with the service, with being passed around,
#: with the bot. The rules catch the swearing and the stock phrases ("this is useless"); a
#: sentence model hears "I'm done with you people" a word away from them. Written for this
#: layer, not taken from `rules.FRUSTRATION_PHRASES`.
FRUSTRATION_EXAMPLES = (
    "this is a joke, nobody here knows what they're doing",
    "I'm done with this, I've had enough",
    "I keep getting the runaround from your company",
    "this is the third time I'm writing about the same thing",
    "honestly the worst experience I've had with any business",
    "I'm fed up with waiting and nobody gets back to me",
    "I am so frustrated right now",
    "you people never answer and I'm losing my patience",
    "I've explained this over and over and it still isn't fixed",
    "I'm really upset about how I was treated",
    "I want to make a formal complaint about your service",
    "unbelievable, how hard is it to get a simple answer",
    "I'm sick and tired of being ignored",
    "every time I deal with you something goes wrong",
)

#: Words of danger, harm, urgency or distress: the safety net's cue when nothing placed the
#: message. Whole words, after normalising; deliberately broad (a needless page costs less than
#: a person in danger left with "I didn't catch that").
CUE_WORDS = re.compile(
    r"\b(please help|help me now|need help now|helpp+|urgent|urgently|emergency|asap|immediately|right now|danger|dangerous|"
    r"unsafe|not safe|scared|afraid|terrified|frightened|panic|panicking|hurt|hurting|harm|"
    r"injured|bleeding|blood|threat|threaten\w*|kill|die|dying|dead|suicid\w*|police|911|"
    r"ambulance|hospital|attack\w*|violent|violence|abuse\w*|desperate|crying|please please|"
    r"can'?t breathe|cannot breathe|smoke|fire|burning|gas|leak\w*|flood\w*|sick|pregnan\w*|"
    r"baby|newborn|infant|elderly|kids?|children|child|"
    # Spanish, accents folded ("tengo miedo", "me amenazó", "trae una pistola")
    r"miedo|peligro|amenaz\w*|golpe\w*|lastim\w*|sangr\w*|policia|emergencia|urgente|"
    r"auxilio|matar\w*|violencia|violento|abus\w*|arma|pistola|cuchillo|herid[oa]s?|"
    r"desesperad[oa]|llorando|humo|fuego|incendio)\b")


def option_label(slot: str, value: str) -> str:
    """The scores table's label for one choice option (`OPTION_PREFIX`, slot, value)."""
    return f"{OPTION_PREFIX}{slot}:{value}"


def topic_scores(scores: Mapping[str, float]) -> dict[str, float]:
    """The scores without the choice options': what the bucket, trigger and person checks
    compare (an answer's closeness to "custody" must not outvote asking for a person)."""
    return {label: float(s) for label, s in scores.items() if not label.startswith(OPTION_PREFIX)}


def semantic_option(slot: Slot, scores: Mapping[str, float]) -> tuple[str, float] | None:
    """The option of `slot` the answer describes, with the confidence to hold it at:
    `OPTION_SURE` when it clearly leads, `OPTION_UNSURE` (check it) when another option is
    close; None when no option scores `OPTION_MIN` (the slot is asked again, as before)."""
    ranked = sorted(((float(scores.get(option_label(slot.name, o.value), 0.0)), o.value)
                     for o in slot.options if o.examples), reverse=True)
    if not ranked or ranked[0][0] < OPTION_MIN:
        return None
    runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
    return ranked[0][1], OPTION_SURE if ranked[0][0] - runner_up >= OPTION_LEAD else OPTION_UNSURE


def enough_words(text: str) -> bool:
    """Whether a message is long enough for the semantic layer to judge (see the docstring)."""
    return len(normalize(text).split()) >= MIN_WORDS


def _best(scores: Mapping[str, float], labels: set[str]) -> tuple[str, float] | None:
    inside = [(label, float(s)) for label, s in scores.items() if label in labels]
    return max(inside, key=lambda item: item[1], default=None)


def _bucket_best(flow: Flow, scores: Mapping[str, float]) -> float:
    found = _best(scores, set(flow.buckets))
    return found[1] if found else 0.0


def semantic_triggers(flow: Flow, scores: Mapping[str, float]) -> list[Trigger]:
    """Triggers whose examples the message is close to, most similar first (one per name)."""
    named = {t.name: t for t in reversed(flow.triggers) if t.examples}
    # (the flow's routine examples count as a bucket: "when will my refund show up" is nearer
    # "how long does a refund take" than "the refund never came back")
    routine = float(scores.get(ROUTINE, 0.0))
    fired = [(float(scores[name]), trigger) for name, trigger in named.items()
             if float(scores.get(name, 0.0)) >= max(TRIGGER_MIN, _floor(flow, name, scores,
                                                                        routine))]
    return [t for _, t in sorted(fired, key=lambda item: -item[0])]


def _floor(flow: Flow, name: str, scores: Mapping[str, float], routine: float) -> float:
    """What a trigger must reach to fire: the best bucket and the routine examples, plus
    `TRIGGER_LEAD`. A bucket named as the trigger ("emergency") shares its label in the table
    and is no rival: the trigger is never measured against its own score."""
    others = {label: s for label, s in scores.items() if label != name}
    return max(_bucket_best(flow, others), routine) + TRIGGER_LEAD


def asks_for_person(scores: Mapping[str, float]) -> float | None:
    """The score of "asks for a person" when it is the message's best label and high enough."""
    mine = float(scores.get(HUMAN, 0.0))
    others = max((float(s) for label, s in scores.items()
                  if label != HUMAN and label not in NET_LABELS), default=0.0)
    return mine if mine >= HUMAN_MIN and mine >= others else None


def frustrated_by_scores(flow: Flow, scores: Mapping[str, float]) -> float | None:
    """The score of "fed up" when it is high enough and ahead of every bucket and trigger (a
    complaint names its topic too: "the new unit is way louder than you said" must be nearer
    the frustration than the installation); else None."""
    mine = float(scores.get(FRUSTRATION, 0.0))
    others = max((float(s) for label, s in scores.items()
                  if label not in (FRUSTRATION, HUMAN, *NET_LABELS)), default=0.0)
    return mine if mine >= FRUSTRATION_MIN and mine >= others else None


def semantic_bucket(flow: Flow, scores: Mapping[str, float]) -> tuple[str, float] | None:
    """The bucket the message is closest to, with its score, when it is clear enough.

    None when asking for a person or being fed up is nearer than any bucket: "how do I reach a
    person at your firm" names no topic, and a topic guessed from it ("hours") misleads the
    person who takes over."""
    ranked = sorted(((float(s), label) for label, s in scores.items()
                     if label in flow.buckets), reverse=True)
    if not ranked or ranked[0][0] < BUCKET_MIN:
        return None
    if max(float(scores.get(HUMAN, 0.0)), float(scores.get(FRUSTRATION, 0.0))) > ranked[0][0]:
        return None
    runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
    if ranked[0][0] - runner_up < BUCKET_MARGIN:
        return None
    return ranked[0][1], ranked[0][0]


def hands_over(bucket: Bucket) -> bool:
    """Whether a bucket hands the customer to a person at once (`Bucket.hands_over`)."""
    return bucket.hands_over


def needs_a_person(flow: Flow, chosen: str, scores: Mapping[str, float]
                   ) -> tuple[str, float] | None:
    """A bucket that hands over at once, which the message is clearly closer to than to the
    bucket the rules chose (an existing client's "update on my divorce" is not a new divorce; a
    complaint that names the new unit is not an installation), with its score; else None. Only
    ever towards a person: the layer never overrules the rules towards the bot."""
    rules = flow.buckets.get(chosen)
    if rules is None or hands_over(rules) and rules.name != flow.default_bucket:
        return None
    theirs = float(scores.get(chosen, 0.0))
    best = _best(scores, {n for n, b in flow.buckets.items()
                          if hands_over(b) and n != chosen and n != flow.default_bucket})
    if best is None or best[1] < PERSON_MIN or best[1] - theirs < PERSON_LEAD:
        return None
    # (nor may another bot's topic be nearer still: "what's a first meeting with one of your
    # lawyers gonna run me" is a fee, whatever the new matter scored)
    others = {n: s for n, s in scores.items() if n != best[0]}
    if best[1] < max(_bucket_best(flow, others), float(scores.get(ROUTINE, 0.0))):
        return None  # (nor the flow's routine examples: "a hearing soon and no lawyer yet")
    return best[0], combined(None, best[1])


def better_topic(flow: Flow, chosen: str, scores: Mapping[str, float]
                 ) -> tuple[str, float] | None:
    """A bucket the message is far closer to than to the bot's bucket the rules chose, with
    its score; else None.

    The rules hear one word: "do you have a maintenance membership" names maintenance though it
    asks about the plan; "I want something unscented, what do you suggest" names a product
    property though it asks for a suggestion. Between topics the bot answers, a clear lead of
    the sentence model (at least `RELABEL_MIN`, `RELABEL_LEAD` ahead of the rules' bucket)
    wins. A bucket on a person's route is never left this way (safety first: a new legal
    matter stays one), and one that hands over at once is never reached (`needs_a_person`
    decides that, with its own bar)."""
    rules = flow.buckets.get(chosen)
    if rules is None or rules.route == "human":
        return None
    best = _best(scores, {n for n, b in flow.buckets.items() if not hands_over(b)})
    if best is None or best[0] == chosen or best[1] < RELABEL_MIN:
        return None
    if best[1] - float(scores.get(chosen, 0.0)) < RELABEL_LEAD:
        return None
    if max(float(scores.get(HUMAN, 0.0)), float(scores.get(FRUSTRATION, 0.0))) > best[1]:
        return None
    return best[0], combined(None, best[1])


def person_side(flow: Flow) -> set[str]:
    """The labels that mean a person must answer: the net's own examples, every trigger on the
    customer's words, every bucket that hands over at once, asking for a person, being fed up."""
    return {t.name for t in flow.triggers if t.examples} | {HUMAN, FRUSTRATION, PERSON} | {
        n for n, b in flow.buckets.items() if hands_over(b) and n != flow.default_bucket}


def routine_side(flow: Flow) -> set[str]:
    """The labels the bot answers or qualifies: the net's routine contrast and every other
    bucket (a law firm's new matter is qualified by the bot before anyone is disturbed)."""
    return {ROUTINE} | {n for n, b in flow.buckets.items()
                        if not hands_over(b) or n == flow.default_bucket}


def person_net(flow: Flow, scores: Mapping[str, float]) -> float | None:
    """The score of "needs a person" when the message is clearly nearer the person's side than
    the bot's (at least `NET_MIN`, `NET_LEAD` ahead); else None.

    The net asks one question whatever the topic: does this customer need a person? Each side
    is its best label: the flow's `needs_a_person:` examples beside every label that reaches a
    person (`person_side`), against its `not:` examples beside every bot topic
    (`routine_side`). Held-out customers write with other words than the phrase lists; a
    billing dispute, a pet and a product, an existing client's "my paralegal" share no phrase
    but all sit nearer "a person must answer this" than "the bot can answer this". Tuned on
    tests/understanding/dev.csv only: on its own it reaches about three in four of the dev
    customers who need a person and pages one in a hundred of those who do not."""
    if PERSON not in scores:
        return None  # the flow has no net
    mine = _best(scores, person_side(flow))
    theirs = _best(scores, routine_side(flow))
    if mine is None or mine[1] < NET_MIN:
        return None
    return mine[1] if mine[1] - (theirs[1] if theirs else 0.0) >= NET_LEAD else None


def person_target(flow: Flow, scores: Mapping[str, float]) -> str | None:
    """Where the net sends a customer: the person's label the message is nearest (a trigger
    on the customer's words, a bucket that hands over at once, asking for a person, being fed
    up), when at least `TARGET_MIN`; else None (a person, no topic guessed)."""
    labels = {t.name for t in flow.triggers if t.examples} | {HUMAN, FRUSTRATION} | {
        n for n, b in flow.buckets.items() if hands_over(b) and n != flow.default_bucket}
    best = _best(scores, labels)
    return best[0] if best is not None and best[1] >= TARGET_MIN else None


def distress_cue(flow: Flow, text: str, scores: Mapping[str, float]) -> str | None:
    """Why an unplaced message must still reach a person: "cue:<word>" for a danger, harm,
    urgency or distress word, "near:<trigger>" for an urgent trigger (or asking for a person)
    it nearly matched; else None."""
    found = CUE_WORDS.search(normalize(text))
    if found is not None:
        return f"cue:{found.group(0)}"
    # Only an urgent trigger nearly matched is distress: a near-miss of the shop's billing or
    # bulk-order examples ("is there a discount if I spend over 100") is a routine question, and
    # paging it as urgent disturbs staff for nothing (the net and the menu still offer a person).
    near = _best(scores, {t.name for t in flow.triggers if t.examples and t.urgent} | {HUMAN})
    if near is not None and near[1] >= CUE_MIN:
        return f"near:{near[0]}"
    return None


def combined(rules: float | None, semantic: float | None) -> float:
    """The confidence staff see: the rules' and the semantic layer's agreement (noisy-or when
    both point the same way), else whichever decided."""
    values = [v for v in (rules, semantic) if v is not None]
    if not values:
        return 0.0
    miss = 1.0
    for value in values:
        miss *= 1.0 - max(0.0, min(1.0, value))
    return round(1.0 - miss, 2)
