"""The ape/Anvil side of the scenario: balances, receipt logs, a deterministic clock, snapshots."""

from __future__ import annotations

from typing import Any

from strata.bench.errors import BenchSetupError
from strata.bench.scenario import BLOCK_TIME

# Every run starts its chain at the same instant (2033-05-18), so that timestamps, and any gas that could depend
# on them, are the same from run to run and machine to machine.
START_TIMESTAMP = 2_000_000_000


class ApeChainView:
    def __init__(self, chain: Any, provider: Any) -> None:
        self.chain = chain
        self.provider = provider

    def balance(self, token: Any, holder: Any) -> int:
        address = holder if isinstance(holder, str) else holder.address
        return int(token.balanceOf(address))

    def transfers(self, receipt: Any, token: Any) -> list[tuple[str, str, int]]:
        moves = []
        for log in receipt.decode_logs(token.Transfer):
            if str(log.contract_address).lower() != str(token.address).lower():
                continue
            args = log.event_arguments
            moves.append((str(args["from"]), str(args["to"]), int(args["value"])))
        return moves

    def advance(self, seconds: int) -> None:
        head = self.chain.blocks.head.timestamp
        self.provider.make_request("evm_setNextBlockTimestamp", [int(head) + seconds])

    # -- run-wide setup --------------------------------------------------------------------------------------

    def start_clock(self) -> None:
        """First block at ``START_TIMESTAMP``, then one block every ``BLOCK_TIME`` seconds (one per transaction)."""
        head = int(self.chain.blocks.head.timestamp)
        if head >= START_TIMESTAMP:
            raise BenchSetupError(f"the chain's clock ({head}) is past the bench's start time {START_TIMESTAMP}")
        self.provider.make_request("evm_setNextBlockTimestamp", [START_TIMESTAMP])
        self.provider.make_request("anvil_setBlockTimestampInterval", [BLOCK_TIME])

    def node_version(self) -> str:
        """``1.7.1`` from Anvil's ``anvil/v1.7.1`` client version."""
        client = str(self.provider.make_request("web3_clientVersion", []))
        name, _, version = client.partition("/")
        if name.lower() != "anvil":
            raise BenchSetupError(f"the bench runs on Anvil, not on {client}")
        return version.removeprefix("v")


class Snapshots:
    """A named chain state to return to again and again (Anvil forgets a snapshot once reverted to)."""

    def __init__(self, chain: Any) -> None:
        self.chain = chain
        self._id = chain.snapshot()

    def restore(self) -> None:
        self.chain.restore(self._id)
        self._id = self.chain.snapshot()
