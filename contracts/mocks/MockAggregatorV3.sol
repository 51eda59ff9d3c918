// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "../../interfaces/external/AggregatorV3Interface.sol";

/// @title MockAggregatorV3
/// @notice TEST ONLY: a Chainlink feed whose every field can be set, including incomplete, stale, future and
///         non-positive rounds.
/// @dev Laid out like Chainlink's OCR2 aggregator, so that a price read costs what a real feed's aggregator
///      costs: `latestRoundData` reads two slots, the latest round id (OCR2's `s_hotVars`) and that round's
///      answer with its two timestamps packed in one word (OCR2's `Transmission {int192 answer; uint32
///      observationsTimestamp; uint32 transmissionTimestamp}`). On mainnet a consumer reaches the aggregator
///      through the feed's EACAggregatorProxy, one more hop that every protocol pays alike and that no benchmark
///      here includes. Rounds that an OCR2 aggregator cannot produce (answer beyond int192, timestamps beyond
///      uint32, `answeredInRound != roundId`) are kept whole in a side mapping, so tests can still set them.
contract MockAggregatorV3 is AggregatorV3Interface {
    /// @dev OCR2's `s_hotVars`: one slot.
    struct HotVars {
        uint80 latestRound;
        uint8 decimals;
        bool latestIsWide;
    }

    /// @dev OCR2's `Transmission`: one slot.
    struct Transmission {
        int192 answer;
        uint32 startedAt;
        uint32 updatedAt;
    }

    struct WideRound {
        int256 answer;
        uint256 startedAt;
        uint256 updatedAt;
        uint80 answeredInRound;
        bool set;
    }

    HotVars private hotVars;
    string public description;
    mapping(uint80 => Transmission) private transmissions;
    mapping(uint80 => WideRound) private wideRounds;

    /// @param decimals_ The answer's decimals.
    /// @param initialAnswer The first answer, recorded as round 1 at the current block's timestamp.
    constructor(uint8 decimals_, int256 initialAnswer) {
        hotVars.decimals = decimals_;
        description = "MOCK / USD";
        _newRound(initialAnswer);
    }

    function version() external pure returns (uint256) {
        return 4;
    }

    function decimals() external view returns (uint8) {
        return hotVars.decimals;
    }

    function latestRound() external view returns (uint80) {
        return hotVars.latestRound;
    }

    /// @notice Starts and completes a new round with `answer`, timestamped now.
    function setAnswer(int256 answer) external {
        _newRound(answer);
    }

    /// @notice Writes any round (possibly incomplete, stale or in the future) and makes it the latest.
    function setRoundData(uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
        external
    {
        _writeRound(roundId, answer, startedAt, updatedAt, answeredInRound);
    }

    /// @notice Moves the latest answer's timestamp (to make it stale or future-dated) without a new round.
    function setUpdatedAt(uint256 updatedAt) external {
        uint80 id = hotVars.latestRound;
        (, int256 answer, uint256 startedAt,, uint80 answeredInRound) = _round(id);
        _writeRound(id, answer, startedAt, updatedAt, answeredInRound);
    }

    function setDecimals(uint8 decimals_) external {
        hotVars.decimals = decimals_;
    }

    function getRoundData(uint80 roundId) external view returns (uint80, int256, uint256, uint256, uint80) {
        return _round(roundId);
    }

    /// @dev Two SLOADs, like OCR2's: the hot variables, then the round's packed transmission.
    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        HotVars memory hot = hotVars;
        if (hot.latestIsWide) return _round(hot.latestRound);
        Transmission memory t = transmissions[hot.latestRound];
        return (hot.latestRound, t.answer, t.startedAt, t.updatedAt, hot.latestRound);
    }

    /// @notice Chainlink's AggregatorV2 read (Aave's oracle uses it): the latest answer alone.
    function latestAnswer() external view returns (int256) {
        HotVars memory hot = hotVars;
        if (hot.latestIsWide) return wideRounds[hot.latestRound].answer;
        return transmissions[hot.latestRound].answer;
    }

    /// @notice Chainlink's AggregatorV2 read: the latest answer's timestamp.
    function latestTimestamp() external view returns (uint256 updatedAt) {
        (,,, updatedAt,) = _round(hotVars.latestRound);
    }

    function _round(uint80 roundId) private view returns (uint80, int256, uint256, uint256, uint80) {
        WideRound storage wide = wideRounds[roundId];
        // One slot for the common case: the flag of the latest round sits in `hotVars`, already read by the caller
        // of `latestRoundData`; older rounds (getRoundData, tests only) check the side mapping.
        if (roundId == hotVars.latestRound ? hotVars.latestIsWide : wide.set) {
            return (roundId, wide.answer, wide.startedAt, wide.updatedAt, wide.answeredInRound);
        }
        Transmission memory t = transmissions[roundId];
        return (roundId, t.answer, t.startedAt, t.updatedAt, roundId);
    }

    function _newRound(int256 answer) private {
        _writeRound(hotVars.latestRound + 1, answer, block.timestamp, block.timestamp, hotVars.latestRound + 1);
    }

    function _writeRound(uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
        private
    {
        bool wide = answeredInRound != roundId || answer > type(int192).max || answer < type(int192).min
            || startedAt > type(uint32).max || updatedAt > type(uint32).max;
        if (wide) {
            wideRounds[roundId] = WideRound(answer, startedAt, updatedAt, answeredInRound, true);
        } else {
            delete wideRounds[roundId];
            transmissions[roundId] = Transmission(int192(answer), uint32(startedAt), uint32(updatedAt));
        }
        hotVars.latestRound = roundId;
        hotVars.latestIsWide = wide;
    }
}
