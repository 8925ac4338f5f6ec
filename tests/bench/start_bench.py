#!/usr/bin/env python3
"""One-shot processes, as a script or a user runs `mailflow -c`: CPU time
(user + system, from wait4's rusage, exec and dynamic loading included) and
minor page faults of each build, interleaved round by round (the order
reversed every other round) so that a noisy host weighs on all alike.

usage: start_bench.py [--rounds N] COMMAND LABEL:BINARY:STORE [LABEL:BINARY:STORE ...]

The first LABEL is the baseline of the ratios. Example (README, "Benchmarks"):
  tests/bench/start_bench.py "Get-MessageTrace -StartDate 2026-11-15 -EndDate 2026-11-22 -PageSize 1000 | Measure-Object" \\
      schema5:/tmp/s5/mailflow:/tmp/s5.db main:build-rel/mailflow:/tmp/main.db
"""
import os
import statistics
import sys


def main(argv):
    rounds = 40
    if len(argv) > 1 and argv[0] == "--rounds":
        rounds, argv = int(argv[1]), argv[2:]
    if len(argv) < 2:
        sys.exit(__doc__)
    command, cases = argv[0], []
    for spec in argv[1:]:
        label, binary, store = spec.split(":")
        cases.append((label, [binary, "--db", store, "-c", command]))
    cpu = {label: [] for label, _ in cases}
    faults = {label: [] for label, _ in cases}
    devnull = os.open(os.devnull, os.O_WRONLY)
    load_before = os.getloadavg()[0]
    for r in range(rounds):
        for label, args in cases if r % 2 == 0 else reversed(cases):
            pid = os.fork()
            if pid == 0:
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                os.execv(args[0], args)
            _, status, usage = os.wait4(pid, 0)
            if status != 0:
                sys.exit(f"start_bench: {label}: {' '.join(args)} exited with status {status}")
            cpu[label].append((usage.ru_utime + usage.ru_stime) * 1000)
            faults[label].append(usage.ru_minflt)
    print(f"{command!r}: {rounds} interleaved rounds, load {load_before:.2f} -> {os.getloadavg()[0]:.2f}")
    base = statistics.median(cpu[cases[0][0]])
    for label, _ in cases:
        v = cpu[label]
        print(f"  {label:14s} CPU ms median {statistics.median(v):6.2f} ({statistics.median(v) / base:.3f}x)"
              f"  first quartile {statistics.quantiles(v, n=4)[0]:6.2f}  least {min(v):6.2f}"
              f"  minor faults {statistics.median(faults[label]):.0f}")


if __name__ == "__main__":
    main(sys.argv[1:])
