"""Governance helpers over ape contract objects: build, propose, vote, queue, execute and cancel proposals of
the Strata Governor, read their timeline, and wire the Timelock's roles at deployment.

Everything takes ape contract instances and accounts; nothing is cached at module level. Every failure that a
user can cause (a proposal in the wrong state, no voting power, quorum not reached, a timelock delay not over,
a missing role) raises :class:`GovernanceError` with a one-line message, whether it is caught by a pre-flight
check or decoded from the chain's revert (OpenZeppelin's ``GovernorUnexpectedProposalState``,
``TimelockUnexpectedOperationState``, ``AccessControlUnauthorizedAccount``, ...).

Typical use::

    from strata import governance as gov

    action = gov.encode_call(registry, "setGuardian", new_guardian)
    pid = gov.propose(governor, proposer, [action], "Rotate the guardian")
    gov.vote(governor, voter, pid, "for")
    ...                                  # voting period
    gov.queue(governor, anyone, pid)
    ...                                  # timelock delay
    gov.execute(governor, anyone, pid)

    # or, on a devchain, the whole lifecycle with blocks mined and time advanced:
    gov.run_lifecycle(governor, proposer, [action], "Rotate the guardian", voters=[voter])
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_utils import keccak, to_checksum_address

from strata.errors import StrataError

__all__ = [
    "DEVCHAIN_PARAMS",
    "MAINNET_PARAMS",
    "OPERATION_STATES",
    "PROPOSAL_STATES",
    "SUPPORT",
    "TIMELOCK_ROLES",
    "Action",
    "GovernanceError",
    "GovernanceParams",
    "LifecycleResult",
    "Proposal",
    "ProposalTimeline",
    "advance_to_block",
    "advance_to_timestamp",
    "cancel",
    "check_timelock_roles",
    "decode_revert",
    "describe_revert",
    "encode_call",
    "execute",
    "format_time",
    "format_tokens",
    "guardian_rotation_actions",
    "load_proposal",
    "params_for_network",
    "parse_support",
    "propose",
    "queue",
    "run_lifecycle",
    "setup_timelock_roles",
    "short_id",
    "state_name",
    "timelock_role_holders",
    "timeline",
    "vote",
]

# OpenZeppelin's IGovernor.ProposalState and TimelockController.OperationState, in enum order.
PROPOSAL_STATES: tuple[str, ...] = (
    "Pending",
    "Active",
    "Canceled",
    "Defeated",
    "Succeeded",
    "Queued",
    "Expired",
    "Executed",
)
OPERATION_STATES: tuple[str, ...] = ("Unset", "Waiting", "Ready", "Done")

# GovernorCountingSimple's vote types.
SUPPORT: dict[str, int] = {"against": 0, "for": 1, "abstain": 2}
_SUPPORT_ALIASES: dict[str, int] = {"no": 0, "nay": 0, "yes": 1, "yea": 1, "abstain": 2}

TIMELOCK_ROLES: dict[str, bytes] = {
    "DEFAULT_ADMIN_ROLE": b"\x00" * 32,
    "PROPOSER_ROLE": keccak(text="PROPOSER_ROLE"),
    "EXECUTOR_ROLE": keccak(text="EXECUTOR_ROLE"),
    "CANCELLER_ROLE": keccak(text="CANCELLER_ROLE"),
}
_ROLE_NAMES: dict[bytes, str] = {v: k for k, v in TIMELOCK_ROLES.items()}

WHOLE_TOKEN = 10**18
_ZERO32 = b"\x00" * 32


class GovernanceError(StrataError):
    """A governance step cannot be taken; the message is one line and says why (and, if possible, when)."""


# --------------------------------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GovernanceParams:
    """Deploy-time settings of the Governor and the Timelock (changeable afterwards only by proposals).

    Durations of the Governor are in units of the token's clock (blocks for StrataToken); the Timelock's delay
    is in seconds. See docs/governance.md for why these values.
    """

    voting_delay: int
    voting_period: int
    proposal_threshold: int
    quorum_numerator: int
    timelock_delay: int

    def initialize_args(self) -> tuple[int, int, int, int]:
        """The last four arguments of ``StrataGovernor.initialize`` (after token and timelock)."""
        return (self.voting_delay, self.voting_period, self.proposal_threshold, self.quorum_numerator)


# 1 % threshold and 4 % quorum of the 100 M supply on every network; only the clocks differ.
DEVCHAIN_PARAMS = GovernanceParams(
    voting_delay=1,
    voting_period=50,
    proposal_threshold=1_000_000 * WHOLE_TOKEN,
    quorum_numerator=4,
    timelock_delay=300,
)
MAINNET_PARAMS = GovernanceParams(
    voting_delay=7_200,  # ~1 day of 12 s blocks: time to delegate and to read the proposal
    voting_period=50_400,  # ~1 week
    proposal_threshold=1_000_000 * WHOLE_TOKEN,
    quorum_numerator=4,
    timelock_delay=2 * 24 * 3600,  # 2 days for users to exit, and for the guardian to cancel
)


def params_for_network(network_name: str) -> GovernanceParams:
    """The preset for a network: devchain values for local networks and forks, mainnet-like elsewhere."""
    name = network_name.lower()
    if name == "local" or name.endswith("-fork") or name in {"anvil", "hardhat", "foundry", "devchain"}:
        return DEVCHAIN_PARAMS
    return MAINNET_PARAMS


# --------------------------------------------------------------------------------------------------------------
# Actions and proposals
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """One call the Timelock will make: ``target.call{value}(calldata)``."""

    target: str
    calldata: bytes
    value: int = 0
    label: str = ""

    def __str__(self) -> str:
        return self.label or f"{self.target}: 0x{self.calldata.hex()}"


@dataclass(frozen=True)
class Proposal:
    """A proposal as the Governor identifies it: actions plus the exact description string."""

    actions: tuple[Action, ...]
    description: str

    @classmethod
    def from_actions(cls, actions: Iterable[Action], description: str) -> Proposal:
        acts = tuple(actions)
        if not acts:
            raise GovernanceError("a proposal needs at least one action")
        if not description.strip():
            raise GovernanceError("a proposal needs a description (it is part of the proposal id)")
        return cls(acts, description)

    @property
    def targets(self) -> list[str]:
        return [a.target for a in self.actions]

    @property
    def values(self) -> list[int]:
        return [a.value for a in self.actions]

    @property
    def calldatas(self) -> list[bytes]:
        return [a.calldata for a in self.actions]

    @property
    def description_hash(self) -> bytes:
        return keccak(text=self.description)

    @property
    def proposal_id(self) -> int:
        """``Governor.hashProposal``: independent of the governor and the chain."""
        encoded = abi_encode(
            ["address[]", "uint256[]", "bytes[]", "bytes32"],
            [self.targets, self.values, self.calldatas, self.description_hash],
        )
        return int.from_bytes(keccak(encoded), "big")

    def timelock_salt(self, governor_address: str) -> bytes:
        """``GovernorTimelockControl._timelockSalt``: the governor's address XOR the description hash."""
        addr = int(to_checksum_address(governor_address), 16) << 96
        return (addr ^ int.from_bytes(self.description_hash, "big")).to_bytes(32, "big")

    def timelock_operation_id(self, governor_address: str) -> bytes:
        """``TimelockController.hashOperationBatch`` of the queued proposal (predecessor zero)."""
        encoded = abi_encode(
            ["address[]", "uint256[]", "bytes[]", "bytes32", "bytes32"],
            [self.targets, self.values, self.calldatas, _ZERO32, self.timelock_salt(governor_address)],
        )
        return keccak(encoded)

    def governor_args(self) -> tuple[list[str], list[int], list[bytes], bytes]:
        """Arguments of ``queue``/``execute``/``cancel`` on the Governor."""
        return (self.targets, self.values, self.calldatas, self.description_hash)


