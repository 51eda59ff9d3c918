"""Edge cases of Strata's rules, on a small source compiled in memory (never part of the ape project).

What the heuristics must see through: guards reached via ``super`` and helpers, ``_disableInitializers`` behind a
helper, a slot constant declared at file level, ``reinitializer(CONSTANT)``; and what they must not be fooled by:
``onlyProxy`` (reverts, but checks no caller), delegatecall hidden in OpenZeppelin's ``Address`` library, a
constructor writing state through a helper, a getter named ``initialized*``.
"""

from __future__ import annotations

import pytest

from strata.upgrades import ContractRef, check_upgrade, collect_sources, compile_sources
from strata.upgrades.rules import erc7201_slot

EDGE_SOURCE = f"""// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {{Initializable}} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {{UUPSUpgradeable}} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {{Address}} from "@openzeppelin/contracts/utils/Address.sol";

bytes32 constant EDGE_SLOT = 0x{erc7201_slot("test.storage.Edge"):064x};

abstract contract EdgeBase is Initializable, UUPSUpgradeable {{
    /// @custom:storage-location erc7201:test.storage.Edge
    struct EdgeStorage {{
        address admin;
        uint256 value;
    }}

    uint64 internal constant REVISION = 3;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {{
        _lock();
    }}

    function initialize(address admin_) external initializer {{
        _s().admin = admin_;
    }}

    function _lock() internal {{
        _disableInitializers();
    }}

    function _checkAdmin() internal view {{
        if (msg.sender != _s().admin) revert();
    }}

    function _authorizeUpgrade(address) internal virtual override {{
        _checkAdmin();
    }}

    function _s() internal pure returns (EdgeStorage storage $) {{
        assembly {{
            $.slot := EDGE_SLOT
        }}
    }}
}}

contract GuardedViaSuperEdge is EdgeBase {{
    function initializeV3() external reinitializer(REVISION) {{}}

    function initializedVersion() external view returns (uint64) {{
        return _getInitializedVersion();
    }}

    function _authorizeUpgrade(address implementation) internal override {{
        super._authorizeUpgrade(implementation);
    }}
}}

contract LowReinitializerEdge is EdgeBase {{
    function initializeV2() external reinitializer(2) {{}}
}}

contract OnlyProxyEdge is EdgeBase {{
    function _authorizeUpgrade(address) internal override onlyProxy {{}}
}}

contract LibraryDelegatecallEdge is EdgeBase {{
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {{
        _setValue(7);
    }}

    function run(address target, bytes calldata data) external {{
        Address.functionDelegateCall(target, data);
    }}

    function _setValue(uint256 value) internal {{
        _s().value = value;
    }}
}}
"""


@pytest.fixture(scope="module")
def edge():
    sources = collect_sources(
        [
            "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol",
            "@openzeppelin/contracts/utils/Address.sol",
        ]
    )
    bi = compile_sources({**sources, "test/RuleEdges.sol": EDGE_SOURCE})

    def check(current: str, candidate: str | None = None):
        return check_upgrade(ContractRef(bi, current), ContractRef(bi, candidate or current), oz=False)

    return check


def test_rules__guard_via_super_helper_and_file_constant__nothing_reported(edge):
    report = edge("GuardedViaSuperEdge")
    assert report.problems == [], report  # no warning either: the file-level slot constant was verified


def test_rules__only_proxy_modifier__not_a_caller_check(edge):
    (problem,) = edge("OnlyProxyEdge").find("authorize-upgrade-unguarded")
    assert problem.subject == "OnlyProxyEdge._authorizeUpgrade(address)"


def test_rules__reinitializer_constant__resolved_and_compared(edge):
    # Current is at reinitializer(REVISION) = 3; a candidate's new reinitializer(2) can never run.
    report = edge("GuardedViaSuperEdge", "LowReinitializerEdge")
    (problem,) = report.find("reinitializer-stale")
    assert problem.subject == "LowReinitializerEdge.initializeV2()" and "version 3" in problem.detail
    assert not report.find("reinitializer-version-unknown")


def test_rules__delegatecall_through_oz_address__reported_with_path(edge):
    (problem,) = edge("LibraryDelegatecallEdge").find("delegatecall")
    assert problem.subject == "LibraryDelegatecallEdge.run(address,bytes)"
    assert "via Address.functionDelegateCall" in problem.detail


def test_rules__constructor_write_through_helper__reported_disable_initializers_not(edge):
    report = edge("LibraryDelegatecallEdge")
    (problem,) = report.find("constructor-state-write")
    assert problem.subject == "LibraryDelegatecallEdge.constructor"
    assert "_s().value" in problem.detail and "via LibraryDelegatecallEdge._setValue(uint256)" in problem.detail
    assert not report.find("disable-initializers-missing")  # EdgeBase's constructor -> _lock() -> disables


def test_rules__getter_named_initialized__not_an_initializer(edge):
    report = edge("GuardedViaSuperEdge")
    assert not report.find("initializer-unprotected")
