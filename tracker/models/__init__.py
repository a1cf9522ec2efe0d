"""Relational models: accounts, grants and the audit log (the graph holds network data)."""

from tracker.models.audit import AuditEntry
from tracker.models.cache import CachedResult
from tracker.models.grant import ROLES, Grant
from tracker.models.job import JOB_STATUSES, Job
from tracker.models.settings import NetworkSettings
from tracker.models.survey import SurveyInvitation, SurveyRound, SurveyUnlisted
from tracker.models.token import ApiToken
from tracker.models.user import User

__all__ = [
    "JOB_STATUSES",
    "ROLES",
    "ApiToken",
    "AuditEntry",
    "CachedResult",
    "Grant",
    "Job",
    "NetworkSettings",
    "SurveyInvitation",
    "SurveyRound",
    "SurveyUnlisted",
    "User",
]
