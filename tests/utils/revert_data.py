"""The revert data a node returns for a failed raw ``eth_call``, whichever node answered."""

from typing import Any


def revert_bytes(data: Any) -> bytes:
    """``err.data`` of web3's ContractLogicError as bytes: Anvil gives the hex string, Hardhat an object
    ``{"message": ..., "data": "0x<revert data>"}``; a revert without data gives ``b""``."""
    if isinstance(data, dict):
        data = data.get("data")
    return bytes.fromhex(data[2:]) if isinstance(data, str) else bytes(data or b"")
