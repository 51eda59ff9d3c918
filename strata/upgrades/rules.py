"""Strata's own upgrade rules: what OpenZeppelin's validator does not check, or trusts an annotation for.

Each rule reads the compiler output (AST, ABI, method identifiers) of the candidate implementation, and of the
current one where the rule compares versions, and returns :class:`~strata.upgrades.report.Problem` s that name the
contract and the field, function or variable at fault. The rules look at what the code *does*; OpenZeppelin's
``@custom:oz-upgrades-unsafe-allow`` annotations silence OZ's validator, not these rules (waive a rule explicitly
with ``check_upgrade(..., allow=[...])`` instead, which the report records).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Iterable

from eth_utils import keccak

from strata.upgrades.ast import Ast, Node, is_builtin_call, is_yul_call, signature_text, walk
from strata.upgrades.buildinfo import BuildInfo
from strata.upgrades.report import WARNING, Problem

STORAGE_LOCATION = re.compile(r"@custom:storage-location\s+erc7201:(\S+)")
UUPS_FUNCTIONS = ("upgradeToAndCall(address,bytes)", "proxiableUUID()")
INITIALIZER_MODIFIERS = {"initializer", "reinitializer", "onlyInitializing"}
INITIALIZER_NAME = re.compile(r"^_{0,2}(re)?initiali[sz]e", re.I)


def erc7201_slot(namespace: str) -> int:
    """``keccak256(abi.encode(uint256(keccak256(namespace)) - 1)) & ~bytes32(uint256(0xff))``."""
    inner = int.from_bytes(keccak(text=namespace), "big") - 1
    return int.from_bytes(keccak(inner.to_bytes(32, "big")), "big") & ~0xFF


_ASTS: dict[int, Ast] = {}


def ast_of(bi: BuildInfo) -> Ast:
    # Keyed by identity: the Ast keeps its BuildInfo alive, so the id is never reused while cached.
    ast = _ASTS.get(id(bi))
    if ast is None or ast.bi is not bi:
        ast = _ASTS[id(bi)] = Ast(bi)
    return ast


@dataclass
class Side:
    """One implementation under check: its build-info, AST, node and compiler output."""

    bi: BuildInfo
    fqn: str

    @cached_property
    def ast(self) -> Ast:
        return ast_of(self.bi)

    @cached_property
    def node(self) -> Node:
        return self.ast.contract(self.fqn)

    @cached_property
    def linear(self) -> list[Node]:
        return self.ast.linearized(self.node)

    @property
    def name(self) -> str:
        return self.fqn.rpartition(":")[2]

    @cached_property
    def output(self) -> dict[str, Any]:
        return self.bi.contract_output(self.fqn)

    @property
    def abi(self) -> list[dict[str, Any]]:
        return self.output.get("abi", [])

    @property
    def method_ids(self) -> dict[str, str]:
        return self.output.get("evm", {}).get("methodIdentifiers", {})

    def inherits(self, name: str) -> bool:
        return any(base.get("name") == name for base in self.linear)

    def problem(self, kind: str, subject: str, detail: str, node: Node | None = None, **kw: Any) -> Problem:
        location = kw.pop("location", None) or (self.ast.location(node) if node is not None else None)
        return Problem(kind=kind, contract=self.name, subject=subject, detail=detail, location=location, **kw)

    def qualified(self, fn: Node) -> str:
        owner = self.ast.owner(fn)
        return f"{owner['name']}.{signature_text(fn)}" if owner else signature_text(fn)


# --------------------------------------------------------------------------------------------------- helpers


def _doc(node: Node) -> str:
    doc = node.get("documentation")
    if isinstance(doc, dict):
        return doc.get("text", "")
    return doc or ""


def _modifier_names(ast: Ast, fn: Node) -> list[tuple[str, Node]]:
    out = []
    for mod in fn.get("modifiers", []) or []:
        name_node = mod.get("modifierName", {})
        decl = ast.node(name_node.get("referencedDeclaration"))
        name = decl.get("name") if decl and decl.get("nodeType") == "ModifierDefinition" else None
        if name:
            out.append((name, mod))
    return out


def _constant_value(ast: Ast, expr: Node | None, depth: int = 0) -> int | None:
    """The integer value of a literal, or of a constant it names (``reinitializer(REVISION)``)."""
    if expr is None or depth > 8:
        return None
    kind = expr.get("nodeType")
    if kind in ("Literal", "YulLiteral") and expr.get("kind", "number") == "number":
        try:
            return int(str(expr.get("value")).replace("_", ""), 0)
        except ValueError:
            return None
    if kind in ("Identifier", "YulIdentifier"):
        decl = ast.node(expr.get("referencedDeclaration"))
        if decl and decl.get("nodeType") == "VariableDeclaration" and decl.get("constant"):
            return _constant_value(ast, decl.get("value"), depth + 1)
    if kind == "FunctionCall" and expr.get("kind") == "typeConversion" and len(expr.get("arguments", [])) == 1:
        return _constant_value(ast, expr["arguments"][0], depth + 1)  # uint64(2), bytes32(0x...)
    return None


def _writes_storage(ast: Ast, expr: Node | None) -> bool:
    """Whether assigning to ``expr`` writes contract storage (state variable, storage pointer or reference)."""
    node = expr
    while node is not None:
        kind = node.get("nodeType")
        type_string = node.get("typeDescriptions", {}).get("typeString", "") or ""
        if node is not expr and " storage" in type_string:
            return True
        if kind == "TupleExpression":
            return any(_writes_storage(ast, c) for c in node.get("components", []) if c)
        if kind == "Identifier":
            decl = ast.node(node.get("referencedDeclaration"))
            if not decl or decl.get("nodeType") != "VariableDeclaration":
                return False
            if decl.get("stateVariable"):
                return decl.get("mutability") == "mutable" and not decl.get("constant")
            return decl.get("storageLocation") == "storage"
        if kind == "MemberAccess":
            node = node.get("expression")
        elif kind == "IndexAccess":
            node = node.get("baseExpression")
        elif kind == "FunctionCall":
            return " storage" in type_string
        else:
            return False
    return False


def _in_initializable(ast: Ast, fn: Node) -> bool:
    owner = ast.owner(fn)
    return bool(owner and owner.get("name") == "Initializable" and ast.is_oz(owner))


# --------------------------------------------------------------------------------------------------- rules


def disable_initializers(c: Side) -> list[Problem]:
    """The implementation must lock itself: some constructor in the chain calls ``_disableInitializers()``."""
    if not c.inherits("Initializable"):
        return []
    ctors = c.ast.constructors(c.node)
    for fn in c.ast.closure(ctors, c.linear):
        if fn.get("name") == "_disableInitializers" and _in_initializable(c.ast, fn):
            return []
    declaring = [b["name"] for b in c.linear if any(f.get("kind") == "constructor" for f in c.ast.members(b, "FunctionDefinition"))]
    chain = ", ".join(declaring) or "none"
    return [
        c.problem(
            "disable-initializers-missing",
            "constructor",
            f"no constructor calls _disableInitializers() (constructors: {chain}): anyone can initialise the "
            "implementation itself, become its admin and upgradeToAndCall it",
            c.node,
        )
    ]


def authorize_upgrade(c: Side) -> list[Problem]:
    """``_authorizeUpgrade`` must check the caller: somewhere in it (modifiers, calls) ``msg.sender`` and a revert."""
    hooks = [fn for fn in c.ast.effective_functions(c.node) if fn.get("name") == "_authorizeUpgrade"]
    if not hooks:
        return []
    hook = hooks[0]
    reads_caller = can_revert = False
    for _, node in c.ast.body_nodes(c.ast.closure([hook], c.linear)):
        if node["nodeType"] == "MemberAccess" and node.get("memberName") == "sender" and (
            node.get("expression", {}).get("name") == "msg"
        ):
            reads_caller = True
        elif node["nodeType"] == "RevertStatement" or is_builtin_call(node, ("require", "revert", "assert")):
            can_revert = True
        elif is_yul_call(node, ("revert",)):
            can_revert = True
    if reads_caller and can_revert:
        return []
    return [
        c.problem(
            "authorize-upgrade-unguarded",
            c.qualified(hook),
            "the upgrade hook never checks msg.sender (no modifier, require/revert or call to a check does): "
            "anyone can upgradeToAndCall the proxy",
            hook,
        )
    ]


def namespaces(c: Side) -> dict[str, tuple[Node, Node]]:
    """ERC-7201 namespace id -> (struct, declaring contract) across the linearisation."""
    out: dict[str, tuple[Node, Node]] = {}
    for base in c.linear:
        for struct in c.ast.members(base, "StructDefinition"):
            match = STORAGE_LOCATION.search(_doc(struct))
            if match:
                out.setdefault(match.group(1), (struct, base))
    return out


def _slot_constants(c: Side, struct: Node, base: Node) -> list[tuple[Node, Node, int | None]]:
    """``(accessor, value node, value)`` for every ``$.slot := X`` in a function returning ``struct storage``."""
    found = []
    for fn in c.ast.members(base, "FunctionDefinition"):
        returns = fn.get("returnParameters", {}).get("parameters", [])
        pointers = {
            p["id"]
            for p in returns
            if p.get("storageLocation") == "storage" and p.get("typeName", {}).get("referencedDeclaration") == struct["id"]
        }
        if not pointers or fn.get("body") is None:
            continue
        for asm in walk(fn["body"]):
            if asm["nodeType"] != "InlineAssembly":
                continue
            refs = {r["declaration"]: r for r in asm.get("externalReferences", [])}
            by_name = {c.ast.node(d).get("name"): c.ast.node(d) for d in refs if c.ast.node(d)}
            for yul in walk(asm.get("AST", {})):
                if yul["nodeType"] != "YulAssignment":
                    continue
                targets = [v.get("name", "") for v in yul.get("variableNames", [])]
                if not any(t.endswith(".slot") and by_name.get(t[: -len(".slot")], {}).get("id") in pointers for t in targets):
                    continue
                value = yul.get("value", {})
                if value.get("nodeType") == "YulIdentifier" and value.get("name") in by_name:
                    decl = by_name[value["name"]]
                    found.append((fn, decl, _constant_value(c.ast, decl.get("value")) if decl.get("constant") else None))
                else:
                    found.append((fn, value, _constant_value(c.ast, value)))
    return found


def erc7201(c: Side) -> list[Problem]:
    """Each annotated namespace's slot constant equals the ERC-7201 formula of its id."""
    problems = []
    for ns, (struct, base) in namespaces(c).items():
        expected = erc7201_slot(ns)
        constants = _slot_constants(c, struct, base)
        subject = f"{base['name']}.{struct['name']}"
        if not constants and c.ast.is_oz(base):
            continue  # OZ reaches its slots through virtual getters (Initializable); its constants are audited
        if not constants:
            problems.append(
                c.problem(
                    "erc7201-slot-unverified", subject,
                    f"no function of {base['name']} assigns `$.slot` for namespace {ns}", struct,
                    severity=WARNING, namespace=ns,
                )
            )
            continue
        for accessor, decl, value in constants:
            name = decl.get("name") or "literal"
            if value is None and c.ast.is_oz(base):
                continue
            if value is None:
                problems.append(
                    c.problem(
                        "erc7201-slot-unverified", f"{subject} ({name})",
                        f"the slot of namespace {ns} is not a literal constant", decl, severity=WARNING, namespace=ns,
                    )
                )
            elif value != expected:
                problems.append(
                    c.problem(
                        "erc7201-slot-mismatch", f"{base['name']}.{name}",
                        f"slot of erc7201:{ns} is 0x{value:064x}, the formula gives 0x{expected:064x}: "
                        f"{struct['name']} would be read and written at the wrong place",
                        decl, namespace=ns,
                    )
                )
    return problems


