"""Strata's Python harness: deployment records, deployer, upgrade pipeline, governance and views.

The package holds the logic; ``scripts/`` are thin ``ape run`` entry points over it.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
