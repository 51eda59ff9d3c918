"""The Strata column is measured only when the checkout can deploy Strata; otherwise it says why."""

from __future__ import annotations

from strata.bench.adapters.strata import REQUIRED_CONTRACTS, unavailable_reason


class FakeProject:
    def __init__(self, contracts):
        self.contracts = {name: object() for name in contracts}


def test_unavailable_reason__pool_missing__names_it():
    reason = unavailable_reason(FakeProject(["PriceOracle", "MockAggregatorV3"]))

    assert reason is not None
    assert reason.startswith("Strata not measured:")
    assert "LendingPool" in reason


def test_unavailable_reason__every_contract_and_the_plan__none():
    assert unavailable_reason(FakeProject(REQUIRED_CONTRACTS)) is None
