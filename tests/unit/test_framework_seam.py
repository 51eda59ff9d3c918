"""The framework seam (strata/backend.py): what brownie's venv imports must not need ape, and the brownie
handles must speak strata's calling convention. No chain here (brownie itself runs in tests_brownie/)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from strata.backend import ApeBackend, ChainBackend
from strata.brownie_backend import BrownieBackend, BrownieContract, BrownieMethod, StructValue

ROOT = Path(__file__).resolve().parents[2]

# What strata.brownie_backend.deploy imports, directly, through strata.protocol, or lazily in the deployer
# (the kept build-info named in each proxy's record entry).
BROWNIE_IMPORTED = (
    "strata.backend",
    "strata.brownie_backend",
    "strata.deployer",
    "strata.governance",
    "strata.modules",
    "strata.protocol",
    "strata.records",
    "strata.upgrades.references",
)


@pytest.fixture(scope="module", autouse=True)
def strata():
    """No protocol deployment for this module: nothing here touches a chain."""
    return None


class _FakeMethod:
    """Stands for a brownie ContractTx: records how it was called."""

    def __init__(self, result=None):
        self.calls = []
        self.result = result

    def __call__(self, *args):
        self.calls.append(args)
        return self.result

    def encode_input(self, *args):
        self.calls.append(("encode", *args))
        return "0x1234"


class _FakeReturnValue(tuple):
    """Stands for brownie's ReturnValue: a tuple with a ``_dict`` of named fields."""

    def __new__(cls, values, names):
        self = tuple.__new__(cls, values)
        self._dict = dict(zip(names, values))
        return self


def test_brownie_imported_modules__ape_unimportable__import_cleanly():
    blocker = (
        "import importlib.abc, sys\n"
        "class NoApe(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'ape' or name.startswith(('ape.', 'ape_')):\n"
        "            raise ImportError('ape is not installed here')\n"
        "sys.meta_path.insert(0, NoApe())\n"
        f"for module in {BROWNIE_IMPORTED!r}:\n"
        "    __import__(module)\n"
    )
    result = subprocess.run([sys.executable, "-c", blocker], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_backends__both__implement_chain_backend():
    assert isinstance(ApeBackend(project=None, chain=None), ChainBackend)
    assert isinstance(BrownieBackend(project={}), ChainBackend)


def test_brownie_method__sender_keyword__becomes_brownie_tx_dict():
    native = _FakeMethod()
    token = BrownieContract.__new__(BrownieContract)
    token.native = type("N", (), {"address": "0x00000000000000000000000000000000000000aa"})()
    BrownieMethod(native)(token, 5, sender="alice", value=7)
    assert native.calls == [("0x00000000000000000000000000000000000000aa", 5, {"from": "alice", "value": 7})]


def test_brownie_method__brownie_tx_dict__passed_through():
    native = _FakeMethod()
    BrownieMethod(native)(1, {"from": "bob"})
    assert native.calls == [(1, {"from": "bob"})]


def test_brownie_method__encode_input__bytes():
    assert BrownieMethod(_FakeMethod()).encode_input(1) == bytes.fromhex("1234")


def test_brownie_method__struct_result__fields_as_attributes():
    native = _FakeMethod(result=_FakeReturnValue(("0xfeed", 86_400), ("feed", "heartbeat")))
    result = BrownieMethod(native)("0xasset")
    assert isinstance(result, StructValue)
    assert result.feed == "0xfeed" and result.heartbeat == 86_400
    assert tuple(result) == ("0xfeed", 86_400)
