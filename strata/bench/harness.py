"""Harness timings: seconds to compile from clean, deploy the protocol, run the test suite, and upgrade a module.

    python -m strata.bench.harness                  # what `make bench` runs after the gas benchmark
    python -m strata.bench.harness --suite          # also run `make test` now and time it (~15-25 min)

Writes ``bench/results/harness.json`` and ``harness.md`` (apart from ``gas.json``: these figures vary from run to
run, gas does not). Figures, not thresholds; wall seconds on a shared machine are noisy, so the CPU seconds of the
child processes and the load average are written next to them.

- **compile from clean**: ``ape compile -f`` in a fresh temporary copy of the project's sources (``contracts/``,
  ``interfaces/``, ``ape-config.yaml``; ``.deps`` and ``node_modules`` linked): no ``.build`` and no
  ``contracts/.cache``, as after ``make clean``. Your own ``.build`` is never touched. OpenZeppelin's dependency
  packages come from ape's cache in ``~/.ape`` either way (``make clean`` does not clear it).
- **deploy**: the whole deploy plan (``strata.protocol.deploy_protocol``, what ``ape run deploy`` runs) on the fresh
  Anvil that ``ape run bench_upgrade`` starts.
- **upgrade cycle**: in the same process, LiquidationEngine 1.0.0 -> 2.0.0 through the pipeline: check (against the
  kept build-info of the deployed 1.0.0) + deploy + rehearse + propose, vote, queue, execute + verify + record.
- **test suite**: by default the last complete, passing, whole-suite ``make test`` as that run recorded it in
  ``.cache/test-timing.json`` (``strata.bench.suite_timing``), with its date and commit; ``--suite`` runs ``make
  test`` first. ``n/a`` when no such run is recorded on this machine.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import click

from strata.bench.report import write_json, write_text
from strata.bench.suite_timing import TIMING_FILE

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"
# What `ape compile` reads: copied (sources) or linked (installed packages) into the clean copy.
COPIED = ("contracts", "interfaces", "ape-config.yaml")
LINKED = (".deps", "node_modules")
NETWORK = "ethereum:local:foundry"


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


@dataclass
class Timed:
    seconds: float
    cpu_seconds: float
    returncode: int
    output: str


def run_timed(args: list[str], cwd: Path, *, stream: bool = False, env: dict[str, str] | None = None) -> Timed:
    """Runs a command, returns wall and child-CPU seconds; ``stream``: output goes to the terminal (not kept)."""
    wall, cpu = time.perf_counter(), _child_cpu()
    proc = subprocess.run(
        args, cwd=cwd, env=env, text=True,
        stdout=None if stream else subprocess.PIPE, stderr=None if stream else subprocess.STDOUT,
    )
    return Timed(time.perf_counter() - wall, _child_cpu() - cpu, proc.returncode, proc.stdout or "")


class HarnessError(click.ClickException):
    pass


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


# ------------------------------------------------------------------------------------------------- measures


def clean_copy(dest: Path, root: Path = ROOT) -> Path:
    """The project's sources in ``dest`` with no build output, installed packages linked."""
    for name in COPIED:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns(".cache", ".build"), symlinks=True)
        else:
            shutil.copy2(src, dest / name)
    for name in LINKED:
        if (root / name).exists():
            (dest / name).symlink_to((root / name).resolve())
    return dest


def measure_compile(root: Path = ROOT) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="strata-compile-") as tmp:
        copy = clean_copy(Path(tmp), root)
        sources = sum(1 for _ in (copy / "contracts").rglob("*.sol")) + sum(1 for _ in (copy / "interfaces").rglob("*.sol"))
        timed = run_timed(["ape", "compile", "-f"], copy)
    if timed.returncode != 0:
        raise HarnessError(f"ape compile -f failed in the clean copy (exit {timed.returncode}):\n{_tail(timed.output)}")
    return {
        "seconds": round(timed.seconds, 1),
        "cpu_seconds": round(timed.cpu_seconds, 1),
        "project_sources": sources,
        "how": "ape compile -f in a fresh copy of contracts/ + interfaces/ (no .build, no contracts/.cache)",
    }


def measure_deploy_and_upgrade(root: Path = ROOT) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="strata-upgrade-") as tmp:
        out = Path(tmp) / "figures.json"
        timed = run_timed(["ape", "run", "bench_upgrade", "--network", NETWORK, "--json", str(out)], root)
        if timed.returncode != 0 or not out.is_file():
            raise HarnessError(f"ape run bench_upgrade failed (exit {timed.returncode}):\n{_tail(timed.output)}")
        figures = json.loads(out.read_text())
    figures["process"] = {"seconds": round(timed.seconds, 1), "cpu_seconds": round(timed.cpu_seconds, 1)}
    return figures


def run_suite(root: Path = ROOT) -> int:
    """``make test`` now, output to the terminal; it records its own timing (``.cache/test-timing.json``)."""
    return run_timed(["make", "test"], root, stream=True).returncode