def namespace_removed(current: Side, candidate: Side) -> list[Problem]:
    kept = namespaces(candidate)
    return [
        candidate.problem(
            "namespace-removed", f"{base['name']}.{struct['name']}",
            f"namespace erc7201:{ns} of {current.name} is not declared by {candidate.name}: the proxy's data in it "
            "is orphaned (keep the struct and its annotation even if unused)",
            namespace=ns, location=current.ast.location(struct),
        )
        for ns, (struct, base) in namespaces(current).items()
        if ns not in kept
    ]


def _initializer_versions(c: Side) -> dict[tuple[str, int], Node]:
    """``(signature, version)`` of every initializer (version 1) and reinitializer(n) that runs in ``c``."""
    out = {}
    for fn in c.ast.effective_functions(c.node):
        for name, mod in _modifier_names(c.ast, fn):
            if name == "initializer":
                out[(signature_text(fn), 1)] = fn
            elif name == "reinitializer":
                args = mod.get("arguments") or []
                version = _constant_value(c.ast, args[0]) if args else None
                out[(signature_text(fn), version if version is not None else -1)] = fn
    return out


def initializers(current: Side, candidate: Side) -> list[Problem]:
    """No re-callable ``initialize*``; every new ``reinitializer(n)`` above the version proxies are already at."""
    problems = []
    for fn in candidate.ast.effective_functions(candidate.node):
        if fn.get("visibility") not in ("public", "external") or not INITIALIZER_NAME.match(fn.get("name", "")):
            continue
        if fn.get("stateMutability") in ("view", "pure"):
            continue  # a getter such as `initialized()` writes nothing
        if not {n for n, _ in _modifier_names(candidate.ast, fn)} & INITIALIZER_MODIFIERS:
            problems.append(
                candidate.problem(
                    "initializer-unprotected", candidate.qualified(fn),
                    f"{fn['visibility']} {fn['name']} has no initializer/reinitializer(n) modifier: anyone can call "
                    "it, on every proxy, again and again",
                    fn,
                )
            )
    current_versions = _initializer_versions(current)
    at = max((v for _, v in current_versions), default=0)
    for (signature, version), fn in _initializer_versions(candidate).items():
        if version == 1:
            continue
        if version < 0:
            problems.append(
                candidate.problem(
                    "reinitializer-version-unknown", candidate.qualified(fn),
                    "the reinitializer version is not a literal or a constant: check it exceeds "
                    f"{at} (the version of {current.name}) by hand",
                    fn, severity=WARNING,
                )
            )
        elif version <= at and (signature, version) not in current_versions:
            problems.append(
                candidate.problem(
                    "reinitializer-stale", candidate.qualified(fn),
                    f"reinitializer({version}) but proxies of {current.name} are already at version {at}: "
                    f"this migration can never run (use reinitializer({at + 1}))",
                    fn,
                )
            )
    return problems


