"""``loushi route --batch``: a few thousand generated matters on mini, checked against single routes.

The generated matters are spread over 2025 and 2026 on b-1 and b-2 (both under committee
c-1); every third carries ``severity``. Load is checked against counts made here from the rows
themselves (the rotation of c-1-head worked out by month, not by the engine).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from pathlib import Path
from types import SimpleNamespace as Of

import pytest
from click.testing import CliRunner

from engine.calendars import Calendar
from engine.cells import FORMULA_START, csv_cell
from engine.cli import cli
from engine.route.io import RESULT_COLUMNS, results_csv
from engine.session import Session

HERE = Path(__file__).resolve().parent
MINI = HERE / "data" / "mini.yaml"
ROWS = 3000
HEADS = ("p-li", "p-wu", "p-zheng")  # c-1-head's monthly turns from 2024-01
#: The working days the turns hand over on (mini has no project calendar: the official data).
CALENDAR = Calendar()


def generate(path: Path, count: int = ROWS, seed: int = 6) -> list[dict]:
    rng = random.Random(seed)
    start = dt.datetime(2025, 1, 1)
    rows = []
    for _ in range(count):
        moment = start + dt.timedelta(minutes=rng.randrange(0, 700 * 24 * 60))
        rows.append({"building": rng.choice(["b-1", "b-2"]), "category": rng.choice(["mt-canteen", "mt-tax"]),
                     "time": moment.strftime("%Y-%m-%d %H:%M"), "severity": rng.choice(["", "", "ordinary", "major"])})
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["building", "category", "time", "severity"])
        writer.writeheader()
        writer.writerows(rows)
    return rows


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    rows = generate(folder / "matters.csv")
    out = folder / "routes.json"
    result = CliRunner().invoke(cli, ["route", str(MINI), "--batch", str(folder / "matters.csv"), "-o", str(out),
                                      "-f", "json"])
    assert result.exit_code == 0, result.output
    return rows, json.loads(result.output), json.loads(out.read_text(encoding="utf-8")), folder


def test_batch_agrees_with_single_routes(batch):
    rows, _, routes, _ = batch
    assert [r["row"] for r in routes] == list(range(2, ROWS + 2))
    session = Session()  # the 40 single routes share the schema and packs (cli.main(args, obj=session))
    for index in random.Random(1).sample(range(ROWS), 40):
        row = rows[index]
        args = ["route", str(MINI), "-b", row["building"], "-m", row["category"], "--at", row["time"], "-f", "json"]
        if row["severity"]:
            args += ["--attr", f"severity={row['severity']}"]
        single = CliRunner().invoke(cli, args, obj=session)
        assert single.exit_code == 0, single.output
        expected = json.loads(single.output)
        expected.pop("version")
        got = dict(routes[index])
        assert got.pop("row") == index + 2
        assert got == expected


def first_holder(row: dict) -> str:
    """Who handles a generated row's first step, worked out from mini by hand."""
    if row["category"] == "mt-tax":
        return "p-qian" if row["severity"] == "major" else "p-zhao"
    moment = dt.datetime.strptime(row["time"], "%Y-%m-%d %H:%M")
    month = (moment.year - 2024) * 12 + moment.month - 1
    # the monthly turn hands over on the 1st, or on the first working day after it (on_holiday: shift)
    if moment.date() < CALENDAR.working_on_or_after(dt.date(moment.year, moment.month, 1)):
        month -= 1
    return HEADS[month % 3]


def test_load_per_person_and_post(batch):
    rows, summary, _, _ = batch
    assert summary["matters"] == ROWS
    assert summary["period"] == {"first": min(r["time"] for r in rows).replace(" ", "T"),
                                 "last": max(r["time"] for r in rows).replace(" ", "T")}
    people = {r["id"]: r for r in summary["load"]["people"]}
    for person in ("p-li", "p-wu", "p-zheng", "p-zhao", "p-qian"):
        assert people[person]["first"] == sum(1 for r in rows if first_holder(r) == person), person
    posts = {r["id"]: r for r in summary["load"]["posts"]}
    canteen = sum(1 for r in rows if r["category"] == "mt-canteen")
    assert posts["c-1-head"]["first"] == posts["c-1-head"]["on_path"] == canteen
    assert posts["g-c1.head1"] == {"id": "g-c1.head1", "name": "一号楼群网格·网格长", "first": 0, "on_path": canteen}
    assert posts["a-tax-officer"]["on_path"] == ROWS - canteen  # every tax matter reaches the tax office
    # p-zhao is the party instructor (first step of ordinary tax matters) and the office's commissioner
    assert people["p-zhao"]["on_path"] == ROWS - people["p-qian"]["first"]
    assert sum(r["first"] for r in summary["load"]["posts"]) == ROWS


def test_batch_output_is_deterministic_and_csv_agrees(batch):
    _, summary, routes, folder = batch
    out = folder / "routes.csv"
    args = ["route", str(MINI), "--batch", str(folder / "matters.csv"), "-f", "json"]
    first = CliRunner().invoke(cli, [*args, "-o", str(out)])
    assert first.exit_code == 0 and json.loads(first.output) == summary
    text = out.read_text(encoding="utf-8")
    again = CliRunner().invoke(cli, [*args, "-o", str(out), "--force"])
    assert again.output == first.output and out.read_text(encoding="utf-8") == text
    lines = list(csv.DictReader(text.splitlines()))
    assert len(lines) == ROWS
    for line, found in zip(lines, routes):
        assert line["first_post"] == found["steps"][0]["handlers"][0]["post"]
        assert line["first_holder"] == found["steps"][0]["handlers"][0]["holder"]["id"]
        assert line["final_deadline"].replace(" ", "T") == found["deadline"]


