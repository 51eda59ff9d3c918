"""Exceptions the harness raises for conditions a user can fix (shown as one line, never a traceback)."""


class StrataError(Exception):
    """Base of every error the scripts turn into a one-line message and a non-zero exit."""


class RecordError(StrataError):
    """A deployment record is missing, unreadable, or belongs to another chain."""


class DeploymentError(StrataError):
    """A deployment step failed or found the chain in a state it cannot continue from."""
