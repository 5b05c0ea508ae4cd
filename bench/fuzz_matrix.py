#!/usr/bin/env python3
"""The fault matrix of bench/README.md: `conform fuzz --strict` (every property) against the
embedded reference server with each fault mode, over several seeds.

For each fault: the property written for the rule it breaks (the table of
tests/fuzz/fuzz_properties_test.cc), the requests and seconds it needed to find the fault (the
search until the first failing case, reference walk included: what `conform fuzz --property P`
alone needs), the shrunk case of the median seed, and the property that found it with the fewest
requests. Raw results go to --raw as JSON.

  bench/fuzz_matrix.py build/fuzz-rel/cli/conform --seeds 1 2 3 4 5 --raw /tmp/raw.json > matrix.md
"""
import argparse
import json
import re
import statistics
import subprocess

NOTE = re.compile(r"failed at case (\d+) after (\d+) requests \(([\d.]+) s\); shrunk (\d+) times to: (.*)$")

# The property written for each fault's rule (same table as tests/fuzz/fuzz_properties_test.cc).
RULE_PROPERTY = {
    "page-drops-item": "walk_matches_reference",
    "page-repeats-item": "walk_matches_reference",
    "page-size-uncapped": "walk_matches_reference",
    "default-page-size-100": "walk_matches_reference",
    "page-size-zero-empty": "walk_matches_reference",
    "negative-page-size-accepted": "invalid_input_rejected_not_5xx",
    "desc-ignored": "order_holds_across_pages",
    "secondary-order-ignored": "order_holds_across_pages",
    "unstable-ties": "same_request_same_page",
    "unknown-order-field-ignored": "invalid_input_rejected_not_5xx",
    "not-equal-as-equal": "filter_sound_and_complete",
    "or-binds-looser": "filter_sound_and_complete",
    "timestamps-as-strings": "filter_sound_and_complete",
    "unknown-filter-field-accepted": "invalid_input_rejected_not_5xx",
    "total-size-of-page": "total_size_consistent",
    "token-not-bound-to-filter": "token_bound_to_parameters",
    "token-not-bound-to-account": "token_bound_to_parameters",
    "garbage-token-500": "invalid_input_rejected_not_5xx",
    "last-page-loops": "walk_matches_reference",
    "token-on-last-page": "walk_matches_reference",
    "premature-end": "walk_matches_reference",
    "date-time-without-offset": "walk_matches_reference",
    "state-outside-enum": "walk_matches_reference",
    "total-size-as-string": "walk_matches_reference",
    "missing-dataset": "walk_matches_reference",
    "missing-auth-accepted": "auth_required",
    "token-replay-without-auth": "auth_required",
    "cross-account-key": "auth_required",
    "read-mask-ignored": "read_mask_projects",
    "api-key-in-clear": "walk_matches_reference",
    "error-shape-detail": "invalid_input_rejected_not_5xx",
    "error-code-mismatch": "invalid_input_rejected_not_5xx",
    "content-type-text-plain": "walk_matches_reference",
}


def faults(conform):
    listing = subprocess.run([conform, "serve", "--list-faults"], capture_output=True, text=True, check=True).stdout
    return [line.split("`")[1] for line in listing.splitlines() if line.startswith("| `")]


def run(conform, fault, seed, extra):
    command = [conform, "fuzz", "--strict", "--format", "json", "--seed", str(seed), "--embedded-fault", fault] + extra
    done = subprocess.run(command, capture_output=True, text=True)
    report = json.loads(done.stdout)
    found = {}
    for case in report["cases"]:
        match = NOTE.match(case.get("note", ""))
        if case["status"] == "failed" and match:
            found[case["name"]] = {"case": int(match.group(1)), "requests": int(match.group(2)),
                                   "seconds": float(match.group(3)), "shrinks": int(match.group(4)),
                                   "shrunk": match.group(5)}
    return {"exit_code": done.returncode, "found": found, "wall_time": report["stats"].get("wall time", "")}


def cell(text):
    return text.replace("|", "\\|")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("conform")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--raw", default="")
    parser.add_argument("--extra", nargs=argparse.REMAINDER, default=[])
    args = parser.parse_args()
    raw = {}
    for fault in faults(args.conform):
        raw[fault] = {str(seed): run(args.conform, fault, seed, args.extra) for seed in args.seeds}
    if args.raw:
        with open(args.raw, "w") as out:
            json.dump(raw, out, indent=1)

    print("| fault | property for its rule | requests until found: median (max) | seconds until found: "
          "median (max) | shrunk case (median seed) | fewest requests: property (median) |")
    print("|---|---|---|---|---|---|")
    worst = {"requests": 0, "seconds": 0.0}
    for fault, seeds in raw.items():
        prop = RULE_PROPERTY.get(fault, "?")
        runs = [seeds[s]["found"].get(prop) for s in seeds]
        if any(r is None for r in runs):
            missed = sum(r is None for r in runs)
            print(f"| `{fault}` | `{prop}` | NOT FOUND in {missed} of {len(runs)} seeds | | | |")
            continue
        requests = [r["requests"] for r in runs]
        seconds = [r["seconds"] for r in runs]
        worst["requests"] = max(worst["requests"], max(requests))
        worst["seconds"] = max(worst["seconds"], max(seconds))
        median_run = sorted(runs, key=lambda r: r["requests"])[len(runs) // 2]
        best = [min(s["found"].items(), key=lambda kv: kv[1]["requests"]) for s in seeds.values()]
        counts = {}
        for name, _ in best:
            counts[name] = counts.get(name, 0) + 1
        first = max(counts, key=counts.get)
        first_requests = statistics.median(r["requests"] for name, r in best)
        print(f"| `{fault}` | `{prop}` | {statistics.median(requests):g} ({max(requests)}) "
              f"| {statistics.median(seconds):.2f} ({max(seconds):.2f}) | {cell(median_run['shrunk'])} "
              f"| `{first}` ({first_requests:g}) |")
    print(f"\nWorst over every fault and seed, for the property of its rule: {worst['requests']} requests, "
          f"{worst['seconds']:.2f} s.")


if __name__ == "__main__":
    main()
