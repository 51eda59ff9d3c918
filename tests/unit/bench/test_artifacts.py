"""Library linking of the Aave artifacts and Morpho's share maths, without a chain."""

from __future__ import annotations

import pytest

from strata.bench.adapters.morpho import to_assets_down, to_assets_up
from strata.bench.artifacts import Artifact, link_order
from strata.bench.errors import BenchSetupError

PLACEHOLDER = "__$" + "a" * 34 + "$__"  # 40 hex-width characters, as solc writes them
LIB_ADDRESS = "0x" + "11" * 20


def artifact_with_library(name: str = "Pool", lib: str = "SupplyLogic") -> Artifact:
    code = "6001" + PLACEHOLDER + "6002"
    return Artifact(
        name=name, abi=[], bytecode=code, link_references={f"logic/{lib}.sol": {lib: [{"start": 2, "length": 20}]}}
    )


def test_linked__address_given__replaces_placeholder():
    code = artifact_with_library().linked({"SupplyLogic": LIB_ADDRESS})

    assert code == "0x6001" + "11" * 20 + "6002"


def test_linked__library_not_deployed__raises():
    with pytest.raises(BenchSetupError, match="SupplyLogic"):
        artifact_with_library().linked({})


def test_link_order__library_linking_a_library__dependency_first():
    artifacts = {
        "Pool": Artifact(
            "Pool",
            [],
            "",
            {"a.sol": {"FlashLoanLogic": [{"start": 0, "length": 20}]}, "b.sol": {"SupplyLogic": []}},
        ),
        "FlashLoanLogic": Artifact("FlashLoanLogic", [], "", {"c.sol": {"BorrowLogic": []}}),
        "BorrowLogic": Artifact("BorrowLogic", [], "", {}),
        "SupplyLogic": Artifact("SupplyLogic", [], "", {}),
    }

    order = link_order(artifacts, ["Pool"])

    assert sorted(order) == ["BorrowLogic", "FlashLoanLogic", "SupplyLogic"]
    assert order.index("BorrowLogic") < order.index("FlashLoanLogic")


def test_morpho_shares__rounding__up_for_debt_down_for_supply():
    # Virtual shares/assets: 1e6 shares of a market holding 10 assets for 1e6 shares are worth 1e6·11 / 2e6.
    assert to_assets_down(10**6, 10, 10**6) == 5  # (1e6 · 11) / 2e6 = 5.5 → 5
    assert to_assets_up(10**6, 10, 10**6) == 6
