// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

/// @title ModuleProxy
/// @notice The ERC-1967 proxy in front of every stateful Strata module (UUPS: the upgrade logic lives in
///         the implementation, gated by the module's `_authorizeUpgrade`).
contract ModuleProxy is ERC1967Proxy {
    constructor(address implementation, bytes memory initData) payable ERC1967Proxy(implementation, initData) {}
}
