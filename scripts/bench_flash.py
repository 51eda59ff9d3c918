"""ape run bench_flash — gas of a flash loan through the FlashLoanModule, with a per-call breakdown.

Deploys a fresh protocol on the local network (registry, oracle, rate model, LendingPool, FlashLoanModule, one
18-decimal token listed with supplied liquidity and open debt), then measures receipt gas (intrinsic 21k and
calldata included, refunds deducted) of a 1,000-token ERC-3156 flash loan through a minimal receiver that holds
tokens for the fee, in three shapes:

- standard: an EOA calls ``module.flashLoan(receiver, ...)``; the receiver approves ``amount + fee`` in its
  callback (the ERC-3156 pattern);
- receiver-initiated: the same receiver starts the loan itself (one more call frame), as Morpho's
  FlashBorrowerMock does in the planners' reference figures (Aave V3 flashLoanSimple 164.2k, Morpho Blue
  76.6k; target <= 95.7k);
- pre-approved: the receiver approved the module once (unlimited) and starts the loan, the shape of
  ``ape run bench`` (docs/benchmarks.md), where Morpho Blue measures 46.8k and Aave V3 158.3k.

Each loan runs in a later block than the previous touch of the reserve, so the pool accrues interest as it would in
production.
"""

from __future__ import annotations

import click

from strata.cli import StrataCommand, friendly_errors

AAVE_V3 = 164_200  # reference shape (approve in the callback)
MORPHO_BLUE = 76_600
TARGET = 95_700
BENCH_AAVE_V3 = 158_279  # `ape run bench` shape (pre-approved receivers), bench/results/gas.md
BENCH_MORPHO_BLUE = 46_767


def _module_id(name: str) -> bytes:
    return name.encode("ascii").ljust(32, b"\0")


def _proxy(project, sender, contract, *args):
    impl = sender.deploy(contract)
    proxy = sender.deploy(project.ModuleProxy, impl, impl.initialize.encode_input(*args))
    return contract.at(proxy.address), impl


