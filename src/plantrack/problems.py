"""The one problem type every stage reports, from the YAML reader to the checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, NamedTuple

Severity = Literal["error", "warning"]


class Message(str):
    """A problem's message or hint: the English text it reads as, with the gettext
    `template` and the `args` it was made from, so that a view can say it in another
    language (`said`). Arguments that are Messages are translated in turn."""

    template: str
    args: dict[str, Any]

    def __new__(cls, template: str, args: dict[str, Any] | None = None) -> Message:
        args = args or {}
        obj = super().__new__(cls, template % args if args else template)
        obj.template = template
        obj.args = args
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return Message, (self.template, self.args)

    def said(self, translate: Callable[[str], str],
             shown: Callable[[Any], Any] | None = None) -> str:
        """The message in the language of `translate` (a gettext function), each argument
        that is not a Message through `shown` (dates as the language writes them); as it
        reads in English when the translation does not fit the arguments."""
        args = {k: v.said(translate, shown) if isinstance(v, Message) else
                shown(v) if shown else v for k, v in self.args.items()}
        try:
            return translate(self.template) % args if args else translate(self.template)
        except (KeyError, TypeError, ValueError):
            return str(self)


def message(template: str, /, **args: Any) -> Message:
    """A Message reading `template % args`: `%(name)s` placeholders only (format a repr
    into its argument), and `%%` for a percent sign when there are arguments."""
    return Message(template, args)


def said(text: str | None, translate: Callable[[str], str],
         shown: Callable[[Any], Any] | None = None) -> str | None:
    """`text` in the language of `translate` when it is a Message; as it is otherwise."""
    if isinstance(text, Message):
        return text.said(translate, shown)
    return text


def message_of(exc: BaseException) -> str:
    """What an exception says, a Message when it was raised with one (`str(exc)` would
    make it plain text)."""
    if len(exc.args) == 1 and isinstance(exc.args[0], Message):
        return exc.args[0]
    return str(exc)


class Problem(NamedTuple):
    path: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    col: int  # 1-based; 0 when the problem concerns the whole file
    severity: Severity
    code: str
    message: str
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def location(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"

    def as_text(self) -> str:
        return f"{self.location()}: {self.severity} [{self.code}] {self.message}"


class UsageError(Exception):
    """A problem with how the tool was called or with reading its input: exit code 2."""


def sort_key(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.path, problem.line, problem.col, problem.code)
