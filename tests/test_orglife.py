"""Party organisations by kind: officers' duties (issue #20 item 5) and organisational life (#22)."""

from __future__ import annotations

from pathlib import Path

from engine.gate import open_district
from engine.session import Session

ROOT = Path(__file__).resolve().parents[1]
NJXL = ROOT / "configs" / "districts" / "nanjingxilu.yaml"


def test_officers_duties_follow_the_kind_of_their_organisation():
    model = open_district(NJXL, Session()).model
    kinds = {}
    for post in model.posts.values():
        if post.body_kind == "party_orgs" and post.role == "secretary":
            kinds.setdefault(model.entities["party_orgs"][post.body]["kind"], model.role_duties("secretary", post.body))
    assert {"working_committee", "committee", "branch"} <= set(kinds)
    assert "召集支部党员大会和支部委员会会议" in kinds["branch"]
    for kind in ("working_committee", "committee"):
        assert not any("支部" in duty for duty in kinds[kind]), kinds[kind]
    assert kinds["working_committee"][0] == "主持党工委全面工作"
    # a role the district declares itself keeps its own duties, whatever the kind
    assert model.role_duties("secretary") == ["主持党组织全面工作", "召集党员大会和支部委员会会议"]
