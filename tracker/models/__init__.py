"""Relational models: accounts, grants and the audit log (the graph holds network data)."""

from tracker.models.audit import AuditEntry
from tracker.models.grant import ROLES, Grant
from tracker.models.user import User

__all__ = ["ROLES", "AuditEntry", "Grant", "User"]