def uups(current: Side, candidate: Side) -> list[Problem]:
    """A UUPS implementation must stay UUPS: otherwise the proxy can never be upgraded (or rolled back) again."""
    if not any(sig in current.method_ids for sig in UUPS_FUNCTIONS):
        return []
    missing = [sig for sig in UUPS_FUNCTIONS if sig not in candidate.method_ids]
    if not missing:
        return []
    return [
        candidate.problem(
            "uups-missing", ", ".join(missing),
            f"{current.name} is UUPS but {candidate.name} lacks {' and '.join(missing)}: after this upgrade the "
            "proxy can never be upgraded again (inherit UUPSUpgradeable)",
            candidate.node,
        )
    ]


def immutables(c: Side) -> list[Problem]:
    problems = []
    for base in c.linear:
        for var in c.ast.members(base, "VariableDeclaration"):
            if var.get("mutability") != "immutable":
                continue
            # OZ's own (UUPSUpgradeable.__self) is the proxy machinery's deliberate self-address.
            if c.ast.is_oz(base) and "oz-upgrades-unsafe-allow state-variable-immutable" in _doc(var):
                continue
            problems.append(
                c.problem(
                    "immutable", f"{base['name']}.{var['name']}",
                    "immutable: its value is baked into the implementation's code at deployment, shared by every "
                    "proxy and changed by each upgrade (use a constant, or a field in the namespace)",
                    var,
                )
            )
    return problems


