// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

import {IOracle} from "@morpho-org/morpho-blue/src/interfaces/IOracle.sol";

/// @title BenchOracleMock
/// @notice BENCH ONLY: a Morpho Blue oracle whose price anyone may set (price of one collateral unit in loan
///         units, scaled by 1e36, as Morpho expects).
contract BenchOracleMock is IOracle {
    uint256 public price;

    constructor(uint256 initialPrice) {
        price = initialPrice;
    }

    function setPrice(uint256 newPrice) external {
        price = newPrice;
    }
}
