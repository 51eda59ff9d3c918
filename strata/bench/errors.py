"""Errors of the benchmark: a setup that cannot run, and a sanity check that did not hold."""

from __future__ import annotations

from strata.errors import StrataError


class BenchError(StrataError):
    """Base of the benchmark's errors (``StrataError``: the CLI prints one line and exits 1)."""


class BenchSetupError(BenchError):
    """A missing package, a failed compile or a deployment step the bench could not complete."""


class SanityCheckError(BenchError):
    """An operation's receipt exists but its effect (balances, debt, health factor) is not what it should be."""

    def __init__(self, protocol: str, operation: str, detail: str) -> None:
        self.protocol = protocol
        self.operation = operation
        self.detail = detail
        super().__init__(f"sanity check failed: {protocol} {operation}: {detail}")
