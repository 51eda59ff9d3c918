"""Deployment records: ``deployments/<network>.json``, one per network, written atomically.

A record lists every deployed contract (proxy, implementation, version, deploy tx, block) and the history of
each proxy's implementations. It is what upgrades compare against and what the deployer resumes from: a step
whose contract is in the record *and* has code on the chain is never repeated.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from strata.errors import RecordError

RECORD_FORMAT = 1
DEFAULT_DEPLOYMENTS_DIR = Path("deployments")


def utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


@dataclass
class ImplementationEntry:
    """One implementation a proxy has pointed at, oldest first in ``ContractEntry.history``."""

    address: str
    contract: str
    version: str
    tx: str | None
    block: int | None
    recorded_at: str = field(default_factory=utc_now)
    proposal_id: int | None = None
    # The kept build-info of this implementation (``build-info/<Contract>-<version>.json``, relative to the
    # project root): the reference its next upgrade is checked against. None in records written before it was kept.
    build_info: str | None = None


@dataclass
class ContractEntry:
    """A deployed contract. For a proxied module, ``address`` is the proxy and ``implementation`` its logic."""

    name: str
    contract: str
    address: str
    tx: str | None
    block: int | None
    module_id: str | None = None
    implementation: str | None = None
    version: str | None = None
    history: list[ImplementationEntry] = field(default_factory=list)

    @property
    def is_proxy(self) -> bool:
        return self.implementation is not None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ContractEntry":
        history = [ImplementationEntry(**h) for h in data.get("history", [])]
        return cls(**{**data, "history": history})


@dataclass
class DeploymentRecord:
    """Everything Strata knows about its deployment on one network."""

    network: str
    chain_id: int
    genesis_hash: str
    contracts: dict[str, ContractEntry] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)
    completed: bool = False
    updated_at: str = field(default_factory=utc_now)
    format: int = RECORD_FORMAT

    def get(self, name: str) -> ContractEntry | None:
        return self.contracts.get(name)

    def require(self, name: str) -> ContractEntry:
        entry = self.contracts.get(name)
        if entry is None:
            raise RecordError(f"'{name}' is not in the deployment record for network '{self.network}'")
        return entry

    def put(self, entry: ContractEntry) -> None:
        self.contracts[entry.name] = entry

    def proxies(self) -> Iterator[ContractEntry]:
        return (e for e in self.contracts.values() if e.is_proxy)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["contracts"] = {name: asdict(entry) for name, entry in self.contracts.items()}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "DeploymentRecord":
        if data.get("format") != RECORD_FORMAT:
            raise RecordError(f"unsupported deployment record format {data.get('format')!r}")
        contracts = {name: ContractEntry.from_json(c) for name, c in data.get("contracts", {}).items()}
        return cls(**{**data, "contracts": contracts})


def record_path(network: str, directory: Path = DEFAULT_DEPLOYMENTS_DIR) -> Path:
    """``deployments/<network>.json``; the network name is sanitised to a file name."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in network)
    return Path(directory) / f"{safe}.json"


def load_record(path: Path) -> DeploymentRecord:
    """Reads a record; raises ``RecordError`` with one readable line when it is missing or unreadable."""
    path = Path(path)
    if not path.exists():
        raise RecordError(f"no deployment record at {path}: deploy first (make demo / ape run deploy)")
    try:
        return DeploymentRecord.from_json(json.loads(path.read_text()))
    except (json.JSONDecodeError, TypeError, KeyError) as err:
        raise RecordError(f"deployment record {path} is unreadable: {err}") from err


def save_record(record: DeploymentRecord, path: Path) -> None:
    """Writes the record atomically: a temp file in the same folder, fsynced, then renamed over the old one.

    A crash at any moment leaves either the previous record or the new one, never a torn file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    record.updated_at = utc_now()
    payload = json.dumps(record.to_json(), indent=2, sort_keys=False) + "\n"
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as tmp:
            tmp.write(payload)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
