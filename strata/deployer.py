"""An idempotent deployer: each contract deployed at most once per chain, recorded as soon as it exists.

Every step first asks the record (and the chain) whether it is already done. A deploy interrupted at any
point and rerun continues where it stopped: contracts already recorded with code on the chain are reused,
configuration calls are re-issued only when the chain shows they did not happen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from strata.backend import LOCAL_NETWORKS, ApeBackend, ChainBackend, ChainIdentity, ape_chain_identity
from strata.errors import DeploymentError, RecordError
from strata.records import (
    ContractEntry,
    DeploymentRecord,
    ImplementationEntry,
    load_record,
    save_record,
)

__all__ = [
    "LOCAL_NETWORKS",
    "ChainIdentity",
    "Deployer",
    "SimulatedCrash",
    "chain_identity",
    "open_record",
]


class SimulatedCrash(DeploymentError):
    """Raised by ``Deployer`` when its step budget runs out (tests use it to kill a deploy midway)."""


def chain_identity(chain: Any, provider: Any) -> ChainIdentity:
    """The identity of the chain ape is connected to (other frameworks: ``ChainBackend.identity()``)."""
    return ape_chain_identity(chain, provider)


def open_record(identity: ChainIdentity, path: Path | None) -> DeploymentRecord:
    """The record for this chain: the existing one if it describes this very chain, else a new one.

    A local devchain restarts empty, so a record of an earlier devchain is replaced; on any other network a
    record of a different chain is an error (the file would be clobbered otherwise). ``path=None`` keeps
    the record in memory only (the test suite).
    """
    if path is not None and Path(path).exists():
        record = load_record(path)
        same_chain = record.chain_id == identity.chain_id and record.genesis_hash == identity.genesis_hash
        if same_chain:
            return record
        if not identity.is_local:
            raise RecordError(
                f"{path} describes chain {record.chain_id} (genesis {record.genesis_hash[:10]}…), "
                f"not the connected chain {identity.chain_id}; move it away or pick another --record"
            )
    return DeploymentRecord(network=identity.network, chain_id=identity.chain_id, genesis_hash=identity.genesis_hash)


class Deployer:
    """Deploys and configures contracts from one account, recording each step in a deployment record.

    The chain is reached through a ``ChainBackend`` (``strata.backend``): ``Deployer(project, chain, ...)`` with
    ape's managers, or ``Deployer.on(backend, ...)`` with any backend (brownie: ``strata.brownie_backend``).
    """

    def __init__(
        self,
        project: Any,
        chain: Any,
        account: Any,
        record: DeploymentRecord,
        record_file: Path | None,
        log: Callable[[str], None] | None = None,
        step_budget: int | None = None,
        backend: ChainBackend | None = None,
    ) -> None:
        self.project = project
        self.chain = chain
        self.backend: ChainBackend = backend if backend is not None else ApeBackend(project, chain)
        self.account = account
        self.record = record
        self.record_file = record_file
        self._log = log or (lambda message: None)
        self._step_budget = step_budget
        # Steps that sent something: a deployment or a configuration step (which may take several txs).
        self.steps_taken = 0

    @classmethod
    def on(
        cls,
        backend: ChainBackend,
        account: Any,
        record: DeploymentRecord,
        record_file: Path | None,
        log: Callable[[str], None] | None = None,
        step_budget: int | None = None,
    ) -> "Deployer":
        """A deployer over any ``ChainBackend`` (``project``/``chain`` are then the backend's, if it has them)."""
        return cls(
            getattr(backend, "project", None),
            getattr(backend, "chain", None),
            account,
            record,
            record_file,
            log=log,
            step_budget=step_budget,
            backend=backend,
        )

    # -- bookkeeping -------------------------------------------------------------------------------------

    def save(self) -> None:
        if self.record_file is not None:
            save_record(self.record, self.record_file)

    def _take_step(self) -> None:
        if self._step_budget is not None and self.steps_taken >= self._step_budget:
            raise SimulatedCrash(f"deploy stopped after {self.steps_taken} steps (simulated crash)")
        self.steps_taken += 1

    def _has_code(self, address: str) -> bool:
        return self.backend.has_code(address)

    def _require_contract(self, contract: str) -> None:
        if not self.backend.has_contract_type(contract):
            raise DeploymentError(f"contract '{contract}' is not in the compiled project")

    def at(self, name: str) -> Any:
        """The recorded contract ``name`` as a contract handle (proxies typed as their implementation)."""
        entry = self.record.require(name)
        return self.backend.at(entry.contract, entry.address)

    # -- steps -------------------------------------------------------------------------------------------

    def deploy(self, name: str, contract: str, *args: Any, module_id: str | None = None) -> Any:
        """Deploys ``contract`` once under ``name``; returns the recorded instance on a rerun."""
        entry = self.record.get(name)
        self._require_contract(contract)
        if entry is not None and self._has_code(entry.address):
            return self.backend.at(contract, entry.address)
        self._take_step()
        self._log(f"deploy {name} ({contract})")
        instance = self.backend.deploy(contract, *args, sender=self.account)
        receipt = self.backend.creation(instance)
        self.record.put(
            ContractEntry(
                name=name,
                contract=contract,
                address=str(instance.address),
                tx=receipt.tx,
                block=receipt.block,
                module_id=module_id,
            )
        )
        self.save()
        return instance

    def deploy_proxy(
        self,
        name: str,
        implementation_contract: str,
        initializer: str,
        init_args: tuple[Any, ...],
        module_id: str | None = None,
        proxy_contract: str = "ModuleProxy",
    ) -> Any:
        """Deploys ``implementation_contract`` and an ERC-1967 proxy over it, initialised in the same tx.

        Both are recorded; on a rerun each part that exists is reused (an implementation deployed just
        before a crash is not deployed again).
        """
        impl_name = f"{name}Implementation"
        implementation = self.deploy(impl_name, implementation_contract)
        entry = self.record.get(name)
        if entry is not None and self._has_code(entry.address):
            return self.backend.at(implementation_contract, entry.address)
        self._require_contract(proxy_contract)
        init_data = getattr(implementation, initializer).encode_input(*init_args)
        self._take_step()
        self._log(f"deploy {name} proxy over {implementation_contract}")
        proxy = self.backend.deploy(proxy_contract, implementation.address, init_data, sender=self.account)
        receipt = self.backend.creation(proxy)
        module = self.backend.at(implementation_contract, proxy.address)
        version = str(module.version())
        impl_entry = self.record.require(impl_name)
        self.record.put(
            ContractEntry(
                name=name,
                contract=implementation_contract,
                address=str(proxy.address),
                tx=receipt.tx,
                block=receipt.block,
                module_id=module_id,
                implementation=str(implementation.address),
                version=version,
                history=[
                    ImplementationEntry(
                        address=str(implementation.address),
                        contract=implementation_contract,
                        version=version,
                        tx=impl_entry.tx,
                        block=impl_entry.block,
                        build_info=self._kept_build_info(implementation_contract, version),
                    )
                ],
            )
        )
        self.save()
        return module

    def _kept_build_info(self, contract: str, version: str) -> str | None:
        """The kept build-info of what was just deployed (the reference of its first upgrade), named in the record."""
        from strata.upgrades.references import kept_file, record_hint

        kept = kept_file(contract, version)
        if kept is None:
            self._log(f"no kept build-info for {contract} {version}: its first upgrade cannot be checked until `{record_hint(contract, version)}`")
        return kept

    def ensure(self, step: str, is_done: Callable[[], bool], action: Callable[[], Any]) -> bool:
        """Runs ``action`` (one transaction) unless ``is_done()`` says the chain already shows its effect.

        Returns True when the action was sent.
        """
        if is_done():
            return False
        self._take_step()
        self._log(step)
        action()
        if not is_done():
            raise DeploymentError(f"step '{step}' was sent but the chain does not show its effect")
        return True
