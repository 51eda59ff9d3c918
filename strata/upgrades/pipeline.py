"""The upgrade pipeline: check → deploy → rehearse → propose → vote → queue → execute → verify → record.

    from strata.upgrades.pipeline import UpgradePipeline, UpgradeSpec

    pipeline = UpgradePipeline.from_record(project, chain, accounts, record, record_file, sender)
    spec = UpgradeSpec("LiquidationEngine", "LiquidationEngineV2", call="initializeV2", args=(bonus, floor))
    outcome = pipeline.run(spec, proposer=voter, voters=[voter], fast_forward=True)     # devchain: all steps
    pipeline.rollback("LiquidationEngine", proposer=voter, voters=[voter])               # back to history[-2]

    # a real network, step by step (each call may be a separate process: the state lives in the record)
    pipeline.propose(pipeline.prepare(spec), proposer)       # check, deploy, rehearse on a fork, propose
    pipeline.advance("LiquidationEngine", sender)            # vote / queue / execute+verify+record when due

Guarantees:

- **A refused upgrade changes nothing.** The safety check runs before anything is deployed; the implementation is
  deployed inside a chain snapshot and rehearsed inside another; a failed rehearsal restores the first snapshot,
  and the record is only written once the rehearsal passed.
- **The record follows the chain.** A new implementation is recorded as soon as it is kept (``<Module>Implementation
  @<version>``); the pending proposal is recorded when proposed (``parameters.pending_upgrades``); the module's
  entry (implementation, version, contract) and its history (with the proposal id) are written once the execution
  is verified. Every write is atomic (:func:`strata.records.save_record`).
- **Rollback is an upgrade.** It proposes ``upgradeToAndCall(history[-2], "")`` with the same check (waiving only
  what undoing an append-only upgrade implies: the functions and trailing fields the newer version added),
  the same rehearsal and the same verification.
"""

from __future__ import annotations

import copy
import re
import time
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from eth_abi import encode as abi_encode
from eth_utils import is_hex, keccak, to_checksum_address

from strata import governance as gov
from strata.chain import implementation_of, is_local_network
from strata.deployer import Deployer
from strata.errors import StrataError
from strata.protocol import load_protocol
from strata.records import ContractEntry, DeploymentRecord, ImplementationEntry, save_record
from strata.upgrades.invariants import InvariantContext, InvariantDiff, capture, implementation_paths
from strata.upgrades.rehearsal import RehearsalError, RehearsalReport, pin_next_timestamp, rehearse

PROJECT_ROOT = Path(__file__).resolve().parents[2]
UPGRADE_SELECTOR = keccak(text="upgradeToAndCall(address,bytes)")[:4]
PENDING_KEY = "pending_upgrades"
# What undoing an append-only upgrade necessarily "breaks": the newer version's functions and trailing fields.
ROLLBACK_WAIVERS: tuple[str, ...] = ("function-removed", "storage-delete")
FINAL_STATES = ("Defeated", "Canceled", "Expired")


class UpgradeError(StrataError):
    """An upgrade step cannot be taken (one line, says why)."""


class UpgradeRefused(UpgradeError):
    """The upgrade is unsafe: the safety check or the rehearsal said no. Nothing was changed."""

    def __init__(self, message: str, *, safety: Any = None, rehearsal: RehearsalReport | None = None) -> None:
        super().__init__(message)
        self.safety = safety
        self.rehearsal = rehearsal


# ------------------------------------------------------------------------------------------------------- model


@dataclass(frozen=True)
class UpgradeSpec:
    """One upgrade as its author declares it.

    ``module``: record name of the proxy (``LiquidationEngine``); ``contract``: the new implementation;
    ``call``/``args``: the reinitializer run by ``upgradeToAndCall`` (none: empty call data); ``allowed_changes``:
    invariant paths (globs) the upgrade says it changes besides its own implementation slot and version;
    ``waive``: safety-check problem kinds to waive (listed in the report, never silently).
    """

    module: str
    contract: str
    call: str | None = None
    args: tuple[Any, ...] = ()
    allowed_changes: tuple[str, ...] = ()
    waive: tuple[str, ...] = ()
    description: str | None = None


@dataclass
class PreparedUpgrade:
    """An upgrade that passed its check and its rehearsal, with its implementation deployed and recorded."""

    module: str
    proxy: str
    contract: str
    version: str
    implementation: str
    calldata: bytes
    rollback: bool
    allowed_changes: tuple[str, ...]
    description: str
    impl_tx: str | None
    impl_block: int | None
    safety: Any = None  # SafetyReport
    rehearsal: RehearsalReport | None = None
    dry_run: bool = False
    seconds: dict[str, float] = field(default_factory=dict)

    def action(self, proxy: Any) -> gov.Action:
        return gov.encode_call(proxy, "upgradeToAndCall", self.implementation, self.calldata)


@dataclass
class PendingUpgrade:
    """A proposed upgrade, as kept in ``record.parameters["pending_upgrades"][module]`` between commands."""

    module: str
    proposal_id: str  # decimal string: uint256 does not survive JSON readers that use doubles
    description: str
    implementation: str
    contract: str
    version: str
    calldata: str  # 0x-hex
    rollback: bool
    allowed_changes: list[str]
    proposer: str
    proposed_block: int
    impl_tx: str | None = None
    impl_block: int | None = None

    @property
    def pid(self) -> int:
        return int(self.proposal_id)

    def proposal(self, proxy_address: str) -> gov.Proposal:
        calldata = UPGRADE_SELECTOR + abi_encode(["address", "bytes"], [self.implementation, bytes.fromhex(self.calldata[2:])])
        action = gov.Action(to_checksum_address(proxy_address), calldata)
        return gov.Proposal((action,), self.description)


