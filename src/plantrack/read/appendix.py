"""A plan out of an appendix table ("Phụ lục: Danh mục nhiệm vụ"): STT, task, presiding
unit, coordinating units, deadline phrase, product.

Tables as offices make them: a title row above the header, headers in Vietnamese with or
without diacritics or in English, a row numbering the columns, group rows ("I. HOÀN THIỆN
THỂ CHẾ") that become tags, numbering such as 1, 1.2 and a), merged cells, multi-line cells,
spacer rows. What a cell says that cannot be read is reported where it is, never guessed.
Pure: the tables come from `read.office`, the YAML is written by `edit.newplan`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from plantrack.phrases import PhraseError, read_deadline
from plantrack.problems import Problem, Severity
from plantrack.read.office import Cell, Table
from plantrack.rules import declare
from plantrack.textmatch import fold

declare("import-deadline", "error", "file",
        "an imported table's deadline phrase cannot be read, or is a recurring duty with no "
        "date to start from: the task is due: tbd")
declare("import-caveat", "warning", "file",
        "an imported deadline phrase is read with a caveat (a monthly duty with no day, a day "
        "some months lack): check it")
declare("import-encoding", "error", "file",
        "an imported cell is typed in a legacy Vietnamese encoding (TCVN3, VNI): not imported")
declare("import-numbering", "warning", "file",
        "an imported row's number is not 1, 1.2 or a): the task is numbered in sequence")
declare("import-empty", "error", "file", "the imported table holds no task")

# What a header says, folded, for each field; the longest match wins.
HEADERS: dict[str, tuple[str, ...]] = {
    "stt": ("stt", "tt", "so tt", "so thu tu", "no", "no.", "#"),
    "title": ("noi dung nhiem vu", "noi dung cong viec", "ten nhiem vu", "nhiem vu",
              "noi dung", "cong viec", "task", "title"),
    "owner": ("co quan chu tri", "don vi chu tri", "co quan/don vi chu tri", "chu tri",
              "co quan thuc hien", "don vi thuc hien", "presiding unit", "owner", "lead"),
    "with": ("co quan phoi hop", "don vi phoi hop", "phoi hop", "coordinating units",
             "coordinating", "with"),
    "due": ("thoi gian hoan thanh", "thoi han hoan thanh", "thoi gian thuc hien",
            "thoi han", "thoi gian", "tien do", "deadline", "due"),
    "product": ("san pham du kien", "san pham", "ket qua du kien", "ket qua", "product",
                "output"),
    "note": ("ghi chu", "notes", "note"),
}
# "A", "B." or "C)": the parts above the roman groups ("A. NHIỆM VỤ CHUNG"), when the row
# names no unit and no deadline.
_LETTER_GROUP = re.compile(r"^([A-Z])[.)]?$")
_ROMAN = re.compile(r"^(?=[IVXLC]+\b)(M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3}))"
                    r"[.)]?$")
_NUMBER = re.compile(r"^(\d{1,6}(?:\.\d{1,4})*)[.)]?$")
_LETTER = re.compile(r"^([a-zđ])[.)]$")
_COLUMN_NUMBERS = re.compile(r"^\(?\d{1,2}\)?$")
# Abbreviations offices write for the words of unit names.
ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "vp": "van phong",
    "kh&cn": "khoa hoc va cong nghe", "khcn": "khoa hoc va cong nghe",
    "tt&tt": "thong tin va truyen thong", "tttt": "thong tin va truyen thong",
    "gd&dt": "giao duc va dao tao", "gddt": "giao duc va dao tao",
    "tn&mt": "tai nguyen va moi truong", "tnmt": "tai nguyen va moi truong",
    "nn&ptnt": "nong nghiep va phat trien nong thon", "ld-tb&xh":
    "lao dong - thuong binh va xa hoi", "vh,tt&dl": "van hoa, the thao va du lich",
    "kh&dt": "ke hoach va dau tu", "bcd": "ban chi dao",
}
# How a unit's name begins, and the short word of its key ("Sở Tài chính" -> so-tc).
_UNIT_KINDS = (("uy ban nhan dan", "ubnd"), ("van phong", "vp"), ("cong an", "ca"),
               ("ban chi dao", "bcd"), ("ban quan ly", "bql"), ("trung tam", "tt"),
               ("so", "so"), ("ban", "ban"), ("cuc", "cuc"), ("chi cuc", "cc"))
_SPLIT = re.compile(r"\s*(?:[;\n]|,(?=\s*(?:[Ss]ở|[Bb]an|UBND|Ủy|[Cc]ông an|[Vv]ăn phòng|"
                    r"[Cc]ục|[Tt]rung tâm|[Đđ]ài|[Bb]áo|[Cc]ác))|\s+và các\s+)\s*")
# Every letter Vietnamese writes beyond ASCII: the vowels with their tone marks, and đ.
_VI_LETTERS = frozenset(
    unicodedata.normalize("NFC", base + tone)
    for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
    for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")) | set("đĐ")
# Text typed in TCVN3 (ABC) and read as Unicode shows these, which Vietnamese never writes.
_TCVN3 = frozenset("µ¸¶·¹¨»¾¼½Æ©ÇËÐÎÏÑ®×Ö«ØÜÞßäåæ¬çëîïöø") - _VI_LETTERS
# Text typed in VNI shows tone marks as these letters after a vowel ("Vieät"), and đ as ñ.
_VNI = re.compile(r"[aeiouyAEIOUYöÖ][øûïöäëæ]|\bñ")


@dataclass
class Imported:
    """The plan read from a table, and what could not be read."""

    plan: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Reader:
    table: Table
    columns: dict[str, int]
    prefix: str
    issued: dt.date | None
    problems: list[Problem] = field(default_factory=list)
    owners: dict[str, str] = field(default_factory=dict)  # key -> name

    def report(self, cell: Cell | str, severity: Severity, code: str, message: str) -> None:
        where = cell.where if isinstance(cell, Cell) else cell
        self.problems.append(Problem(where, 0, 0, severity, code, message))


def header_columns(row: list[Cell], overrides: dict[str, str] | None = None
                   ) -> dict[str, int]:
    """The column of each field the header row names; `overrides` maps a header's text or
    a column's number or letter to a field."""
    found: dict[str, int] = {}
    for n, cell in enumerate(row):
        name = _field_of(cell.text)
        if name and name not in found:
            found[name] = n
    for column, name in (overrides or {}).items():
        index = _column_index(column, row)
        if index is not None:
            found = {k: v for k, v in found.items() if v != index}
            found[name] = index
    return found


