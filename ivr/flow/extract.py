"""Slot extractors: one message in, a value and how sure we are out.

Every extractor takes the message and whether its slot was the question just asked: answers to
a question may be bare ("five thousand", "no", "Texas"), while facts volunteered in passing need
clearer wording before they fill a slot.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from ivr.flow.model import Option, Slot
from ivr.flow.money import find_money, no_ceiling
from ivr.flow.numbers import spoken_digits
from ivr.flow.places import STATES, find_state
from ivr.flow.text import find_phrases, fuzzy_phrase, normalize
from ivr.flow.timeline import find_timeline

Found = tuple[Any, float]

YES = ("yes", "yeah", "yep", "yup", "ya", "sure", "correct", "right", "that is right",
       "affirmative", "ok", "okay", "i do", "please", "absolutely", "of course", "definitely",
       "uh huh", "yes please", "that is correct", "exactly", "y", "i think so", "i believe so",
       "i guess so", "probably", "yes i do", "i do currently",
       # Spanish, typed as Texans text it ("si", "simon", "asi es")
       "si", "claro", "simon", "asi es", "correcto", "aja", "sip", "si senor", "si senora",
       "por supuesto", "afirmativo", "eso es")
NO = ("no", "nope", "nah", "not yet", "not really", "negative", "i do not", "wrong",
      "incorrect", "no thanks", "no thank you", "none", "never", "n", "not at all", "that is it",
      "that is all", "i am good", "all good", "not anymore", "no longer", "probably not",
      "i do not think so", "not currently", "not right now", "not at the moment",
      "not now", "not at this point", "not at this time", "nobody", "no one", "used to",
      "i used to",
      # Spanish: "nel" and "nop" are how many Texans text a no
      "nel", "nop", "nones", "para nada", "todavia no", "aun no", "ya no", "ninguno",
      "no gracias", "creo que no")

#: Words that negate what follows them in the same clause ("I do not currently have a lawyer").
NEGATORS = frozenset(("not", "no", "never", "without", "nobody", "cannot", "neither", "nor",
                      "sin", "nunca", "ni", "nadie"))
#: How far back (in words) a negator reaches: "do not currently have a lawyer" is 2 words back.
NEGATION_REACH = 4
#: A yes about the past is a no about now ("I used to have one", "not anymore").
NO_LONGER = re.compile(r"\b(used to|no longer|not anymore|not any more|anymore|any more|"
                       r"previously|formerly|ya no|tenia|antes tenia|tuve|tuvimos|"
                       r"anterior|antiguo|antigua)\b")
#: What is still to come is not had now: "I'm about to hire one", "legal aid said they'd call
#: back", "we sign tomorrow", "mi papa me va a pagar uno", "was going to, but...".
STILL_TO_COME = re.compile(r"\b(about to|going to|gonna|supposed to|plan to|planning to|"
                           r"hoping to|waiting (to|for|on)|(i|we|they|he|she|it)( will| would| d| ll|'d|'ll)|"
                           r"tomorrow|next week|va a|van a|voy a|vamos a|iba a|iban a|ibamos a|"
                           r"la semana que viene|manana)\b")
#: Yes phrases that say the thing is held now ("my lawyer will be at court" is a yes): a time
#: still to come said beside them is about something else.
_HELD = re.compile(r"^(my|mi|have|tengo|i have|we have|i do have|still have)\b")
#: "found me one", "hired me a lawyer": someone got the customer one (read as "got one").
_FOR_ME = re.compile(r"\b(got|found|hired|appointed|assigned|gave|paid for) me "
                     r"(one|a lawyer|an attorney)\b")
#: What ends the thing a yes phrase named, said after it: "my lawyer left the firm", "my
#: attorney passed away", "mi abogado se retiro" (the slot's own phrases name the rest).
ENDED = re.compile(r"\b(left|quit|quits|withdrew|retired|dropped|passed away|died|stopped|"
                   r"moved away|renuncio|se fue|se retiro|me dejo)\b")
#: A "no" clause that says the yes was about something else: "I have one for the criminal
#: case but not for custody", "tuve uno para el divorcio pero no para esto".
OTHER_MATTER = re.compile(r"^(not|no|but not|pero no) (for|in|on|with|para|en|con) ")
#: Hedges: the answer is given, but not firmly ("I think so", "sort of"): confirm it once.
HEDGES = re.compile(r"\b(i think|i guess|maybe|probably|kind of|sort of|kinda|sorta|i believe|"
                    r"not sure|i am not sure|sort of|in a way|technically|more or less)\b")
#: Confidence of a hedged answer: below `UNSURE`, so the flow asks "Just to check: ...?"
HEDGED = 0.6
#: An answer to the question asked, read with less than this confidence, is confirmed in one
#: short question instead of used (or asked again from the top).
UNSURE = 0.7
_CLAUSE = re.compile(r"[,.;:!?]|\bbut\b|\bthough\b|\balthough\b|\bhowever\b")

DEFAULT_ORDER = re.compile(r"\b([a-z]{1,3}-?\d{4,8}|\d{4,8})\b")


def yes_or_no(text: str) -> bool | None:
    """True for a yes, False for a no, None when the message is neither (or both, unclear)."""
    low = normalize(text)
    if low in ("1",):
        return True
    if low in ("2",):
        return False
    # "right now", "right away" say when, not "that's right": "I'm between lawyers right now"
    padded = re.sub(r"(?<!not) right (now|away)\b", r" \1", f" {low} ")
    # (where it starts, longer first): "i do not" beats "i do" at the same place. A one-letter
    # answer ("y", "n") only as the whole message: inside one it is a word ("mi prima y yo").
    hits = [(padded.find(f" {w} "), -len(w), answer, w) for words, answer in ((YES, True),
                                                                           (NO, False))
            for w in words if f" {w} " in padded and (len(w) > 1 or low == w)]
    if not hits:
        # "not unless you count my brother", "not officially": a no with its reason
        return False if re.match(r"not (?!sure\b)", low) else None
    at, _, answer, word = min(hits)
    # "absolutely not", "of course not": a yes word the next word denies is a no
    return False if answer and padded[at + len(word) + 2:].startswith("not ") else answer


def match_option(options: tuple[Option, ...], text: str, asked: bool) -> Found | None:
    """The option a message names: exact phrase first (longest wins), then fuzzy."""
    low = normalize(text)
    if asked:
        for option in options:
            if option.digit and low == option.digit:
                return option.value, 1.0
    best: tuple[int, Option] | None = None
    for option in options:
        for phrase in find_phrases(text, option.phrases):
            size = len(normalize(phrase))
            if best is None or size > best[0]:
                best = (size, option)
    if best is not None:
        return best[1].value, 1.0
    threshold = 0.8 if asked else 0.9
    # The first option with the best score (below the threshold none counts, so the matcher
    # may stop early on a phrase that cannot beat the threshold or the best so far).
    best_score, chosen = 0.0, None
    for option in options:
        for phrase in option.phrases:
            score = fuzzy_phrase(text, phrase, floor=max(threshold, best_score))
            if score > best_score:
                best_score, chosen = score, option
    if chosen is not None and best_score >= threshold:
        return chosen.value, round(best_score, 2)
    return None


def _choice(slot: Slot, text: str, asked: bool) -> Found | None:
    """A choice answer: the option it names (`match_option`), held below `UNSURE` when it
    names another option outright too ("the AC and the heat both", "his support and my
    visits"): two options said are no answer to "which one?", so the option the answer is
    nearest in meaning (the semantic layer) decides, or the customer is asked "Just to
    check". A phrase inside a longer one ("heat" in "heat pump") names nothing apart."""
    found = match_option(slot.options, text, asked)
    if found is None or found[1] < 1.0:
        return found
    hits = [(normalize(p), o.value) for o in slot.options for p in find_phrases(text, o.phrases)]
    apart = {value for phrase, value in hits
             if not any(phrase != other and f" {phrase} " in f" {other} " for other, _ in hits)}
    return (found[0], HEDGED) if len(apart) > 1 else found


def _clauses(text: str) -> list[str]:
    """The message's clauses, normalised: a negation never reaches across "," or "but"."""
    return [c for c in (normalize(part) for part in _CLAUSE.split(text.lower())) if c]


def negated(clause: str, phrase: str, asked: bool = True) -> bool:
    """Whether `phrase` in normalised `clause` is negated or put in the past: a negator up to
    `NEGATION_REACH` words before it ("I do not currently have a lawyer"), or "used to" /
    "anymore" in the clause ("I used to have a lawyer", "I have no lawyer anymore"); as the
    answer to the question, also an `ENDED` verb after it ("my lawyer left the firm": unasked,
    "my lawyer left me a voicemail" is a client's message)."""
    words = clause.split()
    size = len(phrase.split())
    for i in range(len(words) - size + 1):
        if " ".join(words[i:i + size]) == phrase:
            before = words[max(0, i - NEGATION_REACH):i]
            if any(w in NEGATORS for w in before):
                return True
            if asked and ENDED.search(" ".join(words[i + size:])):
                return True
    return NO_LONGER.search(clause) is not None


def _owned_by_another(slot: Slot, clause: str) -> bool:
    """Whether `clause` names someone else's instance of what the slot asks about: the flow
    says "my lawyer" is a yes, so "my husband's lawyer", "his attorney", "el abogado es de mi
    ex" are the other side's, a no."""
    nouns = {p.split()[1] for p in map(normalize, slot.yes_phrases)
             if len(p.split()) == 2 and p.split()[0] in ("my", "mi")}
    if not nouns:
        return False
    noun = "|".join(sorted(map(re.escape, nouns)))
    return re.search(rf"\b(his|her|their|(?!my\b)[a-z]+'s|(?!my\b)[a-z]+ s) ({noun})\b|"
                     rf"\b({noun}) (es|son|is) (de|del|for) |"
                     r"\bthe (other|opposing) (party|side|parent) (is|has)\b|"
                     # the children's own lawyer: "an attorney ad litem for the kids"
                     rf"\bad litem\b|\b({noun}) for (the|my|our) (kids|children|child|son|"
                     r"daughter|baby)\b", clause) is not None


#: Last words that make a phrase lean on the question for its meaning: "I have one", "tengo
#: una" answer "do you have a lawyer?", but unasked they are "I have one kid", "tengo una
#: pregunta sobre la custodia" (read there, a customer was declined as already represented).
_PRONOUN_ENDS = frozenset(("one", "uno", "una"))


def _answering(phrases: tuple[str, ...], asked: bool) -> tuple[str, ...]:
    """The phrases that may fill a yes/no slot: all when it was asked, else those that say
    what they are about on their own (a single word, "paralegal", "consulta", "retired", only
    answers the question: unasked it is "my paralegal said", "quiero una consulta")."""
    if asked:
        return phrases
    return tuple(p for p in phrases if len(normalize(p).split()) > 1
                 and normalize(p).split()[-1:] not in ([], *([end] for end in _PRONOUN_ENDS)))


def _yesno(slot: Slot, text: str, asked: bool) -> Found | None:
    """A yes/no slot from the flow's phrases, negation-aware, then (asked) a plain yes or no.

    "I do not currently have a lawyer" holds "have a lawyer", negated: a no, where reading the
    phrase alone declined a customer as already represented. "No, I have one" is a yes: the
    negation does not reach across the comma. A hedge ("I think so") is kept at `HEDGED`
    confidence so the flow confirms it once.
    """
    yes_found = no_found = False
    last: str | None = None  # what the last clause that said anything said
    yes_phrases, no_phrases = _answering(slot.yes_phrases, asked), _answering(slot.no_phrases,
                                                                              asked)
    pending = False  # a clause about what is still to come
    for clause in _clauses(text):
        clause = _FOR_ME.sub("got one", clause)
        coming = asked and STILL_TO_COME.search(clause) is not None
        pending = pending or coming
        no = find_phrases(clause, no_phrases)
        # "do not have a lawyer" contains "have a lawyer": the longer, negative phrase wins.
        yes = [normalize(y) for y in find_phrases(clause, yes_phrases)
               if not any(normalize(y) in normalize(n) for n in no)]
        flipped = [y for y in yes if negated(clause, y, asked)
                   or (coming and not _HELD.match(y))]
        says_none = not yes and _negated_one(slot, clause) if asked else False
        if OTHER_MATTER.match(clause) and yes_found:  # "one for the criminal case, not this"
            return "no", 1.0
        says_no = bool(no) or bool(flipped) or says_none or _owned_by_another(slot, clause)
        says_yes = len(flipped) < len(yes)
        if says_no != says_yes:
            last = "yes" if says_yes else "no"
        no_found, yes_found = no_found or says_no, yes_found or says_yes
    sure = 1.0 if HEDGES.search(normalize(text)) is None else HEDGED
    if no_found and not yes_found:
        return "no", sure
    if yes_found and not no_found:
        return "yes", sure
    if yes_found and no_found and last is not None and asked:
        # people put the present last: "I had one appointed, still have her"; "I have one for
        # the business, not for this" (a clause that says both decides nothing)
        return last, min(sure, HEDGED)
    if asked:
        answer = yes_or_no(text)
        if answer is not None:
            return ("yes" if answer else "no"), sure
        if pending:  # only a lawyer still to come: none now
            return "no", sure
    return None


def _negated_one(slot: Slot, clause: str) -> bool:
    """Whether `clause` negates the thing asked about, named by its noun or "one": "haven't
    picked one", "no he encontrado abogado" (the slot's nouns, as `_owned_by_another` finds
    them from its "my X" phrases)."""
    nouns = {p.split()[1] for p in map(normalize, slot.yes_phrases)
             if len(p.split()) == 2 and p.split()[0] in ("my", "mi")} | set(_PRONOUN_ENDS)
    return any(negated(clause, noun) for noun in nouns if f" {noun} " in f" {clause} ")


def _order_number(slot: Slot, text: str, asked: bool) -> Found | None:
    pattern = slot.pattern or DEFAULT_ORDER
    low = spoken_digits(normalize(text))
    match = pattern.search(low) or pattern.search(text)
    if not match:
        return None
    value = match.group(1) if match.groups() else match.group(0)
    return value.strip().upper(), 1.0


def _text(slot: Slot, text: str, asked: bool) -> Found | None:
    if slot.pattern is not None:
        match = slot.pattern.search(text)
        if match:
            return (match.group(1) if match.groups() else match.group(0)).strip(), 1.0
        return None
    if asked and text.strip():
        return text.strip(), 1.0
    return None


#: Extractors with their own vocabulary; a slot's menu options are the fallback when asked.
_READERS: dict[str, Callable[[str, bool], Found | None]] = {
    "state": find_state, "money": find_money, "timeline": find_timeline,
}


def extract(slot: Slot, text: str, asked: bool = False, today: date | None = None,
            near: str | None = None) -> Found | None:
    """Fill `slot` from `text` if the message says it: (value, confidence 0..1) or None.

    `today` is the Context's clock (the core never reads one): with it, a bare day of the month
    ("the 18th") is kept as the date it names. `near`: the state the customer's number is from;
    a place name several states share ("Hays", "Montgomery County") is read in the state the
    slot's own options name first (the business's), then in that one, and checked once."""
    if not text.strip() or (not asked and not slot.unprompted):
        return None
    if slot.type == "choice":
        return _choice(slot, text, asked)
    if slot.type in _READERS:
        if slot.type == "timeline":
            found = find_timeline(text, asked, today)
        elif slot.type == "state":
            own = tuple(o.value for o in slot.options if o.value in STATES)
            found = find_state(text, asked, (*own, *([near] if near else [])))
        elif slot.type == "money":
            values = [int(o.value) for o in slot.options if str(o.value).isdigit()]
            found = find_money(text, asked, thousands=bool(values) and min(values) >= 1000)
        else:
            found = _READERS[slot.type](text, asked)
        if found is None and asked and slot.options:
            found = match_option(slot.options, text, asked)
            if found and slot.type == "money":  # menu values of a money slot are dollars
                found = (int(found[0]), found[1]) if str(found[0]).isdigit() else None
            if found is None and slot.type == "money" and no_ceiling(text):
                top = max((int(o.value) for o in slot.options if str(o.value).isdigit()),
                          default=None)  # "whatever it costs": the top of the menu
                found = (top, 0.9) if top is not None else None
        return found
    if slot.type == "yesno":
        return _yesno(slot, text, asked)
    if slot.type == "order_number":
        return _order_number(slot, text, asked)
    return _text(slot, text, asked)


def from_digits(slot: Slot, digits: str) -> Any | None:
    """The value a keypad press picks for `slot` (menu choices, or 1 = yes / 2 = no)."""
    for choice in slot.choices:
        if choice.digit == digits:
            if slot.type == "money" and choice.value.isdigit():
                return int(choice.value)
            return choice.value
    if slot.type == "order_number" and digits.isdigit() and len(digits) >= 4:
        return digits
    return None