@dataclass
class VerifyReport:
    module: str
    implementation: str
    expected_version: str
    slot: str
    version: str | None
    invariants: InvariantDiff
    block: int

    @property
    def problems(self) -> list[str]:
        out = []
        if self.slot.lower() != self.implementation.lower():
            out.append(f"EIP-1967 slot holds {self.slot}, not {self.implementation}")
        if self.version != self.expected_version:
            out.append(f"version() is {self.version!r}, expected {self.expected_version!r}")
        out.extend(f"invariant changed: {c}" for c in self.invariants.violations)
        return out

    @property
    def ok(self) -> bool:
        return not self.problems

    def table(self) -> Any:
        from rich.table import Table

        table = Table(title=f"Verification of {self.module} at block {self.block}: {'OK' if self.ok else 'FAILED'}")
        table.add_column("", no_wrap=True)
        table.add_column("check", no_wrap=True)
        table.add_column("result", overflow="fold")
        mark = lambda ok: "[green]✔[/green]" if ok else "[red]✘[/red]"  # noqa: E731
        table.add_row(mark(self.slot.lower() == self.implementation.lower()), "EIP-1967 slot", self.slot)
        table.add_row(mark(self.version == self.expected_version), "version()", str(self.version))
        table.add_row(mark(self.invariants.ok), "invariants", self.invariants.summary())
        for change in self.invariants.violations[:20]:
            table.add_row(mark(False), "  changed", str(change))
        return table


@dataclass
class StepResult:
    """What :meth:`UpgradePipeline.advance` did and where the proposal stands."""

    module: str
    proposal_id: int
    state: str
    done: list[str] = field(default_factory=list)
    waiting_for: str | None = None
    verification: VerifyReport | None = None

    @property
    def finished(self) -> bool:
        return self.verification is not None


@dataclass
class UpgradeOutcome:
    prepared: PreparedUpgrade
    proposal_id: int
    steps: StepResult
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def verification(self) -> VerifyReport | None:
        return self.steps.verification


# ---------------------------------------------------------------------------------------------- the pipeline


