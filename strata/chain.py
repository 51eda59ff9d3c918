"""Small chain helpers shared by the deployer, the views and the upgrade pipeline."""

from __future__ import annotations

from typing import Any

# bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1)
EIP1967_IMPLEMENTATION_SLOT = 0x360894A13BA1A3210667C828492DB98DCA3E2076CC3735A920A3CA505D382BBC
# bytes32(uint256(keccak256("eip1967.proxy.admin")) - 1)
EIP1967_ADMIN_SLOT = 0xB53127684A568B3173AE13B9F8A6016E243E63B6E8EE1178D6A717850B5D6103


def read_slot_address(provider: Any, address: str, slot: int) -> str:
    """The address stored in the low 20 bytes of a storage slot, checksummed."""
    from eth_utils import to_checksum_address

    raw = bytes(provider.get_storage(address, slot))
    return to_checksum_address(raw[-20:].rjust(20, b"\0"))


def implementation_of(provider: Any, proxy: str) -> str:
    """The implementation an ERC-1967 proxy delegates to, read from its storage (not from any record)."""
    return read_slot_address(provider, proxy, EIP1967_IMPLEMENTATION_SLOT)


def is_local_network(provider: Any) -> bool:
    return provider.network.name == "local"


def default_local_sender(accounts: Any) -> Any:
    """On a devchain, the first funded test account stands in for the deployer."""
    return accounts.test_accounts[0]
