"""strata/compat.py's ape-hardhat shims, without a Hardhat node: what each one changes in ape-hardhat's behaviour."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from ape_hardhat.provider import HardhatProvider

from strata.compat import HARDHAT_HOST_VARIABLE, _rpc_error_payload, patch_ape_hardhat


def _unconnected_provider(config_host: str | None) -> SimpleNamespace:
    """What HardhatProvider.uri reads of its instance before it connects."""
    return SimpleNamespace(_host=None, config_host=config_host)


def test_patch_ape_hardhat__applied_twice__patches_once():
    assert patch_ape_hardhat() is True
    uri = HardhatProvider.uri
    send_transaction = HardhatProvider.send_transaction
    assert patch_ape_hardhat() is True
    assert HardhatProvider.uri is uri
    assert HardhatProvider.send_transaction is send_transaction


def test_hardhat_uri__host_variable_set__wins_over_the_configured_host(monkeypatch):
    patch_ape_hardhat()
    monkeypatch.setenv(HARDHAT_HOST_VARIABLE, "http://127.0.0.1:40123")
    provider = _unconnected_provider("auto")
    assert HardhatProvider.uri.fget(provider) == "http://127.0.0.1:40123"
    assert provider._host == "http://127.0.0.1:40123"


def test_hardhat_uri__host_variable_unset__configured_host_as_before(monkeypatch):
    patch_ape_hardhat()
    monkeypatch.delenv(HARDHAT_HOST_VARIABLE, raising=False)
    assert HardhatProvider.uri.fget(_unconnected_provider("auto")) == "auto"
    assert HardhatProvider.uri.fget(_unconnected_provider("127.0.0.1:9545")) == "http://127.0.0.1:9545"


def test_hardhat_uri__already_connected__keeps_its_host(monkeypatch):
    patch_ape_hardhat()
    monkeypatch.setenv(HARDHAT_HOST_VARIABLE, "http://127.0.0.1:40123")
    provider = SimpleNamespace(_host="http://127.0.0.1:8545", config_host="auto")
    assert HardhatProvider.uri.fget(provider) == "http://127.0.0.1:8545"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("{'code': -32603, 'message': 'reverted', 'data': '0x1234'}", {"code": -32603, "message": "reverted", "data": "0x1234"}),
        ("{not a dict", "{not a dict"),
        ("execution reverted", "execution reverted"),
        ({"code": 3}, {"code": 3}),
    ],
)
def test_rpc_error_payload__web3_7_stringified_dict__is_the_dict_again(value, expected):
    assert _rpc_error_payload(value) == expected