def encode_call(contract: Any, function_name: str, *args: Any, value: int = 0) -> Action:
    """An :class:`Action` calling ``contract.function_name(*args)``, encoded with the contract's ABI.

    ``contract`` is any ape contract instance (a proxy instance carries the implementation's ABI).
    """
    name = _contract_name(contract)
    handler = _method_handler(contract, function_name)
    if handler is None:
        raise GovernanceError(f"{name} has no function {function_name!r}")
    try:
        calldata = bytes(handler.encode_input(*args))
    except Exception as err:  # noqa: BLE001 - ape raises several types for bad arguments
        raise GovernanceError(f"cannot encode {name}.{function_name}{tuple(args)!r}: {_one_line(err)}") from err
    shown = ", ".join(_short(a) for a in args)
    return Action(
        target=to_checksum_address(str(contract.address)),
        calldata=calldata,
        value=value,
        label=f"{name}.{function_name}({shown})" + (f" value={value}" if value else ""),
    )


def guardian_rotation_actions(registry: Any, timelock: Any, old_guardian: Any, new_guardian: Any) -> list[Action]:
    """Actions that move the guardian everywhere it has power: the registry and the Timelock's CANCELLER_ROLE."""
    canceller = TIMELOCK_ROLES["CANCELLER_ROLE"]
    return [
        encode_call(registry, "setGuardian", new_guardian),
        encode_call(timelock, "revokeRole", canceller, old_guardian),
        encode_call(timelock, "grantRole", canceller, new_guardian),
    ]


# --------------------------------------------------------------------------------------------------------------
# Lifecycle steps
# --------------------------------------------------------------------------------------------------------------


def propose(
    governor: Any, proposer: Any, actions: Iterable[Action] | Proposal, description: str = "", **txn: Any
) -> int:
    """Submits a proposal from ``proposer``; returns its id.

    ``proposer`` needs ``proposalThreshold()`` votes delegated to it as of the previous block.
    """
    proposal = actions if isinstance(actions, Proposal) else Proposal.from_actions(actions, description)
    pid = proposal.proposal_id
    if governor.proposalSnapshot(pid) != 0:
        raise GovernanceError(
            f"proposal {short_id(pid)} already exists ({state_name(governor, pid)}); "
            "change the description to propose the same actions again"
        )
    args = (proposal.targets, proposal.values, proposal.calldatas, proposal.description)
    _send(governor, governor, "propose", args, proposer, proposal=proposal, **txn)
    return pid


def vote(
    governor: Any,
    voter: Any,
    proposal: int | Proposal,
    support: int | str = "for",
    reason: str = "",
    *,
    allow_zero_weight: bool = False,
    **txn: Any,
) -> int:
    """Casts ``voter``'s vote; returns the weight the Governor counted.

    Refuses a vote that would count for nothing (no votes delegated to ``voter`` at the snapshot) unless
    ``allow_zero_weight``: it is almost always a mistake (tokens received or delegated too late).
    """
    pid = _pid_of(proposal)
    choice = parse_support(support)
    voter_address = _address(voter)
    if governor.proposalSnapshot(pid) == 0:
        raise GovernanceError(f"no proposal {short_id(pid)} on governor {governor.address}")
    if governor.hasVoted(pid, voter_address):
        raise GovernanceError(f"{voter_address} has already voted on proposal {short_id(pid)}")
    method, args = ("castVoteWithReason", (pid, choice, reason)) if reason else ("castVote", (pid, choice))
    # The simulation rejects a proposal that is not Active in the block the vote would land in.
    _simulate(governor, governor, method, args, voter, proposal=pid)
    snapshot = int(governor.proposalSnapshot(pid))
    weight = int(governor.getVotes(voter_address, snapshot, block_id="pending"))
    if weight == 0 and not allow_zero_weight:
        raise GovernanceError(
            f"{voter_address} had no voting power at the snapshot (block {snapshot}): "
            "votes count only if delegated before the proposal's snapshot"
        )
    receipt = _send(governor, governor, method, args, voter, proposal=pid, simulate=False, **txn)
    counted = [log.weight for log in governor.VoteCast.from_receipt(receipt)]
    return int(counted[0]) if counted else weight