class UpgradePipeline:
    """Upgrades recorded proxies through governance, with the checks of the module doc."""

    def __init__(
        self,
        project: Any,
        chain: Any,
        accounts: Any,
        record: DeploymentRecord,
        record_file: Path | None,
        sender: Any,
        *,
        store: Any = "default",
        log: Callable[[str], None] | None = None,
        rehearse_upgrades: bool = True,
        reference_from_source: bool = False,
    ) -> None:
        self.project = project
        self.chain = chain
        self.accounts = accounts
        self.record = record
        self.record_file = record_file
        self.sender = sender
        self._log = log or (lambda message: None)
        self.rehearse_upgrades = rehearse_upgrades
        # True: when the deployed version's build-info is not kept, compare with the working tree's source (noted in
        # the report). False (default): refuse with the file to create (strata.upgrades.references).
        self.reference_from_source = reference_from_source
        if store == "default":
            from strata.upgrades.buildinfo import BuildInfoStore

            store = BuildInfoStore()
        self.store = store  # None: no kept references (working-tree compiles only), nothing kept

    @classmethod
    def from_deployer(cls, deployer: Deployer, accounts: Any, **kwargs: Any) -> "UpgradePipeline":
        return cls(deployer.project, deployer.chain, accounts, deployer.record, deployer.record_file, deployer.account, **kwargs)

    # -- handles ----------------------------------------------------------------------------------------

    def save(self) -> None:
        if self.record_file is not None:
            save_record(self.record, self.record_file)

    def _deployer(self, record: DeploymentRecord | None = None, record_file: Path | None = None) -> Deployer:
        return Deployer(self.project, self.chain, self.sender, record or self.record, record_file, log=self._log)

    @property
    def protocol(self) -> Any:
        return load_protocol(self._deployer())

    def invariant_context(self) -> InvariantContext:
        return InvariantContext.from_protocol(self.record, self.project, self.chain.provider, self.protocol)

    def proxy_entry(self, module: str) -> ContractEntry:
        entry = self.record.get(module)
        if entry is None:
            wanted = module.lower()
            entry = next(
                (e for e in self.record.proxies() if wanted in (e.name.lower(), (e.module_id or "").lower(), e.contract.lower())),
                None,
            )
        if entry is None:
            known = ", ".join(e.name for e in self.record.proxies())
            raise UpgradeError(f"no proxied module '{module}' in the record (known: {known})")
        if not entry.is_proxy:
            raise UpgradeError(f"'{entry.name}' is not behind a proxy: it cannot be upgraded in place")
        return entry

    def typed(self, entry: ContractEntry) -> Any:
        return self._contract_type(entry.contract).at(entry.address)

    def _contract_type(self, name: str) -> Any:
        try:
            return getattr(self.project, name)
        except AttributeError as err:
            raise UpgradeError(f"contract '{name}' is not in the compiled project (ape compile)") from err

    def _max_rate(self) -> int:
        try:
            return int(self.protocol.pool.MAX_BORROW_RATE())
        except Exception:  # noqa: BLE001 - an older pool: exact comparisons only
            return 0

    # -- 1. check ---------------------------------------------------------------------------------------

    def check(self, entry: ContractEntry, contract: str, *, target: ImplementationEntry | None = None, waive: Iterable[str] = ()) -> tuple[Any, str | None]:
        """The safety check of upgrading ``entry`` to ``contract``; returns ``(SafetyReport, candidate version)``
        (the version read from the source: a ``VERSION`` constant or ``version()`` returning a literal).

        The current implementation is the one the record says is deployed (its contract and version, the last entry
        of its history), compared through its kept build-info (``build-info/<Contract>-<version>.json``), never
        through today's source of that contract. A missing file raises :class:`ReferenceMissing` naming the file and
        the command that keeps it, unless the pipeline was made with ``reference_from_source=True`` (then the working
        tree's source is used and the report says so). ``target``: a rollback's recorded implementation (its kept
        build-info is used when kept, else its working-tree source, noted).
        """
        from strata.upgrades import ContractRef, check_upgrade, compile_build_info
        from strata.upgrades.references import display_path

        notes: list[str] = []
        contract_now, version_now = self._deployed(entry)
        current_ref = self._reference(contract_now, version_now)
        candidate_ref = self._kept(contract, target.version) if target is not None else None
        sources = {source_of(contract)} if candidate_ref is None else set()
        if current_ref is None:
            sources.add(source_of(contract_now))
            notes.append(
                f"no kept build-info for {contract_now} {version_now}: compared with the working tree's "
                f"{contract_now} (keep one: python -m strata.upgrades record {contract_now} {version_now})"
            )
        else:
            notes.append(f"reference: the deployed {contract_now} {version_now}, kept in {display_path(current_ref.load().path)}")
        if target is not None and candidate_ref is None:
            notes.append(f"no kept build-info for {contract} {target.version}: the rollback target compared from the working tree")
        fresh = compile_build_info(sorted(sources)) if sources else None
        current_ref = current_ref or ContractRef(fresh, contract_now)
        candidate_ref = candidate_ref or ContractRef(fresh, contract)
        waived = tuple(waive) + (ROLLBACK_WAIVERS if target is not None else ())
        report = check_upgrade(current_ref, candidate_ref, allow=waived)
        report.notes.extend(notes)
        return report, contract_version(candidate_ref.load(), contract)

    def _deployed(self, entry: ContractEntry) -> tuple[str, str]:
        """Contract and version the record says the proxy runs (its history's last entry, which must agree)."""
        if entry.history:
            last = entry.history[-1]
            if entry.implementation and last.address.lower() != entry.implementation.lower():
                raise UpgradeError(
                    f"the record of {entry.name} is inconsistent: implementation {entry.implementation}, but its history "
                    f"ends with {last.address}"
                )
            return last.contract, last.version
        if not entry.version:
            raise UpgradeError(f"the record of {entry.name} has no version: the deployed code's reference is unknown")
        return entry.contract, entry.version

    def _reference(self, contract: str, version: str) -> Any:
        """The kept build-info of the deployed version, or None (working tree) where that is allowed."""
        from strata.upgrades.references import ReferenceMissing, deployed_reference

        if self.store is None:
            return None
        try:
            return deployed_reference(self.store, contract, version)
        except ReferenceMissing:
            if self.reference_from_source:
                return None
            raise

    def _kept(self, contract: str, version: str) -> Any:
        if self.store is None or not version:
            return None
        from strata.upgrades.errors import BuildInfoError

        try:
            return self.store.ref(contract, version) if version in self.store.versions(contract) else None
        except BuildInfoError:
            return None

    # -- 2/3. deploy and rehearse -------------------------------------------------------------------------

    def prepare(self, spec: UpgradeSpec, *, dry_run: bool = False) -> PreparedUpgrade:
        """Check, deploy the implementation and rehearse. Raises :class:`UpgradeRefused` (nothing changed)."""
        entry = self.proxy_entry(spec.module)
        self._refuse_if_pending(entry.name)
        candidate_type = self._contract_type(spec.contract)
        calldata = encode_call_data(candidate_type, spec.call, spec.args) if spec.call else b""
        seconds: dict[str, float] = {}

        started = time.perf_counter()
        self._log(f"check {entry.name}: {entry.contract} {entry.version} -> {spec.contract}")
        safety, version = self.check(entry, spec.contract, waive=spec.waive)
        seconds["check"] = time.perf_counter() - started
        if not safety.ok:
            raise UpgradeRefused(f"{entry.name} -> {spec.contract} is unsafe: {_first_problem(safety)}", safety=safety)
        if version is None:
            raise UpgradeRefused(f"{spec.contract} declares no VERSION: the pipeline cannot tell what to verify", safety=safety)
        if version == entry.version:
            raise UpgradeRefused(f"{spec.contract} {version} is the version {entry.name} already runs: bump VERSION", safety=safety)

        impl_name = f"{entry.name}Implementation@{version}"
        description = spec.description or self._description("Upgrade", entry, spec.contract, version, spec.call, spec.args)
        return self._deploy_and_rehearse(
            entry, spec.contract, version, impl_name, calldata, spec.allowed_changes, description,
            safety=safety, rollback=False, dry_run=dry_run, seconds=seconds,
        )

    def prepare_rollback(self, module: str, *, dry_run: bool = False) -> PreparedUpgrade:
        """Check and rehearse the return of ``module`` to its previous recorded implementation (``history[-2]``)."""
        entry = self.proxy_entry(module)
        self._refuse_if_pending(entry.name)
        target = previous_implementation(entry)
        if not self._has_code(target.address):
            raise UpgradeError(f"the previous implementation {target.address} of {entry.name} has no code on this chain")
        seconds: dict[str, float] = {}
        started = time.perf_counter()
        self._log(f"check rollback of {entry.name}: {entry.contract} {entry.version} -> {target.contract} {target.version}")
        safety, version = self.check(entry, target.contract, target=target)
        seconds["check"] = time.perf_counter() - started
        if not safety.ok:
            raise UpgradeRefused(f"rollback of {entry.name} to {target.contract} {target.version} is unsafe: {_first_problem(safety)}", safety=safety)
        if version is not None and version != target.version:
            raise UpgradeRefused(f"the source of {target.contract} now says version {version}, the record {target.version}", safety=safety)
        description = self._description("Roll back", entry, target.contract, target.version, None, ())
        return self._deploy_and_rehearse(
            entry, target.contract, target.version, None, b"", (), description,
            safety=safety, rollback=True, dry_run=dry_run, seconds=seconds, existing=target,
        )

    def _deploy_and_rehearse(
        self,
        entry: ContractEntry,
        contract: str,
        version: str,
        impl_name: str | None,
        calldata: bytes,
        allowed: tuple[str, ...],
        description: str,
        *,
        safety: Any,
        rollback: bool,
        dry_run: bool,
        seconds: dict[str, float],
        existing: ImplementationEntry | None = None,
    ) -> PreparedUpgrade:
        chain = self.chain
        outer = self._snapshot()
        if outer is None and dry_run:
            raise UpgradeError(f"provider {chain.provider.name} cannot snapshot: a dry run needs a devchain or a fork")
        if outer is None and self.rehearse_upgrades:
            # Checked before anything is deployed: on such a network a deployment cannot be undone.
            raise UpgradeError(
                f"provider {chain.provider.name} cannot snapshot, so the upgrade cannot be rehearsed here: rehearse it "
                "on a fork first (same command, --dry-run, a -fork network), then pass --rehearsed-on-fork"
            )
        scratch = copy.deepcopy(self.record)
        committed = False
        try:
            started = time.perf_counter()
            if existing is not None:
                implementation, impl_tx, impl_block = existing.address, existing.tx, existing.block
            else:
                assert impl_name is not None
                implementation, impl_tx, impl_block = self._deploy_implementation(scratch, impl_name, contract, version)
            seconds["deploy"] = time.perf_counter() - started
            prepared = PreparedUpgrade(
                module=entry.name, proxy=entry.address, contract=contract, version=version,
                implementation=implementation, calldata=calldata, rollback=rollback, allowed_changes=allowed,
                description=description, impl_tx=impl_tx, impl_block=impl_block, safety=safety, dry_run=dry_run,
                seconds=seconds,
            )
            if self.rehearse_upgrades:
                started = time.perf_counter()
                prepared.rehearsal = self.rehearse(prepared)
                seconds["rehearse"] = time.perf_counter() - started
                if not prepared.rehearsal.ok:
                    raise UpgradeRefused(
                        f"rehearsal of {entry.name} -> {contract} {version} failed: {prepared.rehearsal.problems[0]}",
                        safety=safety, rehearsal=prepared.rehearsal,
                    )
            if dry_run:
                return prepared
            if impl_name is not None and impl_name in scratch.contracts:
                self.record.put(scratch.contracts[impl_name])
                self._keep_build_info(contract, version)
                self.save()
            committed = True
            return prepared
        finally:
            if outer is not None and not committed:
                chain.restore(outer)

    def _deploy_implementation(self, scratch: DeploymentRecord, name: str, contract: str, version: str) -> tuple[str, str | None, int | None]:
        recorded = scratch.get(name)
        if recorded is not None and self._has_code(recorded.address):
            if recorded.contract != contract or not self._same_code(recorded.address, contract):
                raise UpgradeRefused(
                    f"{name} is already deployed at {recorded.address} with other code: a deployed version is "
                    f"immutable, bump {contract}'s VERSION"
                )
            self._log(f"reuse {name} at {recorded.address}")
            return recorded.address, recorded.tx, recorded.block
        self._log(f"deploy {name} ({contract})")
        implementation = self._deployer(scratch).deploy(name, contract)
        seen = _call_version(self.chain.provider, str(implementation.address))
        if seen != version:
            raise UpgradeRefused(f"{contract} deployed with version() {seen!r}, but its source says {version!r}")
        deployed = scratch.require(name)
        return deployed.address, deployed.tx, deployed.block

    def rehearse(self, prepared: PreparedUpgrade) -> RehearsalReport:
        """The rehearsal of ``prepared`` on a snapshot (see :mod:`strata.upgrades.rehearsal`)."""
        protocol = self.protocol
        ctx = InvariantContext.from_protocol(self.record, self.project, self.chain.provider, protocol)
        try:
            return rehearse(
                ctx, prepared.module, prepared.implementation, prepared.calldata,
                expected_version=prepared.version, allowed=prepared.allowed_changes,
                liquidation_engine=protocol.liquidation, flash_module=protocol.flash,
                max_rate_per_second=self._max_rate(),
            )
        except RehearsalError as err:
            raise UpgradeError(str(err)) from err

    # -- 4. propose -------------------------------------------------------------------------------------

    def propose(self, prepared: PreparedUpgrade, proposer: Any) -> int:
        """Submits ``proxy.upgradeToAndCall(implementation, calldata)`` to the Governor; records it as pending."""
        if prepared.dry_run:
            raise UpgradeError("a dry run cannot be proposed: prepare it again without --dry-run")
        entry = self.proxy_entry(prepared.module)
        protocol = self.protocol
        action = prepared.action(self.typed(entry))
        proposal = gov.Proposal.from_actions([action], prepared.description)
        try:
            pid = gov.propose(protocol.governor, proposer, proposal)
        except gov.GovernanceError as err:
            raise UpgradeError(f"cannot propose: {err}") from err
        pending = PendingUpgrade(
            module=entry.name, proposal_id=str(pid), description=prepared.description,
            implementation=prepared.implementation, contract=prepared.contract, version=prepared.version,
            calldata="0x" + prepared.calldata.hex(), rollback=prepared.rollback,
            allowed_changes=list(prepared.allowed_changes), proposer=str(getattr(proposer, "address", proposer)),
            proposed_block=int(self.chain.blocks.head.number), impl_tx=prepared.impl_tx, impl_block=prepared.impl_block,
        )
        self.record.parameters.setdefault(PENDING_KEY, {})[entry.name] = asdict(pending)
        self.save()
        self._log(f"proposed {pid} ({gov.state_name(protocol.governor, pid)})")
        return pid

    def pending(self, module: str) -> PendingUpgrade | None:
        raw = self.record.parameters.get(PENDING_KEY, {}).get(self.proxy_entry(module).name)
        return PendingUpgrade(**raw) if raw else None

    def pending_modules(self) -> list[str]:
        return sorted(self.record.parameters.get(PENDING_KEY, {}))

    def _refuse_if_pending(self, module: str) -> None:
        raw = self.record.parameters.get(PENDING_KEY, {}).get(module)
        if raw:
            raise UpgradeError(
                f"{module} already has a pending upgrade (proposal {_short_pid(int(raw['proposal_id']))}): "
                f"finish it with --continue or cancel it first"
            )

    def _drop_pending(self, module: str) -> None:
        self.record.parameters.get(PENDING_KEY, {}).pop(module, None)
        if not self.record.parameters.get(PENDING_KEY):
            self.record.parameters.pop(PENDING_KEY, None)
        self.save()

    # -- 5. vote, queue, execute --------------------------------------------------------------------------

    def advance(
        self,
        module: str,
        sender: Any,
        *,
        voters: Sequence[Any] = (),
        support: str = "for",
        fast_forward: bool = False,
    ) -> StepResult:
        """Takes every step of the pending upgrade of ``module`` that is due now (all of them with ``fast_forward``).

        Pending: waits for the voting delay. Active: ``voters`` vote (those with weight that have not voted yet),
        then the voting period. Succeeded: queue. Queued: execute once the Timelock delay is over, then verify and
        record. Executed by someone else: verify and record. Defeated, Canceled or Expired: the pending entry is
        dropped and :class:`UpgradeError` says why.
        """
        pending = self.pending(module)
        if pending is None:
            raise UpgradeError(f"no pending upgrade of {module} in the record: propose one first")
        governor = self.protocol.governor
        proposal = pending.proposal(self.proxy_entry(module).address)
        result = StepResult(pending.module, pending.pid, gov.state_name(governor, pending.pid))
        waits = {"fast_forward": fast_forward}
        for _ in range(12):  # each pass moves one state forward; a lifecycle has six
            state = result.state = gov.state_name(governor, pending.pid)
            if state == "Pending":
                opens = int(governor.proposalSnapshot(pending.pid))
                if not fast_forward:
                    result.waiting_for = f"voting opens after block {opens} (now {int(self.chain.blocks.head.number)})"
                    return result
                gov.advance_to_block(opens, **waits)
            elif state == "Active":
                for voter in voters:
                    if self._vote(governor, voter, pending.pid, support):
                        result.done.append(f"{_addr(voter)} voted {support}")
                deadline = int(governor.proposalDeadline(pending.pid))
                if not fast_forward:
                    result.waiting_for = f"voting ends at block {deadline} (now {int(self.chain.blocks.head.number)})"
                    return result
                gov.advance_to_block(deadline, **waits)
            elif state == "Succeeded":
                eta = gov.queue(governor, sender, proposal)
                result.done.append(f"queued (executable from {_utc(eta)})")
            elif state == "Queued":
                eta = int(governor.proposalEta(pending.pid))
                if int(self.chain.pending_timestamp) < eta:
                    if not fast_forward:
                        result.waiting_for = f"the Timelock delay: executable from {_utc(eta)}"
                        return result
                    gov.advance_to_timestamp(eta, **waits)
                receipt = self._execute(governor, sender, proposal)
                result.done.append(f"executed in block {receipt.block_number}")
                result.verification = self._verify_and_record(pending, int(receipt.block_number))
                result.state = gov.state_name(governor, pending.pid)
                return result
            elif state == "Executed":
                block = self._execution_block(governor, pending)
                result.done.append(f"found executed in block {block}")
                result.verification = self._verify_and_record(pending, block)
                return result
            elif state in FINAL_STATES:
                self._drop_pending(pending.module)
                raise UpgradeError(f"proposal {_short_pid(pending.pid)} is {state}: the upgrade of {pending.module} will not happen (pending entry dropped)")
        raise UpgradeError(f"proposal {_short_pid(pending.pid)} did not move past {result.state}")

    def _vote(self, governor: Any, voter: Any, pid: int, support: str) -> bool:
        address = _addr(voter)
        if governor.hasVoted(pid, address):
            return False
        snapshot = int(governor.proposalSnapshot(pid))
        if int(governor.getVotes(address, snapshot, block_id="pending")) == 0:
            return False
        gov.vote(governor, voter, pid, support)
        return True

    def _execute(self, governor: Any, sender: Any, proposal: gov.Proposal) -> Any:
        # Devchains: the execution block gets its parent's timestamp, so that verification compares the
        # invariants exactly (no interest accrues between the two blocks). Elsewhere the tolerance applies.
        if is_local_network(self.chain.provider):
            pin_next_timestamp(self.chain, int(self.chain.blocks.head.timestamp))
        try:
            return gov.execute(governor, sender, proposal)
        except gov.GovernanceError as err:
            raise UpgradeError(f"execution failed: {err}") from err

    def _execution_block(self, governor: Any, pending: PendingUpgrade) -> int:
        for log in governor.ProposalExecuted.range(pending.proposed_block, int(self.chain.blocks.head.number) + 1):
            if int(log.proposalId) == pending.pid:
                return int(log.block_number)
        raise UpgradeError(f"proposal {_short_pid(pending.pid)} is Executed but its ProposalExecuted event was not found")

    # -- 6/7. verify and record ---------------------------------------------------------------------------

    def verify(self, pending: PendingUpgrade, block: int) -> VerifyReport:
        """Slot, version and invariants: the block before the execution against the execution block."""
        entry = self.proxy_entry(pending.module)
        ctx = self.invariant_context()
        before = capture(ctx, block - 1)
        after = capture(ctx, block)
        allowed = (*implementation_paths(entry.name), *pending.allowed_changes)
        return VerifyReport(
            module=entry.name,
            implementation=pending.implementation,
            expected_version=pending.version,
            slot=after.values[f"proxy.{entry.name}.implementation"],
            version=after.values[f"proxy.{entry.name}.version"],
            invariants=before.diff(after, allowed, max_rate_per_second=self._max_rate()),
            block=block,
        )

    def _verify_and_record(self, pending: PendingUpgrade, block: int) -> VerifyReport:
        report = self.verify(pending, block)
        # The chain moved whatever the verification says: the record must describe it.
        self.record_upgrade(pending, on_chain=report.slot)
        if not report.ok:
            raise UpgradeError(
                f"{pending.module} was upgraded in block {block} but verification failed: {report.problems[0]} "
                f"(roll back: ape run upgrade {pending.module} --rollback)"
            )
        return report

    def record_upgrade(self, pending: PendingUpgrade, *, on_chain: str | None = None) -> ContractEntry:
        """Appends the executed upgrade to the module's history and makes it current; drops the pending entry."""
        entry = self.proxy_entry(pending.module)
        implementation = on_chain or implementation_of(self.chain.provider, entry.address)
        if implementation.lower() != pending.implementation.lower():
            raise UpgradeError(f"{entry.name}'s slot holds {implementation}, not the proposed {pending.implementation}: not recorded")
        entry.implementation = pending.implementation
        entry.version = pending.version
        entry.contract = pending.contract
        entry.history.append(
            ImplementationEntry(
                address=pending.implementation, contract=pending.contract, version=pending.version,
                tx=pending.impl_tx, block=pending.impl_block, proposal_id=pending.pid,
                build_info=self._kept_file(pending.contract, pending.version),
            )
        )
        self.record.parameters.get(PENDING_KEY, {}).pop(entry.name, None)
        if not self.record.parameters.get(PENDING_KEY):
            self.record.parameters.pop(PENDING_KEY, None)
        self.save()
        return entry

    # -- whole runs -------------------------------------------------------------------------------------

    def run(self, spec: UpgradeSpec, proposer: Any, voters: Sequence[Any] = (), *, fast_forward: bool = True, executor: Any = None) -> UpgradeOutcome:
        prepared = self.prepare(spec)
        return self._govern(prepared, proposer, voters, fast_forward, executor)

    def rollback(self, module: str, proposer: Any, voters: Sequence[Any] = (), *, fast_forward: bool = True, executor: Any = None) -> UpgradeOutcome:
        prepared = self.prepare_rollback(module)
        return self._govern(prepared, proposer, voters, fast_forward, executor)

    def _govern(self, prepared: PreparedUpgrade, proposer: Any, voters: Sequence[Any], fast_forward: bool, executor: Any) -> UpgradeOutcome:
        seconds = dict(prepared.seconds)
        started = time.perf_counter()
        pid = self.propose(prepared, proposer)
        steps = self.advance(prepared.module, executor or proposer, voters=voters, fast_forward=fast_forward)
        seconds["govern+verify"] = time.perf_counter() - started
        return UpgradeOutcome(prepared, pid, steps, seconds)

    # -- helpers ----------------------------------------------------------------------------------------

    def _snapshot(self) -> Any:
        try:
            return self.chain.snapshot()
        except NotImplementedError:
            return None

    def _has_code(self, address: str) -> bool:
        return len(self.chain.provider.get_code(address)) > 0

    def _same_code(self, address: str, contract: str) -> bool:
        runtime = self._contract_type(contract).contract_type.runtime_bytecode
        expected = bytes.fromhex((runtime.bytecode or "0x")[2:]) if runtime else b""
        return bytes(self.chain.provider.get_code(address)) == expected

    def _kept_file(self, contract: str, version: str) -> str | None:
        if self.store is None:
            return None
        from strata.upgrades.references import kept_file

        return kept_file(contract, version, self.store)

    def _keep_build_info(self, contract: str, version: str) -> None:
        """Keeps the new implementation's build-info: the reference of its next upgrade (and of its rollback)."""
        if self.store is None:
            return
        from strata.upgrades import compile_build_info
        from strata.upgrades.errors import BuildInfoError

        try:
            self.store.save(contract, version, compile_build_info([source_of(contract)]))
        except BuildInfoError as err:
            self._log(f"build-info of {contract} {version} not kept: {err}")

    def _description(self, verb: str, entry: ContractEntry, contract: str, version: str, call: str | None, args: Sequence[Any]) -> str:
        shown_call = f"{call}({', '.join(str(a) for a in args)})" if call else "none"
        # The history length makes each proposal unique: V1 -> V2 -> V1 -> V2 proposes the same actions twice.
        return (
            f"{verb} {entry.name} to {contract} {version}\n\n"
            f"proxy {entry.address}; from {entry.contract} {entry.version}; initializer call: {shown_call}\n"
            f"[strata-upgrade {entry.name} #{len(entry.history)}]"
        )


