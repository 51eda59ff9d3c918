"""Build-info: our standard-JSON compile (format, settings mirrored from ape-config.yaml, self-contained sources),
the import resolver, the compile cache, and the store of deployed versions (build-info/<Contract>-<version>.json)."""

from __future__ import annotations

import json

import pytest
import yaml

from strata.upgrades import BuildInfo, BuildInfoError, BuildInfoStore, ContractNotFound, ContractRef, check_upgrade
from strata.upgrades.buildinfo import (
    BUILD_INFO_FORMAT,
    CONTRACT_OUTPUTS,
    collect_sources,
    compile_build_info,
    imports_of,
    resolve_import,
    source_file,
)
from tests.upgrades.safety.cases import ROOT

# ---------------------------------------------------------------------------------------------- format


def test_build_info__file__hardhat_format_with_every_field(upgrade_build_info, tmp_path):
    data = json.loads(upgrade_build_info.save(tmp_path / "bi.json").read_text())
    assert data["_format"] == BUILD_INFO_FORMAT == "hh-sol-build-info-1"
    assert set(data) == {"_format", "id", "solcVersion", "solcLongVersion", "input", "output"}
    assert data["solcVersion"] == "0.8.28" and data["solcLongVersion"].startswith("0.8.28+commit.")


def test_build_info__settings__mirror_ape_config(upgrade_build_info):
    ape = yaml.safe_load((ROOT / "ape-config.yaml").read_text())["solidity"]
    settings = upgrade_build_info.input["settings"]
    assert settings["optimizer"] == {"enabled": ape["optimize"], "runs": ape["optimization_runs"]}
    assert settings["evmVersion"] == ape["evm_version"]
    assert settings["viaIR"] == ape["via_ir"]
    selection = settings["outputSelection"]["*"]
    assert set(CONTRACT_OUTPUTS) <= set(selection["*"]) and selection[""] == ["ast"]
    assert {"abi", "storageLayout", "evm.bytecode.object", "evm.methodIdentifiers"} <= set(selection["*"])


def test_build_info__sources__every_import_inlined(upgrade_build_info):
    sources = upgrade_build_info.input["sources"]
    for unit, body in sources.items():
        assert "content" in body, unit
        for imported in imports_of(body["content"]):
            assert resolve_import(unit, imported) in sources, f"{unit} imports {imported}"
    assert set(upgrade_build_info.output["sources"]) == set(sources)
    assert any(u.startswith("@openzeppelin/contracts-upgradeable/") for u in sources)
    assert any(u.startswith("@openzeppelin/contracts/") for u in sources)


def test_build_info__outputs__layout_methods_and_ast_per_contract(upgrade_build_info):
    out = upgrade_build_info.contract_output(upgrade_build_info.find("SafeUpgradeV2Mock"))
    assert out["storageLayout"]["storage"] == []  # everything lives in ERC-7201 namespaces
    assert "initializeV2(uint256)" in out["evm"]["methodIdentifiers"]
    assert out["evm"]["bytecode"]["object"]
    node = upgrade_build_info.contract_node(upgrade_build_info.find("SafeUpgradeV2Mock"))
    assert node["nodeType"] == "ContractDefinition"


# ---------------------------------------------------------------------------------------------- sources


def test_imports_of__comments_and_forms__only_real_imports():
    text = """
        // import "commented/Out.sol";
        /* import "block/Comment.sol"; */
        import "./Plain.sol";
        import {A, B as C} from "../lib/Named.sol";
        import * as X from "@openzeppelin/contracts/utils/Star.sol";
        import "Aliased.sol" as Y;
        string constant S = "import \\"not/An/Import.sol\\";";
    """
    assert imports_of(text) == ["./Plain.sol", "../lib/Named.sol", "@openzeppelin/contracts/utils/Star.sol", "Aliased.sol"]