def queue(governor: Any, sender: Any, proposal: int | Proposal, **txn: Any) -> int:
    """Queues a succeeded proposal in the Timelock; returns its ETA (unix seconds)."""
    prop = load_proposal(governor, proposal)
    _send(governor, governor, "queue", prop.governor_args(), sender, proposal=prop, **txn)
    return int(governor.proposalEta(prop.proposal_id))


def execute(governor: Any, sender: Any, proposal: int | Proposal, *, value: int = 0, **txn: Any) -> Any:
    """Executes a queued proposal whose Timelock delay is over; returns the receipt.

    Actions that send ETH are paid from the Timelock's balance; ``value`` (wei, sent by ``sender``) tops it up
    in the same transaction when the Timelock does not hold enough.
    """
    prop = load_proposal(governor, proposal)
    return _send(governor, governor, "execute", prop.governor_args(), sender, value=value, proposal=prop, **txn)


def cancel(governor: Any, sender: Any, proposal: int | Proposal, **txn: Any) -> str:
    """Cancels a proposal; returns where: ``"governor"`` or ``"timelock"``.

    A pending proposal is cancelled by its proposer on the Governor. A queued one is cancelled on the Timelock
    by any CANCELLER_ROLE holder (the Governor or the guardian); the Governor then reports it Canceled.
    """
    prop = load_proposal(governor, proposal)
    pid = prop.proposal_id
    line = timeline(governor, pid)
    who = _address(sender)
    if line.state == "Queued":
        timelock = _timelock_of(governor)
        if not timelock.hasRole(TIMELOCK_ROLES["CANCELLER_ROLE"], who):
            raise GovernanceError(f"cannot cancel: {who} lacks CANCELLER_ROLE on the timelock {timelock.address}")
        op_id = prop.timelock_operation_id(str(governor.address))
        _send(governor, timelock, "cancel", (op_id,), sender, proposal=prop, **txn)
        return "timelock"
    if line.state == "Pending":
        if who != line.proposer:
            raise GovernanceError(
                f"cannot cancel: only the proposer {line.proposer} may cancel proposal {short_id(pid)} while Pending"
            )
        _send(governor, governor, "cancel", prop.governor_args(), sender, proposal=prop, **txn)
        return "governor"
    raise GovernanceError(
        f"cannot cancel: {_explain_state(line, wanted=('Pending', 'Queued'))} "
        "(the proposer cancels while Pending, a timelock CANCELLER while Queued)"
    )


def parse_support(support: int | str) -> int:
    """``"for"``/``"against"``/``"abstain"`` (or yes/no, or 0/1/2) → GovernorCountingSimple's vote type."""
    if isinstance(support, int) and not isinstance(support, bool):
        if support in SUPPORT.values():
            return support
    elif isinstance(support, str):
        key = support.strip().lower()
        if key in SUPPORT:
            return SUPPORT[key]
        if key in _SUPPORT_ALIASES:
            return _SUPPORT_ALIASES[key]
        if key.isdigit() and int(key) in SUPPORT.values():
            return int(key)
    raise GovernanceError(f"invalid vote {support!r}: use for, against or abstain")


# --------------------------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalTimeline:
    """Where a proposal stands, as the next transaction will see it.

    Block numbers are the token's clock; ``current_block`` is the chain head (the next transaction lands in
    ``current_block + 1``); ``eta`` is a unix timestamp (0 if not queued).
    """

    proposal_id: int
    state: str
    proposer: str
    snapshot: int
    deadline: int
    eta: int
    current_block: int
    current_timestamp: int
    against_votes: int
    for_votes: int
    abstain_votes: int
    quorum: int | None  # None while Pending: the snapshot's supply is not known yet

    @property
    def quorum_reached(self) -> bool | None:
        """``for + abstain >= quorum`` (GovernorCountingSimple), None while Pending."""
        return None if self.quorum is None else self.for_votes + self.abstain_votes >= self.quorum

    @property
    def vote_succeeded(self) -> bool:
        """``for > against`` (a tie is a defeat)."""
        return self.for_votes > self.against_votes

    def as_dict(self) -> dict[str, Any]:
        return {
            "proposal_id": self.proposal_id,
            "state": self.state,
            "proposer": self.proposer,
            "snapshot_block": self.snapshot,
            "deadline_block": self.deadline,
            "eta": self.eta,
            "current_block": self.current_block,
            "current_timestamp": self.current_timestamp,
            "votes": {"for": self.for_votes, "against": self.against_votes, "abstain": self.abstain_votes},
            "quorum": self.quorum,
            "quorum_reached": self.quorum_reached,
            "vote_succeeded": self.vote_succeeded,
        }

    def lines(self) -> list[str]:
        """Human-readable summary, one fact per line."""
        out = [
            f"proposal   {self.proposal_id}",
            f"state      {self.state}",
            f"proposer   {self.proposer}",
            f"snapshot   block {self.snapshot} (voting opens after it; now block {self.current_block})",
            f"deadline   block {self.deadline}",
            f"votes      for {format_tokens(self.for_votes)} / against {format_tokens(self.against_votes)} / "
            f"abstain {format_tokens(self.abstain_votes)}",
        ]
        if self.quorum is not None:
            reached = "reached" if self.quorum_reached else "not reached"
            out.append(f"quorum     {format_tokens(self.quorum)} ({reached})")
        if self.eta:
            out.append(f"eta        {format_time(self.eta)} (now {format_time(self.current_timestamp)})")
        return out