# ----------------------------------------------------------------------------------------- devchain actors


def devchain_actors(accounts: Any, token: Any, governor: Any) -> tuple[Any, list[Any]]:
    """On a devchain: the first test account able to propose, and every test account with voting power."""
    threshold = int(governor.proposalThreshold())
    powered = [(a, int(token.getVotes(a.address))) for a in accounts.test_accounts]
    voters = [a for a, votes in powered if votes > 0]
    proposer = next((a for a, votes in powered if votes >= threshold), None)
    if proposer is None:
        raise UpgradeError(
            "no test account has the votes to propose (every STRATA sits in the Timelock after `ape run deploy`): "
            "deploy with `ape run demo`, or pass --proposer/--voter accounts that hold delegated STRATA"
        )
    return proposer, voters


# ------------------------------------------------------------------------------------ status: the proposals


@dataclass(frozen=True)
class UpgradeProposal:
    proposal_id: int
    module: str
    proxy: str
    implementation: str
    contract: str
    state: str
    title: str
    eta: int


def upgrade_proposals(governor: Any, record: DeploymentRecord, *, from_block: int | None = None, states: Iterable[str] | None = None) -> list[UpgradeProposal]:
    """The Governor's proposals that call ``upgradeToAndCall`` on a recorded proxy, with their state.

    ``states``: keep only these (default: all).
    """
    from ape import chain
    from eth_abi import decode

    proxies = {e.address.lower(): e for e in record.proxies()}
    implementations: dict[str, str] = {}
    for entry in record.proxies():
        for impl in entry.history:
            implementations[impl.address.lower()] = f"{impl.contract} {impl.version}"
    for entry in record.contracts.values():
        if "Implementation" in entry.name and not entry.is_proxy:
            # Implementations deployed by the pipeline are named <Module>Implementation@<version>.
            version = entry.name.partition("@")[2]
            implementations.setdefault(entry.address.lower(), f"{entry.contract} {version}".strip())
    governor_entry = next((e for e in record.contracts.values() if e.address.lower() == str(governor.address).lower()), None)
    start = from_block if from_block is not None else int((governor_entry.block if governor_entry else 0) or 0)
    wanted = set(states) if states is not None else None
    found = []
    for log in governor.ProposalCreated.range(start, int(chain.blocks.head.number) + 1):
        for target, calldata in zip(log.targets, log.calldatas):
            data = bytes(calldata)
            entry = proxies.get(str(target).lower())
            if entry is None or data[:4] != UPGRADE_SELECTOR:
                continue
            implementation = to_checksum_address(decode(["address", "bytes"], data[4:])[0])
            pid = int(log.proposalId)
            state = gov.state_name(governor, pid)
            if wanted is not None and state not in wanted:
                continue
            found.append(
                UpgradeProposal(
                    proposal_id=pid, module=entry.name, proxy=entry.address, implementation=implementation,
                    contract=implementations.get(implementation.lower(), "?"), state=state,
                    title=str(log.description).splitlines()[0] if log.description else "", eta=int(governor.proposalEta(pid)),
                )
            )
    return found