def _field_of(text: str) -> str | None:
    folded = " ".join(re.sub(r"[()\[\]:*]", " ", fold(text)).split())
    best: tuple[int, str] | None = None
    for name, words in HEADERS.items():
        for word in words:
            hit = folded == word or (len(word) > 3 and word in folded)
            if hit and (best is None or len(word) > best[0]):
                best = (len(word), name)
    return best[1] if best else None


def _column_index(column: str, row: list[Cell]) -> int | None:
    if column.isdigit():
        return int(column) - 1
    if re.fullmatch(r"[A-Za-z]{1,2}", column):
        index = 0
        for char in column.upper():
            index = index * 26 + ord(char) - 64
        return index - 1
    for n, cell in enumerate(row):
        if fold(cell.text) == fold(column):
            return n
    return None


def find_header(table: Table, overrides: dict[str, str] | None = None
                ) -> tuple[int, dict[str, int]] | None:
    """The header row (among the first 15) and its columns: the first naming the task
    column and one more."""
    for n, row in enumerate(table.rows[:15]):
        columns = header_columns(row, overrides)
        if "title" in columns and len(columns) >= 2:
            return n, columns
    return None


def read_appendix(table: Table, plan_id: str, *, prefix: str = "T-",
                  title: str | None = None, issued: dt.date | None = None,
                  overrides: dict[str, str] | None = None) -> Imported:
    """A plan of the tasks of `table`; raises ValueError when it has no task column."""
    found = find_header(table, overrides)
    if found is None:
        raise ValueError(f"{table.name}: no header row naming the task column (such as "
                         "'Nội dung nhiệm vụ'); name it with --map COLUMN=title")
    at, columns = found
    above = _lines_above(table, at)
    reader = _Reader(table, columns, prefix, issued or _date_line(above))
    tasks = _tasks(reader, table.rows[at + 1:])
    plan: dict[str, Any] = {"plantrack": 1, "id": plan_id,
                            "title": title or _title_line(above) or plan_id}
    if reader.issued:
        plan["issued"] = reader.issued
    plan["lang"] = "vi"
    plan["owners"] = {key: name for key, name in sorted(reader.owners.items())}
    plan["tasks"] = tasks
    if not tasks:
        reader.report(table.name, "error", "import-empty", "the table holds no task")
    return Imported(plan, reader.problems)


