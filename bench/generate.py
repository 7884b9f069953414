"""Generate a deterministic corpus of valid plan files that uses every feature of the format.

    python bench/generate.py bench/out/corpus-10k --plans 100 --tasks 100
    python bench/generate.py bench/out/rev2 --plans 100 --tasks 100 --revision 2

The same seed, plan count and task count always give the same bytes. Dates lie around 2025,
so that judged `--as-of 2025-09-30` the tasks fall into every derived state: cancelled,
done_on_time, done_late, ongoing, overdue, due_soon and on_track (recurring duties too).

Revision 2 is the same corpus a few days later: about one task in twenty changed (progress,
completion, owner, title, a new extension), a task appended to some plans and the last task
removed from others, so that `plantrack diff` has something to say.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
from pathlib import Path
from typing import Any

AS_OF = dt.date(2025, 9, 30)

PROVINCES = [
    "Hà Nội", "Hải Dương", "Bắc Ninh", "Quảng Ninh", "Thừa Thiên Huế", "Đà Nẵng",
    "Khánh Hòa", "Đắk Lắk", "Lâm Đồng", "Bình Dương", "Đồng Nai", "Cần Thơ", "An Giang",
    "Cà Mau", "Sóc Trăng", "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Thanh Hóa", "Ninh Bình",
]
VERBS = [
    "Xây dựng", "Hoàn thiện", "Triển khai", "Số hóa", "Nâng cấp", "Tổ chức", "Rà soát",
    "Đánh giá", "Ban hành", "Kết nối", "Đào tạo", "Tuyên truyền",
]
OBJECTS = [
    "cơ sở dữ liệu đất đai", "hệ thống thông tin giải quyết thủ tục hành chính",
    "trung tâm giám sát, điều hành thông minh", "nền tảng chia sẻ dữ liệu dùng chung",
    "kho dữ liệu số của tỉnh", "mạng truyền số liệu chuyên dùng",
    "chương trình đào tạo kỹ năng số cho cán bộ", "cổng dịch vụ công trực tuyến",
    "đề án phát triển kinh tế số", "hồ sơ sức khỏe điện tử", "học bạ số cho học sinh",
    "quy chế bảo đảm an toàn thông tin mạng",
]
PLACES = ["cấp tỉnh", "cấp xã", "toàn tỉnh", "các sở, ngành", "khu công nghệ cao"]
NOTES = [
    "Chờ ý kiến của Bộ Khoa học và Công nghệ.", "Đã bố trí kinh phí năm 2025.",
    "Phối hợp với đơn vị tư vấn; tiến độ chậm do thiếu nhân lực.",
    "Văn bản giao nhiệm vụ không nêu rõ thời hạn cụ thể.",
]
# Owner key -> (name, aliases); an empty alias list is written as a plain-string owner.
OWNERS: dict[str, tuple[str, list[str]]] = {
    "dost": ("Sở Khoa học và Công nghệ", ["DOST", "Sở KH&CN"]),
    "finance": ("Sở Tài chính", ["Sở TC"]),
    "home-affairs": ("Sở Nội vụ", []),
    "education": ("Sở Giáo dục và Đào tạo", ["Sở GD&ĐT"]),
    "health": ("Sở Y tế", []),
    "construction": ("Sở Xây dựng", []),
    "agri-env": ("Sở Nông nghiệp và Môi trường", ["Sở NN&MT"]),
    "ppc-office": ("Văn phòng Ủy ban nhân dân tỉnh", ["VP UBND", "PPC Office"]),
    "police": ("Công an tỉnh", []),
    "public-admin-center": ("Trung tâm Phục vụ hành chính công", []),
}
OWNER_KEYS = list(OWNERS)
TAGS = ["the-che", "chuyen-doi-so", "ha-tang", "du-lieu", "nhan-luc", "doi-moi-sang-tao"]
BASIS = [
    ("nq-57", "Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ, đổi mới sáng "
     "tạo và chuyển đổi số quốc gia", "2024-12-22", "https://example.org/nq-57"),
    ("qd-749", "Quyết định số 749/QĐ-TTg phê duyệt Chương trình Chuyển đổi số quốc gia", None,
     None),
]
MONTHLY = "FREQ=MONTHLY;BYMONTHDAY=25"
PROFILES = 20  # each plan cycles through every kind of task below

_PLAIN = re.compile(r"^[A-Za-zÀ-ỹĐđ][^:#\[\]{},&*!|>'\"%@`]*$")


class Raw(str):
    """Text written as it is (a date, a number, a deadline form)."""


def q(text: str) -> str:
    """A YAML scalar for `text`: plain when that reads back as the same text, else quoted."""
    if isinstance(text, Raw):
        return str(text)
    if _PLAIN.match(text) and not text.endswith(" ") and text.lower() not in (
            "null", "true", "false", "ongoing"):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def day(value: dt.date) -> Raw:
    return Raw(value.isoformat())


def flow(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return q(value)


def emit_task(task: dict[str, Any], comment: str | None) -> list[str]:
    lines = [f"  # {comment}"] if comment else []
    first = True
    for key, value in task.items():
        lead = "  - " if first else "    "
        first = False
        if isinstance(value, list) and value and isinstance(value[0], dict):
            block = key in ("updates",)  # updates in block style, the rest in flow style
            lines.append(f"{lead}{key}:")
            for item in value:
                if block:
                    pairs = list(item.items())
                    lines.append(f"      - {pairs[0][0]}: {flow(pairs[0][1])}")
                    lines.extend(f"        {k}: {flow(v)}" for k, v in pairs[1:])
                else:
                    lines.append(f"      - {flow(item)}")
        else:
            lines.append(f"{lead}{key}: {flow(value)}")
    return lines


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _month_updates(rng: random.Random, first: int, last: int, skip: int = 0,
                   ) -> list[dict[str, Any]]:
    """Monthly reports on the 20th-25th, months `first`..`last` of 2025, `skip` of them missed."""
    months = list(range(first, last + 1))
    for _ in range(skip):
        if len(months) > 1:
            months.pop(rng.randrange(len(months) - 1))
    out = []
    for k, month in enumerate(months):
        update: dict[str, Any] = {"date": day(dt.date(2025, month, rng.randint(20, 25)))}
        if k % 2 == 0:
            update["note"] = f"Báo cáo tháng {month}/2025"
        out.append(update)
    return out


def _progress_updates(rng: random.Random, until: dt.date, final: int) -> list[dict[str, Any]]:
    dates = sorted({_date_between(rng, dt.date(2025, 2, 1), until) for _ in range(3)})
    out = []
    for k, when in enumerate(dates):
        update: dict[str, Any] = {"date": day(when),
                                  "progress": final * (k + 1) // len(dates)}
        if k == 0:
            update["status"] = "in_progress"
        if rng.random() < 0.5:
            update["note"] = rng.choice(NOTES)
        out.append(update)
    return out


def _deadline_of(profile: int, rng: random.Random) -> Raw:
    """A deadline written in the form this kind of task uses."""
    if profile in (1, 17):
        when = (_date_between(rng, dt.date(2025, 10, 1), dt.date(2025, 10, 12)) if profile == 17
                else _date_between(rng, dt.date(2025, 4, 1), dt.date(2025, 12, 20)))
        return Raw(f"{when.isoformat()}T{rng.choice(['08:00', '10:30', '17:00'])}")
    if profile == 2:
        return Raw(f"2025-{rng.randint(3, 8):02d}")
    if profile == 3:
        return Raw(f"2025-Q{rng.randint(1, 2)}")
    if profile == 4:
        return Raw(f"2025-H{rng.randint(1, 2)}")
    if profile == 5:
        return Raw(rng.choice(["2025", "2026"]))
    if profile == 6:
        return Raw("ongoing")
    if profile == 12:
        return day(_date_between(rng, dt.date(2025, 10, 1), dt.date(2025, 10, 14)))
    if profile == 19:
        return day(_date_between(rng, dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    return day(_date_between(rng, dt.date(2025, 1, 15), dt.date(2025, 9, 15)))


def _schedule(task: dict[str, Any], profile: int, rng: random.Random) -> None:
    """Deadline or recurrence, status and completion: what decides the derived state."""
    if profile in (7, 8, 9):
        start = dt.date(2025, 1 if profile != 9 else 3, 1)
        task["recurs"] = MONTHLY + (";COUNT=3" if profile == 9 else "")
        task["start"] = day(start)
        if profile == 7:  # every report made: on track or due soon
            task["updates"] = _month_updates(rng, 1, 9)
        elif profile == 8:  # reports missed, the last one too: overdue
            task["updates"] = _month_updates(rng, 1, 7, skip=2)
        else:  # three reports, then the rule ends: done on time
            task["updates"] = _month_updates(rng, 3, 5)
        return
    due = _deadline_of(profile, rng)
    task["due"] = due
    if profile == 13:
        task["hard"] = True
    if profile == 11:
        approved = _date_between(rng, dt.date(2025, 3, 1), dt.date(2025, 6, 30))
        task["extensions"] = [
            {"due": Raw(f"2025-{rng.randint(10, 12):02d}"), "approved": day(approved),
             "ref": f"Công văn số {rng.randint(100, 999)}/UBND-KGVX",
             "reason": "Chờ bố trí vốn"},
            # approved after 2025-09-30: ignored when judged as of that day
            {"due": day(dt.date(2026, 3, 31)), "approved": day(dt.date(2025, 10, 15))},
        ]
    if profile in (2, 13):
        task["status"] = "done"
        task["completed"] = day(dt.date(2025, 1, 20) if profile == 2 else
                                _date_between(rng, dt.date(2025, 1, 5), dt.date(2025, 1, 14)))
        if profile == 13:
            task["due"] = day(dt.date(2025, 1, 15))
    elif profile == 3:
        task["status"] = "done"
        task["completed"] = day(_date_between(rng, dt.date(2025, 7, 15), dt.date(2025, 9, 10)))
        task["progress"] = 100
    elif profile == 16:  # completed after the as-of day: not done yet as of 2025-09-30
        task["status"] = "done"
        task["completed"] = day(dt.date(2025, 10, 20))
    elif profile == 10:
        task["status"] = "cancelled"
        task["notes"] = "Dừng thực hiện theo chỉ đạo của Ủy ban nhân dân tỉnh."
    elif profile == 4:
        task["status"] = "blocked"
    elif profile in (1, 18):
        task["status"] = "in_progress"
        final = rng.randint(20, 90)
        task["progress"] = final
        task["updates"] = _progress_updates(rng, dt.date(2025, 9, 20), final)


def make_task(plan_no: int, n_plans: int, j: int, seed: int) -> tuple[dict[str, Any], str | None]:
    rng = random.Random(f"{seed}/{plan_no}/{j}")
    profile = j % PROFILES
    task: dict[str, Any] = {
        "id": Raw(f"T-{j + 1:03d}"),
        "title": f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PLACES)}",
        "owner": rng.choice(OWNER_KEYS),
    }
    if rng.random() < 0.4 or profile == 18:
        others = [k for k in OWNER_KEYS if k != task["owner"]]
        task["with"] = rng.sample(others, rng.randint(1, 3))
    _schedule(task, profile, rng)
    if profile == 14 and j >= 2:
        deps = [f"T-{rng.randint(1, j):03d}"]  # earlier tasks only: no cycles
        if n_plans > 1:
            other = (plan_no - 1) % n_plans
            deps.append(f"{plan_id(other)}/T-{rng.randint(1, 10):03d}")
        task["depends_on"] = deps
    if profile in (5, 15):
        task["targets"] = [
            {"metric": "tỷ lệ hồ sơ được số hóa", "target": "100%", "actual": Raw(
                f"{rng.randint(10, 95)}%"), "measured": day(dt.date(2025, 8, 25))},
            {"metric": "số cán bộ được đào tạo", "target": rng.randint(100, 2000)},
        ]
    if rng.random() < 0.6:
        task["tags"] = rng.sample(TAGS, rng.randint(1, 2))
    if rng.random() < 0.5 or profile == 19:
        task["basis"] = [b[0] for b in BASIS[: rng.randint(1, 2)]]
    if rng.random() < 0.3:
        task["source"] = (f"Giao {OWNERS[task['owner']][0]} chủ trì, phối hợp với các đơn vị "
                          f"liên quan {task['title'].lower()}; hoàn thành trước thời hạn.")
    if profile == 6:
        task["notes"] = "Nhiệm vụ thường xuyên, không có thời hạn cụ thể."
    comment = f"Nhóm nhiệm vụ {j // PROFILES + 1}: {PLACES[j % len(PLACES)]}" if (
        j % PROFILES == 0) else None
    return task, comment


def revise(task: dict[str, Any], plan_no: int, j: int, seed: int) -> dict[str, Any]:
    """Revision 2 of a task: about one in twenty changes in one way or another."""
    rng = random.Random(f"rev2/{seed}/{plan_no}/{j}")
    if rng.random() >= 0.05:
        return task
    task = dict(task)
    change = rng.randrange(4)
    open_task = "recurs" not in task and task.get("status") not in ("done", "cancelled")
    if change == 0 and open_task:
        task["status"] = "done"
        task["completed"] = day(dt.date(2025, 9, 26))
        task.pop("progress", None)
    elif change == 1 and open_task and "extensions" not in task and not task.get("hard"):
        task["extensions"] = [{"due": day(dt.date(2025, 12, 31)),
                               "approved": day(dt.date(2025, 9, 26)),
                               "ref": "Công văn số 2025/UBND-KGVX"}]
    elif change == 2:
        task["owner"] = OWNER_KEYS[(OWNER_KEYS.index(task["owner"]) + 1) % len(OWNER_KEYS)]
        task.pop("with", None)
    else:
        task["title"] = task["title"] + " (điều chỉnh)"
    return task


def plan_id(plan_no: int) -> str:
    return f"plan-{plan_no:04d}"


def make_plan(plan_no: int, n_plans: int, n_tasks: int, seed: int, revision: int) -> str:
    rng = random.Random(f"{seed}/{plan_no}")
    province = PROVINCES[plan_no % len(PROVINCES)]
    issued = _date_between(rng, dt.date(2024, 12, 1), dt.date(2025, 2, 28))
    lines = [
        f"# Kế hoạch số {plan_no + 1}/KH-UBND của Ủy ban nhân dân tỉnh {province}",
        "# Generated by bench/generate.py: synthetic data for benchmarks.",
        "plantrack: 1",
        f"id: {plan_id(plan_no)}",
        f"title: {q(f'Kế hoạch chuyển đổi số tỉnh {province} năm 2025 (số {plan_no + 1})')}",
        f"issued_by: {q(f'Ủy ban nhân dân tỉnh {province}')}",
        f"issued: {issued.isoformat()}",
        "timezone: Asia/Ho_Chi_Minh",
        "basis:",
    ]
    for basis_id, title, when, url in BASIS:
        lines.append(f"  - id: {basis_id}")
        lines.append(f"    title: {q(title)}")
        if when:
            lines.append(f"    date: {when}")
        if url:
            lines.append(f"    url: {url}")
    lines += ["sources:", f"  - https://example.org/ke-hoach/{plan_no + 1}",
              f"reporting: {MONTHLY}", "owners:"]
    for key, (name, aliases) in OWNERS.items():
        if aliases:
            lines += [f"  {key}:", f"    name: {q(name)}", f"    aliases: {flow(aliases)}"]
        else:
            lines.append(f"  {key}: {q(name)}  # a plain-string owner")
    lines.append("tasks:")
    count = n_tasks
    if revision == 2 and plan_no % 10 == 3:
        count -= 1  # the last task is removed (nothing depends on it: deps point backwards)
    for j in range(count):
        task, comment = make_task(plan_no, n_plans, j, seed)
        if revision == 2:
            task = revise(task, plan_no, j, seed)
        lines.extend(emit_task(task, comment))
    if revision == 2 and plan_no % 10 == 5:
        lines.extend(emit_task({
            "id": Raw(f"T-{n_tasks + 1:03d}"), "title": "Bổ sung nhiệm vụ báo cáo kết quả quý III",
            "owner": "ppc-office", "due": day(dt.date(2025, 10, 10)), "tags": ["bo-sung"],
        }, "Nhiệm vụ bổ sung"))
    lines.append("# End of plan.")
    return "\n".join(lines) + "\n"


def generate(folder: Path, n_plans: int, n_tasks: int, seed: int = 2025,
             revision: int = 1) -> list[Path]:
    """Write the corpus into `folder` (emptied first); the paths written, in order."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    written = []
    for plan_no in range(n_plans):
        path = folder / f"{plan_id(plan_no)}.yaml"
        path.write_text(make_plan(plan_no, n_plans, n_tasks, seed, revision), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=100, help="tasks per plan")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--revision", type=int, choices=(1, 2), default=1)
    args = parser.parse_args(argv)
    files = generate(args.folder, args.plans, args.tasks, args.seed, args.revision)
    size = sum(f.stat().st_size for f in files)
    print(f"{args.folder}: {len(files)} plans, {len(files) * args.tasks} tasks, "
          f"{size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
