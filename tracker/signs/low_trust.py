"""Low trust (Wenger, in Harris): communities "do not function because of a lack of trust";
meaningful networks rest on "mutual trust".

Rule: mean cross-school trust below 3 of 5 with at least five answers.

Trust is the questionnaire's "trust in colleagues in other schools" item (1-5) of the latest
round. School breakdowns are shown only for schools with at least five answers (the
privacy rule for questionnaire cells), in the network's own order of schools.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from tracker.analysis.snapshot import Snapshot
from tracker.signs import evidence as ev
from tracker.signs.base import Finding, Threshold

ID = "low_trust"
TITLE = "Low trust between schools"
SOURCE = "Wenger (1998), community disorders, in Harris"
SMALL_CELL = 5  # privacy: no questionnaire breakdown for fewer people than this
THRESHOLDS = (
    Threshold("min_mean", 3.0, "float", 1, 5, "Lowest mean trust",
              "Mean trust in colleagues at other schools (1-5) below this."),
    Threshold("min_answers", 5, "int", 1, 10000, "Answers needed",
              "The sign is judged only with at least this many trust answers."),
)  # fmt: skip

insufficient = ev.insufficient_for(ID, TITLE, SOURCE)

SUGGESTION = (
    "Build trust through low-stakes shared work before high-stakes decisions. Prudhoe's "
    "learning forum was voluntary and a place to share difficulties as well as successes, "
    "with an invitation to others to help; Oldham's co-coaches met network colleagues "
    "regularly to reflect on their experience. Start with visits and joint enquiry on a "
    "question every school shares, and ask staff what would help them trust colleagues "
    "elsewhere."
)


def evaluate(s: Snapshot, t: Mapping[str, Any]) -> Finding | None:
    answers = [(r.person_uid, r.trust_other_schools) for r in s.responses
               if r.trust_other_schools is not None]  # fmt: skip
    if len(answers) < int(t["min_answers"]):
        return insufficient(
            f"the latest questionnaire round has {len(answers)} trust answers and the rule "
            f"needs {int(t['min_answers'])}"
            if ev.has_survey(s)
            else "no questionnaire round has been answered",
            "Run the staff questionnaire, including the trust item, and encourage answers.",
        )
    values = [value for _, value in answers]
    mean = sum(values) / len(values)
    limit = float(t["min_mean"])
    if mean >= limit:
        return None
    by_school: dict[str, list[int]] = defaultdict(list)
    for uid, value in answers:
        school = s.school_of(uid)
        if school:
            by_school[school].append(value)
    return Finding(
        id=ID,
        severity="concern" if mean < limit - 1 else "warning",
        title=TITLE,
        explanation=(
            f"Staff rate their trust in colleagues at other schools at {mean:.1f} out of 5 "
            f"on average ({len(values)} answers in the latest questionnaire round)."
        ),
        source=SOURCE,
        evidence={
            "survey": s.survey,
            "answers": len(values),
            "mean_trust": round(mean, 2),
            "distribution": {str(k): v for k, v in sorted(Counter(values).items())},
            "schools": [
                {
                    **ev.school(s, row.uid),
                    "answers": len(by_school[row.uid]),
                    "mean_trust": round(sum(by_school[row.uid]) / len(by_school[row.uid]), 2),
                }
                for row in s.schools
                if len(by_school.get(row.uid, ())) >= SMALL_CELL
            ],
            "thresholds": dict(t),
        },
        suggestion=SUGGESTION,
    )
