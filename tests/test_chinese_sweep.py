"""A Chinese user never meets an English sentence unless they ask for one (issue #20).

Every command runs once or twice the way a Chinese user runs it (nothing says a language, so
loushi speaks Chinese), on good input and on the mistakes a consultant makes: a config with
broken references, a malformed rule pack and governance model in the project, a batch file
and a ledger and a 12345 export with wrong headers and rows, a missing path. What the command
writes to the terminal (standard output and error) must hold no English sentence.

An English sentence is a run of three or more English words on a line. Ids, keys, paths, rule
ids, options and YAML stand in Chinese text as they are; none of them is a run of plain words:
an id or a rule id has a hyphen or an underscore or a digit, a path a slash or a dot, an option
its dashes, a key its colon or a code span its backticks, a value its quotes; a list of values
(``office, mall, mixed``: every word but the last ends with a comma) is no sentence either. The
few English names a Chinese sentence uses (loushi, YAML, Excel ...) are listed in NAMES, so that
a text about them still counts as Chinese. test_the_detector_finds_english_and_passes_chinese shows
what it finds on messages this sweep once met.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.session import Session

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini.yaml"
SUNCUN = ROOT / "configs" / "districts" / "suncun.yaml"
SHUIGUOHU = ROOT / "configs" / "districts" / "shuiguohu"
LEDGER = ROOT / "examples" / "ledger" / "楼宇台账示例.xlsx"
#: The environment of a Chinese user: nothing names a language.
CHINESE = {"LOUSHI_LANG": None, "LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}

#: A word of an English sentence: letters (an apostrophe inside), perhaps ending a clause.
WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?[,.;!?]?")
#: Spans that stand in Chinese text as they are: code (`key:`), quoted values and ids
#: ('b-3', "09:00") without a space inside.
SPANS = re.compile(r"`[^`\n]*`|'[^'\s]*'|\"[^\"\s]*\"")
#: English names a Chinese sentence says as they are.
NAMES = {"loushi", "YAML", "JSON", "Schema", "CSV", "UTF", "Excel", "Word", "Graphviz", "git", "Tab", "Bash"}


def english(text: str) -> list[str]:
    """The English sentences in ``text``: runs of three or more English words on one line."""
    found = []
    for line in text.splitlines():
        run: list[str] = []
        for token in SPANS.sub(" ", line).split() + [""]:
            if WORD.fullmatch(token) and token.rstrip(",.;:!?") not in NAMES:
                run.append(token)
                continue
            if len(run) >= 3 and not all(word.endswith(",") for word in run[:-1]):
                found.append(" ".join(run))
            run = []
    return found


def test_the_detector_finds_english_and_passes_chinese():
    """Lines a Chinese run printed before this sweep, and their Chinese now."""
    met = ["/tmp/x/nonexist.yaml: no such file or folder",
           "/tmp/x/bad.csv:1: [error] the header has no 'building' column (route-batch)",
           "    hint: write a header row: building,matter,time",
           "rules/x.yaml:4:12: [error] rules/0/level: 'hmm' is not one of ['error', 'warning', 'info'] (rule-pack)",
           "d.yaml:49:74: [error] buildings names 'b-3', but there is no building with that id (reference)",
           "loushi impact: no person with the id 'nobody'",
           '      "description": "The district above it, e.g. 普陀区."',
           "  explain  Description, rationale, source and options of RULE_ID, and its..."]
    assert all(english(line) for line in met), [line for line in met if not english(line)]
    chinese = ["/tmp/x/nonexist.yaml: 没有这个文件或文件夹",
               "/tmp/x/bad.csv:1: [error] 表头缺少 'building' 列 (route-batch)",
               "    建议：请在第一行写表头：building,matter,time",
               "rules/x.yaml:4:12: [error] rules[0].level 为 'hmm'，应为以下之一：error, warning, info (rule-pack)",
               "d.yaml:49:74: [error] buildings 写的是 'b-3'，但没有这个编号的楼宇 (reference)",
               '    建议：请写作 office_hours: {start: "09:00", end: "17:30"}',
               "  --batch FILE              一次分流多个事项：事项 CSV 文件（列：building、matter、time 及属性）。",
               '      "description": "上级区，如 普陀区。"',
               "loushi: 2", "  rankdir=LR;", "用法： loushi rules explain [OPTIONS] RULE_ID",
               "    建议：请填以下之一：商务楼宇、商场；或 office, mall, mixed, industrial"]
    assert [line for line in chinese if english(line)] == []


# -- the inputs: good ones and a consultant's mistakes ------------------------------------------

@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sweep")
    found = {"good": folder / "mini.yaml", "suncun": folder / "suncun.yaml"}
    shutil.copy(MINI, found["good"])
    shutil.copy(SUNCUN, found["suncun"])
    text = MINI.read_text(encoding="utf-8")
    broken = (text.replace("zone: z-east, owner: u-owner", "zone: z-west, owner: u-owner", 1)   # no such zone
              .replace("- {id: b-3, name: 示范广场", "- {id: b-2, name: 示范广场", 1)             # an id twice
              .replace("secretary: p-wu", "secretary: a-tax", 1)                                # not a person
              .replace("kind: branch, form: single", "kind: brnch, form: single", 1)            # no such kind
              .replace("  parent: 示范区\n", "  parent: 示范区\n  parnet: x\n", 1)                # no such key
              .replace("extends: [structure, models,", "extends: [structure, modls,", 1)          # no such pack
              .replace("{rule: model-members, target: c-2", "{rule: model-membrs, target: c-2", 1))  # no such rule
    assert broken.count("z-west") == 1 and "brnch" in broken and "parnet" in broken
    assert "modls" in broken and "model-membrs" in broken
    found["bad"] = folder / "bad.yaml"
    found["bad"].write_text(broken, encoding="utf-8")
    old = folder / "v1.yaml"
    old.write_text(text.replace("loushi: 2\n", "loushi: 1\n", 1).replace("  parent: 示范区\n", "", 1), encoding="utf-8")
    found["v1"] = old
    # a project whose own governance model and rule pack are malformed
    project = folder / "project"
    shutil.copytree(SHUIGUOHU, project)
    model = next((project / "models").glob("*.yaml"))
    model.write_text(model.read_text(encoding="utf-8").replace("\nname:", "\nnmae:", 1), encoding="utf-8")
    (project / "rules").mkdir()
    (project / "rules" / "own.yaml").write_text(
        "pack: own\ndescription: {zh: 本街道的规则}\nrules:\n  - id: Own-Rule\n    level: severe\n    summary: 摘要\n",
        encoding="utf-8")
    found["project"] = project
    # files of a route batch, a ledger and a 12345 export, each with the wrong header or rows
    found["batch-header"] = folder / "header.csv"
    found["batch-header"].write_text("楼宇,事项,时间\nb-1,mt-canteen,2025-09-30 10:00\n", encoding="utf-8")
    found["batch-rows"] = folder / "rows.csv"
    found["batch-rows"].write_text("building,matter,time,severity\nb-9,mt-canteen,2025-09-30 10:00,\n"
                                   "b-1,mt-canteen,明天上午,\nb-1,mt-canteen,2025-09-30 10:00,huge\n,,,\n"
                                   "b-1,,2025-09-30 10:00,\n", encoding="utf-8")
    found["ledger"] = folder / "台账.csv"
    found["ledger"].write_text("序号,备注\n1,无\n", encoding="utf-8")
    found["ledger-rows"] = folder / "楼宇台账.csv"
    found["ledger-rows"].write_text("楼宇名称,所属片区,楼群网格,楼宇类型,在驻企业数\n示范新楼,西片,三号楼群网格,工厂,三\n"
                                    "示范新楼,东片,一号楼群网格,商务楼宇,4\n", encoding="utf-8")
    found["export"] = folder / "工单.csv"
    found["export"].write_text("工单号,来电时间\n1,2025-09-30 10:00\n", encoding="utf-8")
    return found


@pytest.fixture(scope="module")
def session() -> Session:
    """The session the sweep's commands share (``cli.main(args, obj=session)``), as an editor's
    do: the schema and packs are made once, in Chinese, not once per command. Each command
    still speaks as its own run: nothing names a language, so Chinese."""
    return Session()


def _run(session: Session | None, *args: str) -> str:
    result = CliRunner().invoke(cli, list(args), env=CHINESE, prog_name="loushi", obj=session)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.output


def _sweep(session: Session | None, *runs: tuple[str, ...]) -> dict[str, list[str]]:
    """Each run's English sentences, by its command line (only those that have some)."""
    found = {}
    for args in runs:
        output = _run(session, *args)
        assert output.strip(), args
        sentences = english(output)
        if sentences:
            found[" ".join(args)] = sentences[:5]
    return found


