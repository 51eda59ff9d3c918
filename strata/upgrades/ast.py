"""Read-only queries over the solc AST of a build-info: inheritance, call graph, locations.

Everything the Strata rules need to reason about "what code runs": the C3 linearisation of a contract, the
effective (most-derived) implementation of a virtual function, ``super`` calls, and the internal call graph
(functions, modifiers, library functions) reachable from a function.
"""

from __future__ import annotations

import bisect
import functools
from typing import Any, Callable, Iterable, Iterator

from strata.upgrades.buildinfo import BuildInfo

Node = dict[str, Any]

OZ_PREFIX = "@openzeppelin/"
# OpenZeppelin's proxy machinery: UUPSUpgradeable -> ERC1967Utils.upgradeToAndCall -> Address.functionDelegateCall.
OZ_PROXY_PREFIXES = ("@openzeppelin/contracts/proxy/", "@openzeppelin/contracts-upgradeable/proxy/")
CALLABLE = ("FunctionDefinition", "ModifierDefinition")


def walk(node: Any, *, skip: Callable[[Node], bool] | None = None) -> Iterator[Node]:
    """Every AST node (dict with a ``nodeType``) under ``node``, itself included, depth first."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "nodeType" in item:
                if skip is not None and item is not node and skip(item):
                    continue
                yield item
            stack.extend(v for k, v in item.items() if isinstance(v, (dict, list)) and k != "typeDescriptions")
        elif isinstance(item, list):
            stack.extend(reversed(item))


def signature_key(fn: Node) -> tuple[str, tuple[str, ...]]:
    """Name + parameter types: what an override shares with the function it overrides."""
    params = fn.get("parameters", {}).get("parameters", [])
    return fn.get("name", ""), tuple(_strip_location(p["typeDescriptions"].get("typeString", "")) for p in params)


def _strip_location(type_string: str) -> str:
    for suffix in (" storage pointer", " storage ref", " memory", " calldata", " storage"):
        type_string = type_string.replace(suffix, "")
    return type_string


def signature_text(fn: Node) -> str:
    name, types = signature_key(fn)
    if fn.get("kind") == "constructor":
        name = "constructor"
    return f"{name}({','.join(types)})"


class Ast:
    """AST queries over one build-info (node ids are unique within one compile)."""

    def __init__(self, build_info: BuildInfo) -> None:
        self.bi = build_info
        self.nodes = build_info.nodes
        self._source_by_index = {
            src.get("id"): name for name, src in build_info.output.get("sources", {}).items()
        }

    # ---- nodes and places

    def node(self, node_id: int | None) -> Node | None:
        return self.nodes.get(node_id) if node_id is not None else None

    def source_of(self, node: Node) -> str:
        try:
            index = int(node["src"].split(":")[2])
        except (KeyError, IndexError, ValueError):
            return "?"
        return self._source_by_index.get(index, "?")

    @functools.lru_cache(maxsize=None)
    def _line_starts(self, source: str) -> tuple[bytes, list[int]]:
        data = self.bi.source_text(source).encode()
        starts = [0] + [i + 1 for i, b in enumerate(data) if b == 0x0A]
        return data, starts

    def line_of(self, node: Node) -> int:
        source = self.source_of(node)
        if source == "?":
            return 0
        _, starts = self._line_starts(source)
        offset = int(node["src"].split(":")[0])
        return bisect.bisect_right(starts, offset)

    def line_range(self, node: Node) -> tuple[int, int]:
        source = self.source_of(node)
        _, starts = self._line_starts(source)
        start, length = (int(x) for x in node["src"].split(":")[:2])
        return bisect.bisect_right(starts, start), bisect.bisect_right(starts, start + max(length - 1, 0))

    def location(self, node: Node) -> str:
        return f"{self.source_of(node)}:{self.line_of(node)}"

    def text(self, node: Node) -> str:
        source = self.source_of(node)
        data, _ = self._line_starts(source)
        start, length = (int(x) for x in node["src"].split(":")[:2])
        return data[start:start + length].decode(errors="replace")

    def is_oz(self, node: Node) -> bool:
        return self.source_of(node).startswith(OZ_PREFIX)

    def is_oz_proxy_machinery(self, node: Node) -> bool:
        return self.source_of(node).startswith(OZ_PROXY_PREFIXES)

    # ---- contracts

    def contract(self, fqn: str) -> Node:
        return self.bi.contract_node(fqn)

    def linearized(self, contract: Node) -> list[Node]:
        """The contract and its bases, most derived first (solc's C3 order)."""
        return [self.nodes[i] for i in contract.get("linearizedBaseContracts", [contract["id"]])]

    def owner(self, node: Node) -> Node | None:
        """The contract a function, modifier, variable or struct is declared in."""
        scope = self.node(node.get("scope"))
        while scope is not None and scope.get("nodeType") != "ContractDefinition":
            scope = self.node(scope.get("scope"))
        return scope

    def members(self, contract: Node, node_type: str) -> list[Node]:
        return [n for n in contract.get("nodes", []) if n.get("nodeType") == node_type]

    def effective_functions(self, contract: Node) -> list[Node]:
        """Implemented functions that run for this contract: per signature, the most-derived definition."""
        seen: set[tuple[str, tuple[str, ...]]] = set()
        out = []
        for base in self.linearized(contract):
            for fn in self.members(base, "FunctionDefinition"):
                if fn.get("kind") not in ("function", "fallback", "receive") or not fn.get("implemented"):
                    continue
                key = (fn.get("kind"),) + signature_key(fn)
                if key not in seen:
                    seen.add(key)
                    out.append(fn)
        return out

    def constructors(self, contract: Node) -> list[Node]:
        return [
            fn
            for base in self.linearized(contract)
            for fn in self.members(base, "FunctionDefinition")
            if fn.get("kind") == "constructor"
        ]

    # ---- resolution (virtual dispatch and super)

    def resolve(self, decl: Node, context: list[Node], from_contract: Node | None = None, is_super: bool = False) -> Node:
        """The definition that actually runs for a reference to ``decl`` inside ``context`` (a linearisation).

        A virtual function or modifier is dispatched to the most-derived override in ``context``; ``super.f``
        to the next one after ``from_contract``. Library functions and non-virtual ones resolve to themselves.
        """
        if decl.get("nodeType") not in CALLABLE:
            return decl
        owner = self.owner(decl)
        if owner is None or owner.get("contractKind") == "library":
            return decl
        ids = [c["id"] for c in context]
        if owner["id"] not in ids and not is_super:
            return decl
        start = 0
        if is_super and from_contract is not None and from_contract["id"] in ids:
            start = ids.index(from_contract["id"]) + 1
        key = signature_key(decl) if decl["nodeType"] == "FunctionDefinition" else (decl.get("name"), ())
        for base in context[start:]:
            for member in self.members(base, decl["nodeType"]):
                member_key = signature_key(member) if decl["nodeType"] == "FunctionDefinition" else (member.get("name"), ())
                if member_key == key and member.get("body") is not None:
                    return member
        return decl

    def callees(self, fn: Node, context: list[Node]) -> list[Node]:
        """Functions and modifiers ``fn`` invokes (modifiers applied to it, internal, library and super calls)."""
        out: list[Node] = []
        from_contract = self.owner(fn)
        for mod in fn.get("modifiers", []) or []:
            decl = self.node(mod.get("modifierName", {}).get("referencedDeclaration"))
            if decl is not None and decl.get("nodeType") in CALLABLE:
                out.append(self.resolve(decl, context, from_contract))
        body = fn.get("body")
        if body is None:
            return out
        for node in walk(body):
            if node["nodeType"] not in ("Identifier", "MemberAccess"):
                continue
            decl = self.node(node.get("referencedDeclaration"))
            if decl is None or decl.get("nodeType") not in CALLABLE:
                continue
            is_super = node["nodeType"] == "MemberAccess" and node.get("expression", {}).get("name") == "super"
            out.append(self.resolve(decl, context, from_contract, is_super))
        return out

    def closure(
        self, roots: Iterable[Node], context: list[Node], *, stop: Callable[[Node], bool] | None = None
    ) -> list[Node]:
        """``roots`` and everything they invoke, transitively (each callee once). ``stop`` prunes a callee."""
        seen: dict[int, Node] = {}
        pending = list(roots)
        while pending:
            fn = pending.pop()
            if fn["id"] in seen:
                continue
            seen[fn["id"]] = fn
            for callee in self.callees(fn, context):
                if callee["id"] not in seen and (stop is None or not stop(callee)):
                    pending.append(callee)
        return list(seen.values())

    def body_nodes(self, fns: Iterable[Node]) -> Iterator[tuple[Node, Node]]:
        """``(function, node)`` for every node in the bodies of ``fns`` (not in nested declarations)."""
        for fn in fns:
            if fn.get("body") is not None:
                for node in walk(fn["body"]):
                    yield fn, node


def is_builtin_call(node: Node, names: Iterable[str]) -> bool:
    """A call to a Solidity builtin such as ``require``/``revert``/``selfdestruct`` (negative declaration id)."""
    if node.get("nodeType") != "FunctionCall":
        return False
    callee = node.get("expression", {})
    return callee.get("nodeType") == "Identifier" and callee.get("name") in set(names) and is_builtin_id(
        callee.get("referencedDeclaration")
    )


def is_builtin_id(decl_id: int | None) -> bool:
    # Builtins have negative ids; some solc builds (solcjs here) print them as unsigned 32-bit (-18 -> 4294967278).
    return decl_id is None or decl_id < 0 or decl_id >= 2**31


def is_yul_call(node: Node, names: Iterable[str]) -> bool:
    return node.get("nodeType") == "YulFunctionCall" and node.get("functionName", {}).get("name") in set(names)