def _title_line(above: list[str]) -> str | None:
    """The nearest line above the header that is a title: not a date line, nor a note in
    brackets ("(Kèm theo Kế hoạch số 123/KH-UBND ngày 05/3/2025)")."""
    for text in reversed(above):
        if not _DATE_LINE.search(fold(text)) and not text.startswith(("(", "[")):
            return _one_line(text)
    return None


def _lines_above(table: Table, header: int) -> list[str]:
    """The document's lines above the header, top down: the paragraphs above a Word table,
    then the table's (or sheet's) rows above its header that hold one text each."""
    lines = [t.strip() for t in table.above if t.strip()]
    for row in table.rows[:header]:
        texts = list(dict.fromkeys(c.text.strip() for c in row if c.text.strip()))
        if len(texts) == 1:
            lines.append(texts[0])
    return lines


# "ngày 05 tháng 02 năm 2025" of a place-and-date line, "ngày 05/3/2025" of a note.
_DATE_LINE = re.compile(r"ngay (\d{1,2})(?: thang |/|-|\.)(\d{1,2})(?: nam |/|-|\.)(\d{4})")


def _date_line(lines: list[str]) -> dt.date | None:
    """The date of the document's place-and-date line ("Hà Nội, ngày 05 tháng 02 năm 2025"),
    else of a line naming the document it comes with ("Kèm theo ... ngày 05/3/2025")."""
    for text in lines:
        match = _DATE_LINE.search(fold(text))
        if match:
            try:
                return dt.date(int(match[3]), int(match[2]), int(match[1]))
            except ValueError:
                return None
    return None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _tasks(reader: _Reader, rows: list[list[Cell]]) -> list[dict[str, Any]]:
    tasks: list[dict[str, Any]] = []
    group: tuple[str, str] | None = None  # (roman numeral, tag)
    number: str | None = None  # the number of the last numbered task, for a) rows
    used: set[str] = set()
    restarts = _numbering_restarts(reader, rows)
    for row in rows:
        cells = {name: row[i] if i < len(row) else Cell("", "") for name, i in
                 reader.columns.items()}
        texts = [c.text.strip() for c in row if c.text.strip()]
        if not texts or all(_COLUMN_NUMBERS.match(t) for t in texts):
            continue  # a spacer row, or the row numbering the columns
        stt = cells.get("stt", Cell("", "")).text.strip()
        title_cell = cells["title"]
        roman = _ROMAN.match(stt.upper()) if stt else None
        lettered = _LETTER_GROUP.match(stt) if not roman and _unassigned(cells) else None
        if roman or lettered or _is_group_row(row, cells):
            name = title_cell.text.strip() or texts[-1]
            mark = roman or lettered
            group = (mark.group(1) if mark else "", _tag(name))
            continue
        if not title_cell.text.strip():
            continue
        if _legacy(reader, title_cell):
            continue
        task_id, number = _task_id(reader, stt, number, group if restarts else None, used,
                                   title_cell)
        used.add(task_id)
        tasks.append(_task(reader, task_id, cells, row, group))
    return tasks


