// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title PoolHookCallerMock
/// @notice Test-only stand-in for a module (liquidation engine, flash-loan module) registered in the registry:
///         forwards any call, alone or as a batch in one transaction (a flash loan's lend and settle must share
///         a transaction), and bubbles up reverts. Anyone may drive it.
contract PoolHookCallerMock {
    /// @notice Calls `target` with `data` and returns its result.
    function execute(address target, bytes calldata data) external returns (bytes memory result) {
        result = _call(target, data);
    }

    /// @notice Calls each target with its data, in order, in one transaction.
    function executeBatch(address[] calldata targets, bytes[] calldata datas) external {
        for (uint256 i; i < targets.length; ++i) {
            _call(targets[i], datas[i]);
        }
    }

    function _call(address target, bytes calldata data) private returns (bytes memory ret) {
        bool ok;
        (ok, ret) = target.call(data);
        if (!ok) {
            assembly {
                revert(add(ret, 0x20), mload(ret))
            }
        }
    }
}
