"""The most repeated commands, `status` and `overdue`, run without importing the argument parser.

Importing typer costs a third of a warm `overdue` on 10,000 tasks and half of a `status` on
a few plans. When the arguments are plainly the command's own (known options with values,
file names), `_entry.main` runs the command from here; anything else (help, a misspelt
option, a value typer would refuse) goes to typer, which then says what is wrong.
tests/test_fast.py checks that the options read here are exactly those typer declares for
each command, and that both give the same output.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Each command's options as typer declares them: name -> repeatable.
OVERDUE_OPTIONS = {"--owner": True, "--plan": True, "--as-of": False, "--format": False,
                   "--lang": False}
STATUS_OPTIONS = {**OVERDUE_OPTIONS, "--due-soon-days": False}
OPTIONS = {"overdue": OVERDUE_OPTIONS, "status": STATUS_OPTIONS}
VIEWS = {"overdue": "tasks", "status": "status"}
_SHORT = {"-f": "--format"}


@dataclass
class Args:
    paths: list[str] = field(default_factory=list)
    owner: list[str] = field(default_factory=list)
    plan: list[str] = field(default_factory=list)
    as_of: str | None = None
    output: str = "table"
    due_soon_days: int | None = None
    lang: str | None = None


def parse(command: str, argv: list[str]) -> Args | None:
    """The arguments after `command`, or None when typer should read them."""
    known = OPTIONS[command]
    args = Args()
    values: dict[str, list[str]] = {name: [] for name in known}
    words = iter(argv)
    for word in words:
        if not word.startswith("-"):
            args.paths.append(word)
            continue
        name, equals, value = word.partition("=")
        name = _SHORT.get(name, name)
        if name not in known:
            return None  # help, `--`, a misspelling: typer's to say
        if not equals:
            value = next(words, "")
            if not value or value.startswith("-"):
                return None
        values[name].append(value)
    if any(len(v) > 1 for name, v in values.items() if not known[name]):
        return None
    args.owner, args.plan = values["--owner"], values["--plan"]
    args.as_of = values["--as-of"][0] if values["--as-of"] else None
    if not _valid_day(args.as_of):
        return None
    if values.get("--due-soon-days"):
        text = values["--due-soon-days"][0]
        if not text.isdigit():
            return None
        args.due_soon_days = int(text)
    if values["--lang"]:
        from plantrack.lang import LANGUAGES

        if values["--lang"][0] not in LANGUAGES:
            return None
        args.lang = values["--lang"][0]
    if values["--format"]:
        from plantrack.views.formats import meant

        output = meant(VIEWS[command], values["--format"][0])
        if output is None:
            return None
        args.output = output
    return args


def overdue(args: Args) -> int:
    """Overdue tasks, most days overdue first; the exit code."""
    from plantrack.commands.base import as_of, in_lang, load_for_reading, print_tasks, selected
    from plantrack.domain.query import Filter, overdue_all
    from plantrack.domain.state import overdue_first

    when = as_of(args.as_of)
    loaded, code = load_for_reading(args.paths)
    lang = in_lang(loaded, args.lang)
    items = overdue_all(loaded.plans, when.for_plan)
    items = overdue_first(selected(items, loaded.plans,
                                   Filter(owners=args.owner, plans=args.plan)))
    print_tasks(items, {sp.plan.id: sp.plan for sp in loaded.plans}, args.output, "Overdue",
                compact=True, lang=lang)
    return code


def status(args: Args) -> int:
    """Counts of each state per plan and per owner; the exit code."""
    import sys

    from plantrack.commands.base import (
        as_of,
        due_soon_days,
        in_lang,
        load_for_reading,
        selected,
        terminal,
    )
    from plantrack.domain.query import Filter, derive_all
    from plantrack.domain.summary import summarize
    from plantrack.views import formats

    when = as_of(args.as_of)
    loaded, code = load_for_reading(args.paths)
    lang = in_lang(loaded, args.lang)
    items = derive_all(loaded.plans, when.for_plan, due_soon_days(args.due_soon_days, loaded))
    items = selected(items, loaded.plans, Filter(owners=args.owner, plans=args.plan))
    plans = {sp.plan.id: sp.plan for sp in loaded.plans
             if not args.plan or sp.plan.id in args.plan}
    summary = summarize(items, plans)
    view = formats.StatusView(summary, when.label(loaded.plans), plans,
                              when.given is None and len(plans) > 1, terminal(), lang)
    sys.stdout.write(formats.render("status", args.output, view))
    return code


RUNNERS = {"overdue": overdue, "status": status}


def run(argv: list[str]) -> int | None:
    """The exit code of a command run here, or None when typer must run it."""
    if not argv or argv[0] not in RUNNERS:
        return None
    args = parse(argv[0], argv[1:])
    return None if args is None else RUNNERS[argv[0]](args)


def _valid_day(text: str | None) -> bool:
    """A date typer's path would accept; its message for a bad one is typer's."""
    if text is None or text.strip().lower() == "today":
        return True
    from plantrack.asof import parse_day

    try:
        parse_day(text)
    except ValueError:
        return False
    return True
