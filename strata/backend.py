"""The seam between strata's deployment logic and an Ethereum framework (ape, or brownie).

``strata.deployer`` and ``strata.protocol`` never name a framework: the deployer asks a ``ChainBackend`` to
deploy a contract by name, to type a recorded address, to tell whether an address has code, where a contract
was created and who the chain is. The contract handles a backend returns are called the way ``strata`` calls
them everywhere — views as ``c.fn(*args)``, transactions as ``c.fn(*args, sender=account)``, calldata as
``c.fn.encode_input(*args)``, ``c.address`` — which is ape's own convention, so ``ApeBackend`` returns ape's
objects untouched and ``strata.brownie_backend.BrownieBackend`` wraps brownie's.

Neither this module nor ``strata.deployer``/``strata.protocol``/``strata.records``/``strata.modules`` imports a
framework at module level: brownie's venv (which has no ape) imports them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from strata.errors import DeploymentError

# Network names (after the ecosystem) that are throw-away devchains: a record of an earlier one is replaced.
LOCAL_NETWORKS = ("local",)


@dataclass(frozen=True)
class ChainIdentity:
    network: str
    chain_id: int
    genesis_hash: str
    is_local: bool


@dataclass(frozen=True)
class Creation:
    """Where a contract was created: what a deployment record keeps of its deploy transaction."""

    tx: str
    block: int


@runtime_checkable
class ChainBackend(Protocol):
    """What the deployer needs from a framework. Implementations: ``ApeBackend``, ``BrownieBackend``."""

    framework: str

    def has_contract_type(self, contract: str) -> bool:
        """Whether ``contract`` is in the compiled project."""

    def deploy(self, contract: str, *args: Any, sender: Any) -> Any:
        """Deploys ``contract`` from ``sender``; returns a handle with ``.address``."""

    def at(self, contract: str, address: str) -> Any:
        """A handle on the contract at ``address``, typed by ``contract``'s ABI."""

    def has_code(self, address: str) -> bool:
        """Whether the chain has code at ``address`` (a recorded contract may be gone after a devchain restart)."""

    def creation(self, instance: Any) -> Creation:
        """Transaction and block that created ``instance`` (a handle returned by ``deploy``)."""

    def identity(self) -> ChainIdentity:
        """Which chain this is: network name, chain id, genesis hash, devchain or not."""


def hex_text(value: Any) -> str:
    text = value.hex() if hasattr(value, "hex") else str(value)
    return text if text.startswith("0x") else f"0x{text}"


def ape_chain_identity(chain: Any, provider: Any) -> ChainIdentity:
    network = provider.network
    return ChainIdentity(
        network=f"{network.ecosystem.name}:{network.name}",
        chain_id=int(provider.chain_id),
        genesis_hash=hex_text(chain.blocks[0].hash),
        is_local=network.name in LOCAL_NETWORKS,
    )


class ApeBackend:
    """ape: ``project`` and ``chain`` are ape's managers (``from ape import project, chain``)."""

    framework = "ape"

    def __init__(self, project: Any, chain: Any) -> None:
        self.project = project
        self.chain = chain

    def contract_type(self, contract: str) -> Any:
        try:
            return getattr(self.project, contract)
        except AttributeError as err:
            raise DeploymentError(f"contract '{contract}' is not in the compiled project") from err

    def has_contract_type(self, contract: str) -> bool:
        try:
            self.contract_type(contract)
        except DeploymentError:
            return False
        return True

    def deploy(self, contract: str, *args: Any, sender: Any) -> Any:
        return sender.deploy(self.contract_type(contract), *args)

    def at(self, contract: str, address: str) -> Any:
        return self.contract_type(contract).at(address)

    def has_code(self, address: str) -> bool:
        return len(self.chain.provider.get_code(address)) > 0

    def creation(self, instance: Any) -> Creation:
        receipt = self.chain.provider.get_receipt(instance.txn_hash)
        return Creation(tx=str(receipt.txn_hash), block=int(receipt.block_number))

    def identity(self) -> ChainIdentity:
        return ape_chain_identity(self.chain, self.chain.provider)
