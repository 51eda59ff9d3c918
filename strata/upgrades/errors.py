"""Errors of the upgrade safety check (each is a condition the user can fix; shown as one line)."""

from strata.errors import StrataError


class BuildInfoError(StrataError):
    """A build-info could not be produced or read: compile error, missing source, malformed file."""


class ContractNotFound(BuildInfoError):
    """The named contract is not in the build-info (or the name is ambiguous)."""


class ReferenceMissing(BuildInfoError):
    """The kept build-info of a deployed version is not in the store (the message names the file and the command)."""


class ValidatorError(StrataError):
    """The OpenZeppelin validator could not run (tool error, as opposed to an unsafe upgrade)."""
