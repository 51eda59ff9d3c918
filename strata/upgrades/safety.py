"""The upgrade safety check: OpenZeppelin's validator plus Strata's own rules, in one :class:`SafetyReport`.

    from strata.upgrades import BuildInfoStore, ContractRef, check_upgrade, compile_build_info

    current = BuildInfoStore().ref("PriceOracle")                       # kept build-info of the deployed version
    candidate = ContractRef(compile_build_info(["contracts/oracle/PriceOracle.sol"]), "PriceOracle")
    report = check_upgrade(current, candidate)
    report.render()                                                      # rich table
    assert report.ok, report

OpenZeppelin (``@openzeppelin/upgrades-core``, through ``tools/upgrades/validate.js``) compares storage layouts,
namespaced structs included, and flags constructors, immutables, selfdestruct, delegatecall and non-UUPS
candidates. Strata's rules (:mod:`strata.upgrades.rules`) add what it misses or trusts an annotation for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from strata.upgrades import oz as oz_runner
from strata.upgrades.ast import Node, signature_text
from strata.upgrades.buildinfo import BuildInfo, ContractRef
from strata.upgrades.errors import ValidatorError
from strata.upgrades.report import ERROR, OZ, WARNING, Problem, SafetyReport, merge
from strata.upgrades.rules import STORAGE_LOCATION, Side, _doc, _modifier_names, run_rules

_SRC = re.compile(r"^(?P<path>.+?):(?P<line>\d+)$")


@dataclass(frozen=True)
class UpgradePair:
    """One upgrade to check: ``current`` (deployed) -> ``candidate``, plus interfaces the candidate must keep."""

    current: ContractRef
    candidate: ContractRef
    interfaces: tuple[ContractRef, ...] = ()
    allow: tuple[str, ...] = ()
    unsafe_allow_renames: bool = False


@dataclass
class _Resolved:
    pair: UpgradePair
    current: Side
    candidate: Side
    interfaces: list[Side] = field(default_factory=list)


def check_upgrade(
    current: ContractRef,
    candidate: ContractRef,
    *,
    interface: ContractRef | Sequence[ContractRef] | None = None,
    allow: Iterable[str] = (),
    oz: bool = True,
    unsafe_allow_renames: bool = False,
) -> SafetyReport:
    """Checks that upgrading a proxy from ``current`` to ``candidate`` is safe.

    ``interface``: interface contract(s) whose functions the candidate must keep (besides the current ABI).
    ``allow``: problem kinds to waive, ``"kind"`` or ``"kind:subject-substring"``; waived problems are listed in
    ``report.waived``, never dropped silently. ``oz=False`` runs Strata's rules only (the report says so).
    Raises :class:`~strata.upgrades.errors.ValidatorError` when OpenZeppelin's validator cannot run, and
    :class:`~strata.upgrades.errors.BuildInfoError` when a contract or build-info cannot be read.
    """
    if interface is None:
        interfaces: tuple[ContractRef, ...] = ()
    elif isinstance(interface, ContractRef):
        interfaces = (interface,)
    else:
        interfaces = tuple(interface)
    pair = UpgradePair(current, candidate, interfaces, tuple(allow), unsafe_allow_renames)
    return check_upgrades([pair], oz=oz)[0]


def check_upgrades(pairs: Sequence[UpgradePair], *, oz: bool = True) -> list[SafetyReport]:
    """:func:`check_upgrade` for many pairs, with one OpenZeppelin run for all of them (the fast path for CI)."""
    resolved = [_resolve(pair) for pair in pairs]
    oz_results: list[dict[str, Any] | None] = [None] * len(resolved)
    oz_warnings: list[str] = []
    if oz and resolved:
        requests = [
            {
                "id": i,
                "buildInfo": str(oz_runner.build_info_file(r.candidate.bi)),
                "contract": r.candidate.fqn,
                "reference": r.current.fqn,
                "referenceBuildInfo": str(oz_runner.build_info_file(r.current.bi)),
                "unsafeAllowRenames": r.pair.unsafe_allow_renames,
            }
            for i, r in enumerate(resolved)
        ]
        _, payload = oz_runner.run_batch(requests)
        oz_warnings = payload.get("warnings", [])
        for result in payload.get("results", []):
            if result.get("toolError"):
                r = resolved[result["id"]]
                detail = result["errors"][0]["detail"] if result.get("errors") else "unknown error"
                raise ValidatorError(f"OpenZeppelin validator failed on {r.candidate.name}: {detail.splitlines()[0]}")
            oz_results[result["id"]] = result
        missing = [resolved[i].candidate.name for i, result in enumerate(oz_results) if result is None]
        if missing:
            # A pair without an answer must never read as "validator skipped" (or as safe).
            reason = payload.get("explain") or "no result returned"
            raise ValidatorError(f"OpenZeppelin validator gave no result for {', '.join(missing)}: {reason}")
    reports = []
    for r, result in zip(resolved, oz_results):
        problems = run_rules(r.current, r.candidate, r.interfaces)
        validators = {"strata": "ran"}
        notes = []
        if result is not None:
            problems += _oz_problems(r, result)
            validators["oz"] = f"upgrades-core {oz_runner.core_version()}"
            source = r.candidate.fqn.rpartition(":")[0]
            notes += [w.splitlines()[0] for w in oz_warnings if source in w and "Reinitializers" not in w]
        else:
            validators["oz"] = "skipped"
            notes.append("OpenZeppelin's validator was not run: storage layout was not compared")
        kept, waived = _waive(merge(problems), r.pair.allow)
        reports.append(
            SafetyReport(
                current=r.current.fqn, candidate=r.candidate.fqn, problems=kept, waived=waived,
                validators=validators, notes=notes,
            )
        )
    return reports


def _resolve(pair: UpgradePair) -> _Resolved:
    def side(ref: ContractRef) -> Side:
        bi = ref.load()
        return Side(bi, bi.find(ref.contract))

    return _Resolved(pair, side(pair.current), side(pair.candidate), [side(i) for i in pair.interfaces])


def _waive(problems: list[Problem], allow: Sequence[str]) -> tuple[list[Problem], list[Problem]]:
    def waived(p: Problem) -> bool:
        for rule in allow:
            kind, _, subject = rule.partition(":")
            if p.kind == kind and (not subject or subject in p.subject):
                return True
        return False

    return [p for p in problems if not waived(p)], [p for p in problems if waived(p)]


# --------------------------------------------------------------------------------------------------- OZ -> Problem


def _find_enclosing(side: Side, src: str | None, node_types: tuple[str, ...]) -> Node | None:
    """The innermost declaration of ``node_types`` around ``path:line`` in ``side``'s contracts."""
    match = _SRC.match(src or "")
    if not match:
        return None
    path, line = match.group("path"), int(match.group("line"))
    best = None
    for base in side.linear:
        if side.ast.source_of(base) != path:
            continue
        for node in base.get("nodes", []):
            if node.get("nodeType") in node_types:
                start, end = side.ast.line_range(node)
                if start <= line <= end and (best is None or start >= side.ast.line_range(best)[0]):
                    best = node
    return best


