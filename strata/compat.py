"""Shims for known incompatibilities between our pinned tool versions (each says which and why)."""

from __future__ import annotations

import ast
from typing import Any


def patch_ape_hardhat_error_decoding() -> bool:
    """ape-hardhat 0.8.5 expects web3's RPC error as a dict; web3 7.16 hands it over as the dict's ``str``.

    ape-hardhat then cuts the custom-error return data out of that string wrongly and every custom-error revert
    on a Hardhat node surfaces as ``binascii.Error``. Turning the string back into the dict restores ape's
    normal decoding (``ape.reverts(contract.CustomError)`` works on Hardhat as on Anvil). Idempotent; returns
    False when ape-hardhat is not installed.
    """
    try:
        from ape_hardhat.provider import HardhatProvider
    except ImportError:
        return False
    original = HardhatProvider.get_virtual_machine_error
    if getattr(original, "_strata_patched", False):
        return True

    def get_virtual_machine_error(self: Any, exception: Exception, **kwargs: Any) -> Any:
        if exception.args and isinstance(exception.args[0], str) and exception.args[0].startswith("{"):
            try:
                parsed = ast.literal_eval(exception.args[0])
            except (ValueError, SyntaxError):
                parsed = None
            if isinstance(parsed, dict):
                exception.args = (parsed, *exception.args[1:])
        return original(self, exception, **kwargs)

    get_virtual_machine_error._strata_patched = True  # type: ignore[attr-defined]
    HardhatProvider.get_virtual_machine_error = get_virtual_machine_error  # type: ignore[method-assign]
    return True