def _deploy(project, chain, accounts, fee_bps: int, pool_kind: str):
    governance, guardian, supplier, debtor = accounts[0], accounts[1], accounts[2], accounts[3]
    registry, _ = _proxy(project, governance, project.ModuleRegistry, governance, guardian)
    token = governance.deploy(project.MockERC20, "Wrapped Ether", "WETH", 18)
    names = {registry.address: "registry", token.address: "token"}

    if pool_kind == "real":
        oracle, _ = _proxy(project, governance, project.PriceOracle, registry)
        registry.setModule(_module_id("PRICE_ORACLE"), oracle, sender=governance)
        rate_model = governance.deploy(project.KinkedRateModel, int(0.02e18), int(0.1e18), int(0.8e18), int(1e18))
        pool, pool_impl = _proxy(project, governance, project.LendingPool, registry)
        names[pool_impl.address] = "pool impl"
        feed = governance.deploy(project.MockAggregatorV3, 8, 3_000 * 10**8)
        oracle.setFeed(token, feed, 10 * 365 * 86400, 1, 10**30, sender=governance)
        pool.listReserve(token, (8_000, 8_500, 500, 1_000, 0, 0, True), rate_model, sender=governance)
    else:
        pool = governance.deploy(project.FlashPoolMock, registry)
        pool.setAllowed(token, True, sender=governance)
    names[pool.address] = "pool"
    registry.setModule(_module_id("LENDING_POOL"), pool, sender=governance)

    module, module_impl = _proxy(project, governance, project.FlashLoanModule, registry, fee_bps)
    names[module.address] = "module (proxy)"
    names[module_impl.address] = "module impl"
    registry.setModule(_module_id("FLASH_LOAN_MODULE"), module, sender=governance)
    pool.syncModules(sender=governance)

    liquidity = 1_000_000 * 10**18
    token.mint(supplier, liquidity, sender=supplier)
    if pool_kind == "real":
        token.approve(pool, liquidity, sender=supplier)
        pool.supply(token, liquidity, supplier, sender=supplier)
        collateral = 10_000 * 10**18
        token.mint(debtor, collateral, sender=debtor)
        token.approve(pool, collateral, sender=debtor)
        pool.supply(token, collateral, debtor, sender=debtor)
        pool.borrow(token, collateral // 2, debtor, sender=debtor)
    else:
        token.transfer(pool, liquidity, sender=supplier)

    receiver = governance.deploy(project.MinimalFlashBorrowerMock, True)
    approved = governance.deploy(project.MinimalFlashBorrowerMock, False)
    approved.approveOnce(token, module, sender=governance)
    names[receiver.address] = "receiver"
    names[approved.address] = "receiver"
    for who in (receiver, approved):
        token.mint(who, 100 * 10**18, sender=governance)  # pays the fees
    return module, pool, token, receiver, approved, names


def _trace(chain, txn_hash, names) -> list[str]:
    try:
        root = chain.provider.make_request("debug_traceTransaction", [txn_hash, {"tracer": "callTracer"}])
    except Exception as err:  # a node without the call tracer
        return [f"(no call trace: {err})"]
    lines: list[str] = []

    def walk(node, depth):
        target = names.get(chain.provider.network.ecosystem.decode_address(node["to"]), node["to"])
        selector = (node.get("input") or "0x")[:10]
        lines.append(f"{'  ' * depth}{node['type']:<12} {target:<16} {selector}  {int(node['gasUsed'], 16):>7,}")
        for child in node.get("calls") or []:
            walk(child, depth + 1)

    walk(root, 0)
    return lines


@click.command(cls=StrataCommand, short_help="Gas of a flash loan through the FlashLoanModule")
@click.option("--amount", default=1_000, show_default=True, help="Whole tokens borrowed (18 decimals).")
@click.option("--fee-bps", default=5, show_default=True, help="Flash fee of the reserve, in basis points.")
@click.option("--pool", "pool_kind", type=click.Choice(["real", "mock"]), default="real", show_default=True,
              help="real: the LendingPool; mock: FlashPoolMock, to isolate the module's own cost.")
@click.option("--trace/--no-trace", default=True, show_default=True, help="Print the per-call gas breakdown.")
@friendly_errors
def cli(provider, amount: int, fee_bps: int, pool_kind: str, trace: bool) -> None:
    """Deploy a fresh protocol on this (local) network and print the gas of flash loans."""
    from ape import accounts, chain, project

    from strata.chain import is_local_network

    if not is_local_network(provider):
        raise click.ClickException("bench_flash deploys a throwaway protocol: run it on a local network only")
    test_accounts = accounts.test_accounts
    initiator = test_accounts[5]
    module, pool, token, receiver, approved, names = _deploy(project, chain, test_accounts, fee_bps, pool_kind)
    wei = amount * 10**18

    def loan(label: str, shape: str):
        chain.pending_timestamp = chain.blocks.head.timestamp + 12  # a later block: the pool accrues
        if shape == "standard":
            receipt = module.flashLoan(receiver, token, wei, b"", sender=initiator)
        elif shape == "receiver-initiated":
            receipt = receiver.flashBorrow(module, token, wei, sender=initiator)
        else:
            receipt = approved.flashBorrow(module, token, wei, sender=initiator)
        click.echo(f"  {label:<68} {receipt.gas_used:>8,}")
        return receipt

    click.echo(f"flash loan of {amount:,} tokens, pool={pool_kind}, fee={fee_bps} bps (receipt gas)")
    loan("first loan (standard shape)", "standard")
    standard = loan("standard: EOA -> module.flashLoan(receiver), approve in callback", "standard")
    initiated = loan("receiver-initiated: EOA -> receiver -> module, approve in callback", "receiver-initiated")
    loan("first loan, pre-approved receiver", "pre-approved")
    preapproved = loan("pre-approved: EOA -> receiver -> module, approved once", "pre-approved")
    module.setFlashFee(token, 0, sender=test_accounts[0])
    free = loan("standard, reserve's own fee 0 (reads the reserve's slot)", "standard")

    click.echo("")
    for label, gas, aave, morpho in (
        ("standard", standard.gas_used, AAVE_V3, MORPHO_BLUE),
        ("receiver-initiated", initiated.gas_used, AAVE_V3, MORPHO_BLUE),
        ("pre-approved", preapproved.gas_used, BENCH_AAVE_V3, BENCH_MORPHO_BLUE),
    ):
        click.echo(
            f"{label:<19} {gas:>8,} gas | Aave V3 {aave:,} ({gas / aave:.2f}x) | "
            f"Morpho Blue {morpho:,} ({gas / morpho:.2f}x)"
        )
    verdict = "within" if initiated.gas_used <= TARGET else "ABOVE"
    click.echo(
        f"target {TARGET:,} (1.25x Morpho, reference shape): receiver-initiated is {verdict}; "
        f"fee-0 {free.gas_used:,}"
    )
    if trace:
        click.echo("\nper-call gas of the standard loan (gasUsed of each frame, children included):")
        for line in _trace(chain, standard.txn_hash, names):
            click.echo("  " + line)
