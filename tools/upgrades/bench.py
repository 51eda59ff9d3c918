"""Prints how long the upgrade safety check takes, step by step (a benchmark: figures, no assertions).

    python tools/upgrades/bench.py            # from the project root, with the venv and SOLCX_BINARY_PATH set

Wall time depends on the machine's load; "cpu" is the CPU time of the child processes (solc, node), which is the
stabler figure on a shared machine.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from strata.upgrades import ContractRef, UpgradePair, check_upgrades, compile_build_info  # noqa: E402
from strata.upgrades.oz import build_info_file, run_single  # noqa: E402
from strata.upgrades.rules import Side, run_rules  # noqa: E402

MODULES = {
    "ModuleRegistry": "contracts/registry/ModuleRegistry.sol",
    "PriceOracle": "contracts/oracle/PriceOracle.sol",
}


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def timed(label: str):
    wall, cpu, own = time.perf_counter(), _child_cpu(), time.process_time()
    yield
    print(
        f"{label:58} wall {time.perf_counter() - wall:6.2f} s   child cpu {_child_cpu() - cpu:6.2f} s"
        f"   python cpu {time.process_time() - own:5.2f} s",
        flush=True,
    )


def main() -> None:
    with open("/proc/loadavg") as fh:
        print(f"load average: {fh.read().split()[:3]}")
    built = {}
    for name, source in MODULES.items():
        with timed(f"build-info compile, one contract: {name} (no cache)"):
            built[name] = compile_build_info([source], cache_dir=False)
        print(f"    {len(built[name].input['sources'])} sources, {build_info_file(built[name]).stat().st_size / 1e6:.2f} MB")
    fixtures = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "contracts/mocks/upgrades").glob("*.sol"))
    with tempfile.TemporaryDirectory() as cache:
        with timed(f"build-info compile, {len(fixtures)} fixture files in one solc call (cold)"):
            bi = compile_build_info(fixtures, cache_dir=Path(cache))
        with timed("same compile again, served from the cache"):
            compile_build_info(fixtures, cache_dir=Path(cache))
        bi.path = None  # the cache goes away with the folder
    path = build_info_file(bi)
    with timed("OZ single mode (validateUpgradeSafety), one pair"):
        run_single(path, "RetypedStorageV2Mock", "RetypedStorageV1Mock")
    contracts = {n for _, n in bi.contracts()}
    names = sorted(n[: -len("V2Mock")] for n in contracts if n.endswith("V2Mock") and f"{n[:-6]}V1Mock" in contracts)
    pairs = [UpgradePair(ContractRef(bi, f"{n}V1Mock"), ContractRef(bi, f"{n}V2Mock")) for n in names]
    with timed(f"check_upgrades, {len(pairs)} pairs, OZ batch + Strata rules"):
        check_upgrades(pairs)
    with timed(f"check_upgrades, {len(pairs)} pairs, Strata rules only"):
        check_upgrades(pairs, oz=False)
    with timed("Strata rules, one pair (AST already indexed)"):
        run_rules(Side(bi, bi.find("SafeUpgradeV1Mock")), Side(bi, bi.find("SafeUpgradeV2Mock")))
    for name, module_bi in built.items():
        with timed(f"check_upgrade {name} -> itself (one-contract build-info)"):
            check_upgrades([UpgradePair(ContractRef(module_bi, name), ContractRef(module_bi, name))])


if __name__ == "__main__":
    main()
