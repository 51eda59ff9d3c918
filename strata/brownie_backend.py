"""eth-brownie behind strata's ``ChainBackend``: the same deployer and deployment plan as ape, on brownie.

Used from brownie's own venv (``.venv-brownie``, which has no ape): ``brownie run deploy`` and the brownie
smoke tests (``tests_brownie/``). Brownie is imported lazily so that this module can be imported (and its pure
parts tested) anywhere.

Contract handles are ``BrownieContract`` wrappers that speak strata's calling convention (ape's:
``c.fn(*args, sender=account)``, ``c.fn.encode_input(*args)``, struct fields as attributes) over brownie's
``c.fn(*args, {"from": account})``; brownie's own convention passes straight through, and ``.native`` is the
brownie object itself.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Callable

from strata.backend import ChainIdentity, Creation, hex_text
from strata.errors import DeploymentError

# Devchain roles, the same test accounts (same mnemonic) that `ape run deploy` uses.
DEPLOYER_INDEX = 0
GUARDIAN_INDEX = 1
VOTER_INDEX = 7
VOTER_STAKE = 5_000_000  # whole STRATA: 5% of the supply, above the 4% quorum


# --------------------------------------------------------------------------------------------------------------
# Contract handles
# --------------------------------------------------------------------------------------------------------------


class StructValue(tuple):
    """A returned struct: a tuple whose named fields are also attributes (``oracle.getFeed(t).feed``)."""

    _fields: dict[str, Any]

    def __new__(cls, values: tuple, fields: dict[str, Any]) -> "StructValue":
        self = tuple.__new__(cls, values)
        self._fields = fields
        return self

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_fields"][name]
        except KeyError:
            raise AttributeError(name) from None


def _unwrap(value: Any) -> Any:
    """Arguments for brownie: handles become addresses, containers are unwrapped recursively."""
    if isinstance(value, BrownieContract):
        return value.address
    if isinstance(value, list):
        return [_unwrap(v) for v in value]
    if isinstance(value, tuple) and not isinstance(value, StructValue):
        return tuple(_unwrap(v) for v in value)
    return value


def _wrap_result(value: Any) -> Any:
    fields = getattr(value, "_dict", None)
    if isinstance(value, tuple) and fields and all(not k.startswith("arg[") for k in fields):
        return StructValue(tuple(_wrap_result(v) for v in value), {k: _wrap_result(v) for k, v in fields.items()})
    return value


class BrownieMethod:
    """One contract function, callable both ways: ``fn(*args, sender=a)`` and ``fn(*args, {"from": a})``."""

    def __init__(self, native: Any) -> None:
        self.native = native

    def __call__(self, *args: Any, sender: Any = None, value: int = 0, **txn: Any) -> Any:
        if args and isinstance(args[-1], dict):  # brownie's own transaction dict
            return _wrap_result(self.native(*_unwrap(args[:-1]), args[-1]))
        if sender is None and not value and not txn:
            return _wrap_result(self.native(*_unwrap(args)))
        tx: dict[str, Any] = {"from": sender} if sender is not None else {}
        if value:
            tx["value"] = value
        for key, val in txn.items():
            tx["gas" if key == "gas_limit" else key] = val
        return self.native(*_unwrap(args), tx)

    def encode_input(self, *args: Any) -> bytes:
        return bytes.fromhex(self.native.encode_input(*_unwrap(args)).removeprefix("0x"))

    def call(self, *args: Any, sender: Any = None) -> Any:
        tx = {"from": sender} if sender is not None else {}
        return _wrap_result(self.native.call(*_unwrap(args), tx))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.native, name)


class BrownieContract:
    """A brownie contract in strata's calling convention (see the module docstring)."""

    def __init__(self, native: Any) -> None:
        self.native = native

    @property
    def address(self) -> str:
        return str(self.native.address)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        attr = getattr(self.native, name)
        return BrownieMethod(attr) if hasattr(attr, "encode_input") else attr

    def __eq__(self, other: Any) -> bool:
        return self.address == getattr(other, "address", other)

    def __hash__(self) -> int:
        return hash(self.address)

    def __str__(self) -> str:
        return self.address

    def __repr__(self) -> str:
        return f"<BrownieContract {self.native._name} at {self.address}>"


def native(handle: Any) -> Any:
    """The brownie object behind a handle (or the object itself)."""
    return handle.native if isinstance(handle, BrownieContract) else handle


# --------------------------------------------------------------------------------------------------------------
# Backend
# --------------------------------------------------------------------------------------------------------------


