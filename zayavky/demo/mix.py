"""The mix of the demo's requests: which stories, how many, how old, how fast (tuning, not data of the district)."""

from __future__ import annotations

from zayavky.demo.cast import HANDED_OVER, IN_WORK, NEW, ON_SIGNATURE, PUBLISHED, ROUTED, SIGNED, WITH_HEAD

EMG, ORD, MED, LNG = "emergency", "ordinary", "medium_term", "long_term"

# --------------------------------------------------------------------------------------------------
# The mix: which cases, how many, how old
# --------------------------------------------------------------------------------------------------

#: Scenario -> share of the requests. Every status of docs/design.md 2 appears.
SHARES: dict[str, float] = {
    "new": 0.04,
    "new_returned": 0.015,
    "routed": 0.07,
    "with_head": 0.06,
    "in_work": 0.16,
    "on_signature": 0.07,
    "signed": 0.05,
    "handed_over": 0.07,
    "published": 0.33,
    "reworked": 0.03,
    "withdrawn": 0.05,
}
#: Scenario -> how many, whatever the count: the cases a demo must show.
FIXED: dict[str, int] = {
    "emergency_fresh": 2,  # emergency, within 12 h of receipt: an extension is still possible (2.13)
    "emergency_hours_left": 2,  # emergency, past 12 h, a few hours before its 23-hour due (2.12.3)
    "extended": 1,  # emergency, term extended (2.13), still in work
    "due_today": 2,  # ordinary, due at the end of today (2.12.1)
}
SCENARIO_TARGET = {
    "new": NEW,
    "new_returned": NEW,
    "routed": ROUTED,
    "with_head": WITH_HEAD,
    "in_work": IN_WORK,
    "on_signature": ON_SIGNATURE,
    "signed": SIGNED,
    "handed_over": HANDED_OVER,
    "published": PUBLISHED,
    "reworked": PUBLISHED,
    "extended": IN_WORK,
    "extended_done": PUBLISHED,
    "due_today": IN_WORK,
}
#: Age at loading, in hours, by scenario.
#: An emergency request is worked in hours (2.12.3): it does not wait on signature for a week.
EMERGENCY_AGES: dict[str, tuple[float, float]] = {
    "on_signature": (4, 20),
    "signed": (6, 36),
    "handed_over": (8, 60),
    "routed": (2, 70),
    "with_head": (2, 70),
    "in_work": (2, 70),
    "withdrawn": (2, 70),
}
AGES: dict[str, tuple[float, float]] = {
    "new": (0.3, 7),
    "new_returned": (20, 90),
    "routed": (1, 60),
    "with_head": (3, 110),
    "in_work": (6, 600),
    "on_signature": (24, 240),
    "signed": (30, 300),
    "handed_over": (36, 400),
    "published": (48, 715),
    "reworked": (220, 715),
    "withdrawn": (5, 600),
    "emergency_fresh": (1.5, 9),
    "emergency_hours_left": (12.5, 20),
    "extended": (6.5, 11),
    "extended_done": (60, 400),
}
URGENCY_WEIGHTS = {EMG: 0.14, ORD: 0.46, MED: 0.27, LNG: 0.13}
EARLY_URGENCY_WEIGHTS = {EMG: 0.05, ORD: 0.5, MED: 0.3, LNG: 0.15}  # a stuck emergency request is rare
#: How much longer each step takes than for an ordinary request (emergency ones are worked at once).
URGENCY_PACE = {EMG: 0.08, ORD: 1.0, MED: 2.5, LNG: 4.0}
#: Hours from the previous step, for an ordinary request at normal pace.
GAPS: dict[str, tuple[float, float]] = {
    "route": (0.1, 2),
    "take": (0.2, 4),
    "assign": (0.2, 3),
    "reassign": (1, 8),
    "contact": (0.5, 6),
    "contact_again": (1, 5),
    "attach": (3, 24),
    "draft": (0.3, 3),
    "submit": (0.5, 8),
    "return": (1, 10),
    "resubmit": (1, 8),
    "sign": (1, 16),
    "hand_over": (0.3, 6),
    "publish": (0.5, 8),
    "comment": (0.5, 6),
    "return_to_general": (0.3, 5),
    "extend": (0.3, 2),
}
OFFICE_OPENS, OFFICE_CLOSES = 8, 17