def test_resolve_import__relative_and_prefixed__solc_unit_names():
    assert resolve_import("contracts/base/StrataModule.sol", "../../interfaces/I.sol") == "interfaces/I.sol"
    assert resolve_import("@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol", "../beacon/IBeacon.sol") == (
        "@openzeppelin/contracts/proxy/beacon/IBeacon.sol"
    )
    assert resolve_import("contracts/x/Y.sol", "@openzeppelin/contracts/utils/Address.sol") == (
        "@openzeppelin/contracts/utils/Address.sol"
    )


def test_source_file__openzeppelin_prefixes__mapped_to_dependency_copies():
    upgradeable = source_file("@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol")
    plain = source_file("@openzeppelin/contracts/utils/Address.sol")
    assert upgradeable.is_file() and "contracts-upgradeable" in str(upgradeable)
    assert plain.is_file() and "contracts-upgradeable" not in str(plain)


def test_collect_sources__missing_file__raises():
    with pytest.raises(BuildInfoError, match="no such source"):
        collect_sources(["contracts/DoesNotExist.sol"])


def test_compile_build_info__compile_error__raises_with_location(tmp_path):
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "Broken.sol").write_text(
        "// SPDX-License-Identifier: MIT\npragma solidity 0.8.28;\ncontract Broken { function f() external { x = 1; } }\n"
    )
    with pytest.raises(BuildInfoError, match=r"Undeclared identifier.*contracts/Broken.sol"):
        compile_build_info(["contracts/Broken.sol"], root=tmp_path, cache_dir=False)


def test_compile_build_info__same_sources__served_from_cache(upgrade_build_info):
    # The session compile went through the cache: asking again returns that entry, by input hash, without solc.
    sources = {u: s["content"] for u, s in upgrade_build_info.input["sources"].items()}
    from strata.upgrades.buildinfo import compile_sources

    again = compile_sources(sources)
    assert again.id == upgrade_build_info.id
    assert again.path is not None and again.path.name.endswith(f"{upgrade_build_info.id}.json")


# ---------------------------------------------------------------------------------------------- model


def test_build_info__find__plain_qualified_unknown_and_ambiguous(upgrade_build_info):
    fqn = upgrade_build_info.find("PriceOracle")
    assert fqn == "contracts/oracle/PriceOracle.sol:PriceOracle"
    assert upgrade_build_info.find(fqn) == fqn
    with pytest.raises(ContractNotFound):
        upgrade_build_info.find("NoSuchContract")
    with pytest.raises(ContractNotFound):
        upgrade_build_info.find("contracts/oracle/PriceOracle.sol:Nope")


def test_build_info__load__not_build_info__raises(tmp_path):
    (tmp_path / "x.json").write_text(json.dumps({"_format": "ethers-rs-sol-build-info-1"}))
    with pytest.raises(BuildInfoError, match="not an hh-sol-build-info-1"):
        BuildInfo.load(tmp_path / "x.json")
    (tmp_path / "y.json").write_text("{")
    with pytest.raises(BuildInfoError, match="not JSON"):
        BuildInfo.load(tmp_path / "y.json")


# ---------------------------------------------------------------------------------------------- store


def _tiny(tag: str = "a", contract: str = "PriceOracle") -> BuildInfo:
    """A minimal build-info holding ``contract`` (the store only needs to find it), distinct per ``tag``."""
    source = f"contracts/{contract}.sol"
    return BuildInfo(
        id=f"tiny-{tag}",
        solc_version="0.8.28",
        solc_long_version="0.8.28+commit.7893614a",
        input={"language": "Solidity", "sources": {source: {"content": f"// {tag}"}}, "settings": {}},
        output={"contracts": {source: {contract: {"abi": []}}}, "sources": {}},
    )


def test_store__save_then_load__round_trip(tmp_path):
    store = BuildInfoStore(tmp_path / "build-info")
    path = store.save("PriceOracle", "1.0.0", _tiny())
    assert path == tmp_path / "build-info" / "PriceOracle-1.0.0.json"
    kept = store.load("PriceOracle", "1.0.0")
    assert kept.id == "tiny-a" and kept.path == path and kept.to_json() == _tiny().to_json()
    assert store.entries() == [("PriceOracle", "1.0.0", path)]
    assert path.stat().st_mode & 0o777 == 0o644  # a file for the repo, not a private temp file