def constructor_writes(c: Side) -> list[Problem]:
    """Constructors run on the implementation only: any storage they write never reaches a proxy."""
    problems = []
    ctors = c.ast.constructors(c.node)
    closure = c.ast.closure(ctors, c.linear, stop=lambda fn: _in_initializable(c.ast, fn))
    for fn, node in c.ast.body_nodes(closure):
        if _in_initializable(c.ast, fn):
            continue
        target = None
        if node["nodeType"] == "Assignment":
            target = node.get("leftHandSide")
        elif node["nodeType"] == "UnaryOperation" and node.get("operator") in ("++", "--", "delete"):
            target = node.get("subExpression")
        elif node["nodeType"] == "FunctionCall":
            callee = node.get("expression", {})
            if callee.get("nodeType") == "MemberAccess" and callee.get("memberName") in ("push", "pop"):
                target = callee.get("expression")
        if (target is not None and _writes_storage(c.ast, target)) or is_yul_call(node, ("sstore",)):
            what = c.ast.text(target) if target is not None else "sstore"
            via = "" if fn.get("kind") == "constructor" else f" (via {c.qualified(fn)})"
            owner = c.ast.owner(fn)
            problems.append(
                c.problem(
                    "constructor-state-write", f"{owner['name'] if owner else c.name}.constructor",
                    f"writes `{what}`{via}: it lands in the implementation's storage, never in a proxy's "
                    "(set it in an initializer)",
                    node,
                )
            )
    for base in c.linear:
        for var in c.ast.members(base, "VariableDeclaration"):
            if var.get("value") is not None and var.get("mutability") == "mutable" and not var.get("constant"):
                problems.append(
                    c.problem(
                        "constructor-state-write", f"{base['name']}.{var['name']}",
                        "state variable with an initial value: the implementation's constructor writes it, no "
                        "proxy ever sees it",
                        var,
                    )
                )
    return problems


