"""Relational models: accounts, grants and the audit log (the graph holds network data)."""

from tracker.models.audit import AuditEntry
from tracker.models.grant import ROLES, Grant
from tracker.models.job import JOB_STATUSES, Job
from tracker.models.user import User

__all__ = ["JOB_STATUSES", "ROLES", "AuditEntry", "Grant", "Job", "User"]
