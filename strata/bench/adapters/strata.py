"""Strata, deployed by the project's own deployment plan (``strata.protocol.deploy_protocol``).

Strata is measured only when the deployment plan deploys a lending pool: until then ``unavailable_reason``
says why and the Strata column reads "n/a" (never an estimate).
"""

from __future__ import annotations

from typing import Any

# What the bench needs from the project before it can measure Strata.
REQUIRED_CONTRACTS = ("LendingPool",)


def unavailable_reason(project: Any) -> str | None:
    """None when Strata can be benchmarked here, else a one-line reason for the "n/a" column."""
    contracts = getattr(project, "contracts", {})
    missing = [name for name in REQUIRED_CONTRACTS if name not in contracts]
    if missing:
        return f"Strata not measured: {', '.join(missing)} is not in this checkout yet"
    try:
        import strata.protocol as plan
    except ImportError as err:  # pragma: no cover - the package is part of the repo
        return f"Strata not measured: strata.protocol cannot be imported ({err})"
    if not hasattr(plan, "deploy_protocol"):
        return "Strata not measured: strata.protocol has no deploy_protocol"
    return "Strata not measured: the bench's Strata adapter is not written against this deployment plan yet"


class StrataAdapter:  # pragma: no cover - filled in once the pool lands in main
    key = "strata"
    label = "Strata"
    supports_multi_collateral = True
