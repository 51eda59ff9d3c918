"""Shims for known incompatibilities between our pinned tool versions (each says which and why)."""

from __future__ import annotations

import ast
from typing import Any, Callable


HARDHAT_HOST_VARIABLE = "APE_HARDHAT_HOST"


def patch_ape_hardhat() -> bool:
    """The ape-hardhat 0.8.5 shims below; what the test suite and the scripts apply. False without ape-hardhat."""
    return (
        patch_ape_hardhat_error_decoding()
        and patch_ape_hardhat_impersonated_reverts()
        and patch_ape_hardhat_host_variable()
    )


def _rpc_error_payload(value: Any) -> Any:
    """web3 7 hands a node's JSON-RPC error over as the ``str`` of its dict: the dict again, else ``value``."""
    if isinstance(value, str) and value.startswith("{"):
        try:
            return ast.literal_eval(value)
        except (ValueError, SyntaxError):
            pass
    return value


def _hardhat_provider() -> Any:
    """ape-hardhat's provider class, or None when ape-hardhat is not installed."""
    try:
        from ape_hardhat.provider import HardhatProvider
    except ImportError:
        return None
    return HardhatProvider


def _wrap_once(owner: type, name: str, wrap: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
    """Replaces the method (or property getter) ``owner.name`` by ``wrap(original)``, once: a shim applied again
    (the suite and a script both apply them) finds its own mark and leaves the attribute as it is."""
    attribute = getattr(owner, name)
    original = attribute.fget if isinstance(attribute, property) else attribute
    if getattr(original, "_strata_patched", False):
        return
    wrapped = wrap(original)
    wrapped._strata_patched = True  # type: ignore[attr-defined]
    setattr(owner, name, property(wrapped) if isinstance(attribute, property) else wrapped)


def patch_ape_hardhat_error_decoding() -> bool:
    """ape-hardhat 0.8.5 expects web3's RPC error as a dict; web3 7.16 hands it over as the dict's ``str``.

    ape-hardhat then cuts the custom-error return data out of that string wrongly and every custom-error revert
    on a Hardhat node surfaces as ``binascii.Error``. Turning the string back into the dict restores ape's
    normal decoding (``ape.reverts(contract.CustomError)`` works on Hardhat as on Anvil). Idempotent; returns
    False when ape-hardhat is not installed.
    """
    provider = _hardhat_provider()
    if provider is None:
        return False

    def wrap(original: Callable[..., Any]) -> Callable[..., Any]:
        def get_virtual_machine_error(self: Any, exception: Exception, **kwargs: Any) -> Any:
            if exception.args:
                parsed = _rpc_error_payload(exception.args[0])
                if isinstance(parsed, dict):
                    exception.args = (parsed, *exception.args[1:])
            return original(self, exception, **kwargs)

        return get_virtual_machine_error

    _wrap_once(provider, "get_virtual_machine_error", wrap)
    return True


def patch_ape_hardhat_impersonated_reverts() -> bool:
    """ape-hardhat 0.8.5 turns a reverted transaction of an impersonated (unlocked) account into a
    ``ContractLogicError`` only when web3 raises ``ValueError``; web3 7 raises ``Web3RPCError`` (not a
    ``ValueError``, its payload the dict's ``str``), so the raw RPC error escaped ``ape.reverts``.

    Hardhat mines the failing transaction and names it (``data.txHash``): this does what ape-hardhat meant to do —
    decode the revert into ape's error for that receipt. Idempotent; returns False without ape-hardhat.
    """
    provider = _hardhat_provider()
    if provider is None:
        return False
    from web3.exceptions import Web3RPCError

    def wrap(original: Callable[..., Any]) -> Callable[..., Any]:
        def send_transaction(self: Any, txn: Any) -> Any:
            try:
                return original(self, txn)
            except Web3RPCError as err:
                payload = _rpc_error_payload(err.args[0]) if err.args else None
                if not isinstance(payload, dict):
                    raise
                data = payload.get("data")
                tx = self.get_receipt(data["txHash"]) if isinstance(data, dict) and "txHash" in data else txn
                raise self.get_virtual_machine_error(ValueError(payload), txn=tx) from err

        return send_transaction

    _wrap_once(provider, "send_transaction", wrap)
    return True


def patch_ape_hardhat_host_variable() -> bool:
    """``APE_HARDHAT_HOST=<url>`` attaches ``ethereum:local:hardhat`` to a node already running there, as
    ``APE_FOUNDRY_HOST`` does for ape-foundry; ape-hardhat 0.8.5 has no such variable (its env prefix is ``APE_``
    and ape-config.yaml's ``host: auto`` wins over it), so a child ``ape run`` started its own, empty node.

    The variable wins over ape-config.yaml's host, as ape-foundry's does. Idempotent; False without ape-hardhat.
    """
    import os

    provider = _hardhat_provider()
    if provider is None:
        return False

    def wrap(original: Callable[..., Any]) -> Callable[..., Any]:
        def uri(self: Any) -> str:
            if self._host is None and (host := os.environ.get(HARDHAT_HOST_VARIABLE)):
                self._host = host
            return original(self)

        return uri

    _wrap_once(provider, "uri", wrap)
    return True
