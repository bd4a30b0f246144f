"""Days a source gives without their year (a report's "5月8日"), written ``--MM-DD``: accepted
where the schema takes a founding day or a post's term, printed 5月8日, never compared (route
does not judge a term by it; post-dates and body-temporary say they cannot judge). Tried on
市南区 (configs/districts/shinan-qu.yaml) with a temporary 理事会 in 中环大厦 founded "5月8日"."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.gate import open_district
from engine.model import days
from engine.render import words
from engine.session import Session

from variants import write_variant

ROOT = Path(__file__).resolve().parents[1]
SHINAN = ROOT / "configs" / "districts" / "shinan-qu.yaml"
COUNCIL = """committees:
  - id: sn-c-zhonghuan
    name: 中环大厦楼宇发展理事会（示例）
    kind: building_council
    buildings: [sn-b-zhonghuan]
    placeholder: true
    founded: "{founded}"
    ends: "2026-12-31"
    posts:
      - {{id: sn-c-zhonghuan-head, role: approval_officer, holder: sn-p-approval, since: "{since}", until: "{until}"}}

"""


def _district(tmp_path: Path, founded="--05-08", since="--05-08", until="--12-31") -> Path:
    council = COUNCIL.format(founded=founded, since=since, until=until)
    return write_variant(SHINAN, tmp_path / "shinan-qu.yaml", ("\nservice_points:", "\n" + council + "service_points:"))


def test_a_day_without_its_year_prints_as_the_source_says_it():
    assert days.yearless("--05-08") and not days.yearless("2025-05-08") and not days.yearless(None)
    assert words.date("--05-08") == "5月8日" and words.date("2025-05-08") == "2025年5月8日"
    assert words.term("--05-08", "2026-12-31") == "5月8日至2026年12月31日任职"
    assert days.dated("--05-08") is None and days.dated("2025-05-08") == "2025-05-08"


def test_it_is_accepted_where_a_day_is_and_refused_when_it_is_no_day(tmp_path):
    opened = open_district(_district(tmp_path), Session())
    assert not [f for f in opened.findings if f.rule == "schema"]
    bad = open_district(_district(tmp_path, founded="--13-08", since="--02-30"), Session())
    schema = sorted(f.path for f in bad.findings if f.rule == "schema")
    assert schema == ["/committees/0/founded", "/committees/0/posts/0/since"]


def test_the_rules_that_compare_dates_say_they_cannot_judge(tmp_path):
    path = _district(tmp_path)
    findings = open_district(path, Session()).findings
    said = {f.rule: f for f in findings if f.rule in ("post-dates", "body-temporary")}
    assert said["body-temporary"].level == "warning"
    assert "founded on --05-08, a day without its year: whether it ends (2026-12-31) after it was founded cannot " \
           "be judged" in said["body-temporary"].message
    assert "post sn-c-zhonghuan-head's date --12-31 has no year: whether its term has ended or runs forwards " \
           "cannot be judged" in said["post-dates"].message
    zh = CliRunner().invoke(cli, ["--lang", "zh", "validate", str(path)])
    assert "成立日期 --05-08 未载年份：无法判断撤销日期 2026-12-31 是否在其后 (body-temporary)" in zh.output
    assert "岗位 sn-c-zhonghuan-head 的任职日期 --12-31 未载年份" in zh.output
    # a day with its year is judged as before: an until before the since is the order problem
    judged = open_district(_district(tmp_path, founded="2025-05-08", since="2025-05-08", until="2025-01-01"),
                           Session()).findings
    assert [f.message for f in judged if f.rule == "post-dates"] == [
        "post sn-c-zhonghuan-head ends on 2025-01-01, before it starts on 2025-05-08"]
    assert not [f for f in judged if f.rule == "body-temporary"]


def test_route_does_not_judge_a_term_by_a_day_without_its_year(tmp_path):
    model = open_district(_district(tmp_path), Session()).model
    post = model.posts["sn-c-zhonghuan-head"]
    for day in (dt.date(2025, 1, 2), dt.date(2026, 6, 1)):
        assert model.post_standing(post, day) == "" and model.body_standing("sn-c-zhonghuan", day) == ""
    assert model.body_standing("sn-c-zhonghuan", dt.date(2027, 1, 1)) == "after"   # its ends has a year


def test_documents_print_the_day_as_the_source_says_it(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(_district(tmp_path)), "-o", str(out), "-f", "md", "-q"])
    assert result.exit_code == 0, result.output
    charter = (out / "章程" / "中环大厦楼宇发展理事会（示例）章程.md").read_text(encoding="utf-8")
    assert "本会于5月8日成立。" in charter and "5月8日至12月31日任职" in charter
    assert "--05-08" not in charter


def test_a_party_organisation_founded_on_a_day_without_its_year_is_not_judged_silently(tmp_path):
    """party-temporary judges the order of a party organisation's dates with their year; with a
    founding day that has none, body-temporary says the order cannot be judged."""
    text = SHINAN.read_text(encoding="utf-8")
    head = "party_orgs:\n"
    assert text.count(head) == 1
    org = ("  - {id: sn-po-temp, name: 中环大厦临时党支部（示例）, kind: temporary_branch, parent: sn-po-haitian, "
           "founded: \"--05-08\", ends: \"2026-12-31\", placeholder: true}\n")
    path = tmp_path / "shinan-qu.yaml"
    path.write_text(text.replace(head, head + org), encoding="utf-8")
    findings = open_district(path, Session()).findings
    said = [f for f in findings if f.target == "sn-po-temp" and f.rule in ("body-temporary", "party-temporary")]
    assert [(f.rule, f.level) for f in said] == [("body-temporary", "warning")], [str(f) for f in findings]
    assert "founded on --05-08, a day without its year" in said[0].message


def test_a_route_says_it_did_not_check_a_term_without_its_year(tmp_path):
    """A step whose post's term is given in days without their year is routed to its holder,
    and the answer says the term was not checked (text and JSON), instead of passing over it."""
    path = _district(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "    scope: {buildings: [sn-b-wanbang]}\n", "    scope: {buildings: [sn-b-wanbang, sn-b-zhonghuan]}\n").replace(
        "          - {level: district, handler: {body: sn-a-approval, role: approval_officer}, limit: {working_days: 5},",
        "          - {level: building, handler: {body: sn-c-zhonghuan, role: approval_officer}, limit: {working_days: 2}}\n"
        "          - {level: district, handler: {body: sn-a-approval, role: approval_officer}, limit: {working_days: 5},")
    path.write_text(text, encoding="utf-8")
    args = ["route", str(path), "--building", "sn-b-zhonghuan", "--matter", "sn-mt-catering", "--at", "2026-03-02 10:00"]
    zh = CliRunner().invoke(cli, ["--lang", "zh", *args])
    assert zh.exit_code == 0, zh.output
    assert "任职日期5月8日、12月31日未载年份，是否在任期内未核对" in zh.output
    as_json = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    first = json.loads(as_json.output)["steps"][0]["handlers"][0]
    assert first["holder"]["id"] == "sn-p-approval"
    assert "--05-08, --12-31" in first["term_not_judged"]["en"]
    assert json.loads(as_json.output)["steps"][1]["handlers"][0]["term_not_judged"] is None