def test_batch_text(batch):
    folder = batch[3]
    result = CliRunner().invoke(cli, ["--lang", "zh", "route", str(MINI), "--batch", str(folder / "matters.csv")])
    assert result.exit_code == 0
    assert result.output.startswith(f"批量分流：mini，共 {ROWS} 件事项（2025-01-")
    assert "各岗位承办量" in result.output and "各人员承办量" in result.output
    english = CliRunner().invoke(cli, ["route", str(MINI), "--batch", str(folder / "matters.csv")])
    assert english.output.startswith(f"Batch routing: mini, {ROWS} matter(s) (2025-01-")
    assert "Load per post" in english.output and "Load per person" in english.output


def write(tmp_path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "m.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("text, expected", [
    ("building,matter,time\nb-1,mt-canteen,2025-09-30 10:00\nb-1,mt-canteen,30/9/2025\n",
     "m.csv:3:3: [error] '30/9/2025' is not a time written YYYY-MM-DD HH:MM"),
    ("building,matter,time,severty\n", "m.csv:1:4: [error] unknown column 'severty'"),
    ("building,time\n", "m.csv:1: [error] the header has no 'matter' column"),
    ("building,matter,time\nb-1,mt-canteen\n", "m.csv:2: [error] the row has 2 cells, the header 3"),
    ("building,matter,time\n,mt-canteen,2025-09-30 10:00\n", "m.csv:2:1: [error] the building is empty"),
    ("", "m.csv: [error] the batch file is empty"),
    ("building,matter,time\nb-1,mt-canteen,2025-09-30 10:00\nb-9x,mt-canteen,2025-09-30 10:00\n",
     "m.csv:3:1: [error] no building with the id or name 'b-9x'"),
    ("time,matter,building,severity\n2025-09-30 10:00,mt-tax,b-1,majr\n",
     "m.csv:2:4: [error] 'majr' is not a value of the attribute 'severity'"),
    ("building,matter,time\nb-3,mt-canteen,2025-09-30 10:00\n",
     "m.csv:2: [error] matter category 'mt-canteen', chain 1, step 1, for the building 'b-3'"),
])
def test_batch_file_problems(tmp_path, text, expected):
    result = CliRunner().invoke(cli, ["route", str(MINI), "--batch", str(write(tmp_path, text))])
    assert result.exit_code == 2
    assert expected in result.output.replace(str(tmp_path) + "/", "")
    assert "nothing was routed" in result.output


def test_batch_file_not_utf8(tmp_path):
    path = write(tmp_path, "building,matter,time\n示范大厦一号楼,mt-canteen,2025-09-30 10:00\n", "gbk")
    result = CliRunner().invoke(cli, ["route", str(MINI), "--batch", str(path)])
    assert result.exit_code == 2 and "is not UTF-8" in result.output and "CSV UTF-8" in result.output


def test_batch_accepts_bom_names_and_blank_lines(tmp_path):
    path = write(tmp_path, "\ufeffBuilding,Category,Time\n示范大厦一号楼,楼宇就餐,2025-09-30 10:00\n\n")
    result = CliRunner().invoke(cli, ["route", str(MINI), "--batch", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["matters"] == 1


def test_output_never_overwrites_by_surprise(tmp_path):
    path = write(tmp_path, "building,matter,time\nb-1,mt-canteen,2025-09-30 10:00\n")
    base = ["route", str(MINI), "--batch", str(path)]
    same = CliRunner().invoke(cli, [*base, "-o", str(path), "--force"])
    assert same.exit_code == 2 and "is the batch file itself" in same.output
    out = tmp_path / "out.csv"
    out.write_text("mine\n", encoding="utf-8")
    refused = CliRunner().invoke(cli, [*base, "-o", str(out)])
    assert refused.exit_code == 2 and "add --force" in refused.output
    assert out.read_text(encoding="utf-8") == "mine\n"
    assert CliRunner().invoke(cli, [*base, "-o", str(tmp_path / "out.txt")]).exit_code == 2
    assert CliRunner().invoke(cli, [*base, "-b", "b-1"]).exit_code == 2


def test_a_csv_cell_a_spreadsheet_would_run_is_written_as_text():
    """OWASP's CSV injection: text beginning with = + - @, a tab or a CR gets a leading ' (the
    same characters the xlsx writer keeps as text cells); numbers loushi computes stay numbers."""
    hostile = ['=HYPERLINK("http://example.invalid","点我")', "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]
    assert [csv_cell(text) for text in hostile] == ["'" + text for text in hostile]
    assert csv_cell(7) == 7 and csv_cell("楼-1") == "楼-1" and csv_cell("") == ""
    at = dt.datetime(2025, 3, 3, 9, 0)
    handler = Of(post=hostile[0], holder=hostile[3])
    found = Of(steps=[Of(handlers=[handler], deadline=at)], building=hostile[1], matter=hostile[2], at=at,
               chain=hostile[4], deadline=at, estimated=())
    out = io.StringIO()
    results_csv(Of(routes=[(Of(number=2), found)]), out)
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert rows[0] == list(RESULT_COLUMNS) and len(rows) == 2
    assert rows[1][0] == "2"  # the row number loushi counted, as it is
    assert not [cell for cell in rows[1] if cell.startswith(FORMULA_START)]
    assert rows[1][1] == "'+1" and rows[1][5] == "'" + hostile[0]
