"""Text in several languages: a plain string, or a map of language code -> string.

A value written as a map reads as `Text`, a str holding the entry shown by default (the
plan's `lang`, else the first entry in file order) with the whole map in `langs`. Views that
know nothing of languages go on treating it as the string it is.
"""

from __future__ import annotations

import re
from typing import Any

# Lowercase BCP 47: a language subtag, then optional script or region subtags.
LANG_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
_MISTAKES = {"vn": "vi", "en-us": "en", "eng": "en", "vie": "vi"}


class Text(str):
    """Plan text written in several languages; the str is the entry shown by default."""

    langs: dict[str, str]

    def __new__(cls, shown: str, langs: dict[str, str]) -> Text:
        obj = super().__new__(cls, shown)
        obj.langs = langs
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return Text, (str(self), self.langs)


def lang_problem(code: object) -> str | None:
    """Why `code` is not a language code, or None when it is one."""
    if not isinstance(code, str) or not LANG_CODE.match(code):
        return f"{code!r} is not a lowercase BCP 47 language code such as vi or en"
    if code in _MISTAKES:
        return f"{code!r} is not a language code; write {_MISTAKES[code]!r}"
    return None


def translations(value: str | None, plan_lang: str | None) -> dict[str, str]:
    """Every language a text is written in: a plain string is in the plan's `lang`
    (unnamed, "", when the plan names none)."""
    if value is None:
        return {}
    if isinstance(value, Text):
        return dict(value.langs)
    return {plan_lang or "": str(value)}


def coerce_text(value: object, info: Any = None) -> str:
    """What the reader yields for a text field: a string, or a map of language -> string."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        raise ValueError(f"text should be a string or a map of language -> string, not "
                         f"{type(value).__name__}")
    if not value:
        raise ValueError("a map of translations holds at least one language")
    for code, entry in value.items():
        problem = lang_problem(code)
        if problem:
            raise ValueError(problem)
        if not isinstance(entry, str):
            raise ValueError(f"the {code!r} text should be a string, not {type(entry).__name__}")
    context = getattr(info, "context", None) or {}
    lang = context.get("lang") if isinstance(context, dict) else None
    langs = {str(k): str(v) for k, v in value.items()}
    shown = langs[lang] if isinstance(lang, str) and lang in langs else next(iter(langs.values()))
    return Text(shown, langs)


class TextSchema:
    """The pydantic schema of a text field (see `model.LangText`)."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.with_info_plain_validator_function(
            coerce_text,
            json_schema_input_schema=core_schema.union_schema([
                core_schema.str_schema(),
                core_schema.dict_schema(core_schema.str_schema(pattern=LANG_CODE.pattern),
                                        core_schema.str_schema(), min_length=1),
            ]),
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )


def in_lang(value: str, lang: str | None) -> str:
    """`value` as a view in `lang` shows it (PLAN-FORMAT.md): its `lang` entry, else the
    entry shown by default. Still a `Text` with the whole map, for JSON's `_i18n`."""
    if lang is None or not isinstance(value, Text) or lang not in value.langs:
        return value
    entry = value.langs[lang]
    return value if entry == str(value) else Text(entry, value.langs)