def test_store__versions__sorted_semver_latest_last(tmp_path):
    store = BuildInfoStore(tmp_path)
    for i, version in enumerate(["1.10.0", "1.2.0", "2.0.0-rc1", "2.0.0", "1.0.0"]):
        store.save("PriceOracle", version, _tiny(str(i)))
    store.save("PriceOracleV2", "9.0.0", _tiny("v2", "PriceOracleV2"))
    assert store.versions("PriceOracle") == ["1.0.0", "1.2.0", "1.10.0", "2.0.0-rc1", "2.0.0"]
    assert store.latest("PriceOracle") == "2.0.0"
    assert store.versions("PriceOracleV2") == ["9.0.0"]


def test_store__same_version_other_code__refused(tmp_path):
    store = BuildInfoStore(tmp_path)
    store.save("PriceOracle", "1.0.0", _tiny("a"))
    store.save("PriceOracle", "1.0.0", _tiny("a"))  # identical: idempotent
    with pytest.raises(BuildInfoError, match="immutable"):
        store.save("PriceOracle", "1.0.0", _tiny("b"))
    store.save("PriceOracle", "1.0.0", _tiny("b"), replace=True)
    assert store.load("PriceOracle", "1.0.0").id == "tiny-b"


def test_store__contract_not_in_build_info__refused(tmp_path):
    with pytest.raises(ContractNotFound):
        BuildInfoStore(tmp_path).save("LendingPool", "1.0.0", _tiny())


def test_store__unknown_version_or_bad_name__raises(tmp_path):
    store = BuildInfoStore(tmp_path)
    store.save("PriceOracle", "1.0.0", _tiny())
    with pytest.raises(BuildInfoError, match=r"kept: 1\.0\.0"):
        store.load("PriceOracle", "9.9.9")
    with pytest.raises(BuildInfoError):
        store.latest("ModuleRegistry")
    with pytest.raises(BuildInfoError):
        store.path_for("../evil", "1.0.0")


def test_build_info__subset__only_needed_sources_and_still_checkable(upgrade_build_info):
    part = upgrade_build_info.subset(["SafeUpgradeV2Mock"])
    assert "contracts/mocks/upgrades/SafeUpgrade.sol" in part.input["sources"]
    assert "contracts/base/StrataModule.sol" in part.input["sources"]
    assert "contracts/oracle/PriceOracle.sol" not in part.input["sources"]
    assert set(part.output["sources"]) == set(part.input["sources"]) and part.id != upgrade_build_info.id
    report = check_upgrade(ContractRef(part, "SafeUpgradeV1Mock"), ContractRef(part, "SafeUpgradeV2Mock"))
    assert report.ok, report


def test_store__kept_reference__checks_like_fresh_compile(upgrade_build_info, tmp_path):
    # The reference of the next upgrade comes from the store (its own file), the candidate from a fresh compile.
    store = BuildInfoStore(tmp_path)
    store.save("RetypedStorageV1Mock", "1.0.0", upgrade_build_info.subset(["RetypedStorageV1Mock"]))
    report = check_upgrade(store.ref("RetypedStorageV1Mock"), ContractRef(upgrade_build_info, "RetypedStorageV2Mock"))
    assert [p.subject for p in report.find("storage-typechange")] == ["RetypedStorageMockStorage.total"]


def test_compile_cache__many_entries__pruned_to_newest(tmp_path):
    import os

    from strata.upgrades.buildinfo import _prune_cache

    for i in range(5):
        entry = tmp_path / f"solc-0.8.28-{i}.json"
        entry.write_text("{}")
        os.utime(entry, (1_000 + i, 1_000 + i))
    (tmp_path / "unrelated.json").write_text("{}")
    _prune_cache(tmp_path, keep=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["solc-0.8.28-3.json", "solc-0.8.28-4.json", "unrelated.json"]