def state_name(governor: Any, proposal_id: int, *, block_id: str | int = "pending") -> str:
    """The proposal's state as OpenZeppelin names it (``"Active"``, ``"Queued"``, ...).

    Read in the pending block by default: the state the next transaction will meet. (At the latest block a
    proposal whose deadline is the head still reads Active, although it can already be queued.)
    """
    # Checked first: `state` of an unknown id reverts, and ape prints a call trace for every revert.
    if int(governor.proposalSnapshot(proposal_id)) == 0:
        raise GovernanceError(f"no proposal {short_id(int(proposal_id))} on governor {governor.address}")
    return PROPOSAL_STATES[int(governor.state(proposal_id, block_id=block_id))]


def timeline(governor: Any, proposal: int | Proposal) -> ProposalTimeline:
    """Reads a proposal's state, snapshot/deadline blocks, ETA, tally and quorum."""
    from ape import chain

    pid = _pid_of(proposal)
    state = state_name(governor, pid)
    snapshot = int(governor.proposalSnapshot(pid))
    against, for_, abstain = (int(x) for x in governor.proposalVotes(pid))
    head = chain.blocks.head
    quorum = int(governor.quorum(snapshot, block_id="pending")) if state != "Pending" else None
    return ProposalTimeline(
        proposal_id=pid,
        state=state,
        proposer=str(governor.proposalProposer(pid)),
        snapshot=snapshot,
        deadline=int(governor.proposalDeadline(pid)),
        eta=int(governor.proposalEta(pid)),
        current_block=int(head.number),
        current_timestamp=int(head.timestamp),
        against_votes=against,
        for_votes=for_,
        abstain_votes=abstain,
        quorum=quorum,
    )


def load_proposal(governor: Any, proposal: int | Proposal, *, search_window: int = 100_000) -> Proposal:
    """The :class:`Proposal` behind an id, rebuilt from the Governor's ``ProposalCreated`` event.

    The event was emitted at the proposal's creation, at or before its snapshot block; the search walks back
    from the snapshot in windows of ``search_window`` blocks.
    """
    if isinstance(proposal, Proposal):
        return proposal
    pid = int(proposal)
    snapshot = int(governor.proposalSnapshot(pid))
    if snapshot == 0:
        raise GovernanceError(f"no proposal {short_id(pid)} on governor {governor.address}")
    from ape import chain

    stop = min(snapshot, int(chain.blocks.head.number))
    while stop >= 0:
        start = max(0, stop - search_window + 1)
        for log in governor.ProposalCreated.range(start, stop + 1):
            if int(log.proposalId) == pid:
                actions = tuple(
                    Action(target=to_checksum_address(t), calldata=bytes(c), value=int(v))
                    for t, v, c in zip(log.targets, log.values, log.calldatas, strict=True)
                )
                return Proposal(actions, log.description)
        stop = start - 1
    raise GovernanceError(f"ProposalCreated event of proposal {short_id(pid)} not found")


# --------------------------------------------------------------------------------------------------------------
# Devchain: moving the clock
# --------------------------------------------------------------------------------------------------------------


def advance_to_block(block: int, *, fast_forward: bool, timeout: float = 0.0, poll_interval: float = 1.0) -> None:
    """Returns once the chain head is at or past ``block``: mines on a devchain, or waits up to ``timeout`` s."""
    from ape import chain

    head = int(chain.blocks.head.number)
    if head >= block:
        return
    if fast_forward:
        _require_devchain("mine blocks")
        _mine(block - head)
        return
    _wait(lambda: int(chain.blocks.head.number) >= block, timeout, poll_interval, f"block {block} (head {head})")


def advance_to_timestamp(
    timestamp: int, *, fast_forward: bool, timeout: float = 0.0, poll_interval: float = 1.0
) -> None:
    """Returns once the next block's timestamp can be ``timestamp``: sets it on a devchain, or waits."""
    from ape import chain

    if int(chain.pending_timestamp) >= timestamp:
        return
    if fast_forward:
        _require_devchain("advance time")
        _mine(1, timestamp=timestamp)
        return
    _wait(lambda: int(chain.pending_timestamp) >= timestamp, timeout, poll_interval, f"time {format_time(timestamp)}")


@dataclass(frozen=True)
class LifecycleResult:
    """What :func:`run_lifecycle` did: the proposal, its ETA, the execute receipt and the states it went through."""

    proposal: Proposal
    proposal_id: int
    eta: int
    receipt: Any  # of `execute`
    states: tuple[str, ...] = field(default_factory=tuple)  # as observed after each step


