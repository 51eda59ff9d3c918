// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IInterestRateModel} from "../../interfaces/IInterestRateModel.sol";
import {IPriceOracle} from "../../interfaces/IPriceOracle.sol";

/// @title ViewCalls
/// @notice The lending pool's hot view calls — a price per valued reserve, a borrow rate per operation — encoded and
///         decoded by hand: the generated code copies the return data through freshly allocated memory and
///         re-validates it, which costs more than the rest of the caller's side of the call.
/// @dev Same strictness as a high-level call: a revert is bubbled up unchanged, and a callee that returns fewer
///      than 32 bytes (an account without code, a wrong contract) reverts without data.
library ViewCalls {
    /// @dev `IPriceOracle(oracle).getAssetPrice(asset)`.
    function assetPrice(address oracle, address asset) internal view returns (uint256 price) {
        bytes4 selector = IPriceOracle.getAssetPrice.selector;
        assembly ("memory-safe") {
            // Scratch space: the selector in 0x00..0x03, the argument in 0x04..0x23; the answer lands in 0x00.
            mstore(0x00, selector)
            // Clean the address: the legacy code generator may hand assembly an address with dirty high bits
            // (here: an asset unpacked from a wider storage word), which the ABI must not see.
            mstore(0x04, and(asset, 0xffffffffffffffffffffffffffffffffffffffff))
            if iszero(staticcall(gas(), oracle, 0x00, 0x24, 0x00, 0x20)) {
                let ptr := mload(0x40)
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
            if lt(returndatasize(), 0x20) { revert(0, 0) }
            price := mload(0x00)
        }
    }

    /// @dev `IInterestRateModel(model).getBorrowRate(availableLiquidity, totalDebt)`.
    function borrowRate(address model, uint256 availableLiquidity, uint256 totalDebt)
        internal
        view
        returns (uint256 rate)
    {
        bytes4 selector = IInterestRateModel.getBorrowRate.selector;
        assembly ("memory-safe") {
            // The 68-byte call data is written past the free memory pointer (temporary, not allocated).
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 0x04), availableLiquidity)
            mstore(add(ptr, 0x24), totalDebt)
            if iszero(staticcall(gas(), model, ptr, 0x44, 0x00, 0x20)) {
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
            if lt(returndatasize(), 0x20) { revert(0, 0) }
            rate := mload(0x00)
        }
    }
}
