"""A real git repository with a year of weekly history, for the report site's tests.

Two Vietnamese plans; a unit of one plan is spelled in capitals in the other (one owner
page); a target with a baseline and one without; an extension; a task added in May and one
removed in September; an update dated in June committed after June closed (a late
correction); commits at 23:30 Vietnam time on a cut-off day (still inside the period).
Deterministic: the same repository every time.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.gitrepo import GitRepo

VN = dt.timezone(dt.timedelta(hours=7))
FIRST = dt.date(2025, 1, 6)  # a Monday
WEEKS = 50

HEADERS = {
    "hn": ("hn-2025", "Kế hoạch thực hiện Nghị quyết 57-NQ/TW của Thành phố Hà Nội", {
        "so-khcn": ("Sở Khoa học và Công nghệ", ["Sở KH&CN"]),
        "so-noi-vu": ("Sở Nội vụ", []),
        "vpub": ("Văn phòng UBND Thành phố", []),
    }),
    "hd": ("hd-2025", "Kế hoạch thực hiện Nghị quyết 57-NQ/TW của tỉnh Hải Dương", {
        "khcn": ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", []),
        "stc": ("Sở Tài chính", []),
    }),
}
TITLES = [
    "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "Xây dựng cơ sở dữ liệu đất đai",
    "Triển khai nền tảng chia sẻ dữ liệu dùng chung",
    "Tổ chức đào tạo kỹ năng số cho cán bộ, công chức",
    "Rà soát, hoàn thiện quy chế quản lý khoa học và công nghệ",
    "Nâng cấp trung tâm giám sát, điều hành thông minh",
]
DUES = ["2025-03", "2025-Q2", "2025-06-30", "2025-Q3", "2025-10-15", "2025-12-31"]


def _task(plan: str, owners: list[str], i: int, week: int) -> list[str]:
    """Task i of `plan` as it stands after `week` weeks."""
    tid = f"{plan.upper()}-{i + 1}"
    due = DUES[i % len(DUES)]
    lines = [f"  - id: {tid}", f"    title: \"{TITLES[i % len(TITLES)]} ({plan.upper()} {i + 1})\"",
             f"    owner: {owners[i % len(owners)]}", f"    due: {due}"]
    if i == 2 and week >= 20:
        lines += ["    extensions:",
                  "      - {due: 2025-09-30, approved: 2025-05-26, ref: 123/QĐ-UBND, "
                  "reason: Chờ hướng dẫn của Bộ}"]
    if i == 0:
        lines += ["    targets:",
                  "      - metric: Tỷ lệ hồ sơ được số hóa", "        target: 100%",
                  "        baseline: {value: 20%, date: 2025-01-06}",
                  f"        actual: {min(100, 20 + 2 * week)}%",
                  f"        measured: {(FIRST + dt.timedelta(weeks=week)).isoformat()}"]
    if i == 1:
        lines += ["    targets:", "      - metric: Số xã kết nối", "        target: 120",
                  f"        actual: {3 * week}",
                  f"        measured: {(FIRST + dt.timedelta(weeks=week)).isoformat()}"]
    updates = []
    progress = 0
    for w in range(1, week + 1):
        if (w + i) % 3:
            continue
        progress = min(100, progress + 10 + 3 * i)
        day = FIRST + dt.timedelta(weeks=w, days=1)
        updates.append(f"      - {{date: {day.isoformat()}, progress: {progress}, "
                       f"note: \"Tuần {w}: đạt {progress}%\"}}")
    if plan == "hn" and i == 3 and week >= 25:
        # Dated 12 June, committed in week 25 (30 June): after June (15/5-14/6) closed.
        updates.append("      - {date: 2025-06-12, progress: 35, note: Bổ sung số liệu tháng 6}")
        updates.sort(key=lambda line: line.split("date: ")[1][:10])
    if updates:
        lines += ["    updates:", *updates]
    if progress == 100:
        done_week = next(w for w in range(1, week + 1) if (w + i) % 3 == 0
                         and sum(1 for v in range(1, w + 1) if (v + i) % 3 == 0)
                         * (10 + 3 * i) >= 100)
        lines += ["    status: done",
                  f"    completed: {(FIRST + dt.timedelta(weeks=done_week, days=1)).isoformat()}"]
    return lines


def plan_text(plan: str, week: int) -> str:
    pid, title, owners = HEADERS[plan]
    lines = ["plantrack: 1", f"id: {pid}", f"title: \"{title}\"", "issued: 2025-01-02",
             "lang: vi", "owners:"]
    for key, (name, aliases) in owners.items():
        lines.append(f"  {key}:" if aliases else f"  {key}: {name}")
        if aliases:
            lines += [f"    name: {name}", f"    aliases: [{', '.join(aliases)}]"]
    lines.append("tasks:")
    count = 6 if plan == "hn" else 4
    keys = list(owners)
    for i in range(count + (1 if week >= 18 else 0)):
        if plan == "hd" and i == 3 and week >= 36:
            continue  # removed in September
        lines += _task(plan, keys, i, week)
    return "\n".join(lines) + "\n"


def commit_time(week: int) -> dt.datetime:
    when = dt.datetime.combine(FIRST + dt.timedelta(weeks=week), dt.time(9), VN)
    if when.date() == dt.date(2025, 4, 14):
        when = when.replace(hour=23, minute=30)
    return when


def make_repo(root: Path, weeks: int = WEEKS) -> GitRepo:
    """The repository after `weeks` weekly commits."""
    repo = GitRepo.init(root)
    for week in range(weeks):
        extend(repo, week)
    return repo


def extend(repo: GitRepo, week: int) -> str:
    """Commit week `week` of the history."""
    for plan in HEADERS:
        repo.write(f"plans/{HEADERS[plan][0]}.yaml", plan_text(plan, week))
    return repo.commit(f"Cập nhật tuần {week}", when=commit_time(week))