# ---------------------------------------------------------------------------------------- source and ABI


_DECLARATION = r"^\s*(?:abstract\s+)?contract\s+{name}\b"


def source_of(contract: str, root: Path = PROJECT_ROOT) -> str:
    """The project file (under contracts/) that declares ``contract``."""
    pattern = re.compile(_DECLARATION.format(name=re.escape(contract)), re.M)
    found = [
        p.relative_to(root).as_posix()
        for p in sorted((root / "contracts").rglob("*.sol"))
        if not any(part.startswith(".") for part in p.relative_to(root).parts) and pattern.search(p.read_text())
    ]
    if len(found) != 1:
        raise UpgradeError(f"{contract} is declared in {', '.join(found) if found else 'no file under contracts/'}")
    return found[0]


def contract_version(bi: Any, contract: str) -> str | None:
    """The version ``contract`` declares, from the AST: the string literal of a ``VERSION`` constant, else the
    literal a ``version()`` function returns (declared in the contract or inherited)."""
    node = bi.contract_node(bi.find(contract))
    bases = [bi.nodes.get(i, node) for i in node.get("linearizedBaseContracts", [node.get("id")])]
    for base in bases:
        for member in base.get("nodes", []):
            if member.get("nodeType") == "VariableDeclaration" and member.get("name") == "VERSION" and member.get("constant"):
                if (literal := _string_literal(member.get("value"))) is not None:
                    return literal
    for base in bases:
        for member in base.get("nodes", []):
            if member.get("nodeType") == "FunctionDefinition" and member.get("name") == "version":
                statements = (member.get("body") or {}).get("statements", [])
                if len(statements) == 1 and statements[0].get("nodeType") == "Return":
                    returned = statements[0].get("expression") or {}
                    literal = _string_literal(returned)
                    if literal is None and returned.get("nodeType") == "Identifier":
                        declaration = bi.nodes.get(returned.get("referencedDeclaration"), {})
                        literal = _string_literal(declaration.get("value")) if declaration.get("constant") else None
                    if literal is not None:
                        return literal
    return None


