// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title StrataToken
/// @notice Strata's governance token: a fixed supply minted once, EIP-2612 permits, and checkpointed
///         ERC-5805 votes that the Governor reads at each proposal's snapshot.
/// @dev Votes count only once delegated (self-delegation included), and only as of a past clock tick: a
///      balance bought, borrowed or flash-lent after a proposal's snapshot has no weight on it. The ERC-6372
///      clock is OpenZeppelin's default, the block number; the Governor follows the token's clock, so its
///      voting delay and period are in blocks.
///      Not upgradeable on purpose: balances and vote checkpoints of a governance token must not be
///      rewritable by the governance they elect.
contract StrataToken is ERC20, ERC20Permit, ERC20Votes {
    /* CONSTANTS */

    /// @notice The whole supply, minted to the holder at deployment; there is no other mint.
    uint256 public constant TOTAL_SUPPLY = 100_000_000e18;

    /* CONSTRUCTOR / INITIALIZER */

    /// @param holder Receives the whole supply (a treasury or distributor; zero reverts in `_mint`).
    constructor(address holder) ERC20("Strata", "STRATA") ERC20Permit("Strata") {
        _mint(holder, TOTAL_SUPPLY);
    }

    /* VIEW */

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    /* INTERNAL */

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }
}
