"""Input that used to give a confident wrong answer or an internal error, class by class, at
the boundaries of each fix: dates the calendar does not have, values ending in a newline,
whole numbers written as floats, values past any calendar or figure, empty documents,
includes of folders and other files, two districts of one id, invisible characters in names,
diff over a side that cannot be built, and month-end rotations.

Every fix sits in the loader, the schema, the sources or the model, so each case is checked
through more than one command.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine import exitcodes
from engine.calendars import Calendar
from engine.cli import cli
from engine.session import Session

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini.yaml"
COMMANDS = (("validate",), ("build", "-o", "{out}"), ("stats",), ("graph",), ("impact", "--person", "p-li"),
            ("route", "-b", "b-1", "-m", "mt-canteen", "--at", "2024-05-06 10:00"))


#: The session every command of this module runs in (``cli.main(args, obj=session)``): the schema
#: and packs made once, not once per command. Each case writes its own files in
#: its own folder, which each command reads and checks afresh.
SESSION = Session()


def invoke(*args: str):
    result = CliRunner().invoke(cli, ["--lang", "en", *args], obj=SESSION)
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code != exitcodes.INTERNAL
    return result


def mini(tmp_path: Path, old: str, new: str, name: str = "d.yaml") -> Path:
    text = MINI.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def findings(path: Path) -> list[dict]:
    result = invoke("validate", "-f", "json", str(path))
    return [f for d in json.loads(result.output)["districts"] for f in d["findings"]]


def errors(path: Path) -> list[dict]:
    return [f for f in findings(path) if f["level"] == "error"]


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


# -- dates the calendar has -----------------------------------------------------------------

@pytest.mark.parametrize("date, real", [
    ("2023-02-28", True), ("2023-02-29", False), ("2023-02-30", False), ("2024-02-29", True),
    ("2000-02-29", True), ("2100-02-29", False), ("1900-02-29", False), ("2024-04-30", True),
    ("2024-04-31", False), ("2024-06-31", False), ("2024-09-31", False), ("2024-11-31", False),
    ("2024-12-31", True), ("2024-13-01", False), ("2024-00-10", False), ("1900-01-01", True),
    ("1899-12-31", False), ("2199-12-31", True), ("2200-01-01", False), ("9999-12-31", False),
])
def test_a_date_is_a_day_of_the_calendar(tmp_path, date, real):
    path = mini(tmp_path, "date: 2023-06-29", f"date: {date}")
    found = [f for f in errors(path) if f["rule"] == "schema"]
    if real:
        assert found == []
        return
    line = line_of(path, date)
    assert [(f["line"], f["column"], f["path"]) for f in found] == [(line, 51, "/district/sources/0/date")]
    assert "district.sources[0].date" in found[0]["message"] and date in found[0]["message"]


def test_a_day_past_the_month_says_how_long_the_month_is(tmp_path):
    path = mini(tmp_path, "last_election: 2024-03-01}\n  - {id: po-joint", "last_election: 2023-02-29}\n  - {id: po-joint")
    (found,) = errors(path)
    assert "2023-02 has 28 days" in found["message"] and "party_orgs[0].last_election" in found["message"]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_rotation_starting_on_30_february_stops_every_command(tmp_path, command):
    path = mini(tmp_path, "start: 2024-01-01", "start: 2024-02-30")
    args = [a.format(out=tmp_path / "out") for a in command]
    result = invoke(*args[:1], str(path), *args[1:])
    assert result.exit_code == exitcodes.FINDINGS
    assert f"{path}:{line_of(path, '2024-02-30')}:14: [error]" in result.output


# -- patterns end at the end of the text ------------------------------------------------------

@pytest.mark.parametrize("old, new, where", [
    ("  id: mini\n", '  id: "mini\\n"\n', "/district/id"),
    ("  id: mini\n", "  id: |\n    mini\n", "/district/id"),
    ('start: "09:00"', 'start: "09:00\\n"', "/district/office_hours/start"),
    ("{id: z-east, name", '{id: "z-east\\n", name', "/zones/0/id"),
    ("name: 示范街道\n", "name: |\n    示范街道\n", "/district/name"),
])
def test_a_value_ending_in_a_newline_is_not_an_id_a_time_or_a_name(tmp_path, old, new, where):
    path = mini(tmp_path, old, new)
    assert where in {f["path"] for f in errors(path) if f["rule"] == "schema"}


def test_the_same_values_without_the_newline_pass(tmp_path):
    path = mini(tmp_path, "  id: mini\n", '  id: "mini"\n')
    assert errors(path) == []


# -- whole numbers are whole numbers ------------------------------------------------------------

@pytest.mark.parametrize("written", ["2.0", "1e1", "2.5", "0.0", "-0.0", "2E0"])
def test_a_count_written_as_a_float_is_an_error_at_its_line(tmp_path, written):
    path = mini(tmp_path, "kind: owner, party_members: {full: 2}}", f"kind: owner, party_members: {{full: {written}}}}}")
    found = [f for f in errors(path) if f["path"] == "/units/0/party_members/full"]
    assert len(found) == 1
    assert found[0]["line"] == line_of(path, "u-owner, name")
    assert "whole number" in found[0]["message"]


def test_a_declared_count_written_as_a_float_never_reaches_the_counts(tmp_path):
    path = mini(tmp_path, "buildings: 3\n", "buildings: 3.0\n")
    assert [f["path"] for f in errors(path)] == ["/district/declared/buildings"]
    result = invoke("stats", str(path))
    assert result.exit_code == exitcodes.FINDINGS and "3.0" not in result.output.replace("3.0 ", "")


def test_a_float_where_a_number_is_allowed_stays_a_number(tmp_path):
    path = mini(tmp_path, "limit: {hours: 48}", "limit: {hours: 0.25}")
    assert errors(path) == []


# -- values past any calendar or figure ---------------------------------------------------------

@pytest.mark.parametrize("limit, ok", [
    ("{hours: 8784}", True), ("{hours: 8784.5}", False), ("{hours: 1e308}", False), ("{hours: 1e999}", False),
    ("{days: 3660}", True), ("{days: 3661}", False), ("{days: 999999999}", False),
    ("{working_days: 2500}", True), ("{working_days: 2501}", False),
])
def test_a_time_limit_has_a_bound_naming_the_field(tmp_path, limit, ok):
    path = mini(tmp_path, "limit: {days: 7}", f"limit: {limit}")
    found = errors(path)
    if ok:
        assert found == []
        result = invoke("route", str(path), "-b", "b-1", "-m", "mt-canteen", "--at", "2199-12-31 10:00")
        assert result.exit_code in (exitcodes.OK, exitcodes.UNUSABLE)
        return
    assert [f["path"] for f in found] == ["/matters/0/escalation/0/steps/2/limit/" + limit[1:].split(":")[0]]
    assert "matters[0].escalation[0].steps[2].limit" in found[0]["message"]
    assert invoke("route", str(path), "-b", "b-1", "-m", "mt-canteen").exit_code == exitcodes.FINDINGS


@pytest.mark.parametrize("digits", [18, 19, 4301, 5000])
def test_an_integer_of_many_digits_is_an_error_not_a_crash(tmp_path, digits):
    path = mini(tmp_path, "owner, party_members: {full: 2}}", f"owner, party_members: {{full: {'9' * digits}}}}}")
    (found,) = errors(path)
    assert found["path"] == "/units/0/party_members/full" and found["line"] == line_of(path, "{id: u-owner, name")
    if digits > 18:
        assert f"{digits:,} digits" in found["hint"]
    assert invoke("build", str(path), "-o", str(tmp_path / "out")).exit_code == exitcodes.FINDINGS


@pytest.mark.parametrize("at, ok", [("2199-12-31 23:59", True), ("2200-01-01 00:00", False),
                                    ("9999-12-31 10:00", False), ("1900-01-01 09:00", True),
                                    ("1899-12-31 10:00", False)])
def test_a_raising_time_stays_inside_the_calendar(tmp_path, at, ok):
    result = invoke("route", str(MINI), "-b", "b-1", "-m", "mt-canteen", "--at", at)
    if ok:
        assert "1900-2199" not in result.output  # (the holiday calendar may not know the year: exit 2, said so)
    else:
        assert result.exit_code == exitcodes.UNUSABLE and "1900-2199" in result.output and "--at" in result.output


def test_a_batch_time_past_the_calendar_is_a_problem_at_its_cell(tmp_path):
    batch = tmp_path / "m.csv"
    batch.write_text("building,matter,time\nb-1,mt-canteen,2024-05-06 10:00\nb-1,mt-canteen,9999-12-31 10:00\n",
                     encoding="utf-8")
    result = invoke("route", str(MINI), "--batch", str(batch))
    assert result.exit_code != exitcodes.OK and f"{batch}:3:3" in result.output and "1900-2199" in result.output


@pytest.mark.parametrize("start, months, ok", [("2199-01", 12, True), ("2199-02", 12, False),
                                               ("9999-01", 120, False), ("2190-01", 120, True),
                                               ("2190-02", 120, False), ("1899-12", 1, False)])
def test_roster_months_stay_inside_the_calendar(tmp_path, start, months, ok):
    result = invoke("build", str(MINI), "-o", str(tmp_path / "out"), "-f", "ics", "--start", start,
                    "--months", str(months))
    if ok:
        assert result.exit_code == exitcodes.OK, result.output
    else:
        assert result.exit_code == exitcodes.UNUSABLE and "2199-12" in result.output


# -- empty documents --------------------------------------------------------------------------

EMPTY = {"dashes": "---\n", "null": "null\n", "tilde": "~\n", "directive": "%YAML 1.2\n---\n",
         "directive-null": "%YAML 1.2\n--- null\n...\n", "comment-dashes": "# a district\n---\n# nothing\n"}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("text", EMPTY.values(), ids=EMPTY.keys())
def test_an_empty_document_is_an_error_at_1_1_for_every_command(tmp_path, command, text):
    path = tmp_path / "empty.yaml"
    path.write_text(text, encoding="utf-8")
    args = [a.format(out=tmp_path / "out") for a in command]
    result = invoke(*args[:1], str(path), *args[1:])
    assert result.exit_code == exitcodes.UNUSABLE
    assert f"{path}:1:1: [error]" in result.output and "(yaml-empty)" in result.output
    assert "0 documents" not in result.output


def test_an_empty_fragment_is_an_error_at_its_1_1(tmp_path):
    (tmp_path / "part.yaml").write_text("---\n", encoding="utf-8")
    path = mini(tmp_path, "zones:\n", "include: [part.yaml]\nzones:\n")
    assert [(f["file"], f["line"], f["column"], f["rule"]) for f in errors(path)] == [
        (str(tmp_path / "part.yaml"), 1, 1, "yaml-empty")]


# -- includes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("make, include, rule", [
    (lambda d: (d / "parts").mkdir(), "parts", "include-folder"),
    (lambda d: (d / "parts").mkdir(), "parts/", "include-folder"),
    (lambda d: (d / "notes.txt").write_text("zones: []\n"), "notes.txt", "include-not-yaml"),
    (lambda d: (d / "more.yaml.bak").write_text("zones: []\n"), "more.yaml.bak", "include-not-yaml"),
    (lambda d: None, "nothing/*.yaml", "include-missing"),
])
def test_an_include_of_a_folder_or_another_file_is_an_error_at_its_line(tmp_path, make, include, rule):
    make(tmp_path)
    path = mini(tmp_path, "zones:\n", f"include: ['{include}']\nzones:\n")
    found = errors(path)
    assert [(f["file"], f["line"], f["column"], f["rule"]) for f in found] == [
        (str(path), line_of(path, "include:"), 11, rule)]
    assert invoke("build", str(path), "-o", str(tmp_path / "out")).exit_code == exitcodes.FINDINGS


def test_an_include_of_yml_and_yaml_files_is_fine(tmp_path):
    (tmp_path / "a.yml").write_text("zones: []\n", encoding="utf-8")
    path = mini(tmp_path, "zones:\n", "include: [a.yml]\nzones:\n")
    assert errors(path) == []


# -- two districts of one id -------------------------------------------------------------------

def test_two_districts_of_one_id_in_one_run_are_an_error_naming_both(tmp_path):
    folder = tmp_path / "city"
    folder.mkdir()
    for name in ("a.yaml", "b.yaml"):
        (folder / name).write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    (found,) = [f for f in findings(folder) if f["rule"] == "district-duplicate"]
    assert found["file"] == str(folder / "b.yaml") and found["line"] == 7 and found["column"] == 7
    assert str(folder / "a.yaml") in found["message"] + found["hint"]
    assert invoke("validate", str(folder)).exit_code == exitcodes.FINDINGS
    result = invoke("build", str(folder), "-o", str(tmp_path / "out"))
    assert result.exit_code != exitcodes.OK and "district-duplicate" in result.output
    assert (tmp_path / "out" / "mini" / "index.md").exists() or any((tmp_path / "out" / "mini").iterdir())


def test_districts_of_different_ids_in_one_folder_are_fine(tmp_path):
    folder = tmp_path / "city"
    folder.mkdir()
    text = MINI.read_text(encoding="utf-8")
    (folder / "a.yaml").write_text(text, encoding="utf-8")
    (folder / "b.yaml").write_text(text.replace("  id: mini\n", "  id: mini2\n"), encoding="utf-8")
    assert [f for f in findings(folder) if f["rule"] == "district-duplicate"] == []


# -- names: one line, nothing invisible ---------------------------------------------------------

@pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u2066", "\u200b", "\u200d", "\u2060", "\ufeff", "\u2028",
                                  "\u2029", "\u200f", "\u0085"])
@pytest.mark.parametrize("written", ["raw", "escape"])
def test_an_invisible_character_in_a_name_is_an_error_at_its_line(tmp_path, char, written):
    text = f"示范{char}exe.docx" if written == "raw" else f"示范\\u{ord(char):04x}exe.docx"
    path = mini(tmp_path, "name: 示范街道\n", f'name: "{text}"\n')
    found = [f for f in errors(path) if f["rule"] in ("yaml-invisible-character", "yaml-control-character")]
    assert found and {f["line"] for f in found} == {8}
    assert invoke("build", str(path), "-o", str(tmp_path / "out")).exit_code != exitcodes.OK


def test_a_name_of_two_lines_is_an_error(tmp_path):
    path = mini(tmp_path, "name: 示范街道\n", 'name: "示范\\n街道"\n')
    (found,) = errors(path)
    assert found["path"] == "/district/name" and "one line" in found["message"]


def test_visible_unicode_in_a_name_is_fine(tmp_path):
    path = mini(tmp_path, "name: 示范街道\n", 'name: "Café 示范街道 ①"\n')
    assert errors(path) == []


def test_file_names_are_nfc_and_without_invisible_characters():
    from engine.render.output import safe_name, unique_names

    assert safe_name("千佛山\u202eexe.docx") == "千佛山exe.docx"
    assert safe_name("a\u200bb\u200dc\u2060d\ufeff") == "abcd"
    assert safe_name("x\u2028y\u2029z") == "xyz"
    assert safe_name("\u0085a") == "_a"
    assert safe_name("Cafe\u0301") == safe_name("Caf\u00e9") == "Caf\u00e9"
    assert unique_names(["甲\u200b乙", "甲乙"]) == ["甲乙", "甲乙-2"]
    assert safe_name("\u202e") == "_"


# -- diff over a side that cannot be built, or an empty one ------------------------------------

def _diff_pair(tmp_path: Path, new_text: str) -> tuple[Path, Path]:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    new.write_text(new_text, encoding="utf-8")
    return old, new


@pytest.mark.parametrize("tail", ["include: [nothing/*.yaml]\n", "include: [notes.txt]\n"])
def test_diff_refuses_a_side_that_cannot_be_built(tmp_path, tail):
    (tmp_path / "notes.txt").write_text("zones: []\n", encoding="utf-8")
    renamed = MINI.read_text(encoding="utf-8").replace("name: 示范街道", "name: 改名街道") + tail
    old, new = _diff_pair(tmp_path, renamed)
    result = invoke("diff", str(old), str(new))
    assert result.exit_code == exitcodes.UNUSABLE
    assert f"{new}:{line_of(new, 'include:')}:11: [error]" in result.output
    assert invoke("diff", "--exit-code", str(old), str(new)).exit_code == exitcodes.FINDINGS
    data = json.loads(invoke("diff", "-f", "json", str(old), str(new)).output)
    assert data["districts"][0]["unbuilt"] == ["new"] and data["districts"][0]["refused"]


def test_diff_of_two_identical_broken_sides_still_refuses(tmp_path):
    broken = MINI.read_text(encoding="utf-8") + "include: [nothing/*.yaml]\n"
    old, new = _diff_pair(tmp_path, broken)
    old.write_text(broken, encoding="utf-8")
    assert invoke("diff", str(old), str(new)).exit_code == exitcodes.UNUSABLE


@pytest.mark.parametrize("text", EMPTY.values(), ids=EMPTY.keys())
def test_diff_takes_an_empty_side_as_everything_removed(tmp_path, text):
    old, new = _diff_pair(tmp_path, text)
    result = invoke("diff", str(old), str(new))
    assert result.exit_code == exitcodes.OK and "district removed" in result.output
    assert invoke("diff", "--exit-code", str(old), str(new)).exit_code == exitcodes.FINDINGS
    back = invoke("diff", "--exit-code", str(new), str(old))
    assert back.exit_code == exitcodes.FINDINGS and "district added" in back.output


def test_diff_of_two_good_sides_is_unchanged(tmp_path):
    old, new = _diff_pair(tmp_path, MINI.read_text(encoding="utf-8") + "# a comment\n")
    assert invoke("diff", "--exit-code", str(old), str(new)).exit_code == exitcodes.OK


# -- month-end rotations ------------------------------------------------------------------------

@pytest.mark.parametrize("start", ["2024-01-28", "2024-01-29", "2024-01-30", "2024-01-31", "2023-01-31",
                                   "2024-03-31", "2024-08-31", "2024-02-29"])
@pytest.mark.parametrize("period", ["month", "quarter", "half_year", "year"])
def test_roster_and_route_name_the_same_turn_on_every_day(start, period):
    from engine.model import period_index, period_start, rotation_turn

    begin = dt.date.fromisoformat(start)
    turns = [{"holder": f"p{n}"} for n in range(7)]
    rotation = {"start": start, "period": period, "turns": turns, "on_holiday": "keep"}  # the periods' own days
    calendar = Calendar()
    day, index = begin, 0
    while day < begin + dt.timedelta(days=3 * 366):
        while period_start(begin, index + 1, period) <= day:
            index += 1
        assert period_start(begin, index, period) <= day
        assert period_index(begin, day, period) == index, day
        assert rotation_turn(rotation, day, calendar) is turns[index % len(turns)], day
        day += dt.timedelta(days=1)


def test_a_rotation_from_31_january_turns_on_the_last_day_of_february():
    from engine.model import rotation_turn

    rotation = {"start": "2024-01-31", "period": "month", "turns": [{"holder": "a"}, {"holder": "b"}, {"holder": "c"}],
                "on_holiday": "keep"}
    calendar = Calendar()
    assert rotation_turn(rotation, dt.date(2024, 2, 28), calendar)["holder"] == "a"
    assert rotation_turn(rotation, dt.date(2024, 2, 29), calendar)["holder"] == "b"
    assert rotation_turn(rotation, dt.date(2024, 3, 30), calendar)["holder"] == "b"
    assert rotation_turn(rotation, dt.date(2024, 3, 31), calendar)["holder"] == "c"
    assert rotation_turn(rotation, dt.date(2024, 1, 30), calendar) is None
    # by default the turn due on Sun 31 Mar begins on Mon 1 Apr
    del rotation["on_holiday"]
    assert rotation_turn(rotation, dt.date(2024, 3, 31), calendar)["holder"] == "b"
    assert rotation_turn(rotation, dt.date(2024, 4, 1), calendar)["holder"] == "c"


def test_a_month_end_rotation_in_the_roster_matches_route(tmp_path):
    path = mini(tmp_path, "start: 2024-01-01", "start: 2024-01-31")
    result = invoke("route", str(path), "-b", "b-1", "-m", "mt-canteen", "--at", "2024-02-29 10:00", "-f", "json")
    step = json.loads(result.output)["steps"][0]
    assert "p-wu" in json.dumps(step, ensure_ascii=False)
    before = invoke("route", str(path), "-b", "b-1", "-m", "mt-canteen", "--at", "2024-02-28 10:00", "-f", "json")
    assert "p-li" in json.dumps(json.loads(before.output)["steps"][0], ensure_ascii=False)


# -- party rules that let organisations escape ---------------------------------------------------

def rule_findings(path: Path, rule: str) -> list[dict]:
    return [f for f in findings(path) if f["rule"] == rule]


@pytest.mark.parametrize("form", ["form: joint, ", ""], ids=["written", "inferred"])
@pytest.mark.parametrize("max_units, fires", [(2, True), (3, False)])
def test_a_joint_branch_is_sized_whether_its_form_is_written_or_inferred(tmp_path, form, max_units, fires):
    path = mini(tmp_path, "kind: branch, form: joint, units: [u-owner", f"kind: branch, {form}units: [u-owner")
    text = path.read_text(encoding="utf-8").replace("  suppress:\n", f"  options:\n    party-joint-size: {{max_units: {max_units}}}\n  suppress:\n", 1)
    path.write_text(text, encoding="utf-8")
    found = rule_findings(path, "party-joint-size")
    assert [f["target"] for f in found] == (["po-joint"] if fires else [])


def test_members_beside_another_units_own_committee_are_not_organised_by_it(tmp_path):
    path = mini(tmp_path, "kind: branch, form: single, units: [u-pm]", "kind: committee, form: single, units: [u-pm]")
    path.write_text(path.read_text(encoding="utf-8").replace("units: [u-owner, u-law, u-co]", "units: [u-law, u-co]"),
                    encoding="utf-8")
    assert [f["target"] for f in rule_findings(path, "party-joint-branch")] == ["u-owner"]


def test_members_in_a_building_a_joint_branch_covers_are_organised(tmp_path):
    path = mini(tmp_path, "units: [u-owner, u-law, u-co]", "units: [u-law, u-co], buildings: [b-1]")
    assert rule_findings(path, "party-joint-branch") == []


@pytest.mark.parametrize("kind, name, years, fires", [
    ("branch", "示范楼宇联合党支部", 5, True), ("branch", "示范楼宇联合党支部", 4, True),
    ("branch", "示范楼宇联合党支部", 3, False), ("branch", "示范楼宇联合党支部", 2, False),
    ("general_branch", "示范楼宇党总支", 5, True), ("committee", "示范楼宇党委", 5, False),
    ("branch", "示范社区党支部", 5, False), ("branch", "示范村党支部", 5, False),
])
def test_a_branch_term_of_more_than_three_years_is_a_finding(tmp_path, kind, name, years, fires):
    path = mini(tmp_path, "{id: po-joint, name: 示范楼宇联合党支部, kind: branch,",
                f"{{id: po-joint, name: {name}, term_years: {years}, kind: {kind},")
    found = rule_findings(path, "party-branch-term")
    assert [(f["target"], f["line"]) for f in found] == ([("po-joint", line_of(path, "id: po-joint"))] if fires else [])


def test_an_install_whose_catalogs_cannot_be_read_says_so_without_a_traceback(monkeypatch, capsys):
    """When the message catalogs cannot be read (a part of the install missing), the command
    cannot say anything through them; it says, in both languages, to reinstall, and exits 3."""
    from engine import i18n
    from engine.cli import main

    def unreadable(*args, **kwargs):
        raise ModuleNotFoundError("No module named 'polib'")
    monkeypatch.setattr(i18n, "_message", unreadable)   # every message goes through it, whoever imported text
    assert main(["validate", str(MINI)]) == exitcodes.INTERNAL
    said = capsys.readouterr()
    assert "Traceback" not in said.err + said.out
    assert "请重新安装 loushi" in said.err and "reinstall loushi" in said.err
    assert "ModuleNotFoundError: No module named 'polib'" in said.err
