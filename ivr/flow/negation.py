"""What the customer denies: "not an emergency", "nobody is hurt", "no gas smell".

A trigger phrase inside a denial must lower the trigger, not fire it: "not an emergency and
nobody's in danger" started the emergency path and "call 911". Genuine danger is often worded
with a negation too, so a denial is read narrowly:

- the denying word is one of `DENIALS` ("no", "not", "nobody", "nothing", "never", "without"...);
  a verb's own "not" ("he will not let me leave", "the furnace does not fire") and "cannot"
  ("I cannot breathe") deny nothing, nor does a "not" before an -ing word ("he is not
  breathing", "not responding"): those are the danger;
- it reaches `REACH` words forward (again after "or": "no smoke or burning smell", and from
  a second denial inside its reach: "not an emergency, nobody is hurt"), never
  past a clause break ("and", "but"): in "not an emergency and my mom is 80" only "an
  emergency" is denied;
- a phrase the flow wrote with the negation inside ("no heat", "not safe", "no one came") is the
  flow's meaning and is never blanked ("no heat and my mom is 80" still fires);
- a leading "no" before a pronoun is an answer, not a denial ("no, I smell gas" fires);
- Spanish: "nadie", "nunca", "ningún" deny too, "y", "pero", "solo" end a denial, and a "no"
  before its verb's pronoun is the verb's ("no me deja salir" fires, as "will not let me"
  does), unless the verb is a perfect ("no me ha amenazado") or one of harm ("no me pega"):
  those deny what did not happen.

Two more stretches are set aside as a denial is, since neither is this customer's danger:

- someone else's story told to set the customer's own apart ("my friend's ex stalked her for
  years, mine just won't sign the papers", "a mi prima la golpeaba su marido, pero lo mío es que
  ya no nos queremos"): the words before "mine / ours / in my case / lo mío" when a friend or
  relative is their subject (`OTHERS_STORY`). A relative's danger told as news, with no such
  contrast ("my sister's husband beat her last night"), is kept: it is danger all the same;
- a threat to go to court ("she keeps threatening to drag me back to court", "me amenaza con
  demandarme"): a legal fight is a new matter, not danger (`COURT_THREAT`). A threat against
  the children or the customer's body is never one ("threatening to take the kids").
"""


from __future__ import annotations

import re
from collections.abc import Iterable

DENIALS = frozenset(("no", "not", "nobody", "nothing", "never", "without", "none", "neither",
                     "nor", "noone",
                     # Spanish ("no" is shared): "nadie está en peligro", "ningún peligro";
                     # not "sin" ("estamos sin calefacción" is the trouble itself) nor "nada"
                     # ("no puedo hacer nada, me pega")
                     "nadie", "nunca", "ningun", "ninguna", "ninguno", "tampoco"))
#: Words before "not" that make it a verb's negation ("will not let me leave").
AUXILIARIES = frozenset(("do", "does", "did", "will", "would", "can", "could", "should", "must",
                         "might", "may", "shall"))
#: Spanish pronouns that sit between "no" and its verb: "no me deja salir" ("he won't let me
#: leave") is the verb's own negation, as "will not let me" is, and denies nothing.
CLITICS = frozenset(("me", "te", "se", "le", "les", "lo", "la", "los", "las", "nos"))
#: ... but "no me ha amenazado" ("he has not threatened me") denies what did not happen, as
#: "he has not hit me" does.
PERFECT = frozenset(("ha", "han", "habia", "habian", "haya", "hayan", "he", "hemos"))
#: ... and so does a "no" before a pronoun and a verb of harm: "no me pega" is "he does not hit
#: me", a denial, where "no me deja salir" is the danger itself.
HARM_VERBS = ("peg", "golpe", "amenaz", "lastim", "maltrat", "agred", "empuj", "ahorc")
#: Words after an answer-like "no" that show it answers the question ("no i smell gas").
PRONOUNS = frozenset(("i", "we", "my", "our", "it", "he", "she", "they", "there", "the", "this",
                      "that", "but", "actually", "wait", "sorry", "thanks", "thank", "yes"))
