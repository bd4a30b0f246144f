"""Templates: the override search path, named blocks, strict values, the sandbox."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from engine.pipeline import prepare
from engine.render import BuildOptions, render_files
from engine.render.environment import RenderError

MINI = Path(__file__).parent / "data" / "mini.yaml"


@pytest.fixture(scope="module")
def model():
    return prepare(MINI).model


def render(model, templates: Path) -> dict[str, bytes]:
    files, _ = render_files(model, BuildOptions(formats=("md",), templates=templates, start=dt.date(2025, 1, 1)))
    return files


def line_of(text: str) -> int:
    for number, line in enumerate(MINI.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(text)


def test_override_replaces_one_named_block(model, tmp_path):
    (tmp_path / "charter.md").write_text(
        '{% extends "shipped/charter.md" %}\n{% block closing %}\n## {{ ledger.chapter() }}　附则\n\n'
        "**{{ ledger.clause(c.origin) }}**　本章程自印发之日起施行。\n{% endblock %}\n", encoding="utf-8")
    text = render(model, tmp_path)["章程/示范大厦楼委会章程.md"].decode()
    assert "本章程自印发之日起施行。" in text
    assert "由本会负责解释" not in text
    assert "## 第一章　总则" in text          # the other blocks are the shipped ones


def test_override_of_a_whole_template(model, tmp_path):
    (tmp_path / "roster.md").write_text("# {{ title | md }}\n\n自定义轮值表\n", encoding="utf-8")
    files = render(model, tmp_path)
    assert files["轮值表/示范大厦楼委会轮值表.md"].decode() == "# 示范大厦楼委会轮值表\n\n自定义轮值表\n"


def test_template_typo_names_template_and_line(model, tmp_path):
    (tmp_path / "roster.md").write_text("# {{ title }}\n\n{% if %}\n", encoding="utf-8")
    with pytest.raises(RenderError) as caught:
        render(model, tmp_path)
    assert caught.value.line == 3
    assert caught.value.template.endswith("roster.md")
    assert "syntax error" in str(caught.value)


def test_missing_value_names_template_line_and_config_line(model, tmp_path):
    (tmp_path / "charter.md").write_text(
        '{% extends "shipped/charter.md" %}\n{% block closing %}\n\n本会成立于{{ committee.founded }}。\n'
        "{% endblock %}\n", encoding="utf-8")
    with pytest.raises(RenderError) as caught:
        render(model, tmp_path)
    error = caught.value
    assert error.template.endswith("charter.md") and error.line == 4
    assert "'founded' is not set for committee c-1" in error.message
    assert error.origin == f"mini.yaml:{line_of('id: c-1')}"


def test_missing_value_in_a_shipped_template(model, tmp_path, monkeypatch):
    """A record lacking a field the shipped charter requires: the error names templates/charter.md."""
    from engine.render import context

    original = context.Builder.committee_options

    def without_model(self, entity):
        fields = original(self, entity)
        fields.pop("model", None)
        return fields

    monkeypatch.setattr(context.Builder, "committee_options", without_model)
    with pytest.raises(RenderError) as caught:
        render(model, tmp_path)
    assert caught.value.template == "templates/charter.md" and caught.value.line > 0
    assert "'model' is not set for committee c-1" in caught.value.message


def test_none_is_never_printed(model, tmp_path):
    (tmp_path / "index.md").write_text("{{ none }}\n", encoding="utf-8")
    with pytest.raises(RenderError) as caught:
        render(model, tmp_path)
    assert "None" in caught.value.message and caught.value.line == 1


@pytest.mark.parametrize("expression", ["''.__class__.__mro__", "district.__dict__", "district.__init__.__globals__"])
def test_user_templates_are_sandboxed(model, tmp_path, expression):
    (tmp_path / "index.md").write_text("{{ %s }}\n" % expression, encoding="utf-8")
    with pytest.raises(RenderError):
        render(model, tmp_path)


def test_unknown_template_include(model, tmp_path):
    (tmp_path / "index.md").write_text('{% include "nothing.md" %}\n', encoding="utf-8")
    with pytest.raises(RenderError) as caught:
        render(model, tmp_path)
    assert "nothing.md" in str(caught.value)