class BrownieBackend:
    """``ChainBackend`` over brownie's loaded project and connected network."""

    framework = "brownie"

    def __init__(self, project: Any = None) -> None:
        if project is None:
            import brownie

            loaded = brownie.project.get_loaded_projects()
            if not loaded:
                raise DeploymentError("no brownie project is loaded (run inside `brownie run` / `brownie test`)")
            project = loaded[0]
        self.project = project

    def _container(self, contract: str) -> Any:
        try:
            return self.project[contract]
        except KeyError as err:
            raise DeploymentError(f"contract '{contract}' is not in the compiled project") from err

    def has_contract_type(self, contract: str) -> bool:
        return contract in self.project.keys()

    def deploy(self, contract: str, *args: Any, sender: Any) -> BrownieContract:
        return BrownieContract(self._container(contract).deploy(*_unwrap(args), {"from": sender}))

    def at(self, contract: str, address: str) -> BrownieContract:
        from brownie import Contract
        from brownie.exceptions import ContractExists

        container = self._container(contract)
        try:
            return BrownieContract(container.at(address))
        except ContractExists:
            # Brownie keeps one project contract per address: a proxy deployed as ModuleProxy is typed as its
            # implementation through an ABI-only contract instead.
            return BrownieContract(Contract.from_abi(contract, address, container.abi, persist=False))

    def has_code(self, address: str) -> bool:
        from brownie import web3

        return len(web3.eth.get_code(address)) > 0

    def creation(self, instance: Any) -> Creation:
        receipt = native(instance).tx
        return Creation(tx=hex_text(receipt.txid), block=int(receipt.block_number))

    def identity(self) -> ChainIdentity:
        from brownie import chain, network, web3

        return ChainIdentity(
            network=f"brownie:{network_label()}",
            chain_id=int(chain.id),
            genesis_hash=hex_text(web3.eth.get_block(0)["hash"]),
            is_local=network.is_connected() and _is_development(),
        )


def _is_development() -> bool:
    from brownie._config import CONFIG

    return CONFIG.network_type == "development"


def network_label() -> str:
    """``anvil`` or ``hardhat`` for the devchains brownie launches, else brownie's network id."""
    from brownie import network
    from brownie._config import CONFIG

    cmd = str(CONFIG.active_network.get("cmd") or "")
    for name in ("hardhat", "anvil"):
        if name in cmd:
            return name
    return str(network.show_active())


def default_record_file(directory: Path = Path("deployments")) -> Path:
    """``deployments/local-brownie-<anvil|hardhat>.json`` on a devchain (untracked, like ape's local-*)."""
    from strata.records import record_path

    label = network_label()
    return record_path(f"local-brownie-{label}" if _is_development() else f"brownie-{label}", directory)


# --------------------------------------------------------------------------------------------------------------
# The whole protocol, as `ape run deploy` does it
# --------------------------------------------------------------------------------------------------------------


# ``deploy(record_file=DEFAULT_RECORD)``: deployments/local-brownie-<chain>.json (``None`` keeps it in memory).
DEFAULT_RECORD = Path("<default>")


@dataclasses.dataclass
class BrownieDeployment:
    deployer: Any  # strata.deployer.Deployer
    protocol: Any  # strata.protocol.Protocol of BrownieContract handles
    record_file: Path | None


def deploy(
    record_file: Path | str | None = DEFAULT_RECORD,
    *,
    deployer_account: Any = None,
    guardian: Any = None,
    token_holders: dict[str, int] | None = None,
    log: Callable[[str], None] | None = None,
) -> BrownieDeployment:
    """Deploys (or resumes) Strata on brownie's connected network with ``strata.protocol.deploy_protocol``.

    Devchain defaults mirror ``ape run deploy``: test account 0 deploys, 1 is the guardian, 7 holds 5% of
    STRATA. ``record_file=None`` keeps the record in memory; the default writes
    ``deployments/local-brownie-<chain>.json`` through ``strata.records``.
    """
    from brownie import accounts

    from strata.deployer import Deployer, open_record
    from strata.protocol import ProtocolConfig, deploy_protocol

    backend = BrownieBackend()
    identity = backend.identity()
    if record_file is not None:
        record_file = default_record_file() if Path(record_file) == DEFAULT_RECORD else Path(record_file)
    deployer_account = deployer_account or accounts[DEPLOYER_INDEX]
    guardian_address = str(getattr(guardian, "address", guardian or accounts[GUARDIAN_INDEX].address))
    if token_holders is None:
        token_holders = {accounts[VOTER_INDEX].address: VOTER_STAKE} if identity.is_local else {}
    record = open_record(identity, record_file)
    deployer = Deployer.on(backend, deployer_account, record, record_file, log=log)
    protocol = deploy_protocol(deployer, ProtocolConfig(guardian=guardian_address, token_holders=token_holders))
    return BrownieDeployment(deployer=deployer, protocol=protocol, record_file=record_file)
