"""``python -m strata.upgrades``: check a kept reference against the working tree; 0 safe, 1 unsafe, 2 cannot tell."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from strata.upgrades import BuildInfoStore
from strata.upgrades.cli import cli


@pytest.fixture(scope="module")
def store_dir(upgrade_build_info, tmp_path_factory):
    # Kept as if RetypedStorageV1Mock 1.0.0 were deployed; its source file also holds the unsafe V2.
    root = tmp_path_factory.mktemp("build-info")
    BuildInfoStore(root).save("RetypedStorageV1Mock", "1.0.0", upgrade_build_info.subset(["RetypedStorageV1Mock"]))
    return root


def _run(store_dir, *args):
    return CliRunner().invoke(cli, ["--store", str(store_dir), *args], catch_exceptions=False)


def test_cli_check__unchanged_contract__exit_0_safe(store_dir):
    result = _run(store_dir, "check", "RetypedStorageV1Mock")
    assert result.exit_code == 0, result.output
    assert "SAFE" in result.output and "UNSAFE" not in result.output


def test_cli_check__unsafe_candidate__exit_1_with_finding_as_json(store_dir):
    result = _run(store_dir, "check", "RetypedStorageV1Mock", "--candidate", "RetypedStorageV2Mock", "--json")
    assert result.exit_code == 1, result.output
    (report,) = json.loads(result.output)
    assert report["ok"] is False
    assert {(p["kind"], p["subject"]) for p in report["problems"]} == {
        ("storage-typechange", "RetypedStorageMockStorage.total")
    }


def test_cli_check__nothing_kept_for_contract__exit_2(store_dir):
    result = CliRunner().invoke(cli, ["--store", str(store_dir), "check", "PriceOracle"])
    assert result.exit_code == 2
    assert "no build-info kept for PriceOracle" in result.output


def test_cli_list_and_check_all__kept_entries__listed_and_checked(store_dir, tmp_path):
    listing = _run(store_dir, "list")
    assert "RetypedStorageV1Mock" in listing.output and "1.0.0" in listing.output
    assert _run(store_dir, "check-all").exit_code == 0
    empty = _run(tmp_path, "check-all")
    assert empty.exit_code == 0 and "nothing kept" in empty.output
