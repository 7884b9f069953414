"""File names for the site's pages: safe on every file system and host, unique even where
names compare without case (a checkout of the `reports` branch on Windows or macOS)."""

from __future__ import annotations

import re
import unicodedata

_UNSAFE = re.compile(r"[^a-z0-9._-]+")
MAX_NAME = 80


def file_slug(text: str) -> str:
    """Lowercase ASCII letters, digits, `.`, `_` and `-`: diacritics folded, đ to d, every
    other run of characters one `-`; never empty, never starting with `.`."""
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    slug = _UNSAFE.sub("-", ascii_only).strip("-.")[:MAX_NAME].strip("-.")
    return slug or "x"


class Names:
    """Hands out unique slugs: a second "T-1" (or "t-1") becomes "t-1-2"."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._given: dict[str, str] = {}

    def take(self, wanted: str) -> str:
        if wanted in self._given:
            return self._given[wanted]
        base = file_slug(wanted)
        slug, n = base, 1
        while slug in self._used:
            n += 1
            slug = f"{base}-{n}"
        self._used.add(slug)
        self._given[wanted] = slug
        return slug