def _numbering_restarts(reader: _Reader, rows: list[list[Cell]]) -> bool:
    """Whether task numbers start again under each roman group (1, 2 under I; 1, 2 under II)."""
    seen: set[str] = set()
    index = reader.columns.get("stt")
    if index is None:
        return False
    for row in rows:
        stt = row[index].text.strip() if index < len(row) else ""
        match = _NUMBER.match(stt)
        if match:
            if match.group(1) in seen:
                return True
            seen.add(match.group(1))
    return False


def _is_group_row(row: list[Cell], cells: dict[str, Cell]) -> bool:
    """A row naming a group of tasks: one text across the row (merged), no unit, no date."""
    texts = {c.text.strip() for c in row if c.text.strip()}
    return len(texts) == 1 and len(row) > 2 and _unassigned(cells) and not cells.get(
        "stt", Cell("", "")).text.strip()


def _unassigned(cells: dict[str, Cell]) -> bool:
    """No unit and no deadline: a row that names a group, not a task."""
    return all(not cells[k].text.strip() for k in ("owner", "due") if k in cells)


def _task_id(reader: _Reader, stt: str, number: str | None,
             group: tuple[str, str] | None, used: set[str], cell: Cell
             ) -> tuple[str, str | None]:
    """`T-1`, `T-1.2`, `T-I.1` (numbers restarting under each group), `T-1.a` for "a)"."""
    base = f"{reader.prefix}{group[0]}." if group and group[0] else reader.prefix
    numbered = _NUMBER.match(stt)
    lettered = _LETTER.match(fold(stt))
    if numbered:
        number = numbered.group(1)
        wanted = f"{base}{number}"
    elif lettered and number:
        wanted = f"{base}{number}.{lettered.group(1).replace('đ', 'd')}"
    else:
        wanted = f"{base}{len(used) + 1}"
        if stt:
            reader.report(cell, "warning", "import-numbering",
                          f"the row's number {stt!r} is not 1, 1.2 or a); numbered {wanted}")
    task_id, n = wanted, 1
    while task_id in used:
        n += 1
        task_id = f"{wanted}-{n}"
    return task_id, number


def _task(reader: _Reader, task_id: str, cells: dict[str, Cell], row: list[Cell],
          group: tuple[str, str] | None) -> dict[str, Any]:
    task: dict[str, Any] = {"id": task_id, "title": _one_line(cells["title"].text)}
    units = _units(reader, cells.get("owner"))
    task["owner"] = units[0] if units else _unit_key(reader, "Chưa xác định")
    coordinators = [*units[1:], *_units(reader, cells.get("with"))]
    if coordinators:
        task["with"] = list(dict.fromkeys(k for k in coordinators if k != task["owner"]))
    task.update(_deadline(reader, cells.get("due")))
    if group:
        task["tags"] = [group[1]]
    source = " | ".join(dict.fromkeys(_one_line(c.text) for c in row if c.text.strip()))
    task["source"] = source
    product = cells.get("product")
    if product is not None and product.text.strip():
        task["notes"] = f"Sản phẩm: {_one_line(product.text)}"
    return task


def _deadline(reader: _Reader, cell: Cell | None) -> dict[str, Any]:
    if cell is None or (not cell.text.strip() and cell.day is None):
        return {"due": "tbd"}
    if cell.day is not None:
        return {"due": cell.day.isoformat()}
    if _legacy(reader, cell):
        return {"due": "tbd"}
    year = reader.issued.year if reader.issued else None
    try:
        reading = read_deadline(cell.text, default_year=year)
    except PhraseError as exc:
        reader.report(cell, "error", "import-deadline", f"{exc}; the task is due: tbd")
        return {"due": "tbd"}
    if reading.warning:
        reader.report(cell, "warning", "import-caveat", reading.warning)
    if reading.recurs:
        if reader.issued is None:  # a duty without a start is no valid plan: never guessed
            reader.report(cell, "error", "import-deadline",
                          f"{cell.text.strip()!r} is a recurring duty, and the document gives "
                          "no date to start it from; give --issued; the task is due: tbd")
            return {"due": "tbd"}
        return {"recurs": reading.recurs, "start": reader.issued}
    return {"due": reading.due}


