#!/usr/bin/env python3
"""The fault matrix of `conform check` (bench/README.md): for every fault mode of the reference
server, run `conform check --embedded-fault F --format json` and print the check the fault's rule
belongs to (the last column of `conform serve --list-faults`), whether that check caught it, every
other check that failed, and the requests and wall time of the run.

  bench/check_matrix.py build/release/cli/conform > matrix.md
"""
import json
import subprocess
import sys


def run(conform, *args):
    done = subprocess.run([conform, *args], capture_output=True, text=True, timeout=600)
    return done.returncode, done.stdout


def main():
    conform = sys.argv[1] if len(sys.argv) > 1 else "build/release/cli/conform"
    _, listing = run(conform, "serve", "--list-faults")
    faults = []
    for line in listing.splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 5:
            faults.append({"name": cells[0].strip("`"), "check": cells[-1].strip("`")})
    print("| fault | its check (level) | caught | other checks failed | exit | requests | wall |")
    print("|---|---|---|---|---|---|---|")
    missed = 0
    for fault in faults:
        code, out = run(conform, "check", "--embedded-fault", fault["name"], "--format", "json")
        report = json.loads(out)
        status = {case["name"]: case["status"] for case in report["cases"]}
        levels = {}
        for case in report["cases"]:
            for finding in case.get("findings", []):
                levels.setdefault(case["name"], finding["level"])
        named = fault["check"]
        caught = status.get(named) in ("failed", "warning") or any(
            f.get("check_id") == named
            for case in report["cases"] for f in case.get("findings", []))
        missed += 0 if caught else 1
        others = sorted(n for n, s in status.items() if s == "failed" and n != named)
        print(f"| `{fault['name']}` | `{named}` ({levels.get(named, '-')}) | "
              f"{'yes' if caught else '**NO**'} | {', '.join(others) or '-'} | {code} | "
              f"{report['stats']['requests']} | {report['stats']['wall time']} |")
    print(f"\n{len(faults) - missed} of {len(faults)} faults caught by their own check")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
