"""pytest plugin: how long ``make test`` took, kept in ``.cache/test-timing.json`` for ``make bench`` to report.

``make test`` runs the suite in two ``ape test`` processes (the pipeline tests in their own) and loads this plugin in
both (``-p strata.bench.suite_timing``) with, in the environment:

    STRATA_SUITE_RUN       one id per ``make test`` (both processes share it)
    STRATA_SUITE_PART      this process's part: ``main`` or ``pipeline``
    STRATA_SUITE_PARTS     every part of a run, in order (``main,pipeline``)
    STRATA_SUITE_STARTED   epoch seconds when the shell started the process (so ape's start-up and Anvil count)
    STRATA_SUITE_ARGS      ``PYTEST_ARGS`` of the run (empty: the whole suite)
    STRATA_SUITE_FILE      another file than ``.cache/test-timing.json`` (tests of the plugin)

It only observes: every error of its own is swallowed, the exit status and the output are pytest's. Without
``STRATA_SUITE_RUN`` (a plain ``ape test``) it does nothing.

The file keeps the latest run (``last``) and the latest complete, passing, whole-suite run (``last_full``): every
part recorded, each exit status 0, no ``PYTEST_ARGS`` selection. ``make bench`` reports ``last_full``.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TIMING_FILE = ROOT / ".cache" / "test-timing.json"
OUTCOMES = ("passed", "failed", "error", "skipped", "xfailed", "xpassed")

_started = time.time()


def pytest_sessionstart(session: Any) -> None:
    global _started
    _started = time.time()


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    try:
        if os.environ.get("STRATA_SUITE_RUN"):
            record_part(session, int(exitstatus), path=Path(os.environ.get("STRATA_SUITE_FILE") or TIMING_FILE))
    except Exception:  # noqa: BLE001 - a timing file must never change a test run
        pass


def _counts(session: Any) -> dict[str, int]:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    stats = getattr(reporter, "stats", {}) or {}
    return {k: len([r for r in stats.get(k, []) if getattr(r, "when", "call") in ("call", "setup", "teardown")]) for k in OUTCOMES}


def _commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or None
    except Exception:  # noqa: BLE001
        return None


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n")
    tmp.replace(path)


def record_part(session: Any, exitstatus: int, *, path: Path = TIMING_FILE, now: float | None = None) -> dict[str, Any]:
    env = os.environ
    now = time.time() if now is None else now
    run_id = env["STRATA_SUITE_RUN"]
    part = env.get("STRATA_SUITE_PART", "main")
    parts = [p for p in env.get("STRATA_SUITE_PARTS", part).split(",") if p]
    try:
        started = float(env["STRATA_SUITE_STARTED"])
    except (KeyError, ValueError):
        started = _started
    data = _load(path)
    run = data.get("last") if isinstance(data.get("last"), dict) and data["last"].get("run") == run_id else None
    if run is None:
        run = {
            "run": run_id,
            "args": env.get("STRATA_SUITE_ARGS", "").strip(),
            "commit": _commit(),
            "cpus": os.cpu_count(),
            "started_at": datetime.fromtimestamp(started, timezone.utc).replace(microsecond=0).isoformat(),
            "expected_parts": parts,
            "parts": {},
        }
    run["parts"][part] = {
        "seconds": round(now - started, 1),
        "exitstatus": exitstatus,
        "tests": _counts(session),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    done = all(p in run["parts"] for p in run["expected_parts"])
    run["complete"] = done
    run["passed"] = done and all(run["parts"][p]["exitstatus"] == 0 for p in run["expected_parts"])
    run["seconds"] = round(sum(p["seconds"] for p in run["parts"].values()), 1)
    run["finished_at"] = datetime.fromtimestamp(now, timezone.utc).replace(microsecond=0).isoformat()
    data["last"] = run
    if run["passed"] and not run["args"]:
        data["last_full"] = run
    _write(path, data)
    return run