def run_lifecycle(
    governor: Any,
    proposer: Any,
    actions: Iterable[Action] | Proposal,
    description: str = "",
    voters: Sequence[Any] = (),
    *,
    support: int | str = "for",
    executor: Any = None,
    fast_forward: bool = True,
    timeout: float = 0.0,
    poll_interval: float = 1.0,
) -> LifecycleResult:
    """Propose → (voting delay) → vote → (voting period) → queue → (timelock delay) → execute.

    ``voters`` is a sequence of accounts (each votes ``support``) or of ``(account, support)`` pairs; the
    proposer votes only if listed. With ``fast_forward`` (devchains only) blocks are mined and time is advanced
    through each wait; otherwise each wait polls the chain for up to ``timeout`` seconds.
    """
    if fast_forward:
        _require_devchain("fast-forward a proposal")
    proposal = actions if isinstance(actions, Proposal) else Proposal.from_actions(actions, description)
    waits = {"fast_forward": fast_forward, "timeout": timeout, "poll_interval": poll_interval}
    states: list[str] = []

    pid = propose(governor, proposer, proposal)
    states.append(state_name(governor, pid))
    # Votes are accepted once the clock is past the snapshot: the vote's block must be > snapshot.
    advance_to_block(int(governor.proposalSnapshot(pid)), **waits)
    for entry in voters:
        account, choice = entry if isinstance(entry, tuple) else (entry, support)
        vote(governor, account, pid, choice)
    states.append(state_name(governor, pid))
    advance_to_block(int(governor.proposalDeadline(pid)), **waits)
    states.append(state_name(governor, pid))
    eta = queue(governor, executor or proposer, proposal)
    states.append(state_name(governor, pid))
    advance_to_timestamp(eta, **waits)
    receipt = execute(governor, executor or proposer, proposal)
    states.append(state_name(governor, pid))
    return LifecycleResult(proposal, pid, eta, receipt, tuple(states))


# --------------------------------------------------------------------------------------------------------------
# Timelock roles (deployment)
# --------------------------------------------------------------------------------------------------------------


def setup_timelock_roles(
    timelock: Any, governor: Any, guardian: Any, admin: Any, *, renounce: bool = True
) -> list[str]:
    """Wires the Timelock for Strata and, by default, renounces ``admin``'s DEFAULT_ADMIN_ROLE.

    Governor: PROPOSER, EXECUTOR, CANCELLER. Guardian: CANCELLER. Idempotent (a grant already held, or an
    admin already renounced, is skipped), so a deployer can rerun it after a crash. Returns what it did.
    """
    roles = TIMELOCK_ROLES
    gov_addr, guard_addr, admin_addr = str(governor.address), _address(guardian), str(admin.address)
    wanted = [
        ("PROPOSER_ROLE", gov_addr),
        ("EXECUTOR_ROLE", gov_addr),
        ("CANCELLER_ROLE", gov_addr),
        ("CANCELLER_ROLE", guard_addr),
    ]
    done: list[str] = []
    missing = [(r, a) for r, a in wanted if not timelock.hasRole(roles[r], a)]
    if missing and not timelock.hasRole(roles["DEFAULT_ADMIN_ROLE"], admin_addr):
        raise GovernanceError(
            f"{admin_addr} is not a timelock admin and {len(missing)} role(s) are missing; "
            "only a governance proposal can grant them now"
        )
    for role, account in missing:
        _send(governor, timelock, "grantRole", (roles[role], account), admin)
        done.append(f"granted {role} to {account}")
    if renounce and timelock.hasRole(roles["DEFAULT_ADMIN_ROLE"], admin_addr):
        _send(governor, timelock, "renounceRole", (roles["DEFAULT_ADMIN_ROLE"], admin_addr), admin)
        done.append(f"{admin_addr} renounced DEFAULT_ADMIN_ROLE")
    return done


def timelock_role_holders(timelock: Any, *, start_block: int = 0) -> dict[str, set[str]]:
    """Every current holder of each Timelock role, replayed from RoleGranted/RoleRevoked and checked by hasRole.

    AccessControl is not enumerable; the events are the only complete list.
    """
    from ape import chain

    stop = int(chain.blocks.head.number) + 1
    candidates: dict[bytes, set[str]] = {role: set() for role in TIMELOCK_ROLES.values()}
    for event in (timelock.RoleGranted, timelock.RoleRevoked):
        for log in event.range(start_block, stop):
            candidates.setdefault(bytes(log.role), set()).add(to_checksum_address(log.account))
    return {
        _ROLE_NAMES.get(role, "0x" + role.hex()): {a for a in accounts if timelock.hasRole(role, a)}
        for role, accounts in candidates.items()
    }


def check_timelock_roles(timelock: Any, governor: Any, guardian: Any, *, start_block: int = 0) -> list[str]:
    """Problems with the Timelock's roles against Strata's intended setup; an empty list means all is right.

    Intended: DEFAULT_ADMIN = the Timelock only; PROPOSER = EXECUTOR = the Governor only;
    CANCELLER = the Governor and the guardian only.
    """
    tl, gv, gd = (to_checksum_address(_address(x)) for x in (timelock, governor, guardian))
    expected = {
        "DEFAULT_ADMIN_ROLE": {tl},
        "PROPOSER_ROLE": {gv},
        "EXECUTOR_ROLE": {gv},
        "CANCELLER_ROLE": {gv, gd},
    }
    holders = timelock_role_holders(timelock, start_block=start_block)
    problems = []
    for role, want in expected.items():
        have = holders.get(role, set())
        if extra := sorted(have - want):
            problems.append(f"{role} also held by {', '.join(extra)}")
        if lacking := sorted(want - have):
            problems.append(f"{role} not held by {', '.join(lacking)}")
    for role, have in holders.items():
        if role not in expected and have:
            problems.append(f"unexpected role {role} held by {', '.join(sorted(have))}")
    return problems


# --------------------------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------------------------


def describe_revert(
    err: BaseException | None, *contracts: Any, proposal: int | Proposal | None = None, data: str | bytes | None = None
) -> str:
    """One line explaining a revert of the Governor, the Timelock, the token or an action's target.

    Decodes ape's CustomError, or the raw revert data (``data``, or found in the error) against the errors
    of ``contracts`` and of every contract of the local project.
    """
    name, inputs = _decode_error(err, contracts, data)
    if name is None:
        message = getattr(err, "revert_message", None) or str(err or "") or type(err).__name__
        return f"reverted: {_one_line(message)}"
    governor = next((c for c in contracts if _has_fn(c, "proposalSnapshot")), None)
    explain = _EXPLAIN.get(name)
    if explain is not None:
        try:
            return explain(inputs, governor, proposal)
        except Exception:  # noqa: BLE001 - an explanation must never hide the error itself
            pass
    shown = ", ".join(f"{k}={_short(v)}" for k, v in inputs.items())
    return f"reverted with {name}({shown})"


