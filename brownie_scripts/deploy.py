"""brownie run deploy [--network development|hardhat] — deploy (or resume) Strata and record it.

The plan is strata's own (``strata.protocol.deploy_protocol``, the one ``ape run deploy`` runs); brownie only
provides the chain through ``strata.brownie_backend``. Writes ``deployments/local-brownie-<chain>.json``.
"""

from __future__ import annotations

from strata.brownie_backend import deploy, native


def main() -> None:
    deployment = deploy(log=lambda message: print(f"  {message}"))
    record = deployment.deployer.record
    width = max(len(name) for name in record.contracts)
    for name, entry in record.contracts.items():
        if name.endswith("Implementation"):
            continue
        suffix = f"  -> {entry.implementation} (v{entry.version})" if entry.implementation else ""
        print(f"  {name:<{width}}  {entry.address}{suffix}")
    pool = native(deployment.protocol.pool)
    print(f"reserves: {len(pool.getReservesList())}, governance: {deployment.protocol.registry.governance()}")
    print(f"record: {deployment.record_file} ({deployment.deployer.steps_taken} steps sent)")
