// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IPriceOracle} from "../../interfaces/IPriceOracle.sol";

/// @title FeedPacking
/// @notice How the PriceOracle reads one asset's primary feed with one storage read.
/// @dev `IPriceOracle.FeedConfig` takes two slots, and its first word leaves 56 bits free:
///
///          word 0  [0,160) feed   [160,192) heartbeat   [192,200) decimals   [200,228) max hint   [228,256) min hint
///          word 1  [0,128) minPriceWad                  [128,256) maxPriceWad
///
///      The hints are the bounds rounded inwards to 28-bit floats (21-bit mantissa, 7-bit binary exponent, i.e. a
///      relative step of at most 2**-20): min hint ≥ minPriceWad, max hint ≤ maxPriceWad. A price inside the
///      hints is inside the bounds, so a read of word 0 alone accepts it; a price outside the hints (within about
///      one part per million of a bound, or beyond it) reads word 1 and is judged against the exact bounds. The
///      exact bounds stay the rule; the hints only skip a read. A zero hint word (an entry written without hints,
///      e.g. by an earlier build) always reads word 1.
///
///      The hints live in the struct's padding, written and read here by slot, so the storage layout (and the
///      upgrade reference of the oracle) is `FeedConfig`'s, unchanged. Solidity never uses that padding: a
///      member added to `FeedConfig` later is laid out after `maxPriceWad`, and inserting one after `decimals`
///      is an insertion the upgrade check refuses. Neither writing nor `delete`-ing the struct touches the
///      padding: `storeHints` rewrites it on every `setFeed`, `clearHints` after every `removeFeed`.
library FeedPacking {
    uint256 private constant HINTS_SHIFT = 200;
    uint256 private constant MANTISSA_BITS = 21;
    uint256 private constant HINT_BITS = 28;
    uint256 private constant HINT_MASK = (1 << HINT_BITS) - 1;
    uint256 private constant MANTISSA_MASK = (1 << MANTISSA_BITS) - 1;

    /// @dev Word 0 of a `FeedConfig` in one SLOAD (Solidity would read it once per field), hints included.
    function loadHot(IPriceOracle.FeedConfig storage f)
        internal
        view
        returns (address feed, uint256 heartbeat, uint256 feedDecimals, uint256 boundHints)
    {
        uint256 word;
        assembly ("memory-safe") {
            word := sload(f.slot)
        }
        feed = address(uint160(word));
        heartbeat = uint32(word >> 160);
        feedDecimals = uint8(word >> 192);
        boundHints = word >> HINTS_SHIFT;
    }

    /// @dev Writes the hints of `f`'s bounds (`minPriceWad` ≤ `maxPriceWad` < 2**128, min ≥ 1) into word 0's
    ///      padding; call after writing the struct.
    function storeHints(IPriceOracle.FeedConfig storage f, uint256 minPriceWad, uint256 maxPriceWad) internal {
        uint256 hints = (_encodeUp(minPriceWad) << HINT_BITS) | _encodeDown(maxPriceWad);
        assembly ("memory-safe") {
            let slot := f.slot
            sstore(slot, or(and(sload(slot), sub(shl(HINTS_SHIFT, 1), 1)), shl(HINTS_SHIFT, hints)))
        }
    }

    /// @dev Zeroes word 0's padding (`delete` leaves it).
    function clearHints(IPriceOracle.FeedConfig storage f) internal {
        assembly ("memory-safe") {
            let slot := f.slot
            sstore(slot, and(sload(slot), sub(shl(HINTS_SHIFT, 1), 1)))
        }
    }

    /// @dev `AggregatorV3Interface(feed).latestRoundData()` without `startedAt`, decoded by hand (half the gas of
    ///      the generated decoder). Same strictness: a revert is bubbled up, short return data reverts, and a
    ///      round id that does not fit uint80 reverts like the ABI decoder would.
    function latestRound(address feed)
        internal
        view
        returns (uint256 roundId, int256 answer, uint256 updatedAt, uint256 answeredInRound)
    {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, 0xfeaf968c00000000000000000000000000000000000000000000000000000000) // latestRoundData()
            if iszero(staticcall(gas(), feed, ptr, 4, ptr, 0xa0)) {
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
            roundId := mload(ptr)
            answer := mload(add(ptr, 0x20))
            updatedAt := mload(add(ptr, 0x60))
            answeredInRound := mload(add(ptr, 0x80))
            if or(lt(returndatasize(), 0xa0), gt(or(roundId, answeredInRound), 0xffffffffffffffffffff)) {
                revert(0, 0)
            }
        }
    }

    /// @dev True when `priceWad` is certainly within the bounds the hints were made from (false says nothing).
    function withinHints(uint256 priceWad, uint256 hints) internal pure returns (bool) {
        // hints == 0 decodes to [0, 0], which no accepted price (≥ min ≥ 1) is inside.
        return priceWad >= _decode(hints >> HINT_BITS) && priceWad <= _decode(hints & HINT_MASK);
    }

    function _decode(uint256 hint) private pure returns (uint256) {
        return (hint & MANTISSA_MASK) << (hint >> MANTISSA_BITS);
    }

    /// @dev The largest m · 2**e ≤ x.
    function _encodeDown(uint256 x) private pure returns (uint256) {
        if (x <= MANTISSA_MASK) return x;
        uint256 e = Math.log2(x) + 1 - MANTISSA_BITS;
        return (e << MANTISSA_BITS) | (x >> e);
    }

    /// @dev The smallest m · 2**e ≥ x (x < 2**128, so e ≤ 107 fits 7 bits).
    function _encodeUp(uint256 x) private pure returns (uint256) {
        if (x <= MANTISSA_MASK) return x;
        uint256 e = Math.log2(x) + 1 - MANTISSA_BITS;
        uint256 m = (x >> e) + (x & ((1 << e) - 1) == 0 ? 0 : 1);
        if (m > MANTISSA_MASK) {
            // Rounding up carried into a 22nd bit: one more exponent step (exact, the low bit is 0).
            m >>= 1;
            ++e;
        }
        return (e << MANTISSA_BITS) | m;
    }
}
