"""US states and jurisdictions from what people say: names, abbreviations, well-known places.

"Austin Texas", "TX", "Harris County" and "Chicago" all name a state. The number's own
location (phonenumbers' geocoder: "Texas" or "Chicago, IL") is only ever a suggestion to confirm.
"""

from __future__ import annotations

import re

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
}

_NAMES = {normalize(name): code for code, name in STATES.items()}
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


def find_state(text: str, asked: bool = False) -> tuple[str, float] | None:
    """The state a message names, as (two-letter code, confidence), or None.

    Abbreviations count when written in capitals ("Austin, TX") or when they are the whole
    answer to the question; fuzzy matches (speech mis-hearings like "texis") only when asked.
    """
    low = f" {normalize(text)} "
    for phrase, code in _ALL:
        if f" {phrase} " in low:
            return code, 1.0
    for match in _ABBREV.finditer(text):
        code = match.group(2)
        if code in STATES and (match.group(1) or code not in _WORDLIKE):
            return code, 0.95
    if asked:
        bare = normalize(text).replace(" ", "").upper()
        if bare in STATES:
            return bare, 0.95
        best = max(((fuzzy_phrase(text, name), code) for name, code in _NAMES.items()),
                   default=(0.0, ""))
        if best[0] >= 0.8:
            return best[1], round(best[0], 2)
    return None


def suggested_state(description: str | None) -> str | None:
    """The state in a geocoder description ("Texas", "Chicago, IL", "Austin, TX"), or None."""
    if not description:
        return None
    tail = description.rsplit(",", 1)[-1].strip()
    if tail.upper() in STATES:
        return tail.upper()
    found = find_state(description)
    return found[0] if found else None
