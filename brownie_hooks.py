"""Brownie's source hook (eth-brownie 1.22.2 imports ``brownie_hooks`` from the project root when it exists).

ape keeps its dependency copies of OpenZeppelin under ``contracts/.cache/``; brownie reads every ``.sol`` below
``contracts/`` (it skips only path parts that start with ``_``), so it would see each OpenZeppelin contract twice
(its own ``node_modules`` remapping and ape's cache) and refuse to load the project. Brownie gets those files
empty: its OpenZeppelin comes from ``node_modules`` through ``brownie-config.yaml``'s remappings.
"""

from __future__ import annotations

from pathlib import Path

APE_DEPENDENCY_CACHE = ".cache"


def brownie_load_source(path: Path, source: str) -> str:
    """Return ``source`` unchanged, except for files in ape's dependency cache under ``contracts/``."""
    return "" if APE_DEPENDENCY_CACHE in path.parts else source