def _explain_unexpected_state(inputs: dict[str, Any], governor: Any, proposal: Any) -> str:
    pid = int(inputs["proposalId"])
    expected = _bitmap_names(inputs["expectedStates"], PROPOSAL_STATES)
    if governor is not None:
        line = timeline(governor, pid)
        return _explain_state(replace(line, state=PROPOSAL_STATES[int(inputs["current"])]), wanted=expected)
    current = PROPOSAL_STATES[int(inputs["current"])]
    need = f"; it must be {' or '.join(expected)}" if expected else ""
    return f"proposal {short_id(pid)} is {current}{need}"


def _explain_operation_state(inputs: dict[str, Any], governor: Any, proposal: Any) -> str:
    op = bytes(inputs["operationId"])
    expected = _bitmap_names(inputs["expectedStates"], OPERATION_STATES)
    text = f"timelock operation 0x{op.hex()[:12]}… is not {' or '.join(expected) or 'in the expected state'}"
    if governor is not None:
        timelock = _timelock_of(governor)
        state = OPERATION_STATES[int(timelock.getOperationState(op))]
        ready_at = int(timelock.getTimestamp(op))
        text = f"timelock operation 0x{op.hex()[:12]}… is {state}, not {' or '.join(expected)}"
        if state == "Waiting":
            text += f": the timelock delay ends at {format_time(ready_at)}"
        elif state == "Unset":
            text += " (never queued, or cancelled)"
    return text


_EXPLAIN: dict[str, Callable[[dict[str, Any], Any, Any], str]] = {
    "GovernorUnexpectedProposalState": _explain_unexpected_state,
    "TimelockUnexpectedOperationState": _explain_operation_state,
    "GovernorInsufficientProposerVotes": lambda i, g, p: (
        f"{i['proposer']} has {format_tokens(i['votes'])} votes at the previous block, below the proposal threshold "
        f"{format_tokens(i['threshold'])} (delegate to it before proposing)"
    ),
    "GovernorAlreadyCastVote": lambda i, g, p: f"{i['voter']} has already voted on this proposal",
    "GovernorNonexistentProposal": lambda i, g, p: f"no proposal {short_id(int(i['proposalId']))} on this governor",
    "GovernorInvalidVoteType": lambda i, g, p: "invalid vote type: use for, against or abstain",
    "GovernorOnlyExecutor": lambda i, g, p: (
        f"{i['account']} is not the governor's executor (the timelock): this call must come from an executed proposal"
    ),
    "GovernorUnableToCancel": lambda i, g, p: (
        f"{i['account']} cannot cancel proposal {short_id(int(i['proposalId']))}: only its proposer, while Pending"
    ),
    "GovernorRestrictedProposer": lambda i, g, p: (
        f"{i['proposer']} may not submit this description: its #proposer= suffix names another address"
    ),
    "GovernorInvalidProposalLength": lambda i, g, p: (
        f"malformed proposal: {i['targets']} targets, {i['calldatas']} calldatas, {i['values']} values "
        "(need equal counts, above zero)"
    ),
    "GovernorInvalidVotingPeriod": lambda i, g, p: f"invalid voting period {i['votingPeriod']} (must be > 0)",
    "GovernorInvalidQuorumFraction": lambda i, g, p: (
        f"invalid quorum {i['quorumNumerator']}/{i['quorumDenominator']} (numerator above denominator)"
    ),
    "AccessControlUnauthorizedAccount": lambda i, g, p: (
        f"{i['account']} lacks {_role_name(i['neededRole'])} on the timelock"
    ),
    "TimelockUnauthorizedCaller": lambda i, g, p: (
        f"{i['caller']} is not the timelock: only an executed proposal may call this"
    ),
    "TimelockInsufficientDelay": lambda i, g, p: (
        f"delay {i['delay']} s is below the timelock minimum {i['minDelay']} s"
    ),
    "TimelockUnexecutedPredecessor": lambda i, g, p: (
        f"the predecessor operation 0x{bytes(i['predecessorId']).hex()[:12]}… has not been executed"
    ),
    "ERC5805FutureLookup": lambda i, g, p: (
        f"votes at timepoint {i['timepoint']} are not final yet (clock {i['clock']}): wait one block"
    ),
    "UUPSUnauthorizedCallContext": lambda i, g, p: "upgrade called on the implementation, not through the proxy",
    "InvalidInitialization": lambda i, g, p: "already initialised (implementations are never initialisable)",
    "Error": lambda i, g, p: f"reverted: {i['message']}",
    "Panic": lambda i, g, p: f"panicked with code 0x{int(i['code']):02x}",
}


_HEX_DATA = re.compile(r"^(?:custom error )?0x([0-9a-fA-F]{8})(?::\s?)?(.*)$", re.DOTALL)
_BUILTIN_ERRORS: dict[bytes, tuple[str, list[str], list[str]]] = {
    keccak(text="Error(string)")[:4]: ("Error", ["message"], ["string"]),
    keccak(text="Panic(uint256)")[:4]: ("Panic", ["code"], ["uint256"]),
}