def _string_literal(node: Any) -> str | None:
    if isinstance(node, dict) and node.get("nodeType") == "Literal" and node.get("kind") == "string":
        return str(node.get("value"))
    return None


def encode_call_data(contract_container: Any, function: str, args: Sequence[Any]) -> bytes:
    """``abi.encodeWithSignature`` of ``function(args)`` with ``contract_container``'s ABI; strings are converted
    to the ABI types (``1e16`` and ``0x…`` accepted for numbers, ``true``/``false`` for bools)."""
    contract_type = getattr(contract_container, "contract_type", contract_container)
    candidates = [m for m in contract_type.mutable_methods if m.name == function and len(m.inputs) == len(args)]
    if not candidates:
        arities = sorted({len(m.inputs) for m in contract_type.mutable_methods if m.name == function})
        if arities:
            raise UpgradeError(f"{contract_type.name}.{function} takes {' or '.join(map(str, arities))} argument(s), got {len(args)}")
        raise UpgradeError(f"{contract_type.name} has no function {function!r}")
    method = candidates[0]
    types = [_abi_type(i) for i in method.inputs]
    try:
        values = [_convert(t, a) for t, a in zip(types, args)]
        return keccak(text=f"{function}({','.join(types)})")[:4] + abi_encode(types, values)
    except (ValueError, TypeError, ArithmeticError) as err:
        raise UpgradeError(f"cannot encode {function}({', '.join(map(str, args))}) as ({', '.join(types)}): {err}") from err


