"""Kinds of party organisation and of body as data (issue #18): a district's own party kind gets
the meetings, duties and rules of the form it says it is (``like:``, ``tier:``), and a body kind
says how its charter reads, or that it has none (a 楼长制)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from engine.gate import Rejected, open_district
from engine.model import orglife
from engine.pipeline import validate_one
from engine.render import BuildOptions, render_files
from engine.session import Options, Session

from variants import write_variant

HERE = Path(__file__).resolve().parent
SHINAN = HERE / "data" / "shinan"
DISTRICT = SHINAN / "district.yaml"
OWN_KIND = "    - {id: park_committee, label: 产业园党委, rank: 3, term_years: 5}\n"


def session() -> Session:
    return Session(Options(today=dt.date(2025, 10, 20), models_dir=str(SHINAN / "models")))


def variant(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    return write_variant(DISTRICT, tmp_path / "district.yaml", *changes)


def opened(path: Path):
    result = open_district(path, session())
    assert not isinstance(result, Rejected), [str(f) for f in result.findings if f.level == "error"]
    return result.model


def findings(path: Path, rule: str) -> list:
    return [f for f in validate_one(path, session()).findings if f.rule == rule]


def markdown(model) -> dict[str, str]:
    files, _ = render_files(model, BuildOptions(formats=("md",), start=dt.date(2026, 1, 1), months=1), session())
    return {name: data.decode("utf-8") for name, data in files.items()}


def test_a_kind_like_a_branch_holds_a_branchs_meetings_and_duties(tmp_path):
    path = variant(tmp_path, (OWN_KIND, OWN_KIND + "    - {id: mobile_branch, label: 流动党员党支部, like: branch}\n"),
                   ("party_orgs:\n  - {id: po-ht,", "party_orgs:\n  - {id: po-mobile, name: 海天中心流动党员党支部, "
                    "kind: mobile_branch, parent: po-ht, units: [u-co], members: {full: 12}}\n  - {id: po-ht,"))
    model = opened(path)
    kind = model.kinds.party_orgs["mobile_branch"]
    branch = model.kinds.party_orgs["branch"]
    assert (kind.tier, kind.rank, kind.term_years, kind.label) == ("branch", 1, 3, "流动党员党支部")
    assert kind.meetings == branch.meetings and kind.duties == branch.duties
    planned = {p.meeting.kind for p in orglife.plan(model, model.entities["party_orgs"]["po-mobile"], 2026)}
    assert {"general_meeting", "committee_meeting", "theme_day", "life_meeting"} <= planned
    assert "召集支部党员大会和支部委员会会议" in model.role_duties("secretary", "po-mobile")


def test_a_kinds_own_meetings_and_duties_replace_the_defaults(tmp_path):
    own = ("    - id: park_committee\n      label: 产业园党委\n      like: committee\n"
           "      meetings:\n        - {kind: committee_meeting, name: 园区党委会议, every: month, source: 园区党委议事规则}\n"
           "      duties:\n        secretary: [主持产业园党委全面工作]\n")
    model = opened(variant(tmp_path, (OWN_KIND, own)))
    kind = model.kinds.party_orgs["park_committee"]
    assert (kind.tier, kind.rank, kind.term_years) == ("committee", 3, 5)  # from the committee it is like
    planned = orglife.plan(model, model.entities["party_orgs"]["po-xyb"], 2026)
    assert [p.meeting.name for p in planned] == ["园区党委会议"] * 12
    assert model.role_duties("secretary", "po-xyb") == ["主持产业园党委全面工作"]


def test_a_kind_that_says_nothing_gets_no_meetings_and_no_rules_of_a_form(tmp_path):
    model = opened(DISTRICT)
    kind = model.kinds.party_orgs["park_committee"]
    assert kind.tier is None and kind.meetings == () and kind.rank == 3
    assert orglife.plan(model, model.entities["party_orgs"]["po-xyb"], 2026) == []


def test_org_life_plans_for_a_districts_own_kind_and_refuses_an_unknown_one(tmp_path):
    meetings = ("district:\n", "district:\n  org_life:\n    meetings:\n      park_committee:\n"
                "        - {kind: theme_day, name: 主题党日, every: month}\n      park_comittee: []\n")
    path = variant(tmp_path, meetings)
    result = open_district(path, session())
    assert isinstance(result, Rejected)
    found = [f for f in result.findings if "park_comittee" in f.message]
    assert len(found) == 1
    line = path.read_text(encoding="utf-8").splitlines()[found[0].line - 1]
    assert line[found[0].column - 1:].startswith("park_comittee") and "park_committee" in found[0].hint
    good = variant(tmp_path, (meetings[0], meetings[1].replace("      park_comittee: []\n", "")))
    model = opened(good)
    assert {p.meeting.kind for p in orglife.plan(model, model.entities["party_orgs"]["po-xyb"], 2026)} == {"theme_day"}


def test_like_an_unknown_kind_or_itself_is_refused_at_its_line(tmp_path):
    for like, words in (("comittee", "which is not a known kind"), ("park_committee", "is like itself")):
        path = variant(tmp_path, (OWN_KIND, f"    - {{id: park_committee, label: 产业园党委, like: {like}}}\n"))
        result = open_district(path, session())
        assert isinstance(result, Rejected)
        found = [f for f in result.findings if f.rule == "kinds"]
        assert len(found) == 1 and words in found[0].message, [str(f) for f in found]
        assert "park_committee" in path.read_text(encoding="utf-8").splitlines()[found[0].line - 1]


def test_the_branch_rules_follow_the_tier_not_the_kind_id(tmp_path):
    oversized = ("party_orgs:\n  - {id: po-ht,", "party_orgs:\n  - {id: po-mobile, name: 海天中心流动党员党支部, "
                 "kind: mobile_branch, parent: po-ht, units: [u-co], members: {full: 60}}\n  - {id: po-ht,")
    as_branch = variant(tmp_path, (OWN_KIND, OWN_KIND + "    - {id: mobile_branch, label: 流动党员党支部, like: branch}\n"),
                        oversized)
    assert [f.target or f.message for f in findings(as_branch, "party-branch-size")]
    as_nothing = variant(tmp_path, (OWN_KIND, OWN_KIND + "    - {id: mobile_branch, label: 流动党员党支部, rank: 1}\n"),
                         oversized)
    assert findings(as_nothing, "party-branch-size") == []


def test_a_committee_secretary_of_every_shipped_committee_kind_has_no_branch_duties():
    model = opened(DISTRICT)
    shipped = {ident: kind for ident, kind in model.kinds.party_orgs.items() if Path(kind.origin[0]) != DISTRICT}
    assert {"district_committee", "business_district_committee", "joint_committee", "temporary_branch"} <= set(shipped)
    for ident, kind in shipped.items():
        duties = kind.duties.get("secretary", ())
        assert duties, ident
        if kind.tier not in ("branch", "general_branch"):
            assert not any("支部" in d for d in duties), (ident, duties)
            assert kind.label in duties[0], (ident, duties)


def test_a_head_system_has_no_charter_and_a_councils_charter_says_what_its_kind_says(tmp_path):
    head = ("    kind: building_committee\n    model: shinan-yilou\n", "    kind: head_system\n    model: shinan-yilou\n")
    fund = "    - {id: development_fund, label: 楼宇发展基金, serves: {min: 1}, under: [joint_conference]}\n"
    kinds = (fund, fund + "    - {id: park_council, label: 园区议事会, serves: {min: 1}, under: [joint_conference], "
             "charter: {title: 议事规则, nature: 园区企业共商园区事务的议事平台}}\n")
    council = opened(DISTRICT)
    docs = markdown(council)
    charter = next(text for name, text in docs.items() if name.startswith("章程/中环大厦楼委会"))
    assert "议事协调机构" in charter and "坚持党建引领" in charter
    assert [f for f in findings(DISTRICT, "charter-blanks") if f.target == "c-zh"]

    as_head = variant(tmp_path, head)
    docs = markdown(opened(as_head))
    names = [name for name in docs if name.startswith("章程/中环大厦楼委会")]
    assert names == ["章程/中环大厦楼委会（示例）工作制度.md"], names
    system = docs[names[0]]
    for words in ("本会", "议事协调机构", "议事规则", "经费", "成员的权利"):
        assert words not in system, words
    assert "本制度适用于中环大厦" in system and "本制度自＿＿＿＿年＿＿月＿＿日起施行" in system
    blanks = [f for f in findings(as_head, "charter-blanks") if f.target == "c-zh"]
    assert len(blanks) == 1 and "施行日期" in blanks[0].message and "任期" not in blanks[0].message

    without = variant(tmp_path, head, ("    - {id: development_fund,", "    - {id: head_system, label: 楼长制, "
                      "serves: {min: 1}, under: [building_committee, building_council, joint_conference], charter: false}\n"
                      "    - {id: development_fund,"))
    result = open_district(without, session())
    assert isinstance(result, Rejected) and [f for f in result.findings if f.rule == "kinds"]  # differs from the shipped one

    own = variant(tmp_path, kinds, ("    kind: building_committee\n    model: shinan-yilou\n",
                                    "    kind: park_council\n"))
    docs = markdown(opened(own))
    names = [name for name in docs if name.startswith("章程/中环大厦")]
    assert names == ["章程/中环大厦楼委会（示例）议事规则.md"], names
    text = docs[names[0]]
    assert "的园区议事会，是园区企业共商园区事务的议事平台。" in text
    assert "议事协调机构" not in text and "党建引领" not in text

    none = variant(tmp_path, (fund, fund + "    - {id: contact_system, label: 联络员制, serves: {min: 1}, "
                              "under: [joint_conference], charter: false}\n"),
                   ("    kind: building_committee\n    model: shinan-yilou\n", "    kind: contact_system\n"))
    docs = markdown(opened(none))
    assert not [name for name in docs if name.startswith("章程/中环大厦")]
    assert [name for name in docs if name.startswith("职责清单/中环大厦")]
    assert not [f for f in findings(none, "charter-blanks") if f.target == "c-zh"]
