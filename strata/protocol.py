"""The deployment plan of the whole protocol, as idempotent steps over ``Deployer``.

The same function deploys for ``make demo``, ``ape run deploy`` and the test suite's session fixture, so the
tests exercise the real deployment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strata.deployer import Deployer
from strata.modules import REGISTRY, module_id_bytes


@dataclass
class ProtocolConfig:
    """Who holds which role at deployment time."""

    guardian: str


@dataclass
class Protocol:
    """Handles on the deployed contracts (ape instances; proxies typed as their implementations)."""

    registry: Any
    contracts: dict[str, Any] = field(default_factory=dict)


def deploy_protocol(deployer: Deployer, config: ProtocolConfig) -> Protocol:
    """Deploys (or resumes deploying) every module and registers it; returns handles on all of them."""
    registry = deployer.deploy_proxy(
        REGISTRY.name,
        REGISTRY.contract,
        "initialize",
        (deployer.account.address, config.guardian),
        module_id="REGISTRY",
    )
    protocol = Protocol(registry=registry, contracts={REGISTRY.name: registry})
    deployer.record.completed = True
    deployer.save()
    return protocol


def register_module(deployer: Deployer, registry: Any, module_id: str, address: str) -> None:
    """Points ``module_id`` at ``address`` in the registry unless it already does (deployer is governance)."""
    key = module_id_bytes(module_id)
    deployer.ensure(
        f"register {module_id}",
        lambda: registry.moduleOf(key) == address,
        lambda: registry.setModule(key, address, sender=deployer.account),
    )