def _abi_type(abi_input: Any) -> str:
    canonical = getattr(abi_input, "canonical_type", None)
    return canonical if isinstance(canonical, str) else str(abi_input.type)


def _convert(abi_type: str, value: Any) -> Any:
    if not isinstance(value, str):
        return str(value.address) if hasattr(value, "address") else value
    text = value.strip().replace("_", "")
    if abi_type.startswith(("uint", "int")):
        if text.lower().startswith("0x"):
            return int(text, 16)
        number = Decimal(text)
        if number != number.to_integral_value():
            raise ValueError(f"{value!r} is not an integer")
        return int(number)
    if abi_type == "address":
        return to_checksum_address(text)
    if abi_type == "bool":
        if text.lower() in ("true", "1", "yes"):
            return True
        if text.lower() in ("false", "0", "no"):
            return False
        raise ValueError(f"{value!r} is not a bool")
    if abi_type.startswith("bytes"):
        if not is_hex(text):
            raise ValueError(f"{value!r} is not hex")
        return bytes.fromhex(text[2:] if text.lower().startswith("0x") else text)
    if abi_type == "string":
        return value
    raise ValueError(f"arguments of type {abi_type} cannot be given on the command line")


# ------------------------------------------------------------------------------------------------- misc


def previous_implementation(entry: ContractEntry) -> ImplementationEntry:
    if len(entry.history) < 2:
        raise UpgradeError(f"{entry.name} has a single recorded implementation: there is nothing to roll back to")
    return entry.history[-2]