def _struct_at(side: Side, src: str | None) -> tuple[str | None, str | None]:
    """``(struct name, namespace)`` of the ERC-7201 struct declared around ``src``, if any."""
    struct = _find_enclosing(side, src, ("StructDefinition",))
    if struct is None:
        return None, None
    match = STORAGE_LOCATION.search(_doc(struct))
    return struct["name"], match.group(1) if match else None


def _inherited_initializer(side: Side) -> Node | None:
    for fn in side.ast.effective_functions(side.node):
        if fn.get("visibility") in ("public", "external") and any(
            name == "initializer" for name, _ in _modifier_names(side.ast, fn)
        ):
            return fn
    return None


def _oz_problems(r: _Resolved, result: dict[str, Any]) -> list[Problem]:
    problems = []
    cand = r.candidate
    for err in result.get("errors", []):
        kind = err.get("kind", "unknown")
        detail = err.get("detail", "")
        severity = ERROR
        namespace = None
        location = err.get("src") or err.get("updatedSrc") or err.get("originalSrc")
        contract = str(err.get("contract") or cand.name).rpartition(":")[2]
        if kind.startswith("storage-"):
            struct, namespace = _struct_at(cand, err.get("updatedSrc"))
            if struct is None:
                struct, namespace = _struct_at(r.current, err.get("originalSrc"))
            if kind == "storage-delete-namespace":
                namespace = str(err.get("namespace", "")).removeprefix("erc7201:")
                subject = f"namespace {namespace}"
            else:
                field_name = err.get("field") or "?"
                subject = f"{struct}.{field_name}" if struct else field_name
        elif err.get("name"):
            subject = err["name"]
        elif kind == "constructor":
            subject = f"{contract}.constructor"
        else:
            fn = _find_enclosing(cand, err.get("src"), ("FunctionDefinition", "ModifierDefinition"))
            subject = f"{cand.ast.owner(fn)['name']}.{signature_text(fn)}" if fn else cand.name
        if kind == "missing-initializer":
            inherited = _inherited_initializer(cand)
            if inherited is not None:
                # OZ wants an initializer declared in the contract itself; an inherited one initialises it fine.
                severity = WARNING
                detail += (
                    f"\n(inherits {cand.qualified(inherited)} with `initializer`: a proxy of {cand.name} can be "
                    "initialised by it; OZ only accepts an initializer declared in the contract itself)"
                )
        problems.append(
            Problem(
                kind=kind, contract=contract, subject=subject, detail=_first_line(detail), source=OZ,
                severity=severity, location=location, namespace=namespace,
            )
        )
    return problems


def _first_line(detail: str) -> str:
    """OZ's explanations start with ``path:line: message``; keep the message and the rest of the text."""
    lines = [line.strip() for line in detail.strip().splitlines() if line.strip()]
    if not lines:
        return detail
    head = re.sub(r"^\S+\.sol:\d+:\s*", "", lines[0])
    return " ".join([head] + lines[1:])


def report_for(build_info: BuildInfo, current: str, candidate: str, **kwargs: Any) -> SafetyReport:
    """Shorthand: ``check_upgrade`` for two contracts of the same build-info."""
    return check_upgrade(ContractRef(build_info, current), ContractRef(build_info, candidate), **kwargs)