def _all_callables(c: Side, predicate: Callable[[Node], bool] = lambda base: True) -> list[Node]:
    return [
        fn
        for base in c.linear
        if predicate(base)
        for kind in ("FunctionDefinition", "ModifierDefinition")
        for fn in c.ast.members(base, kind)
    ]


def selfdestruct(c: Side) -> list[Problem]:
    problems = []
    for fn, node in c.ast.body_nodes(c.ast.closure(_all_callables(c), c.linear)):
        if is_builtin_call(node, ("selfdestruct", "suicide")) or is_yul_call(node, ("selfdestruct",)):
            problems.append(
                c.problem(
                    "selfdestruct", c.qualified(fn),
                    "selfdestruct in the implementation: whoever reaches it on the implementation itself can "
                    "destroy the code every proxy delegates to",
                    node,
                )
            )
    return problems


def delegatecall(c: Side) -> list[Problem]:
    """Delegatecall reachable from project code, unless it goes through OpenZeppelin's proxy machinery."""
    problems = []
    roots = _all_callables(c, lambda base: not c.ast.is_oz(base))
    for root in roots:
        closure = c.ast.closure([root], c.linear, stop=c.ast.is_oz_proxy_machinery)
        sites = [
            (fn, node)
            for fn, node in c.ast.body_nodes(closure)
            if (node["nodeType"] == "MemberAccess" and node.get("memberName") == "delegatecall")
            or is_yul_call(node, ("delegatecall",))
        ]
        for fn, node in sites[:1]:
            via = "" if fn is root else f" via {c.qualified(fn)}"
            problems.append(
                c.problem(
                    "delegatecall", c.qualified(root),
                    f"delegatecall{via} at {c.ast.location(node)}: the callee runs with the proxy's storage and can "
                    "overwrite any namespace or the implementation slot",
                    root,
                )
            )
    return problems


def plain_state_variables(c: Side) -> list[Problem]:
    return [
        c.problem(
            "state-variable-outside-namespace", f"{base['name']}.{var['name']}",
            "plain state variable: modules keep all state in their ERC-7201 namespace", var, severity=WARNING,
        )
        for base in c.linear
        if not c.ast.is_oz(base)
        for var in c.ast.members(base, "VariableDeclaration")
        if var.get("mutability") == "mutable" and not var.get("constant")
    ]