def _call_version(provider: Any, address: str) -> str | None:
    from eth_abi import decode

    try:
        raw = provider.web3.eth.call({"to": address, "data": "0x" + keccak(text="version()")[:4].hex()})
        return str(decode(["string"], bytes(raw))[0])
    except Exception:  # noqa: BLE001
        return None


def _first_problem(report: Any) -> str:
    errors = getattr(report, "errors", [])
    if not errors:
        return "unsafe"
    first = errors[0]
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{first.kind}: {first.subject}{more}"


def _addr(x: Any) -> str:
    return str(getattr(x, "address", x))


def _short_pid(pid: int) -> str:
    text = str(pid)
    return text if len(text) <= 14 else f"{text[:6]}…{text[-6:]}"


def _utc(timestamp: int) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(int(timestamp), tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


# ------------------------------------------------------------------------------------- command-line glue


def open_pipeline(provider: Any, record_file: Path | None, account_alias: str | None, *, store_dir: Path | None = None, log: Callable[[str], None] | None = None) -> UpgradePipeline:
    """The pipeline over the record of the connected network (what ``ape run upgrade`` and the migrations use)."""
    from ape import accounts, chain, project

    from strata.cli import default_record_file, resolve_sender
    from strata.deployer import chain_identity
    from strata.errors import RecordError
    from strata.records import load_record
    from strata.upgrades.buildinfo import BuildInfoStore

    record_file = record_file or default_record_file(provider)
    record = load_record(record_file)
    identity = chain_identity(chain, provider)
    if (record.chain_id, record.genesis_hash) != (identity.chain_id, identity.genesis_hash):
        raise RecordError(f"{record_file} was written for another chain (chain id {record.chain_id}); redeploy or pick --record")
    sender = resolve_sender(accounts, provider, account_alias)
    store = BuildInfoStore(store_dir) if store_dir is not None else BuildInfoStore()
    return UpgradePipeline(project, chain, accounts, record, record_file, sender, store=store, log=log)


def governance_actors(pipeline: UpgradePipeline, provider: Any, proposer_alias: str | None, voter_aliases: Sequence[str]) -> tuple[Any, list[Any]]:
    """Proposer and voters: the named accounts; on a devchain, by default, the test accounts holding votes;
    elsewhere, by default, the sending account."""
    from ape import accounts

    def load(alias: str) -> Any:
        try:
            return accounts.load(alias)
        except Exception as err:
            raise UpgradeError(f"no account with alias '{alias}' (see `ape accounts list`)") from err

    named_voters = [load(a) for a in voter_aliases]
    if is_local_network(provider):
        protocol = pipeline.protocol
        if proposer_alias is None or not named_voters:
            default_proposer, default_voters = devchain_actors(accounts, protocol.token, protocol.governor)
        return (load(proposer_alias) if proposer_alias else default_proposer), (named_voters or default_voters)
    return (load(proposer_alias) if proposer_alias else pipeline.sender), (named_voters or [pipeline.sender])


def print_refusal(console: Any, err: UpgradeRefused) -> None:
    """The readable refusal: the safety report's table and, if it ran, the rehearsal's."""
    if err.safety is not None:
        console.print(err.safety.table())
        for note in getattr(err.safety, "notes", []):
            console.print(f"[dim]note: {note}[/dim]")
    if err.rehearsal is not None:
        console.print(err.rehearsal.table())
        if err.rehearsal.invariants is not None and err.rehearsal.invariants.violations:
            console.print(err.rehearsal.invariants.table("Invariant changes the upgrade did not declare"))


def print_prepared(console: Any, prepared: PreparedUpgrade) -> None:
    if prepared.safety is not None:
        console.print(prepared.safety.table())
        for note in getattr(prepared.safety, "notes", []):
            console.print(f"[dim]note: {note}[/dim]")
    if prepared.rehearsal is not None:
        console.print(prepared.rehearsal.table())
    console.print(f"implementation {prepared.contract} {prepared.version} at {prepared.implementation}")


def print_steps(console: Any, steps: StepResult) -> None:
    for line in steps.done:
        console.print(f"  {line}")
    if steps.verification is not None:
        console.print(steps.verification.table())
        console.print(f"{steps.module} now runs {steps.verification.expected_version} ({steps.verification.implementation}); recorded")
    elif steps.waiting_for:
        console.print(
            f"proposal {steps.proposal_id} is {steps.state}: waiting for {steps.waiting_for}.\n"
            f"Run `ape run upgrade {steps.module} --continue` again then."
        )
