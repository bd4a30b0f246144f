"""``loushi stats`` on tests/data/mini.yaml: every figure worked out by hand from the fixture."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.model import stats
from engine.cli import cli
from engine.gate import open_district
from engine.session import Session

HERE = Path(__file__).resolve().parent
MINI = HERE / "data" / "mini.yaml"


@pytest.fixture(scope="module")
def figures():
    return stats.compute(open_district(MINI, Session()).model)


def row(figures, key):
    return next(r for r in figures["counts"] if r["key"] == key)


def test_counts_against_declared(figures):
    # declared buildings: 3, committees: 2; modelled: b-1, b-2, b-3 and c-1, c-2
    assert row(figures, "buildings") == {"key": "buildings", "modelled": 3, "declared": 3, "compared": True,
                                         "difference": 0}
    assert row(figures, "committees")["difference"] == 0
    # matters_per_year is recorded only (compare: false) and has no modelled count
    assert row(figures, "matters_per_year") == {"key": "matters_per_year", "modelled": None, "declared": 120,
                                                "compared": False, "label": "年办理事项"}
    # full members: u-owner 2 + u-pm 4 + u-law 1 + u-co 2 = 9; probationary: u-pm 1
    assert row(figures, "party_members_full")["modelled"] == 9
    assert row(figures, "party_members_probationary")["modelled"] == 1
    # posts: 14 written + 5 grid heads + 2 party secretaries = 21
    assert row(figures, "posts")["modelled"] == 21


def test_coverage(figures):
    cover = figures["coverage"]
    # committees: c-1 covers b-1, b-2; c-2 covers b-3 → 3 of 3
    assert cover["committee"] == {"covered": 3, "total": 3, "rate": 1.0, "missing": []}
    # party organisations: po-pm via u-pm (b-1); po-joint via u-owner (b-1), u-law (b-2), u-co (b-3) → 3 of 3
    assert cover["party_org"]["covered"] == 3
    # only b-1 has a building grid (g-b1, heads p-li and p-zhou) → 1 of 3 = 0.3333
    assert cover["grid_head_building"] == {"covered": 1, "total": 3, "rate": 0.3333, "missing": ["b-2", "b-3"]}
    # every building lies in a cluster grid with a head (g-c1: p-sun; g-c2: p-sun) → 3 of 3
    assert cover["grid_head_any"]["covered"] == 3
    # units in a party organisation: u-pm (po-pm); u-owner, u-law, u-co (po-joint) → 4 of 4
    assert cover["unit_party_org"] == {"covered": 4, "total": 4, "rate": 1.0, "missing": []}


def test_posts_per_person(figures):
    data = figures["posts_per_person"]
    held = {r["person"]: r["posts"] for r in data["by_person"]}
    # p-li: c-1-head, c-2-secretary, c-2-owner, g-b1.head1, po-joint.secretary = 5
    # p-zhao: a-office-commissioner, c-1-party, g-block.head1 = 3; p-sun: c-1-invest, g-c1.head1, g-c2.head1 = 3
    # p-wu: c-1-property, c-2-property, po-pm.secretary = 3; p-wang: c-1-errand, c-2-convener = 2
    # p-zheng: c-1-legal, c-2-member = 2; p-zhou: c-1-policy, g-b1.head2 = 2; p-qian: a-tax-officer = 1
    assert held == {"p-li": 5, "p-zhao": 3, "p-sun": 3, "p-wu": 3, "p-wang": 2, "p-zheng": 2, "p-zhou": 2,
                    "p-qian": 1}
    assert [r["person"] for r in data["by_person"]][:2] == ["p-li", "p-sun"]  # most first, then by id
    # 5 + 3·3 + 2·3 + 1 = 21 posts over 8 people = 2.625
    assert (data["people"], data["filled_posts"], data["mean"], data["max"]) == (8, 21, 2.625, 5)
    assert data["distribution"] == {"1": 1, "2": 3, "3": 3, "5": 1}
    assert data["without_post"] == []


def test_no_vacancies(figures):
    assert figures["vacancies"] == {"posts": 21, "vacant": 0, "vacant_posts": [], "by_body": {},
                                    "grids_without_head": []}


def test_a_vacancy(tmp_path):
    text = MINI.read_text(encoding="utf-8").replace(
        "{id: c-1-legal, role: legal_adviser, holder: p-zheng}", "{id: c-1-legal, role: legal_adviser, holder: null}")
    path = tmp_path / "vacant.yaml"
    path.write_text(text, encoding="utf-8")
    figures = stats.compute(open_district(path, Session()).model)
    assert figures["vacancies"]["vacant_posts"] == ["c-1-legal"]
    assert figures["vacancies"]["by_body"] == {"c-1": ["c-1-legal"]}
    # p-zheng keeps c-2-member only; 20 filled posts over 8 people
    by_person = {r["person"]: r["posts"] for r in figures["posts_per_person"]["by_person"]}
    assert by_person["p-zheng"] == 1 and figures["posts_per_person"]["filled_posts"] == 20


def test_cli_text_and_json():
    runner = CliRunner()
    text = runner.invoke(cli, ["--lang", "zh", "stats", str(MINI)])
    assert text.exit_code == 0
    assert "楼宇网格长覆盖（本楼宇网格有网格长）：1/3 = 33.3%" in text.output
    assert "8 人，21 个在岗岗位，人均 2.63，最多 5" in text.output  # 2.625 rounded half up
    english = runner.invoke(cli, ["--lang", "en", "stats", str(MINI)]).output
    assert "building grid head coverage (the building's own grid has a head): 1/3 = 33.3%" in english
    assert "8 people, 21 filled posts, 2.63 per person, at most 5" in english
    data = runner.invoke(cli, ["stats", "--format", "json", str(MINI)])
    assert data.exit_code == 0 and json.loads(data.output)["coverage"]["committee"]["covered"] == 3
    assert data.output == runner.invoke(cli, ["stats", "--format", "json", str(MINI)]).output


def test_cli_reports_a_broken_config():
    result = CliRunner().invoke(cli, ["stats", str(HERE / "cases" / "negative" / "dangling-reference.yaml")])
    assert result.exit_code == 1 and "(reference)" in result.stderr and result.stdout == ""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_text_names_every_count_in_words_not_keys(lang):
    """No raw key (grids_block, party_members_full) in the text: each count loushi makes has a
    name in both languages; a figure the config declares keeps its own key and label."""
    figures = stats.compute(open_district(MINI, Session()).model)
    said = stats.render_text(figures, lang)
    made = [row["key"] for row in figures["counts"] if row["modelled"] is not None]
    assert [key for key in made if "_" in key] and [key for key in made if "_" in key and key in said] == []
    if lang == "zh":
        assert [key for key in made if re.search(rf"^  {re.escape(key)}\b", said, re.M)] == []
    assert ("街区网格" if lang == "zh" else "block grids") in said
    assert ("正式党员" if lang == "zh" else "party members (full)") in said
