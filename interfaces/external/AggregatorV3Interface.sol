// SPDX-License-Identifier: MIT
pragma solidity >=0.8.20;

/// @title AggregatorV3Interface
/// @notice The read interface of a Chainlink price feed (its aggregator proxy), as Strata consumes it.
/// @dev Written from Chainlink's published ABI. `answeredInRound` is deprecated upstream but still returned;
///      Strata keeps checking it because a value below `roundId` can only mean an unfinished round.
interface AggregatorV3Interface {
    /// @notice Number of decimals of `answer`.
    /// @return The feed's decimals (8 for most USD pairs, 18 for most ETH pairs).
    function decimals() external view returns (uint8);

    /// @notice Human-readable description of the pair, e.g. "ETH / USD".
    /// @return The description.
    function description() external view returns (string memory);

    /// @notice Version of the aggregator behind the proxy.
    /// @return The version number.
    function version() external view returns (uint256);

    /// @notice Data of a past round.
    /// @dev Reverts (on real feeds) when the round does not exist.
    /// @param roundId_ The round to read.
    /// @return roundId The round id.
    /// @return answer The price in `decimals()` decimals.
    /// @return startedAt When the round started.
    /// @return updatedAt When the answer was last updated (0 for an incomplete round).
    /// @return answeredInRound The round in which the answer was computed.
    function getRoundData(uint80 roundId_)
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);

    /// @notice Data of the latest round.
    /// @return roundId The round id.
    /// @return answer The price in `decimals()` decimals.
    /// @return startedAt When the round started.
    /// @return updatedAt When the answer was last updated (0 for an incomplete round).
    /// @return answeredInRound The round in which the answer was computed.
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}
