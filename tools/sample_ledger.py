"""Write the sample ledger examples/ledger/楼宇台账示例.xlsx: the blank ledger of the example
district examples/city-pack (what ``loushi import --template FILE.xlsx examples/city-pack/district.yaml``
writes), filled with sample rows: two new buildings of 示范街道, the units in them and in one
of its existing buildings, their people and two party branches. Every name is sample data
(示范…, people marked （示例））; the sample imports into the example district and validates.

    python tools/sample_ledger.py            # write it
    python tools/sample_ledger.py --check    # exit 1 if the shipped file is not what this writes
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from openpyxl import load_workbook

from engine.gate import open_district
from engine.ledger.mapping import HEADERS, LEDGER_NAMES, Mapping
from engine.ledger.template import listed, party_kinds, workbook
from engine.render.writers.xlsx import BLANK_STAMP, stable_bytes, write_row
from engine.session import Session

ROOT = Path(__file__).resolve().parents[1]
DISTRICT = ROOT / "examples" / "city-pack" / "district.yaml"
SAMPLE = ROOT / "examples" / "ledger" / "楼宇台账示例.xlsx"

#: kind → rows, each field → value (the columns are the template's).
ROWS = {
    "buildings": [
        {"name": "示范科创中心", "zone": "东片", "cluster": "二号楼群网格", "owner": "示范科创置业有限公司",
         "property_manager": "示范物业公司", "address": "示范市示范区东湖路88号", "kind": "商务楼宇"},
        {"name": "示范金融港", "zone": "东片", "cluster": "一号楼群网格", "property_manager": "示范物业公司",
         "address": "示范市示范区东湖路90号", "kind": "综合体"},
    ],
    "units": [
        {"name": "示范科创置业有限公司", "building": "示范科创中心", "kind": "产权单位", "party_full": 1},
        {"name": "示范云数据科技有限公司", "building": "示范科创中心", "kind": "企业", "party_full": 2,
         "party_probationary": 1},
        {"name": "示范知识产权服务中心", "building": "示范科创中心", "kind": "社会组织", "party_full": 1},
        {"name": "示范创新律师事务所", "building": "示范金融港", "kind": "律师事务所", "party_full": 3},
        {"name": "示范财富管理有限公司", "building": "示范金融港", "kind": "企业", "party_full": 2,
         "party_probationary": 2},
        {"name": "示范咖啡有限公司", "building": "b-3", "kind": "企业", "party_full": 0},
    ],
    "people": [
        {"name": "林晓（示例）", "affiliation": "示范云数据科技有限公司", "title": "行政总监", "party": "中共党员",
         "party_since": "2012-07-01", "phone": "027-00000001"},
        {"name": "何敏（示例）", "affiliation": "示范科创置业有限公司", "title": "资产管理部经理", "party": "中共党员",
         "party_since": "2009-06-15", "phone": "027-00000002"},
        {"name": "高峰（示例）", "affiliation": "示范创新律师事务所", "title": "合伙人", "party": "中共党员",
         "party_since": "2016-05-04", "phone": "027-00000003"},
        {"name": "罗丹（示例）", "affiliation": "示范财富管理有限公司", "title": "综合部主管", "party": "中共预备党员",
         "party_since": "2025-03-01"},
        {"name": "宋扬（示例）", "affiliation": "示范咖啡有限公司", "title": "店长", "party": "群众"},
    ],
    "party_orgs": [
        {"name": "示范科创中心联合党支部", "kind": "党支部", "form": "联建",
         "units": "示范科创置业有限公司、示范云数据科技有限公司、示范知识产权服务中心", "secretary": "林晓（示例）",
         "last_election": "2024-05-20", "members_full": 4, "members_probationary": 1},
        {"name": "示范创新律师事务所党支部", "kind": "党支部", "form": "单建", "units": "示范创新律师事务所",
         "secretary": "高峰（示例）", "last_election": "2025-11-08", "members_full": 3},
    ],
}


def sample() -> bytes:
    """The sample ledger's bytes (the same every time)."""
    opened = open_district(DISTRICT, Session())
    mapping = Mapping()
    mapping.add_kinds(party_kinds(opened.model))
    book = load_workbook(io.BytesIO(workbook(mapping, "zh", listed(opened.model))))
    for kind, rows in ROWS.items():
        sheet = book[LEDGER_NAMES[kind]]
        for number, row in enumerate(rows, start=2):
            write_row(sheet, number, [row.get(name) for name in HEADERS[kind]])
    return stable_bytes(book, BLANK_STAMP)


def main(argv: list[str]) -> int:
    data = sample()
    if "--check" in argv:
        same = SAMPLE.is_file() and SAMPLE.read_bytes() == data
        print(f"{SAMPLE.relative_to(ROOT)}: {'up to date' if same else 'stale: run python tools/sample_ledger.py'}")
        return 0 if same else 1
    SAMPLE.parent.mkdir(parents=True, exist_ok=True)
    SAMPLE.write_bytes(data)
    print(f"wrote {SAMPLE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