def _units(reader: _Reader, cell: Cell | None) -> list[str]:
    if cell is None or not cell.text.strip() or _legacy(reader, cell):
        return []
    names = [n.strip(" .,-–") for n in _SPLIT.split(cell.text) if n.strip(" .,-–")]
    return [_unit_key(reader, _one_line(n)) for n in names]


def _expanded(name: str) -> str:
    """A unit's name folded, its abbreviations written out: "Sở KH&CN" -> "so khoa hoc va
    cong nghe"."""
    words = []
    for word in fold(name).split():
        words.append(ABBREVIATIONS.get(word.strip(".,"), word))
    return " ".join(words)


def _unit_key(reader: _Reader, name: str) -> str:
    """The owner key of a unit: one already read under this name or an abbreviation of it,
    else a new slug of its short name ("Sở Khoa học và Công nghệ" -> so-khcn)."""
    wanted = _expanded(name)
    for key, known in reader.owners.items():
        if _expanded(known) == wanted:
            if len(name) > len(known):  # "Sở Khoa học và Công nghệ" over "Sở KH&CN"
                reader.owners[key] = name
            return key
    key = slug(name)
    base, n = key, 1
    while key in reader.owners:
        n += 1
        key = f"{base}-{n}"
    reader.owners[key] = name
    return key


def slug(name: str) -> str:
    """A unit's key: the kind of unit, then the initials of the rest of its name, in
    lowercase ASCII ("Sở Tài chính" -> so-tc, "Ủy ban nhân dân các quận" -> ubnd-cq); a
    name of one or two words, those words ("Viettel" -> viettel)."""
    words = [w for w in re.split(r"[^a-z0-9]+", _expanded(name)) if w]
    for kind, short in _UNIT_KINDS:
        head = kind.split()
        if words[:len(head)] == head:
            rest = [w for w in words[len(head):] if w not in ("va", "cac", "cua", "tinh",
                                                              "thanh", "pho")]
            initials = "".join(w[0] for w in rest)[:8]
            return f"{short}-{initials}" if initials else short
    if 0 < len(words) <= 2:  # a name too short for initials: "Viettel", "Công an"
        return "-".join(words)[:24]
    initials = "".join(w[0] for w in words if w != "va")[:10]
    return initials or "don-vi"


def _tag(name: str) -> str:
    """A group row's tag: its words in lowercase ASCII, without the numeral."""
    text = re.sub(r"^\s*[IVXLC]+[.)]\s*", "", name)
    words = [w for w in re.split(r"[^a-z0-9]+", fold(text)) if w]
    return "-".join(words[:6]) or "nhom"


def _legacy(reader: _Reader, cell: Cell) -> bool:
    """Whether `cell` holds text typed in TCVN3 (ABC) or VNI and read as Unicode: reported,
    never imported as mojibake."""
    text = unicodedata.normalize("NFC", cell.text)
    encoding = legacy_encoding(text)
    if encoding is not None:
        reader.report(cell, "error", "import-encoding",
                      f"the text {_one_line(text)[:40]!r} looks typed in {encoding}, not "
                      f"Unicode; {CONVERT}")
        return True
    return False


CONVERT = "convert the document to Unicode (Unikey's converter does) and import it again"


def legacy_encoding(text: str) -> str | None:
    """The legacy Vietnamese encoding `text` looks typed in ("TCVN3 (ABC)" or "VNI"), read
    as if it were Unicode; None when it reads as Unicode Vietnamese or plain ASCII."""
    vietnamese = sum(1 for c in text if c in _VI_LETTERS and not c.isascii())
    tcvn = sum(1 for c in text if c in _TCVN3)
    vni = len(_VNI.findall(text))
    if (tcvn and tcvn >= vietnamese) or (vni and vni >= vietnamese):
        return "TCVN3 (ABC)" if tcvn >= vni else "VNI"
    return None
