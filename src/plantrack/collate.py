"""Names in Vietnamese alphabetical order, as CLDR's `vi` collation sorts them.

`str` order puts "Đ" and "Ủ" after "Z". With PyICU installed (`pip install plantrack[icu]`,
which builds against the system's ICU) the system's collator is used; without it, the same
order is computed here: letters by the Vietnamese alphabet (a ă â b c d đ e ê ... ơ ... ư),
then tone marks (none, huyền, hỏi, ngã, sắc, nặng), then case (lower first), each level
deciding only where the ones before it tie. tests/test_collate.py checks the two agree.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
# Marks that make another letter (ă â ê ô ơ ư) and tone marks, as NFD writes them.
_LETTER_MARKS = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

Key = tuple[tuple[tuple[int, int], ...], tuple[int, ...], tuple[int, ...]]


@lru_cache(maxsize=8192)  # owner names repeat down every table
def vietnamese_key(text: str) -> Key:
    """The sort key of `text` in Vietnamese alphabetical order (the fallback collator)."""
    primary: list[tuple[int, int]] = []
    tones: list[int] = []
    cases: list[int] = []
    for cluster in clusters(unicodedata.normalize("NFD", text)):
        base, marks = cluster[0], cluster[1:]
        lower = base.lower()
        letter = unicodedata.normalize("NFC", lower + "".join(
            m for m in marks if m in _LETTER_MARKS))
        # A tone mark counts on any base, a space too (ICU weighs " \u0300" after " ").
        tones.append(next((_TONES[m] for m in marks if m in _TONES), 0))
        cases.append(0 if base == lower else 1)
        if letter in _LETTER_RANK:
            primary.append((3, _LETTER_RANK[letter]))
        elif base.isspace() or unicodedata.category(base)[0] in "PSZ":
            primary.append((0, ord(base)))
        elif base.isdigit():
            primary.append((1, unicodedata.digit(base, 0)))
        else:
            primary.append((4, ord(base)))
    return tuple(primary), tuple(tones), tuple(cases)


def clusters(text: str) -> list[str]:
    """Each base character with the combining marks that follow it."""
    out: list[str] = []
    for char in text:
        if out and unicodedata.combining(char):
            out[-1] += char
        else:
            out.append(char)
    return out


@cache
def _icu_key() -> Callable[[str], object] | None:
    try:
        import icu
    except ImportError:
        return None
    collator = icu.Collator.createInstance(icu.Locale("vi"))
    return collator.getSortKey  # type: ignore[no-any-return]


def sort_key(text: str) -> object:
    """The key that sorts `text` in Vietnamese alphabetical order."""
    icu_key = _icu_key()
    return icu_key(text) if icu_key is not None else vietnamese_key(text)
