#!/usr/bin/env python3
"""Per-contract coverage table from forge's lcov file, and the project's targets.

Usage: coverage_table.py coverage/lcov.info [--min-lines 95] [--min-branches 90] [--markdown FILE]
Exits 1 when the non-mock total is below a target (so CI can use it), 0 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class FileCov:
    path: str
    lines: tuple[int, int] = (0, 0)  # hit, found
    branches: tuple[int, int] = (0, 0)
    functions: tuple[int, int] = (0, 0)


def parse_lcov(text: str) -> list[FileCov]:
    files: list[FileCov] = []
    cur: FileCov | None = None
    da: dict[int, int] = {}
    brda: dict[tuple[str, str, str], bool] = {}
    fnda: dict[str, int] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("SF:"):
            cur, da, brda, fnda = FileCov(line[3:]), {}, {}, {}
        elif cur is None:
            continue
        elif line.startswith("DA:"):
            n, hits = line[3:].split(",")[:2]
            da[int(n)] = max(da.get(int(n), 0), int(hits))
        elif line.startswith("BRDA:"):
            n, block, branch, taken = line[5:].split(",")
            key = (n, block, branch)
            brda[key] = brda.get(key, False) or (taken not in ("-", "0"))
        elif line.startswith("FNDA:"):
            hits, name = line[5:].split(",", 1)
            fnda[name] = max(fnda.get(name, 0), int(hits))
        elif line == "end_of_record":
            cur.lines = (sum(1 for h in da.values() if h > 0), len(da))
            cur.branches = (sum(1 for t in brda.values() if t), len(brda))
            cur.functions = (sum(1 for h in fnda.values() if h > 0), len(fnda))
            files.append(cur)
            cur = None
    return files


def pct(hit_found: tuple[int, int]) -> float:
    hit, found = hit_found
    return 100.0 if found == 0 else 100.0 * hit / found


def cell(hit_found: tuple[int, int]) -> str:
    return f"{pct(hit_found):6.2f}% ({hit_found[0]}/{hit_found[1]})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("lcov", type=Path)
    ap.add_argument("--min-lines", type=float, default=95.0)
    ap.add_argument("--min-branches", type=float, default=90.0)
    ap.add_argument("--markdown", type=Path, help="also write the table as markdown")
    args = ap.parse_args()
    if not args.lcov.is_file():
        print(f"coverage: no lcov file at {args.lcov}", file=sys.stderr)
        return 2
    files = sorted(
        (f for f in parse_lcov(args.lcov.read_text()) if f.path.startswith("contracts/") and "/mocks/" not in f.path),
        key=lambda f: f.path,
    )
    if not files:
        print("coverage: the lcov file names no contract under contracts/", file=sys.stderr)
        return 2
    total = FileCov(
        "total (non-mock contracts)",
        tuple(map(sum, zip(*(f.lines for f in files)))),  # type: ignore[arg-type]
        tuple(map(sum, zip(*(f.branches for f in files)))),  # type: ignore[arg-type]
        tuple(map(sum, zip(*(f.functions for f in files)))),  # type: ignore[arg-type]
    )
    rows = [(f.path.removeprefix("contracts/"), cell(f.lines), cell(f.branches), cell(f.functions)) for f in files]
    rows.append((total.path, cell(total.lines), cell(total.branches), cell(total.functions)))
    head = ("contract", "lines", "branches", "functions")
    width = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    sep = "-+-".join("-" * w for w in width)
    print(" | ".join(h.ljust(w) for h, w in zip(head, width)))
    print(sep)
    for r in rows:
        if r is rows[-1]:
            print(sep)
        print(" | ".join(c.ljust(w) for c, w in zip(r, width)))
    if args.markdown:
        md = ["| contract | lines | branches | functions |", "|---|---:|---:|---:|"]
        md += [f"| {r[0]} | {r[1].strip()} | {r[2].strip()} | {r[3].strip()} |" for r in rows]
        args.markdown.write_text("\n".join(md) + "\n")
    failed = []
    if pct(total.lines) < args.min_lines:
        failed.append(f"lines {pct(total.lines):.2f}% < {args.min_lines}%")
    if pct(total.branches) < args.min_branches:
        failed.append(f"branches {pct(total.branches):.2f}% < {args.min_branches}%")
    if failed:
        print("coverage below target: " + "; ".join(failed), file=sys.stderr)
        return 1
    print(f"coverage targets met (lines >= {args.min_lines}%, branches >= {args.min_branches}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
