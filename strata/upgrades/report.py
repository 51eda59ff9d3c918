"""What an upgrade safety check found: :class:`Problem` and :class:`SafetyReport` (with a rich table renderer)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

ERROR = "error"
WARNING = "warning"

STRATA = "strata"
OZ = "oz"

# Every kind Strata's own rules report, with the one-line reason it blocks an upgrade (docs/upgrade-safety.md).
STRATA_KINDS: dict[str, str] = {
    "disable-initializers-missing": "no constructor in the inheritance chain calls _disableInitializers()",
    "authorize-upgrade-unguarded": "_authorizeUpgrade lets any caller upgrade (no check on msg.sender that can revert)",
    "erc7201-slot-mismatch": "the storage slot constant is not the ERC-7201 formula of the annotated namespace",
    "erc7201-slot-unverified": "no slot constant found for an ERC-7201 namespace (cannot verify it)",
    "namespace-removed": "an ERC-7201 namespace of the current implementation is gone: its data is orphaned",
    "initializer-unprotected": "a public/external initialize* function has no initializer/reinitializer modifier",
    "reinitializer-stale": "a new reinitializer(n) has n <= the version the proxy is already at: it can never run",
    "reinitializer-version-unknown": "a reinitializer version is not a literal or constant (cannot verify it)",
    "uups-missing": "the candidate lacks upgradeToAndCall/proxiableUUID: the proxy could never be upgraded again",
    "immutable": "an immutable lives in the implementation's code, not in the proxy's storage",
    "constructor-state-write": "a constructor (or state variable initial value) writes the implementation's storage",
    "selfdestruct": "selfdestruct in an implementation",
    "delegatecall": "delegatecall outside OpenZeppelin's proxy machinery",
    "function-removed": "an external function of the current implementation (or interface) is gone",
    "function-changed": "an external function of the current implementation (or interface) changed its signature",
    "state-variable-outside-namespace": "a plain state variable (outside ERC-7201 namespaces) in a module",
}

# OZ's kinds and our rules that target the same flaw: where both run, both must report it (tests check this).
OZ_EQUIVALENTS: dict[str, str] = {
    "constructor": "constructor-state-write",
    "state-variable-assignment": "constructor-state-write",
    "state-variable-immutable": "immutable",
    "selfdestruct": "selfdestruct",
    "delegatecall": "delegatecall",
    "missing-public-upgradeto": "uups-missing",
    "storage-delete-namespace": "namespace-removed",
}


@dataclass
class Problem:
    """One reason an upgrade is unsafe (``severity == "error"``) or needs a human look (``"warning"``).

    ``subject`` names the field, function or variable (``SafeUpgradeMockStorage.total``, ``initializeV2(address)``),
    ``source`` the checker that found it (``"strata"`` or ``"oz"``), ``location`` ``path:line`` where known.
    """

    kind: str
    contract: str
    subject: str
    detail: str
    source: str = STRATA
    severity: str = ERROR
    location: str | None = None
    namespace: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = f" ({self.location})" if self.location else ""
        return f"[{self.severity}] {self.kind}: {self.contract}: {self.subject}: {self.detail}{where}"


@dataclass
class SafetyReport:
    """The result of :func:`strata.upgrades.check_upgrade`: ``ok`` when no problem has error severity."""

    current: str
    candidate: str
    problems: list[Problem] = field(default_factory=list)
    waived: list[Problem] = field(default_factory=list)
    validators: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def kinds(self, source: str | None = None) -> set[str]:
        return {p.kind for p in self.problems if source is None or p.source == source}

    def find(
        self, kind: str | None = None, *, subject: str | None = None, source: str | None = None
    ) -> list[Problem]:
        """Problems matching every given criterion (``subject`` matches as a substring)."""
        return [
            p
            for p in self.problems
            if (kind is None or p.kind == kind)
            and (source is None or p.source == source)
            and (subject is None or subject in p.subject)
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "current": self.current,
            "candidate": self.candidate,
            "problems": [p.to_dict() for p in self.problems],
            "waived": [p.to_dict() for p in self.waived],
            "validators": dict(self.validators),
            "notes": list(self.notes),
        }

    # ---- rendering

    @property
    def title(self) -> str:
        verdict = "SAFE" if self.ok else "UNSAFE"
        counts = f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        return f"Upgrade {short(self.current)} -> {short(self.candidate)}: {verdict} ({counts})"

    def table(self) -> Any:
        """A ``rich.table.Table`` of the problems (one row each), titled with the verdict."""
        from rich.table import Table

        table = Table(title=self.title, show_lines=False, expand=False)
        table.add_column("", no_wrap=True)
        table.add_column("kind", no_wrap=True)
        table.add_column("contract", no_wrap=True)
        table.add_column("field / function", overflow="fold", max_width=64)
        table.add_column("detail", overflow="fold", ratio=1, min_width=40)
        table.add_column("where", overflow="fold", max_width=40, style="dim")
        table.add_column("by", no_wrap=True)
        for p in sorted(self.problems, key=lambda p: (p.severity != ERROR, p.kind, p.subject)):
            mark = "[red]✘[/red]" if p.severity == ERROR else "[yellow]![/yellow]"
            source = "OZ" if p.source == OZ else "Strata"
            table.add_row(mark, p.kind, short(p.contract), p.subject, p.detail, p.location or "", source)
        if not self.problems:
            table.add_row("[green]✔[/green]", "-", short(self.candidate), "-", "no problem found", "", "-")
        validators = ", ".join(f"{k}: {v}" for k, v in self.validators.items())
        waived = f"; waived: {', '.join(sorted({p.kind for p in self.waived}))}" if self.waived else ""
        table.caption = f"validators: {validators}{waived}"
        return table

    def render(self, console: Any = None) -> None:
        """Prints the table (and any notes) to ``console`` (default: a new rich Console)."""
        if console is None:
            from strata.cli import console as make_console

            console = make_console()  # wide enough for paths and signatures even in CI logs and pipes
        console.print(self.table())
        for note in self.notes:
            console.print(f"[dim]note: {note}[/dim]")

    def __str__(self) -> str:
        lines = [self.title]
        lines.extend(f"  {p}" for p in self.problems)
        return "\n".join(lines)


def short(name: str) -> str:
    """``contracts/x/Y.sol:Y`` -> ``Y`` (names in tables stay readable)."""
    return name.rpartition(":")[2] if name else name


def merge(problems: Iterable[Problem]) -> list[Problem]:
    """Problems without exact duplicates, in first-seen order."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for p in problems:
        key = (p.kind, p.source, p.contract, p.subject, p.location, p.detail)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
