"""The most repeated command, `overdue`, run without importing the argument parser.

Importing typer costs a third of a warm `overdue` on 10,000 tasks. When the arguments are
plainly the command's own (known options with values, file names), `cli.main` runs it from
here; anything else (help, a misspelt option, a value typer would refuse) goes to typer,
which then says what is wrong. tests/test_fast.py checks that the options read here are
exactly those typer declares for the command, and that both give the same output.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The options of `overdue` as typer declares them: name -> repeatable.
OVERDUE_OPTIONS = {"--owner": True, "--plan": True, "--as-of": False, "--format": False}
_SHORT = {"-f": "--format"}


@dataclass
class OverdueArgs:
    paths: list[str] = field(default_factory=list)
    owner: list[str] = field(default_factory=list)
    plan: list[str] = field(default_factory=list)
    as_of: str | None = None
    output: str = "table"


def parse_overdue(argv: list[str]) -> OverdueArgs | None:
    """The arguments after `overdue`, or None when typer should read them."""
    args = OverdueArgs()
    values: dict[str, list[str]] = {name: [] for name in OVERDUE_OPTIONS}
    words = iter(argv)
    for word in words:
        if not word.startswith("-"):
            args.paths.append(word)
            continue
        name, equals, value = word.partition("=")
        name = _SHORT.get(name, name)
        if name not in OVERDUE_OPTIONS:
            return None  # help, `--`, a misspelling: typer's to say
        if not equals:
            value = next(words, "")
            if not value or value.startswith("-"):
                return None
        values[name].append(value)
    if any(len(v) > 1 for name, v in values.items() if not OVERDUE_OPTIONS[name]):
        return None
    args.owner, args.plan = values["--owner"], values["--plan"]
    args.as_of = values["--as-of"][0] if values["--as-of"] else None
    if values["--format"]:
        from plantrack.views.formats import meant

        output = meant("tasks", values["--format"][0])
        if output is None:
            return None
        args.output = output
    return args


def overdue(args: OverdueArgs) -> int:
    """Overdue tasks, most days overdue first; the exit code."""
    from plantrack.commands.base import as_of, load_for_reading, print_tasks, selected
    from plantrack.domain.query import Filter, overdue_all
    from plantrack.domain.state import overdue_first

    when = as_of(args.as_of)
    loaded, code = load_for_reading(args.paths)
    items = overdue_all(loaded.plans, when.for_plan)
    items = overdue_first(selected(items, loaded.plans,
                                   Filter(owners=args.owner, plans=args.plan)))
    print_tasks(items, {sp.plan.id: sp.plan for sp in loaded.plans}, args.output, "Overdue",
                compact=True)
    return code


def run(argv: list[str]) -> int | None:
    """The exit code of a command run here, or None when typer must run it."""
    if not argv or argv[0] != "overdue":
        return None
    args = parse_overdue(argv[1:])
    if args is None or not _valid_day(args.as_of):
        return None
    return overdue(args)


def _valid_day(text: str | None) -> bool:
    """A date typer's path would accept; its message for a bad one is typer's."""
    if text is None:
        return True
    from plantrack.asof import parse_day

    try:
        parse_day(text, today=None) if text.strip().lower() != "today" else None
    except ValueError:
        return False
    return True
