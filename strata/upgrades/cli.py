"""``python -m strata.upgrades``: compile build-info, keep a deployed version's reference, check an upgrade.

Exit codes follow the validator wrapper: 0 safe, 1 unsafe, 2 cannot tell (tool or usage error).
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import click

from strata.errors import StrataError
from strata.upgrades.buildinfo import PROJECT_ROOT, BuildInfoStore, ContractRef, compile_build_info
from strata.upgrades.report import SafetyReport
from strata.upgrades.safety import UpgradePair, check_upgrades

EXIT_UNSAFE = 1
EXIT_TOOL_ERROR = 2


def _fail(err: Exception) -> None:
    text = (str(err).strip() or err.__class__.__name__).splitlines()[0]
    click.echo(f"Error: {text}", err=True)
    sys.exit(EXIT_TOOL_ERROR)


def _source_of(contract: str, root: Path = PROJECT_ROOT) -> str:
    """The project file declaring ``contract`` (contracts/ and interfaces/, dependency caches excluded)."""
    pattern = re.compile(rf"^\s*(?:abstract\s+)?(?:contract|interface|library)\s+{re.escape(contract)}\b", re.M)
    found = []
    for folder in ("contracts", "interfaces"):
        for path in sorted((root / folder).rglob("*.sol")):
            rel = path.relative_to(root)
            if not any(part.startswith(".") for part in rel.parts) and pattern.search(path.read_text()):
                found.append(rel.as_posix())
    if len(found) != 1:
        where = ", ".join(found) if found else "no file"
        raise StrataError(f"{contract} is declared in {where}: pass --source")
    return found[0]


def _store(ctx: click.Context) -> BuildInfoStore:
    return BuildInfoStore(ctx.obj["store"])


def _emit(reports: list[SafetyReport], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in reports], indent=2))
    else:
        for report in reports:
            report.render()
    if not all(r.ok for r in reports):
        sys.exit(EXIT_UNSAFE)


@click.group()
@click.option(
    "--store", type=click.Path(file_okay=False, path_type=Path), default=BuildInfoStore.DEFAULT_DIR, show_default=True,
    help="Folder of kept build-infos (<Contract>-<version>.json).",
)
@click.pass_context
def cli(ctx: click.Context, store: Path) -> None:
    """Upgrade safety: build-info, kept references of deployed versions, and the check itself."""
    ctx.obj = {"store": store}


@cli.command("compile")
@click.argument("sources", nargs=-1, required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Build-info file to write.")
def compile_cmd(sources: tuple[str, ...], out: Path) -> None:
    """Compile SOURCES (project paths) and their imports into one hh-sol-build-info-1 file."""
    try:
        started = time.perf_counter()
        bi = compile_build_info(sources, cache_dir=False)
        bi.save(out)
    except StrataError as err:
        _fail(err)
    click.echo(f"{out}: {sum(1 for _ in bi.contracts())} contracts, {len(bi.input['sources'])} sources, "
               f"compiled in {time.perf_counter() - started:.1f} s")


@cli.command()
@click.argument("contract")
@click.argument("version")
@click.option("--source", help="Project file declaring CONTRACT (default: found under contracts/).")
@click.option("--replace", is_flag=True, help="Overwrite a kept build-info compiled from other code (rarely right).")
@click.pass_context
def record(ctx: click.Context, contract: str, version: str, source: str | None, replace: bool) -> None:
    """Keep the build-info of CONTRACT at VERSION (as deployed): the reference its next upgrade is checked against."""
    try:
        path = _store(ctx).record(contract, version, source or _source_of(contract), replace=replace)
    except StrataError as err:
        _fail(err)
    click.echo(f"kept {contract} {version}: {path}")


@cli.command("record-all")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when a kept file is missing or no longer matches its source.")
@click.option("--replace", is_flag=True, help="Rewrite stale files (refused for versions a committed deployments/*.json names).")
@click.argument("contracts", nargs=-1)
@click.pass_context
def record_all_cmd(ctx: click.Context, check: bool, replace: bool, contracts: tuple[str, ...]) -> None:
    """Keep the build-info of every deployable contract's current version (the deploy plan's proxied modules and
    the shipped upgrades' targets, or CONTRACTS): what `make build-info` runs."""
    from strata.upgrades.references import display_path, record_all

    if check and replace:
        raise click.UsageError("--check writes nothing: drop --replace")
    started = time.perf_counter()
    try:
        results = record_all(_store(ctx), contracts or None, replace=replace, check=check,
                             log=lambda m: click.echo(f"  {m}", err=True))
    except StrataError as err:
        _fail(err)
    for r in results:
        click.echo(f"{r.status:9} {r.contract:24} {r.version:8} {display_path(r.path)} ({r.sources} sources)")
    click.echo(f"{len(results)} contracts in {time.perf_counter() - started:.1f} s")
    bad = [r for r in results if not r.ok]
    if bad:
        click.echo(
            "Error: kept build-info missing or stale: " + ", ".join(f"{r.contract} {r.version} ({r.status})" for r in bad)
            + " (make build-info keeps them; a stale version that was deployed needs a VERSION bump)", err=True,
        )
        sys.exit(EXIT_UNSAFE)


