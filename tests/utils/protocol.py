"""The protocol object the whole suite shares: one real deployment per session, through ``strata``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strata.deployer import Deployer, chain_identity, open_record
from strata.protocol import Protocol, ProtocolConfig, deploy_protocol


@dataclass
class TestProtocol:
    deployer: Deployer
    protocol: Protocol

    @property
    def registry(self) -> Any:
        return self.protocol.registry

    @property
    def record(self) -> Any:
        return self.deployer.record


def deploy_for_tests(project: Any, chain: Any, deployer_account: Any, guardian: Any) -> TestProtocol:
    """Deploys with the same plan as ``ape run deploy``, keeping the record in memory only."""
    record = open_record(chain_identity(chain, chain.provider), path=None)
    deployer = Deployer(project, chain, deployer_account, record, record_file=None)
    protocol = deploy_protocol(deployer, ProtocolConfig(guardian=guardian.address))
    return TestProtocol(deployer=deployer, protocol=protocol)
