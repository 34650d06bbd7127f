"""Name normalisation for search and matching (pure).

"O'Brien", "OBrien" and "o brien" must find each other; "Smith-Jones" must be found by "smith",
"jones", "smith jones" and "smith-jones".
"""

from __future__ import annotations

import re
import unicodedata

APOSTROPHES = "'’‘`´"


def fold(text: str, *, apostrophe: str = "") -> str:
    """Lower case, accents removed, apostrophes dropped (or replaced by ``apostrophe``), other
    punctuation as spaces."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower()
    for a in APOSTROPHES:
        text = text.replace(a, apostrophe)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def tokens(*names: str) -> set[str]:
    """Search tokens for a set of names: each word, and each hyphenated or spaced compound joined
    up ("smith-jones" gives smith, jones, smithjones)."""
    out: set[str] = set()
    for name in names:
        if not name:
            continue
        for part in re.split(r"\s+", name.strip()):
            words = fold(part).split()
            out.update(words)
            if len(words) > 1:
                out.add("".join(words))
            out.update(fold(part, apostrophe=" ").split())  # "O'Brien" is also "o" + "brien"
        words = fold(name).split()
        if len(words) > 1:
            out.add("".join(words))
    return {t for t in out if t}


def query_terms(query: str) -> list[str]:
    """The terms of a search query; each must prefix one of a person's tokens."""
    return fold(query).split()
