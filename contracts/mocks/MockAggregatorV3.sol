// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "../../interfaces/external/AggregatorV3Interface.sol";

/// @title MockAggregatorV3
/// @notice TEST ONLY: a Chainlink feed whose every field can be set, including incomplete, stale, future and
///         non-positive rounds.
contract MockAggregatorV3 is AggregatorV3Interface {
    struct Round {
        int256 answer;
        uint256 startedAt;
        uint256 updatedAt;
        uint80 answeredInRound;
    }

    uint8 public decimals;
    string public description;
    uint80 public latestRound;
    mapping(uint80 => Round) private rounds;

    /// @param decimals_ The answer's decimals.
    /// @param initialAnswer The first answer, recorded as round 1 at the current block's timestamp.
    constructor(uint8 decimals_, int256 initialAnswer) {
        decimals = decimals_;
        description = "MOCK / USD";
        _newRound(initialAnswer);
    }

    function version() external pure returns (uint256) {
        return 4;
    }

    /// @notice Starts and completes a new round with `answer`, timestamped now.
    function setAnswer(int256 answer) external {
        _newRound(answer);
    }

    /// @notice Writes any round (possibly incomplete, stale or in the future) and makes it the latest.
    function setRoundData(uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
        external
    {
        rounds[roundId] = Round(answer, startedAt, updatedAt, answeredInRound);
        latestRound = roundId;
    }

    /// @notice Moves the latest answer's timestamp (to make it stale or future-dated) without a new round.
    function setUpdatedAt(uint256 updatedAt) external {
        rounds[latestRound].updatedAt = updatedAt;
    }

    function setDecimals(uint8 decimals_) external {
        decimals = decimals_;
    }

    function getRoundData(uint80 roundId)
        external
        view
        returns (uint80, int256, uint256, uint256, uint80)
    {
        Round memory r = rounds[roundId];
        return (roundId, r.answer, r.startedAt, r.updatedAt, r.answeredInRound);
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        Round memory r = rounds[latestRound];
        return (latestRound, r.answer, r.startedAt, r.updatedAt, r.answeredInRound);
    }

    function _newRound(int256 answer) private {
        uint80 id = latestRound + 1;
        rounds[id] = Round(answer, block.timestamp, block.timestamp, id);
        latestRound = id;
    }
}