def _error_table(contracts: Iterable[Any]) -> dict[bytes, tuple[str, list[str], list[str]]]:
    """Selector → (name, input names, input types) from the given contracts' ABIs and the local project's."""
    types: list[Any] = [getattr(c, "contract_type", c) for c in contracts]
    try:
        from ape import project

        types.extend(project.contracts.values())
    except Exception:  # noqa: BLE001 - outside a project: the given contracts only
        pass
    table = dict(_BUILTIN_ERRORS)
    for contract_type in types:
        for abi in getattr(contract_type, "errors", None) or []:
            arg_types = [_abi_type(i) for i in abi.inputs]
            selector = keccak(text=f"{abi.name}({','.join(arg_types)})")[:4]
            names = [i.name or f"arg{n}" for n, i in enumerate(abi.inputs)]
            table.setdefault(selector, (abi.name, names, arg_types))
    return table


def decode_revert(
    err: BaseException | None, *contracts: Any, data: str | bytes | None = None
) -> tuple[str | None, dict[str, Any]]:
    """(error name, inputs) of a revert, or (None, {}) when it carries no recognisable error.

    Works on ape's decoded ``CustomError``, on the undecoded ``ContractLogicError`` of a reverted view call, and
    on raw revert ``data``; selectors are looked up in ``contracts`` and in every contract of the local project.
    """
    return _decode_error(err, contracts, data)


def _decode_error(
    err: BaseException | None, contracts: Sequence[Any], data: str | bytes | None = None
) -> tuple[str | None, dict[str, Any]]:
    from ape.exceptions import CustomError

    if data is None and isinstance(err, CustomError):
        return err.name, dict(err.inputs)
    raw: bytes | None = None
    if isinstance(data, (bytes, bytearray)):
        raw = bytes(data)
    else:
        text = data or getattr(err, "revert_message", None) or (str(err) if err is not None else "")
        if isinstance(text, str) and (match := _HEX_DATA.match(text.strip())):
            rest = match.group(2)
            # web3 shows the arguments either as hex digits or as the raw bytes themselves.
            if re.fullmatch(r"(?:[0-9a-fA-F]{2})*", rest):
                args = bytes.fromhex(rest)
            else:
                try:
                    args = rest.encode("latin-1")
                except UnicodeEncodeError:
                    args = b""
            raw = bytes.fromhex(match.group(1)) + args
    if raw is None or len(raw) < 4:
        return None, {}
    entry = _error_table(contracts).get(raw[:4])
    if entry is None:
        return f"0x{raw[:4].hex()}", {}
    name, names, arg_types = entry
    try:
        values = abi_decode(arg_types, raw[4:])
    except Exception:  # noqa: BLE001 - truncated data: the name alone still helps
        return name, {}
    values = [to_checksum_address(v) if t == "address" else v for t, v in zip(arg_types, values, strict=True)]
    return name, dict(zip(names, values, strict=True))


def _simulate(governor: Any, contract: Any, method: str, args: Sequence[Any], sender: Any, *, value: int = 0,
              proposal: Any = None) -> None:
    """``eth_call`` of the transaction in the pending block; a revert becomes a GovernanceError.

    Done before every transaction: a doomed step costs no gas, takes no block, and is explained in one line
    (ape would print a call trace for a mined revert).
    """
    try:
        from ape import networks
    except ImportError:  # another framework (brownie's venv has no ape): its own revert surfaces as it is
        return

    web3 = getattr(networks.provider, "web3", None)
    if web3 is None:  # not a web3-backed provider: the transaction's own revert will be mapped instead
        return
    from web3.exceptions import ContractLogicError as Web3ContractLogicError

    calldata = bytes(_method_handler(contract, method).encode_input(*args))
    call = {"from": _address(sender), "to": str(contract.address), "data": "0x" + calldata.hex(), "value": value}
    try:
        web3.eth.call(call, "pending")
    except Web3ContractLogicError as err:
        raw = _revert_data(err)
        raise GovernanceError(
            describe_revert(err, *_known_contracts(governor, contract), proposal=proposal, data=raw)
        ) from None


_RETURN_DATA = re.compile(r"0x[0-9a-fA-F]{8,}")


def _revert_data(err: BaseException) -> str | None:
    """The revert data of a web3 call error: a hex string on Anvil, nested in a dict (or only in the message)
    on Hardhat ("reverted with an unrecognized custom error (return data: 0x…)")."""
    data: Any = getattr(err, "data", None)
    while isinstance(data, dict):
        data = data.get("data")
    if isinstance(data, str) and _RETURN_DATA.fullmatch(data):
        return data
    match = _RETURN_DATA.search(" ".join(str(a) for a in err.args))
    return match.group(0) if match else None


def _send(governor: Any, contract: Any, method: str, args: Sequence[Any], sender: Any, *, value: int = 0,
          proposal: Any = None, simulate: bool = True, **txn: Any) -> Any:
    """Simulates, then sends ``contract.method(*args)`` from ``sender``; returns the receipt."""
    try:
        from ape.exceptions import ContractLogicError
    except ImportError:  # another framework (strata.brownie_backend): its revert error propagates unchanged
        ContractLogicError = _NeverRaised  # noqa: N806

    if simulate:
        _simulate(governor, contract, method, args, sender, value=value, proposal=proposal)
    if value:
        txn["value"] = value
    try:
        return _method_handler(contract, method)(*args, sender=sender, **txn)
    except ContractLogicError as err:
        raise GovernanceError(describe_revert(err, *_known_contracts(governor, contract), proposal=proposal)) from err


class _NeverRaised(Exception):
    """Stands for ape's ContractLogicError where ape is not installed."""


def _known_contracts(governor: Any, *others: Any) -> list[Any]:
    """Contracts whose errors a revert may carry: the Governor, its Timelock and token, the call's target."""
    found = [governor, *others]
    for getter in (_timelock_of, _token_of):
        try:
            found.append(getter(governor))
        except Exception:  # noqa: BLE001 - decoding is best effort
            pass
    return found


# --------------------------------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------------------------------


def short_id(pid: int) -> str:
    """A proposal id shortened for messages (ids are 77-digit numbers)."""
    text = str(pid)
    return text if len(text) <= 14 else f"{text[:6]}…{text[-6:]}"


