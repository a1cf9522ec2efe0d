"""Overload (Harris, "Crossing boundaries"): "there must be an optimum number of networks that
any one school can engage in before energy is dissipated and the benefits lost".

Rule: a school active in more than three networks, or more concurrent groups than a tenth of
its staff.

A school's networks are its memberships at the date, this one included (``SchoolRow.
networks``, counted across the tracker by URN). Its concurrent groups are the enquiry groups
running at the date with at least one current member from the school; its staff are the
senior, teacher and support staff recorded there. Groups come whole, so "a tenth of its
staff" is read as one group for every ten staff or part of ten (``math.ceil``): a primary of
15-20 staff may have people in two of the network's groups, one of 21-30 in three. Read
with fractions, the rule would call almost every small school in a normal network
overloaded (16 staff, two groups: 2 > 1.6), which is not what Harris means by energy
dissipated. One group is never overload (a school of eight staff in one enquiry group is
taking part, not spread thin), so the group clause needs at least two groups.

Staff are counted from the people recorded. A package that lists only the staff who take
part (``evidence.participants_only``: nine in ten or more of the staff recorded attend,
lead, coach or hold a role, where whole staff lists show far fewer) says nothing about a
school's size, so the group clause cannot be judged from it; the sign then says so where a
school would otherwise look overloaded.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from typing import Any

from tracker.analysis import participation
from tracker.analysis.snapshot import Snapshot
from tracker.signs import evidence as ev
from tracker.signs.base import Finding, Threshold

ID = "overload"
TITLE = "Overload"
SOURCE = "Harris (2005), an optimum number of networks per school"
THRESHOLDS = (
    Threshold("max_networks", 3, "int", 1, 50, "Networks per school",
              "A school in more networks than this at once."),
    Threshold("staff_per_group", 10.0, "float", 1, 1000, "Staff per concurrent group",
              "A school in more concurrent groups than its staff divided by this."),
    Threshold("min_groups", 2, "int", 1, 100, "Groups before overload",
              "The group clause needs a school to be in at least this many groups."),
    Threshold("participants_share", 0.9, "float", 0.5, 1, "Share taking part in a staff list",
              "When at least this share of the staff recorded take part in network work, the "
              "list is taken to name participants only and staff sizes as unknown."),
)  # fmt: skip

insufficient = ev.insufficient_for(ID, TITLE, SOURCE)

SUGGESTION = (
    "Help the school choose where its energy goes. Harris warns that beyond an optimum number "
    "of networks energy is dissipated and the benefits lost, and asks whether quality "
    "knowledge transfer is possible in cluttered structures. Agree with the school which "
    "networks and groups matter most to its priorities, merge groups asking similar "
    "questions, or release more staff as Hartlepool gave its enquiry groups time and space."
)


def evaluate(s: Snapshot, t: Mapping[str, Any]) -> Finding | None:
    staff = ev.staff_count(s)
    known_networks = [row for row in s.schools if row.networks >= 1]
    if not s.schools or (not known_networks and not staff):
        return insufficient(
            "the network's schools, their staff and their other networks are not recorded",
            "Add the member schools and their staff.",
        )
    groups = Counter()
    for group in participation.active_groups(s):
        schools = {s.school_of(m.person_uid) for m in group.members} - {None}
        groups.update(schools)
    # Staff sizes are not recorded when the people list names participants only.
    unknown = ev.participants_only(s, float(t["participants_share"]))
    held_back = []
    rows = []
    for row in s.schools:
        many_networks = row.networks > int(t["max_networks"])
        n_staff = staff.get(row.uid, 0)
        n_groups = groups.get(row.uid, 0)
        allowed = _groups_allowed(n_staff, float(t["staff_per_group"]))
        many_groups = n_staff > 0 and n_groups >= int(t["min_groups"]) and n_groups > allowed
        if many_groups and unknown:
            held_back.append(row.uid)
            many_groups = False
        if many_networks or many_groups:
            rows.append(
                {
                    **ev.school(s, row.uid),
                    "networks": row.networks,
                    "concurrent_groups": n_groups,
                    "staff": n_staff,
                    "groups_allowed": allowed,
                    "too_many_networks": many_networks,
                    "too_many_groups": many_groups,
                }
            )
    if not rows:
        if held_back:
            return insufficient(
                "the people recorded are only those who take part in the network's work, so "
                f"the staff of {ev.name_list([ev.school_name(s, uid) for uid in held_back])} "
                "is not known and their number of groups cannot be weighed against it",
                "Record each school's whole staff (senior leaders, teachers and support staff), "
                "not only those who take part.",
            )
        return None
    concern = any(
        (r["too_many_networks"] and r["too_many_groups"])
        or r["networks"] > int(t["max_networks"]) + 1
        or (r["too_many_groups"] and r["concurrent_groups"] >= 2 * r["groups_allowed"])
        for r in rows
    )  # fmt: skip
    said = []
    for r in rows[:4]:
        parts = []
        if r["too_many_networks"]:
            parts.append(f"is in {r['networks']} networks")
        if r["too_many_groups"]:
            parts.append(
                f"has staff in {r['concurrent_groups']} concurrent enquiry groups with "
                f"{r['staff']} staff recorded (room for {r['groups_allowed']})"
            )
        said.append(f"{r['name']} " + " and ".join(parts))
    if len(rows) > 4:
        said.append(f"{len(rows) - 4} more schools are stretched in the same way")
    return Finding(
        id=ID,
        severity="concern" if concern else "warning",
        title=TITLE,
        explanation="As at " + s.at + ", " + "; ".join(said) + ".",
        source=SOURCE,
        evidence={"at": s.at, "schools": rows, "thresholds": dict(t)},
        suggestion=SUGGESTION,
    )


def _groups_allowed(staff: int, staff_per_group: float) -> int:
    """Concurrent groups a school's staff can carry: one per ``staff_per_group`` staff or
    part of that number (a small fraction above a whole number is rounding, not a group)."""
    return math.ceil(staff / staff_per_group - 1e-9)
