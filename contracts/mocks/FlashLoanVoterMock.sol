// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {IERC3156FlashBorrower} from "@openzeppelin/contracts/interfaces/IERC3156FlashBorrower.sol";
import {IERC3156FlashLender} from "@openzeppelin/contracts/interfaces/IERC3156FlashLender.sol";

/// @title FlashLoanVoterMock
/// @notice Test-only attacker whose flaw is the Beanstalk one: it borrows governance tokens for one
///         transaction, delegates them to itself and tries to vote, or to propose, with them.
/// @dev Records the voting power it held during the loan and the weight the Governor actually counted, so a
///      test can show the first is the whole loan and the second is zero.
contract FlashLoanVoterMock is IERC3156FlashBorrower {
    bytes32 private constant CALLBACK_SUCCESS = keccak256("ERC3156FlashBorrower.onFlashLoan");
    uint8 private constant MODE_VOTE = 0;
    uint8 private constant MODE_PROPOSE = 1;

    IERC3156FlashLender public immutable LENDER;
    IGovernor public immutable GOVERNOR;
    IERC20 public immutable TOKEN;

    /// @notice `getVotes(this)` inside the loan, after self-delegation.
    uint256 public votesDuringLoan;
    /// @notice The weight `castVote` returned (what the Governor counted).
    uint256 public countedWeight;

    error FlashLoanVoterMockUntrustedLender(address caller);

    constructor(IERC3156FlashLender lender, IGovernor governor, IERC20 token) {
        LENDER = lender;
        GOVERNOR = governor;
        TOKEN = token;
    }

    /// @notice Borrows `amount` and votes `support` on `proposalId` within the same transaction.
    function attackVote(uint256 proposalId, uint8 support, uint256 amount) external {
        LENDER.flashLoan(this, address(TOKEN), amount, abi.encode(MODE_VOTE, proposalId, support));
    }

    /// @notice Borrows `amount` and submits a proposal (a no-op call to the token) within the same transaction.
    function attackPropose(uint256 amount) external {
        LENDER.flashLoan(this, address(TOKEN), amount, abi.encode(MODE_PROPOSE, uint256(0), uint8(0)));
    }

    function onFlashLoan(address, address, uint256 amount, uint256 fee, bytes calldata data)
        external
        returns (bytes32)
    {
        require(msg.sender == address(LENDER), FlashLoanVoterMockUntrustedLender(msg.sender));
        (uint8 mode, uint256 proposalId, uint8 support) = abi.decode(data, (uint8, uint256, uint8));
        IVotes(address(TOKEN)).delegate(address(this));
        votesDuringLoan = IVotes(address(TOKEN)).getVotes(address(this));
        if (mode == MODE_VOTE) {
            countedWeight = GOVERNOR.castVote(proposalId, support);
        } else {
            address[] memory targets = new address[](1);
            targets[0] = address(TOKEN);
            uint256[] memory values = new uint256[](1);
            bytes[] memory calldatas = new bytes[](1);
            calldatas[0] = abi.encodeCall(IERC20.totalSupply, ());
            GOVERNOR.propose(targets, values, calldatas, "flash-loaned proposal");
        }
        TOKEN.approve(address(LENDER), amount + fee);
        return CALLBACK_SUCCESS;
    }
}
