"""OpenZeppelin's upgrade-safety validator, run through ``tools/upgrades/validate.js`` (Node).

The wrapper prints JSON and exits 0 (safe), 1 (unsafe) or 2 (tool error); anything else, or output that is not
its JSON, is a tool error too. A tool error never reads as "safe": :func:`run_batch` returns it per request and
:func:`strata.upgrades.check_upgrade` raises :class:`~strata.upgrades.errors.ValidatorError`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Sequence

from strata.upgrades.buildinfo import PROJECT_ROOT, BuildInfo
from strata.upgrades.errors import ValidatorError

WRAPPER = PROJECT_ROOT / "tools" / "upgrades" / "validate.js"
EXIT_SAFE, EXIT_UNSAFE, EXIT_TOOL_ERROR = 0, 1, 2
DEFAULT_TIMEOUT = 600


def node_binary() -> str:
    node = os.environ.get("STRATA_NODE") or shutil.which("node")
    if not node:
        raise ValidatorError("node not found on PATH (OpenZeppelin's validator runs on Node; run `make install`)")
    return node


def build_info_file(bi: BuildInfo) -> Path:
    """A file holding ``bi`` for the Node side: its own file if it has one, else a content-addressed temp copy."""
    if bi.path is not None and Path(bi.path).is_file():
        return Path(bi.path)
    target = Path(tempfile.gettempdir()) / "strata-build-info" / f"{bi.id}.json"
    if not target.is_file():
        path_before = bi.path
        bi.save(target)
        bi.path = path_before  # the in-memory build-info keeps its identity; the copy is ours
    return target


def _run(args: Sequence[str], timeout: float) -> tuple[int, dict[str, Any]]:
    cmd = [node_binary(), str(WRAPPER), *args]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=PROJECT_ROOT, check=False)
    except subprocess.TimeoutExpired as err:
        raise ValidatorError(f"OpenZeppelin validator timed out after {timeout:.0f} s") from err
    try:
        payload = json.loads(proc.stdout)
    except json.JSONDecodeError as err:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        raise ValidatorError(f"OpenZeppelin validator crashed (exit {proc.returncode}): {tail[0]}") from err
    if proc.returncode not in (EXIT_SAFE, EXIT_UNSAFE, EXIT_TOOL_ERROR):
        raise ValidatorError(f"OpenZeppelin validator exited {proc.returncode}")
    return proc.returncode, payload


def run_single(
    build_info: str | Path,
    contract: str,
    reference: str | None = None,
    reference_build_info: str | Path | None = None,
    *,
    unsafe_allow: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
) -> tuple[int, dict[str, Any]]:
    """``validateUpgradeSafety`` on one pair: ``(exit code, JSON result)``; the code tells unsafe from tool error."""
    args = ["--build-info", str(build_info), "--contract", contract]
    if reference:
        args += ["--reference", reference]
    if reference_build_info:
        args += ["--reference-build-info", str(reference_build_info)]
    if unsafe_allow:
        args += ["--unsafe-allow", ",".join(unsafe_allow)]
    return _run(args, timeout)


def run_batch(requests: Sequence[dict[str, Any]], *, timeout: float = DEFAULT_TIMEOUT) -> tuple[int, dict[str, Any]]:
    """Many pairs in one Node process (each build-info validated once): ``(exit code, {results, warnings})``.

    Each request: ``{id, buildInfo, contract, reference?, referenceBuildInfo?, unsafeAllow?, unsafeAllowRenames?}``.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="strata-oz-batch-", delete=False) as fh:
        json.dump(list(requests), fh)
        path = fh.name
    try:
        return _run(["--batch", path], timeout)
    finally:
        Path(path).unlink(missing_ok=True)


def core_version() -> str:
    """Version of ``@openzeppelin/upgrades-core`` the wrapper loads."""
    for root in (PROJECT_ROOT, Path.cwd()):
        package = root / "node_modules" / "@openzeppelin" / "upgrades-core" / "package.json"
        if package.is_file():
            return json.loads(package.read_text()).get("version", "?")
    return "?"
