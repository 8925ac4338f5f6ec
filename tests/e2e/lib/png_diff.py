#!/usr/bin/env python3
"""Compares two screenshots of the same size pixel by pixel (standard library
only, through png_check.decode) and prints the fraction of pixels whose colour
differs by more than 24 in any channel.

usage: png_diff.py A.png B.png [--at-least F | --at-most F]
Exits 1 when the fraction is below --at-least or above --at-most."""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from png_check import decode  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--at-least", type=float)
    ap.add_argument("--at-most", type=float)
    args = ap.parse_args()
    wa, ha, bpa, ra = decode(args.a)
    wb, hb, bpb, rb = decode(args.b)
    if (wa, ha) != (wb, hb):
        print(f"png_diff: {args.a} is {wa}x{ha}, {args.b} {wb}x{hb}", file=sys.stderr)
        return 1
    differing = 0
    for row_a, row_b in zip(ra, rb):
        for x in range(wa):
            pa, pb = row_a[x * bpa:x * bpa + 3], row_b[x * bpb:x * bpb + 3]
            if any(abs(pa[k] - pb[k]) > 24 for k in range(3)):
                differing += 1
    fraction = differing / (wa * ha)
    print(f"png_diff: {differing} pixels differ ({fraction * 100:.3f}%)")
    if args.at_least is not None and fraction < args.at_least:
        print(f"png_diff: fewer than {args.at_least * 100:.3f}% of pixels differ", file=sys.stderr)
        return 1
    if args.at_most is not None and fraction > args.at_most:
        print(f"png_diff: more than {args.at_most * 100:.3f}% of pixels differ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
