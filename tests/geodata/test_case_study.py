"""A plan as a public case study: names removed, people fields left out, concern text never
listed, small counts suppressed and the figures resting on them withheld."""

from __future__ import annotations

from datetime import date

from geodata.case_study import REMOVED, case_study, redact
from geodata.demo.plans import demo_plans
from geodata.demo.wards import ASB_PARK
from geodata.disclosure import WITHHELD, Shown
from geodata.io.plans import plan_to_dict
from geodata.period import Period
from geodata.plan_quality import quality
from geodata.sustained import SUSTAINED, FollowUp

PUBLIC = Shown.for_audience("public", suppress_below=5)


def stored(**changes: object) -> dict:
    made = demo_plans(["W"], names={ASB_PARK: "W"}, start=date(2025, 7, 1))[0]
    data = plan_to_dict(made) | changes
    return {"id": 7, "status": "closed", "quality": quality(made).as_dict(), "plan": data}


def evaluation(target: tuple[int, int], buffer: tuple[int, int] = (40, 30)) -> dict:
    return {
        "evaluated": True,
        "periods": {"before": {"from": "2025-01", "to": "2025-06"}, "after": {"from": "2025-07"}},
        "counts": {
            "target": {"before": target[0], "after": target[1]},
            "buffer": {"before": buffer[0], "after": buffer[1]},
            "control": {"before": 900, "after": 880},
            "no_location": None,
        },
        "rate_ratio": {"ratio": 0.5, "low": 0.3, "high": 0.8},
        "verdict": "ASB fell 50 % in the target area.",
    }


def test_redact_removes_whole_names_in_any_case_longest_first() -> None:
    text = "Jo Bloggs and jo met JOANNA; Jo's note."
    assert redact(text, ["Jo", "Jo Bloggs", " "]) == (
        f"{REMOVED} and {REMOVED} met JOANNA; {REMOVED}'s note."
    )
    assert redact("nothing", []) == "nothing"


def test_a_case_study_leaves_out_people_and_concern_text() -> None:
    plan = stored(
        problem="PC Jo Bloggs saw groups after dark.",
        offenders="Kai Smith, 15",
        linked_concern_ids=[3, 4],
    )
    plan["plan"]["responses"][0]["owner"] = "Sgt Alex Owner"
    study = case_study(
        plan,
        evaluation=evaluation((40, 20)),
        follow_ups=[],
        award="awarded",
        ward_names={"W": "Ashby Vale"},
        names={"Jo Bloggs"},
        shown=PUBLIC,
    )
    words = repr(study)
    assert "Jo Bloggs" not in words and f"PC {REMOVED} saw groups" in study["text"]["problem"]
    assert "Kai Smith" not in words  # offenders and victims are left out whole
    assert "Alex Owner" not in words  # response owners are not shown
    assert study["linked_concerns"] == 2  # counted, never listed
    assert study["wards"] == ["Ashby Vale (W)"]
    assert study["evaluation"]["ratio"] == "0.50 (95 % CI 0.30\N{EN DASH}0.80)"


def test_small_counts_are_suppressed_and_what_rests_on_them_withheld() -> None:
    window = Period("2026-01", "2026-06")
    lasting = FollowUp(
        6, SUSTAINED, window, {"target_before": 40, "target_window": 3}, None, None, "held"
    )
    study = case_study(
        stored(),
        evaluation=evaluation((40, 20), buffer=(6, 4)),
        follow_ups=[lasting],
        award=None,
        ward_names={},
        names=(),
        shown=PUBLIC,
    )
    rows = {r["area"]: (r["before"], r["after"]) for r in study["evaluation"]["rows"]}
    assert rows == {"target": ("40", "20"), "buffer": ("6", "<5"), "control": ("900", "880")}
    assert study["evaluation"]["ratio"] == WITHHELD  # the buffer's 4 would show through
    assert study["evaluation"]["verdict"].startswith("Withheld: fewer than 5")
    assert study["follow_ups"][0]["label_shown"] == WITHHELD
    assert study["follow_ups"][0]["reason"].startswith("Withheld")

    internal_rule = Shown.for_audience("internal", suppress_below=5)
    shown_all = case_study(
        stored(),
        evaluation=evaluation((40, 20), buffer=(6, 4)),
        follow_ups=[lasting],
        award=None,
        ward_names={},
        names=(),
        shown=internal_rule,
    )
    assert shown_all["follow_ups"][0]["label_shown"] == "Sustained"