def format_tokens(amount: int) -> str:
    """An 18-decimal token amount in whole tokens, e.g. ``1,000,000`` or ``2.5``."""
    whole, frac = divmod(int(amount), WHOLE_TOKEN)
    decimals = str(frac).rjust(18, "0")[:4].rstrip("0")  # 4 decimals at most, truncated
    return f"{whole:,}" + (f".{decimals}" if decimals else "")


def format_time(timestamp: int) -> str:
    """A unix timestamp as UTC text."""
    return datetime.fromtimestamp(int(timestamp), tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


# --------------------------------------------------------------------------------------------------------------
# Internal
# --------------------------------------------------------------------------------------------------------------


def _explain_state(line: ProposalTimeline, wanted: Sequence[str]) -> str:
    pid, state = short_id(line.proposal_id), line.state
    text = f"proposal {pid} is {state}"
    if wanted:
        text += f", not {' or '.join(wanted)}"
    if state == "Pending":
        text += f": voting opens after block {line.snapshot} (now {line.current_block})"
    elif state == "Active":
        text += f": voting ends at block {line.deadline} (now {line.current_block})"
    elif state == "Defeated":
        reasons = []
        if line.quorum is not None and not line.quorum_reached:
            reasons.append(
                f"quorum not reached (for+abstain {format_tokens(line.for_votes + line.abstain_votes)} < "
                f"quorum {format_tokens(line.quorum)})"
            )
        if not line.vote_succeeded:
            reasons.append(
                f"not enough support (for {format_tokens(line.for_votes)} <= "
                f"against {format_tokens(line.against_votes)})"
            )
        if reasons:
            text += ": " + " and ".join(reasons)
    elif state == "Succeeded":
        text += ": queue it first"
    elif state == "Queued" and line.eta:
        text += f": executable from {format_time(line.eta)}"
    elif state == "Executed":
        text += ": already executed"
    elif state == "Canceled":
        text += ": it was cancelled"
    return text


def _bitmap_names(bitmap: Any, names: Sequence[str]) -> list[str]:
    value = int.from_bytes(bytes(bitmap), "big") if not isinstance(bitmap, int) else bitmap
    return [n for i, n in enumerate(names) if value >> i & 1]


def _require_devchain(what: str) -> None:
    from ape import networks

    network = networks.provider.network
    if not (network.is_local or network.name.endswith("-fork")):
        raise GovernanceError(f"cannot {what} on {network.name}: fast-forward works on a local devchain only")


def _mine(blocks: int, *, timestamp: int | None = None) -> None:
    """Mines ``blocks`` blocks (the first at ``timestamp`` if given) through ape, or through the devchain's RPC
    when ape's provider does not implement it (ape's generic node provider attached to an Anvil or Hardhat)."""
    from ape import chain, networks

    try:
        chain.mine(blocks, timestamp=timestamp)
        return
    except NotImplementedError:
        pass
    provider = networks.provider
    try:
        if timestamp is not None:
            provider.make_request("evm_setNextBlockTimestamp", [timestamp])
        for method in ("anvil_mine", "hardhat_mine"):
            try:
                provider.make_request(method, [hex(blocks)])
                return
            except Exception:  # noqa: BLE001 - try the next dialect
                continue
        for _ in range(blocks):
            provider.make_request("evm_mine", [])
    except Exception as err:  # noqa: BLE001
        raise GovernanceError(f"cannot mine blocks on this provider: {_one_line(err)}") from err


def _wait(done: Callable[[], bool], timeout: float, poll_interval: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() >= deadline:
            raise GovernanceError(f"still waiting for {what}; rerun later, or fast-forward on a devchain")
        time.sleep(poll_interval)


def _timelock_of(governor: Any) -> Any:
    from ape import Contract

    address = governor.timelock()
    try:
        from ape import project

        return project.StrataTimelock.at(address)
    except Exception:  # noqa: BLE001 - outside the project, fall back to ape's explorer/cache lookup
        return Contract(address)


def _token_of(governor: Any) -> Any:
    from ape import project

    return project.StrataToken.at(governor.token())


def _method_handler(contract: Any, name: str) -> Any:
    # Looked up in the ABI tables, not by attribute: ape's address attributes shadow some ABI names
    # (``delegate``, ``nonce``, ``balance``, ``code``).
    if name.startswith("_"):
        return None
    for table in ("_mutable_methods_", "_view_methods_"):
        handler = (getattr(contract, table, None) or {}).get(name)
        if handler is not None:
            return handler
    handler = getattr(contract, name, None)
    return handler if hasattr(handler, "encode_input") else None


def _has_fn(contract: Any, name: str) -> bool:
    contract_type = getattr(contract, "contract_type", None)
    return bool(contract_type) and any(m.name == name for m in contract_type.view_methods)


def _role_name(role: Any) -> str:
    raw = bytes(role)
    return _ROLE_NAMES.get(raw, "0x" + raw.hex())


def _pid_of(proposal: int | Proposal) -> int:
    return proposal.proposal_id if isinstance(proposal, Proposal) else int(proposal)


def _contract_name(contract: Any) -> str:
    contract_type = getattr(contract, "contract_type", None)
    return getattr(contract_type, "name", None) or str(getattr(contract, "address", "contract"))


def _address(x: Any) -> str:
    return str(getattr(x, "address", x))


def _abi_type(abi_input: Any) -> str:
    canonical = getattr(abi_input, "canonical_type", None)
    return canonical if isinstance(canonical, str) else str(abi_input.type)


def _short(value: Any) -> str:
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    return str(getattr(value, "address", value))


def _one_line(value: Any) -> str:
    return " ".join(str(value).split())
