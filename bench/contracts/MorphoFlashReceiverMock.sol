// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

import {IMorphoFlashLoanCallback} from "@morpho-org/morpho-blue/src/interfaces/IMorphoCallbacks.sol";

interface IMorphoFlash {
    function flashLoan(address token, uint256 assets, bytes calldata data) external;
}

interface IApprovable {
    function approve(address spender, uint256 amount) external returns (bool);
}

/// @title MorphoFlashReceiverMock
/// @notice BENCH ONLY: the smallest Morpho Blue flash borrower. Morpho calls back `msg.sender`, so the loan is
///         started from here: a transaction to `run` borrows and repays in one go (Morpho charges no fee).
/// @dev Unlimited allowance set once at construction, as in the Aave and Strata receivers.
contract MorphoFlashReceiverMock is IMorphoFlashLoanCallback {
    address public immutable MORPHO;

    constructor(address morpho, address[] memory tokens) {
        MORPHO = morpho;
        for (uint256 i; i < tokens.length; ++i) {
            IApprovable(tokens[i]).approve(morpho, type(uint256).max);
        }
    }

    function run(address token, uint256 amount) external {
        IMorphoFlash(MORPHO).flashLoan(token, amount, "");
    }

    /// @dev Morpho pulls the assets back after this returns.
    function onMorphoFlashLoan(uint256, bytes calldata) external view {
        require(msg.sender == MORPHO);
    }
}