@cli.command("list")
@click.pass_context
def list_cmd(ctx: click.Context) -> None:
    """List the kept build-infos."""
    for contract, version, path in _store(ctx).entries():
        click.echo(f"{contract:32} {version:12} {path}")


@cli.command()
@click.argument("contract")
@click.option("--against", "version", help="Kept version to compare with (default: the latest kept).")
@click.option("--candidate", help="Candidate contract name (default: CONTRACT).")
@click.option("--source", help="Candidate source file (default: where the kept version was compiled from).")
@click.option("--interface", "interfaces", multiple=True, help="Interface the candidate must keep (repeatable).")
@click.option("--allow", multiple=True, help="Waive a problem kind, `kind` or `kind:subject` (repeatable).")
@click.option("--no-oz", is_flag=True, help="Strata's rules only (storage layout is then not compared).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def check(
    ctx: click.Context, contract: str, version: str | None, candidate: str | None, source: str | None,
    interfaces: tuple[str, ...], allow: tuple[str, ...], no_oz: bool, as_json: bool,
) -> None:
    """Check upgrading CONTRACT from its kept build-info to the code in the working tree."""
    try:
        store = _store(ctx)
        current = store.ref(contract, version)
        kept = current.load()
        candidate_name = candidate or contract
        sources = [source or kept.find(contract).rpartition(":")[0]]
        sources += [_source_of(i) for i in interfaces]
        fresh = compile_build_info(sources)
        pair = UpgradePair(
            current, ContractRef(fresh, candidate_name), tuple(ContractRef(fresh, i) for i in interfaces), allow
        )
        reports = check_upgrades([pair], oz=not no_oz)
    except StrataError as err:
        _fail(err)
    _emit(reports, as_json)


@cli.command("check-all")
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON.")
@click.pass_context
def check_all(ctx: click.Context, as_json: bool) -> None:
    """Check every kept contract (latest version) against the working tree, in one compile and one OZ run."""
    try:
        store = _store(ctx)
        latest = {contract: store.latest(contract) for contract, _, _ in store.entries()}
        if not latest:
            click.echo(f"nothing kept in {store.root}: record deployed versions with `record CONTRACT VERSION`")
            return
        currents = {c: store.ref(c, v) for c, v in latest.items()}
        sources = sorted({ref.load().find(c).rpartition(":")[0] for c, ref in currents.items()})
        missing = [s for s in sources if not (PROJECT_ROOT / s).is_file()]
        if missing:
            raise StrataError(f"kept contracts' sources are gone: {', '.join(missing)} (check them one by one)")
        fresh = compile_build_info(sources)
        reports = check_upgrades([UpgradePair(ref, ContractRef(fresh, c)) for c, ref in currents.items()])
    except StrataError as err:
        _fail(err)
    _emit(reports, as_json)


def main() -> None:
    cli(prog_name="python -m strata.upgrades")