# --------------------------------------------------------------------------------------------------- ABI


def _canonical(param: dict[str, Any]) -> str:
    type_ = param["type"]
    if type_.startswith("tuple"):
        return "(" + ",".join(_canonical(p) for p in param.get("components", [])) + ")" + type_[len("tuple"):]
    return type_


def abi_functions(abi: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Signature (``name(types)``, or ``fallback()``/``receive()``) -> ABI entry."""
    out = {}
    for entry in abi:
        kind = entry.get("type")
        if kind == "function":
            out[f"{entry['name']}({','.join(_canonical(p) for p in entry.get('inputs', []))})"] = entry
        elif kind in ("fallback", "receive"):
            out[f"{kind}()"] = entry
    return out


def _outputs(entry: dict[str, Any]) -> str:
    return "(" + ",".join(_canonical(p) for p in entry.get("outputs", [])) + ")"


def _mutability_break(old: str, new: str) -> bool:
    # view/pure -> state-changing breaks staticcall callers; payable -> non-payable breaks callers sending value.
    return (old in ("view", "pure") and new in ("nonpayable", "payable")) or (old == "payable" and new != "payable")


def abi_changes(expected: dict[str, dict[str, Any]], candidate: Side, origin: str) -> list[Problem]:
    """Each function of ``expected`` (from ``origin``) removed or changed in the candidate, by signature."""
    have = abi_functions(candidate.abi)
    by_name: dict[str, list[str]] = {}
    for sig in have:
        by_name.setdefault(sig.split("(")[0], []).append(sig)
    problems = []
    for sig, entry in expected.items():
        if sig not in have:
            name = sig.split("(")[0]
            if name in by_name and entry.get("type") == "function":
                problems.append(
                    candidate.problem(
                        "function-changed", sig,
                        f"{origin} has {sig}; {candidate.name} has {', '.join(by_name[name])} instead "
                        f"(selector {_selector(sig)} gone: callers revert)",
                    )
                )
            else:
                problems.append(
                    candidate.problem(
                        "function-removed", sig,
                        f"{origin} has {sig} (selector {_selector(sig)}); {candidate.name} does not: callers revert",
                    )
                )
            continue
        new = have[sig]
        if _outputs(entry) != _outputs(new):
            problems.append(
                candidate.problem(
                    "function-changed", sig,
                    f"returns {_outputs(new)} instead of {_outputs(entry)} ({origin}): callers decode garbage",
                )
            )
        old_mut, new_mut = entry.get("stateMutability", ""), new.get("stateMutability", "")
        if _mutability_break(old_mut, new_mut):
            problems.append(
                candidate.problem(
                    "function-changed", sig, f"now {new_mut}, was {old_mut} in {origin}: existing callers break",
                )
            )
    return problems


def _selector(sig: str) -> str:
    if sig in ("fallback()", "receive()"):
        return "-"
    return "0x" + keccak(text=sig)[:4].hex()


# --------------------------------------------------------------------------------------------------- all


def run_rules(current: Side, candidate: Side, interfaces: Iterable[Side] = ()) -> list[Problem]:
    """Every Strata rule on ``candidate`` (compared with ``current`` and the given interfaces)."""
    problems: list[Problem] = []
    problems += disable_initializers(candidate)
    problems += authorize_upgrade(candidate)
    problems += erc7201(candidate)
    problems += namespace_removed(current, candidate)
    problems += initializers(current, candidate)
    problems += uups(current, candidate)
    problems += immutables(candidate)
    problems += constructor_writes(candidate)
    problems += selfdestruct(candidate)
    problems += delegatecall(candidate)
    problems += plain_state_variables(candidate)
    problems += abi_changes(abi_functions(current.abi), candidate, f"current {current.name}")
    for iface in interfaces:
        problems += abi_changes(abi_functions(iface.abi), candidate, f"interface {iface.name}")
    return problems
