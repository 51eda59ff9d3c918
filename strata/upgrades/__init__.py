"""Upgrade safety check (part 1 of the upgrade pipeline): build-info, OpenZeppelin's validator, Strata's rules.

- :mod:`strata.upgrades.buildinfo`: standard-JSON compile through py-solc-x into ``hh-sol-build-info-1`` files,
  and :class:`BuildInfoStore`, the kept build-info of every deployed version (``build-info/<Contract>-<version>.json``).
- :mod:`strata.upgrades.references`: which kept build-info is the reference of the next upgrade (the deployed
  version's), and ``record_all`` (``make build-info``).
- :mod:`strata.upgrades.safety`: :func:`check_upgrade` -> :class:`SafetyReport`.
- :mod:`strata.upgrades.oz`: ``tools/upgrades/validate.js`` (OpenZeppelin's ``upgrades-core``) from Python.
- :mod:`strata.upgrades.rules`: Strata's own rules (what OpenZeppelin misses).

``python -m strata.upgrades --help`` is the command line (compile, record, record-all, check).
"""

from strata.upgrades.buildinfo import (
    BuildInfo,
    BuildInfoStore,
    ContractRef,
    compile_build_info,
    compile_sources,
    collect_sources,
)
from strata.upgrades.errors import BuildInfoError, ContractNotFound, ReferenceMissing, ValidatorError
from strata.upgrades.report import Problem, SafetyReport
from strata.upgrades.safety import UpgradePair, check_upgrade, check_upgrades

__all__ = [
    "BuildInfo",
    "BuildInfoError",
    "BuildInfoStore",
    "ContractNotFound",
    "ContractRef",
    "Problem",
    "ReferenceMissing",
    "SafetyReport",
    "UpgradePair",
    "ValidatorError",
    "check_upgrade",
    "check_upgrades",
    "collect_sources",
    "compile_build_info",
    "compile_sources",
]