def test_validate_stats_graph_and_impact(inputs, session):
    good, bad = str(inputs["good"]), str(inputs["bad"])
    assert _sweep(session, ("validate", good), ("validate", bad), ("validate", "-f", "json", bad),
                  ("validate", str(inputs["project"])), ("validate", str(inputs["bad"].with_name("nowhere.yaml"))),
                  ("stats", good), ("stats", bad), ("graph", good), ("graph", "--view", "escalation", good),
                  ("graph", good, "--zone", "z-est"),
                  ("impact", good, "--person", "p-li"), ("impact", good, "--person", "p-lee"),
                  ("impact", good, "--unit", "u-nobody")) == {}


def test_build_and_diff(inputs, session, tmp_path):
    good, bad = str(inputs["good"]), str(inputs["bad"])
    assert _sweep(session, ("build", good, "-o", str(tmp_path / "out"), "-f", "md"),
                  ("build", bad, "-o", str(tmp_path / "bad"), "-f", "md"),
                  ("diff", good, bad), ("diff", good, str(inputs["suncun"])),
                  ("diff", good, str(tmp_path / "nowhere.yaml"))) == {}


def test_route_one_matter_and_batches(inputs, session):
    good = str(inputs["good"])
    assert _sweep(session, ("route", good, "-b", "b-1", "-m", "mt-canteen", "--at", "2025-09-30 10:00"),
                  ("route", good, "-b", "b-9", "-m", "mt-canteen"),
                  ("route", good, "-b", "b-1", "-m", "mt-canteen", "--attr", "severty=major"),
                  ("route", good, "--batch", str(inputs["batch-header"])),
                  ("route", good, "--batch", str(inputs["batch-rows"]))) == {}


