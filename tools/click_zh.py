"""Write engine/locale/zh/LC_MESSAGES/messages.po: the Chinese of click's own texts.

click words its help pages and usage errors through gettext's default domain ("messages").
This script extracts those strings from the installed click with Babel and fills in the
Chinese below; a string click adds in a new version shows here as missing (the script says so,
and tests/test_i18n.py fails until it is translated). Run it after upgrading click::

    python tools/click_zh.py
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "engine" / "locale" / "zh" / "LC_MESSAGES" / "messages.po"
#: The modules whose words reach loushi's users (help pages, usage errors, prompts).
MODULES = ("core.py", "exceptions.py", "parser.py", "types.py", "formatting.py", "decorators.py", "termui.py",
           "utils.py")
_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)

#: msgid (or (singular, plural)) → Chinese (Chinese has one plural form).
CHINESE: dict = {
    "Aborted!": "已中止！",
    "deprecated": "已弃用",
    "Options": "选项",
    "Positional arguments": "位置参数",
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): "多余的参数（{args}）",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "弃用警告：命令 {name!r} 已弃用。{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "弃用警告：{param_type} {name!r} 已弃用。{extra_message}",
    "Commands": "命令",
    "Missing command.": "缺少命令。",
    "Value must be an iterable.": "值必须是可迭代的。",
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        "需要{nargs}个值，给了{len}个。",
    "Name '{name}' defined twice": "名称 '{name}' 定义了两次",
    "Boolean option {decl!r} cannot use the same flag for true/false.": "布尔选项 {decl!r} 不能用同一个开关表示真和假。",
    "Could not determine name for option with declarations {decls!r}": "无法从声明 {decls!r} 确定选项名称",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
    "Did you mean to pass '--{name}'?":
        "没有定义选项，却传入了名称（{name}）。是否应声明为参数？是否应写作 '--{name}'？",
    "env var: {var}": "环境变量：{var}",
    "default: {default}": "默认：{default}",
    "(dynamic)": "（动态）",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.":
        "参数只能有一个声明，实际有{length}个：{decls}。",
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): "（是否应为：{possibilities}？）",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Invalid value: {message}": "无效的值：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "unknown error": "未知错误",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Invalid start character for option ({option})": "选项的起始字符无效（{option}）",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要{nargs}个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        "选项 {name!r} 需要{nargs}个值。",
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): "{value!r} 不是可选值 {choices} 之一。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "Choice({choices})": "可选（{choices}）",
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."):
        "{value!r} 不符合格式 {formats}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的布尔值。可用的值：{states}",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    # "file", "directory" and "path" stay English: click prints them as metavars (FILE, DIRECTORY),
    # which the help texts name as they are
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    ("{len_type} values are required, but {len_value} was given.",
     "{len_type} values are required, but {len_value} were given."): "需要{len_type}个值，给了{len_value}个。",
    "Usage:": "用法：",
    "Do you want to continue?": "是否继续？",
    "Confirm the action without prompting.": "不提示，直接确认操作。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Show the version and exit.": "显示版本号后退出。",
    "Show this message and exit.": "显示本帮助后退出。",
    "Repeat for confirmation": "请再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入的值不一致。",
    "Error: invalid input": "错误：输入无效",
    "Unknown color {colour!r}": "未知颜色 {colour!r}",
    "Press any key to continue...": "按任意键继续……",
    "Unknown standard stream '{name}'": "未知的标准流 '{name}'",
}

#: click's words it looks up from a variable (Babel cannot see them): msgid → Chinese.
LOOKED_UP = {"required": "必填"}
#: click's words loushi leaves English on purpose.
KEPT = ("file", "directory", "path")


def extracted() -> list:
    """click's msgids (str, or (singular, plural)), in its source order."""
    folder = Path(click.__file__).parent
    found = []
    for filename, _lineno, message, _comments, _context in extract_from_dir(
            str(folder), method_map=[("**.py", "python")],
            keywords={"_": None, "gettext": None, "ngettext": (1, 2)}):
        if Path(filename).name in MODULES and message and message not in found:
            found.append(message)
    return found


def catalog() -> tuple[Catalog, list]:
    result = Catalog(locale="zh", domain="messages", project="loushi", creation_date=_EPOCH, revision_date=_EPOCH,
                     fuzzy=False, charset="utf-8",
                     header_comment="# click 自身文字的中文（帮助页、用法错误），由 tools/click_zh.py 写出。\n"
                                    "# The Chinese of click's own texts (help pages, usage errors), written by "
                                    "tools/click_zh.py.\n#")
    missing = []
    for message in extracted():
        if message in KEPT:
            continue
        chinese = CHINESE.get(message)
        if chinese is None:
            missing.append(message)
            continue
        result.add(message, (chinese,) if isinstance(message, tuple) else chinese)
    for message, chinese in LOOKED_UP.items():
        result.add(message, chinese)
    return result, missing


def main() -> int:
    made, missing = catalog()
    buffer = io.BytesIO()
    write_po(buffer, made, width=0, sort_output=True, no_location=True)
    TARGET.write_bytes(buffer.getvalue())
    for message in missing:
        print(f"not translated yet: {message!r}")
    print(f"wrote {TARGET.relative_to(ROOT)}: {len(made)} message(s), {len(missing)} missing")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
