"""Declared figures that say what they count (``counts:``) are computed from the model and
compared, never copied; a count by a field nobody has is reported, not a silent zero."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.gate import open_district
from engine.model import figures, stats
from engine.session import Session

HERE = Path(__file__).resolve().parent
MINI = HERE / "data" / "mini.yaml"
SHIPPED = HERE.parent / "configs" / "districts"


def district(tmp_path, declared: str) -> Path:
    """mini.yaml with ``declared`` (YAML lines at the depth of the figures) added to its figures."""
    text = MINI.read_text(encoding="utf-8")
    anchor = "  declared:\n"
    assert anchor in text
    path = tmp_path / "district.yaml"
    path.write_text(text.replace(anchor, anchor + declared, 1), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def mini():
    return open_district(MINI, Session()).model


def test_count_where_sum_and_items(mini):
    units = mini.entities["units"]
    in_b1 = sum(1 for unit in units.values() if unit.get("building") == "b-1")
    assert in_b1 and figures.count(mini, {"of": "units", "where": {"building": "b-1"}}) == in_b1
    # one of a list of values
    both = sum(1 for unit in units.values() if unit.get("building") in ("b-1", "b-2"))
    assert figures.count(mini, {"of": "units", "where": {"building": ["b-1", "b-2"]}}) == both > in_b1
    # a dotted sum, the same as the modelled party_members_full
    assert figures.count(mini, {"of": "units", "sum": "party_members.full"}) == mini.counts()["party_members_full"]
    # posts, implied ones included
    c1 = [post for post in mini.posts.values() if post.body == "c-1"]
    assert figures.count(mini, {"of": "posts", "where": {"body": "c-1"}}) == len(c1) > 0
    # a list field's items
    org = next(iter(mini.entities["party_orgs"].values()))
    assert figures.count(mini, {"of": "party_orgs", "where": {"id": org["id"]}, "items": "units"}) == \
        len(org.get("units") or [])
    # nothing matches: zero, honestly
    assert figures.count(mini, {"of": "units", "where": {"building": "no-such"}}) == 0


def test_a_field_nobody_has_is_named(mini):
    assert figures.unknown_fields(mini, {"of": "units", "where": {"bulding": "b-1"}, "sum": "party_members.all"}) == \
        ["bulding", "party_members.all"]
    assert figures.unknown_fields(mini, {"of": "units", "where": {"building": "b-1"}}) == []


def test_a_computed_figure_is_compared_and_counted_in_the_summary(tmp_path):
    path = district(tmp_path, "    in_b1: {value: 40, label: 一号楼单位, counts: {of: units, where: {building: b-1}}}\n"
                              "    full: {value: 9, counts: {of: units, sum: party_members.full}}\n")
    model = open_district(path, Session()).model
    computed = stats.compute(model)
    rows = {row["key"]: row for row in computed["counts"]}
    modelled = figures.count(model, {"of": "units", "where": {"building": "b-1"}})
    assert rows["in_b1"]["modelled"] == modelled and rows["in_b1"]["compared"]
    assert rows["in_b1"]["difference"] == modelled - 40
    assert rows["full"]["difference"] == 0
    before = stats.compute(open_district(MINI, Session()).model)["declared"]
    assert computed["declared"] == {"figures": before["figures"] + 2, "computed": before["computed"] + 2,
                                    "agree": before["agree"] + 1}
    out = CliRunner().invoke(cli, ["--lang", "zh", "validate", str(path)])
    assert "in_b1" in out.output and "(declared-figures)" in out.output
    assert "full" not in out.output.replace("full_", "")


def test_a_miscounted_field_is_a_warning_not_a_zero(tmp_path):
    path = district(tmp_path, "    seats: {value: 3, counts: {of: posts, where: {bodi: c-1}}}\n")
    out = CliRunner().invoke(cli, ["--lang", "zh", "validate", str(path)])
    assert "(declared-counts)" in out.output and "bodi" in out.output


@pytest.mark.parametrize("spec, said", [
    ("{of: cars}", "district.declared.odd.counts.of is 'cars'; expected one of"),
    ("{of: units, sum: party_members.full, items: units}", "gives both 'sum' and 'items'"),
    ("{where: {building: b-1}}", "missing the required key 'of'"),
])
def test_the_schema_refuses_a_bad_count(tmp_path, spec, said):
    path = district(tmp_path, f"    odd: {{value: 1, counts: {spec}}}\n")
    out = CliRunner().invoke(cli, ["--lang", "en", "validate", str(path)])
    assert out.exit_code == 1 and "(schema)" in out.output and said in out.output


def test_stats_prints_the_share_in_both_languages(tmp_path):
    path = district(tmp_path, "    full: {value: 9, counts: {of: units, sum: party_members.full}}\n")
    runner = CliRunner()
    data = json.loads(runner.invoke(cli, ["stats", "-f", "json", str(path)]).output)["declared"]
    zh = runner.invoke(cli, ["--lang", "zh", "stats", str(path)]).output
    en = runner.invoke(cli, ["--lang", "en", "stats", str(path)]).output
    assert f"申报数字{data['figures']}个：可由配置算出并比较的{data['computed']}个，其中一致的{data['agree']}个" in zh
    assert f"Declared figures: {data['figures']}; computed from the config and compared: {data['computed']}" in en


def test_counts_by_kind_are_named_in_words(mini):
    computed = stats.compute(mini)
    kinds = [row for row in computed["counts"] if "kind" in row]
    assert kinds and all(row["key"] == f"{row['kind']['of']}_{row['kind']['kind']}" for row in kinds)
    said = stats.render_text(computed, "zh")
    assert all(f"其中{row['kind']['zh']}：{row['modelled']}" in said for row in kinds)
    assert not any(row["key"] in said for row in kinds)


@pytest.mark.skipif(not SHIPPED.is_dir(), reason="the shipped districts are not in this tree")
def test_every_shipped_figure_that_says_what_it_counts_agrees():
    """A shipped district computes what its sources state wherever it models the whole of it."""
    computed = 0
    for path in sorted([*SHIPPED.glob("*.yaml"), *(p for p in SHIPPED.iterdir() if (p / "district.yaml").is_file())]):
        model = open_district(path, Session()).model
        for key, entry in model.declared().items():
            if isinstance(entry.get("counts"), dict):
                computed += 1
                assert model.counts()[key] == entry["value"], (path.name, key)
    assert computed >= 7