def suite_figure(path: Path = TIMING_FILE) -> dict[str, Any]:
    """The last complete, passing, whole-suite ``make test`` (as it recorded itself), or why there is none."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {"seconds": None, "why": f"no `make test` recorded on this machine ({path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} missing): run `make test` or `make bench BENCH_SUITE=1`"}
    full = data.get("last_full")
    last = data.get("last") or {}
    out: dict[str, Any]
    if not full:
        state = "failed" if last.get("complete") and not last.get("passed") else ("partial" if last.get("args") or not last.get("complete") else "?")
        out = {"seconds": None, "why": f"no complete passing whole-suite `make test` recorded (last run: {state})"}
    else:
        tests = {k: 0 for k in ("passed", "failed", "error", "skipped")}
        for part in full["parts"].values():
            for k, v in part.get("tests", {}).items():
                tests[k] = tests.get(k, 0) + v
        out = {
            "seconds": full["seconds"],
            "parts": {name: part["seconds"] for name, part in full["parts"].items()},
            "finished_at": full.get("finished_at"),
            "commit": full.get("commit"),
            "tests": tests,
            "load_average_at_end": {name: part.get("load_average_at_end") for name, part in full["parts"].items()},
        }
    if last and full and last.get("run") != full.get("run"):
        out["later_run"] = {
            "finished_at": last.get("finished_at"), "args": last.get("args"),
            "complete": last.get("complete"), "passed": last.get("passed"), "seconds": last.get("seconds"),
        }
    return out


def _commit(root: Path = ROOT) -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
        # Outputs of make bench itself (results, the README block) do not make the measured code "changed".
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results", ":!README.md"],
            cwd=root, capture_output=True, text=True, timeout=10,
        )
        return (out.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")) or None
    except (OSError, subprocess.SubprocessError):
        return None


# ------------------------------------------------------------------------------------------------- report


def rows(figures: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(what, seconds, how/notes) for the table, from harness.json's content."""
    c, d, s = figures["compile_from_clean"], figures["deploy_and_upgrade"], figures["test_suite"]
    up = d["upgrade"]
    stages = ", ".join(f"{k} {up[k]:.1f}" for k in ("check", "deploy", "rehearse", "govern+verify"))
    out = [
        ("compile from clean", f"{c['seconds']:.1f}", f"{c['project_sources']} project sources + OpenZeppelin; child CPU {c['cpu_seconds']:.1f} s"),
        ("deploy the whole protocol", f"{d['deploy']['seconds']:.1f}", f"deploy plan on a fresh Anvil, {d['deploy']['blocks']} transactions"),
        ("one upgrade cycle", f"{up['seconds']:.1f}", f"LiquidationEngine 1.0.0 → 2.0.0: {stages}"),
    ]
    if s.get("seconds") is None:
        out.append(("test suite (make test)", "n/a", s.get("why", "")))
    else:
        t = s["tests"]
        note = f"{t.get('passed', 0)} passed, {t.get('skipped', 0)} skipped; make test at {s['finished_at']} (commit {s.get('commit')})"
        if figures.get("suite_measured_now"):
            note = "measured now: " + note
        later = s.get("later_run")
        if later:
            what = "selected tests" if later.get("args") else ("failed" if later.get("complete") else "incomplete")
            note += f"; a later run ({what}) at {later.get('finished_at')} is not counted"
        out.append(("test suite (make test)", f"{s['seconds']:.0f}", note))
    return out


def markdown(figures: dict[str, Any]) -> str:
    m = figures["machine"]
    lines = [
        "# Harness timings",
        "",
        f"Measured {figures['measured_at']} at commit {figures.get('commit')} on {m['cpus']} CPUs, load average "
        f"{m['load_average_before']} before and {m['load_average_after']} after. Wall seconds; they vary with the "
        "machine's load (the gas figures do not). Generated by `make bench` (`python -m strata.bench.harness`); "
        "see docs/benchmarks.md.",
        "",
        "| what | seconds | how |",
        "|---|---:|---|",
    ]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows(figures)]
    return "\n".join(lines) + "\n"


def table(figures: dict[str, Any]) -> Any:
    from rich.table import Table

    t = Table(title="Harness timings (seconds, wall)")
    t.add_column("what", no_wrap=True)
    t.add_column("seconds", justify="right")
    t.add_column("how", overflow="fold")
    for row in rows(figures):
        t.add_row(*row)
    return t


def measure(*, suite: bool = False, status: Callable[[str], Any] | None = None) -> dict[str, Any]:
    from contextlib import nullcontext

    status = status or (lambda message: nullcontext())
    before = _load()
    figures: dict[str, Any] = {
        "measured_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "commit": _commit(),
    }
    with status("compiling from clean (ape compile -f in a temporary copy)…"):
        figures["compile_from_clean"] = measure_compile()
    with status("deploying the protocol and upgrading a module (ape run bench_upgrade)…"):
        figures["deploy_and_upgrade"] = measure_deploy_and_upgrade()
    if suite:
        figures["suite_exit"] = run_suite()
        figures["suite_measured_now"] = True
    figures["test_suite"] = suite_figure()
    figures["machine"] = {"cpus": os.cpu_count(), "load_average_before": before, "load_average_after": _load()}
    return figures


@click.command()
@click.option("--suite", is_flag=True, help="Run `make test` now and time it (~15-25 min); default: the last recorded run.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=RESULTS, show_default=True)
def main(suite: bool, out_dir: Path) -> None:
    """Time compile-from-clean, deploy, one upgrade cycle and the test suite; write harness.json and harness.md."""
    from strata.cli import console as make_console

    console = make_console()
    figures = measure(suite=suite, status=lambda message: console.status(message))
    write_json(out_dir / "harness.json", figures)
    write_text(out_dir / "harness.md", markdown(figures))
    console.rule("Harness timings")
    console.print(table(figures))
    console.print(f"results: {out_dir / 'harness.json'}, {out_dir / 'harness.md'}")
    if suite and figures.get("suite_exit"):
        console.print(f"[red]make test failed (exit {figures['suite_exit']}): the suite figure is the last passing run[/red]")
        sys.exit(1)


if __name__ == "__main__":
    main()