def test_init_import_and_orders(inputs, session, tmp_path):
    good = str(inputs["good"])
    assert _sweep(session, ("init", "--model", "yizhang-liuyuan", "--name", "长风新村街道"),
                  ("init", "--folder", str(tmp_path / "new"), "--name", "长风新村街道"),
                  ("init", "--model", "yizhang-liuyaun"),
                  ("import", str(LEDGER), "--into", str(tmp_path / "fresh.yaml")),
                  ("import", str(inputs["ledger"]), "--into", good),
                  ("import", str(inputs["ledger-rows"]), "--into", good),
                  ("import", "--template", str(tmp_path / "blank.xlsx"), good),
                  ("orders", str(inputs["export"]), good),
                  ("orders", "--template", str(tmp_path / "export.csv"), good)) == {}


def test_rules_models_schema_and_migrate(inputs, session):
    project = str(inputs["project"])
    assert _sweep(session, ("rules", "list"), ("rules", "explain", "orglife-overdue"), ("rules", "explain", "reference"),
                  ("rules", "explain", "orglife-overdu"), ("rules", "test", "--project", project),
                  ("models", "list"), ("models", "list", "--project", project),
                  ("models", "explain", "yizhang-liuyuan"), ("models", "explain", "yizhang"),
                  ("schema",), ("schema", "--fragment"),
                  ("migrate", "--dry-run", str(inputs["v1"])), ("migrate", str(inputs["good"]))) == {}


def test_help_pages():
    assert _sweep(None, ("--help",), *((name, "--help") for name in (
        "validate", "build", "graph", "stats", "impact", "route", "diff", "init", "import", "rules", "schema",
        "models", "orders", "migrate", "lsp", "completion")), ("rules", "explain", "--help"),
        ("models", "list", "--help")) == {}
