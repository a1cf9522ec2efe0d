"""The staff questionnaire: survey rounds, personal links, answers, rates and retention.

Privacy rules that shape every function here (docs/questionnaire.md lists the tests):

- A link's token is shown once and stored only as its sha256; it is compared in constant time.
- Nothing a respondent answers is stored before they consent; withdrawing deletes every
  answer (graph ties, the Response, "someone not listed" rows) and bumps the data version.
- Coordinator-facing functions and the audit log never say which person consented,
  answered or submitted: they see counts, and counts under five are suppressed.
- Answers go to the graph first (idempotent, uids derived from what they describe), then the
  relational rows, then one commit; a refusal raises before anything is written.

One module per concept: ``rounds`` (open, extend, close, reopen; the invitations), ``links``
(tokens, issuing, revoking, mail), ``respondent`` (the token holder's pages and answers),
``withdrawal``, ``rates`` (response rates and round comparison), ``retention``; ``staff`` and
``common`` hold what they share. Callers use this package's names, not the modules'.
"""

from tracker.services.surveys.links import (
    LINK_COLUMNS,
    invitees,
    issue_links,
    link_status,
    links_csv,
    mail_configured,
    reissue,
    revoke,
    send_links,
)
from tracker.services.surveys.rates import SUPPRESS_BELOW, compare, response_rates
from tracker.services.surveys.respondent import (
    ANSWERS,
    CHOICES_CAP,
    FREQUENCIES,
    LEVELS,
    MAX_NOMINATIONS,
    MAX_TEXT,
    Choices,
    TokenRefused,
    answers,
    give_consent,
    nominee_choices,
    open_invitation,
    remove_nomination,
    remove_unlisted,
    save_nomination,
    save_self,
    save_unlisted,
    submit,
    withdraw,
)
from tracker.services.surveys.retention import apply_retention
from tracker.services.surveys.rounds import (
    DEFAULT_CONSENT,
    MAX_TOPIC_LABEL,
    MAX_TOPICS,
    STAFF_LAYERS,
    TOPICS,
    close,
    extend,
    get_round,
    list_rounds,
    open_round,
    reopen,
)
from tracker.services.surveys.withdrawal import withdraw_respondent

__all__ = [
    "ANSWERS",
    "CHOICES_CAP",
    "DEFAULT_CONSENT",
    "FREQUENCIES",
    "LEVELS",
    "LINK_COLUMNS",
    "MAX_NOMINATIONS",
    "MAX_TEXT",
    "MAX_TOPICS",
    "MAX_TOPIC_LABEL",
    "STAFF_LAYERS",
    "SUPPRESS_BELOW",
    "TOPICS",
    "Choices",
    "TokenRefused",
    "answers",
    "apply_retention",
    "close",
    "compare",
    "extend",
    "get_round",
    "give_consent",
    "invitees",
    "issue_links",
    "link_status",
    "links_csv",
    "list_rounds",
    "mail_configured",
    "nominee_choices",
    "open_invitation",
    "open_round",
    "reissue",
    "remove_nomination",
    "remove_unlisted",
    "reopen",
    "response_rates",
    "revoke",
    "save_nomination",
    "save_self",
    "save_unlisted",
    "send_links",
    "submit",
    "withdraw",
    "withdraw_respondent",
]