BREAKS = frozenset(("and", "but", "so", "because", "|", "though", "although", "while",
                    "then", "since", "however", "except", "just", "only",
                    # Spanish: "no es emergencia, solo quiero cotizar"
                    "y", "pero", "porque", "aunque", "sino", "pues", "entonces", "mientras",
                    "solo", "nomas"))
#: Sayings that start with a denying word and deny nothing that follows ("I have no idea where
#: he took the kids", "not sure what to do, he hit me").
IDIOMS = ("no idea", "no clue", "no way", "no matter", "no doubt", "not sure", "not only",
          "not just", "never mind", "no choice", "no time", "not even sure", "no one knows",
          "nobody knows", "nothing i can do", "no other", "no longer",
          # Spanish sayings: "no sé qué hacer, me pegó", "ni modo"
          "no se", "no puedo mas", "no aguanto", "ni modo", "nadie sabe", "nadie me ayuda",
          "no hay de otra")
#: Someone else's story set against the customer's own: a friend or relative as its subject
#: (`_OTHER`), then "mine / ours / in my case / lo mío" (`_OWN`). Normalised text.
_OTHER = (r"\b(my|a|her|his|our) (best )?(friend|friends|sister|sisters|brother|cousin|coworker|"
          r"co worker|neighbor|neighbour|mom|mother|aunt|niece|daughter|son|roommate|boss)\b|"
          r"\b(mi|una|un|su) (mejor )?(amiga|amigo|prima|primo|hermana|hermano|vecina|vecino|"
          r"companera|companero|tia|mama|sobrina|comadre|cunada|hija)\b")
_OWN = r"\b(mine|ours|in my case|in our case|for me it|with me it|lo mio|lo nuestro|el mio|la mia|en mi caso)\b"
OTHERS_STORY = re.compile(rf"^(?P<story>.*?({_OTHER}).*?)(?={_OWN})")
#: A threat to take the customer to court: a legal fight, not danger. The words between the
#: threat and the court may not name the children ("threatening to take the kids before court").
_KIDS = r"(kids|children|child|son|daughter|baby|boys|girls|ninos|nino|hijos|hijo|hija|nina|bebe)"
COURT_THREAT = re.compile(
    r"\b(threat\w*|amenaz\w*)( me)?( to| con)? (sue|suing|demandar\w*)\b|"
    rf"\b(threat\w*|amenaz\w*)( me)?( to| con)? "
    r"(sue|suing|take me|taking me|drag me|dragging me|haul me|bring me|file|fight me|"
    r"demandar\w*|llevarme|arrastrarme|meterme|quitarme|pelearme)"
    rf"(?: (?!{_KIDS}\b)\w+){{0,4}}? "
    r"(court|courts|judge|lawsuit|suit|custody|corte|juzgado|juez|tribunal|demanda|custodia)\b")
#: How many words a denial covers ("nobody is in danger": 3).
REACH = 4
BLANK = "|"


def _protected(words: list[str], keep: Iterable[str]) -> set[int]:
    """Word positions inside a flow phrase that carries its own negation ("no heat")."""
    covered: set[int] = set()
    for phrase in keep:
        parts = phrase.split()
        if not parts or not DENIALS.intersection(parts):
            continue
        size = len(parts)
        for i in range(len(words) - size + 1):
            if words[i:i + size] == parts:
                covered.update(range(i, i + size))
    return covered


def _denies(words: list[str], i: int) -> bool:
    word = words[i].split("'")[0]  # "nobody's in danger"
    if word not in DENIALS:
        return False
    if any(words[i:i + len(idiom.split())] == idiom.split() for idiom in IDIOMS):
        return False
    after = words[i + 1] if i + 1 < len(words) else ""
    if word == "not" and (i > 0 and words[i - 1] in AUXILIARIES or after.endswith("ing")):
        return False
    verb = words[i + 2] if i + 2 < len(words) else ""
    if word == "no" and after in CLITICS and verb not in PERFECT \
            and not verb.startswith(HARM_VERBS):  # "no me deja salir": the verb's own "no"
        return False
    return not (word == "no" and (after in PRONOUNS or not after))


