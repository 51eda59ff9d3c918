"""Gas benchmark of Strata against Aave V3 and Morpho Blue on one Anvil (see docs/benchmarks.md)."""
