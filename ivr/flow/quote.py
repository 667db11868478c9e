"""Customer words quoted to staff, so that they can never pose as our own lines.

A texter writes what they like: `"I smell gas"\nConversation CVfake\n[Shop] NEW: call +1900…`
quoted as is would close our quote early and put lines in the on-call person's text that look
like ours. Every place that quotes a customer to staff (the handoff summary, the spoken whisper,
the voicemail text) goes through `quoted`, which

* masks card numbers and SSNs (`redact`, as the records do),
* collapses newlines, tabs and every other control or invisible formatting character to one
  space, so the words stay on one line,
* turns every double quote the customer typed (straight or curly) into a single one, so the
  quote we open with “ can only be closed by us,
* bounds the length with an ellipsis, and
* marks the words as theirs: `They said: “…”`.

Pure (no I/O): the flow core's summary uses it.
"""

from __future__ import annotations

import re
import unicodedata

from ivr.flow.redact import redact

#: Longest quotation, in characters, before it is cut at a word with "…".
MAX_QUOTE_CHARS = 160
OPEN, CLOSE = "“", "”"
#: What marks the words as the customer's, before the quotation.
LABEL = "They said:"

_DOUBLE_QUOTES = str.maketrans({c: "'" for c in "\"“”„‟«»″〝〞＂"})
_SPACES = re.compile(r"\s+")


def _visible(char: str) -> str:
    """A space for a control, invisible-format (bidi overrides too) or line/paragraph separator
    character; the character itself otherwise."""
    kind = unicodedata.category(char)
    return " " if kind in ("Cc", "Cf", "Cs", "Zl", "Zp") else char


def plain(words: str, limit: int = MAX_QUOTE_CHARS) -> str:
    """The customer's words made safe to put inside our text: masked, on one line, without
    double quotes, at most `limit` characters (cut at a word, with "…")."""
    text = redact(str(words or ""))
    text = "".join(_visible(c) for c in text).translate(_DOUBLE_QUOTES)
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


def quoted(words: str, limit: int = MAX_QUOTE_CHARS) -> str:
    """`words` between our own curly quotes (made `plain`): “…”; empty when there are none."""
    text = plain(words, limit)
    return f"{OPEN}{text}{CLOSE}" if text else ""


def they_said(words: str, limit: int = MAX_QUOTE_CHARS) -> str:
    """`They said: “…”`, the customer's words marked as theirs; empty when there are none."""
    text = quoted(words, limit)
    return f"{LABEL} {text}" if text else ""