def deny(padded_text: str, keep: Iterable[str] = ()) -> str:
    """`padded_text` (a normalised message padded with spaces) with every denied stretch
    blanked to "|", so no phrase, pair or cue matches inside it. `keep`: the flow's own
    phrases (normalised); one that holds a negation is read as written."""
    padded_text = _set_aside(padded_text)
    words = padded_text.split()
    if not DENIALS.intersection(w.split("'")[0] for w in words):
        return padded_text
    keep = tuple(keep)
    safe = _protected(words, keep)
    out = list(words)
    i = 0
    while i < len(words):
        if i in safe or not _denies(words, i):
            i += 1
            continue
        end, start = i + 1, i
        while end < len(words) and end <= start + REACH and words[end] not in BREAKS:
            if end in safe:
                break
            if words[end] in ("or", "nor"):  # "no smoke or burning smell": both denied
                start = end
            elif _denies(words, end):  # "not an emergency, nobody is hurt": the commas are
                start = end  # gone, so a second denial inside the first reaches on itself
            end += 1
        for j in range(i, end):
            out[j] = BLANK
        i = end
    _restore_straddling(words, out, keep)
    return f" {' '.join(out)} "


def _set_aside(padded_text: str) -> str:
    """`padded_text` with someone else's story and a threat of court blanked (`OTHERS_STORY`,
    `COURT_THREAT`): neither is this customer's danger."""
    text = padded_text.strip()
    story = OTHERS_STORY.search(text)
    if story:
        text = _blank(text, story.start("story"), story.end("story"))
    for threat in reversed(list(COURT_THREAT.finditer(text))):
        text = _blank(text, threat.start(), threat.end())
    return f" {text} "


def _blank(text: str, start: int, end: int) -> str:
    return f"{text[:start]}{re.sub(r'[^ ]+', BLANK, text[start:end])}{text[end:]}"


def _restore_straddling(words: list[str], out: list[str], keep: tuple[str, ...]) -> None:
    """A flow phrase only partly inside a denied stretch is not denied: "no idea where he
    took the kids" keeps "took the kids" whole (a denial covers what it names, not a phrase
    that runs on past its reach)."""
    for phrase in keep:
        parts = phrase.split()
        size = len(parts)
        for s in range(len(words) - size + 1):
            if words[s:s + size] != parts:
                continue
            blanked = [out[k] == BLANK for k in range(s, s + size)]
            if any(blanked) and not all(blanked):
                out[s:s + size] = words[s:s + size]


def denied_words(padded_text: str, keep: Iterable[str] = ()) -> str:
    """The words the customer denies ("not an emergency nobody is in danger"), or ""."""
    blanked = deny(padded_text, keep).split()
    return " ".join(w for w, b in zip(padded_text.split(), blanked, strict=True) if b == BLANK)


#: What a denial can lower beyond a trigger's own phrases: the danger itself named and denied
#: ("nobody is hurt", "not an emergency", "no es urgente"). Words that only set a scene ("kids", "baby") are not
#: here: "you'll never see the kids again" is a threat, not a denial of one.
DENIABLE = re.compile(r"\b(emergency|danger|dangerous|hurt|injured|injury|harm|unsafe|safe|"
                      r"threat\w*|violen\w*|abus\w*|stalk\w*|a hand on|tocad\w*|mano encima|bleeding|fire|smoke|gas|leak\w*|sick|"
                      r"rash|reaction|swelling|allergic|burn\w*|urgent|"
                      # the same in Spanish, accents folded ("no es urgente", "nadie está en
                      # peligro"); not "seguro" ("no estoy seguro" is "I'm not sure")
                      r"emergencia|urgente|peligro\w*|lastimad\w*|herid\w*|golpe\w*|"
                      r"amenaz\w*|fuego|incendio|humo|fuga|enferm\w*|alergi\w*|reaccion|"
                      r"ronchas|quemad\w*|sangr\w*)\b")


def denies_danger(denied: str, phrases: Iterable[str]) -> bool:
    """Whether what was denied names a danger (a trigger's phrase, or `DENIABLE`)."""
    return bool(denied) and (DENIABLE.search(denied) is not None
                             or any(f" {p} " in f" {denied} " for p in phrases))


def undenied(padded_text: str, keep: Iterable[str] = ()) -> str:
    """The message without its denied stretches, as plain words (for the semantic layer)."""
    return " ".join(w for w in deny(padded_text, keep).split() if w != BLANK)
