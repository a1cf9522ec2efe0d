"""The controlled vocabularies of the data model (docs/data-model.md), value -> label."""

from __future__ import annotations

NETWORK_KINDS = {
    "learning_network": "Learning network",
    "federation": "Federation",
    "partnership": "Partnership",
    "cluster": "Cluster",
}
PHASES = {
    "nursery": "Nursery",
    "primary": "Primary",
    "secondary": "Secondary",
    "special": "Special",
    "all_through": "All-through",
}
LAYERS = {
    "senior": "Senior leader (head, deputy, SMT)",
    "teacher": "Teacher",
    "support": "Support staff",
    "pupil": "Pupil",
    "governor": "Governor",
    "parent": "Parent",
    "external": "External partner",
}
STAFF_LAYERS = frozenset({"senior", "teacher", "support"})
LEVELS = {
    "pupil": "Pupil learning",
    "adult": "Adult learning",
    "leadership": "Leadership learning",
    "organisational": "Organisational learning",
    "school_to_school": "School-to-school learning",
}
ORIGINS = {
    "design": "By design (created by a formal leader)",
    "default": "By default (someone saw the need and took it up)",
    "desperation": "By desperation (a response to a crisis)",
}
ROLE_TITLES = {
    "lead_learner": "Lead learner",
    "enquiry_advocate": "Enquiry advocate",
    "strand_leader": "Strand leader",
    "programme_leader": "Programme leader",
    "coordinator": "Coordinator",
    "co_coach": "Co-coach",
    "school_link": "School link",
}
GROUP_ROLES = {"lead": "Lead", "member": "Member"}
OUTCOME_KINDS = {
    "artefact": "Artefact",
    "practice_change": "Practice change",
    "policy": "Policy",
    "report": "Report",
}
ACTIVITY_KINDS = {
    "learning_forum": "Learning forum",
    "meeting": "Network meeting",
    "visit": "School visit",
    "workshop": "Workshop",
    "training": "Joint training",
}
ADOPTION_STAGES = {"heard": "Heard about", "trialled": "Trialled", "embedded": "Embedded"}
FREQUENCIES = {"termly": "Termly", "monthly": "Monthly", "weekly": "Weekly", "daily": "Daily"}


def choose(vocabulary: dict[str, str]) -> str:
    """The message for a value outside ``vocabulary``."""
    return "Choose one of: " + ", ".join(vocabulary.values()) + "."
