#!/usr/bin/env python3
"""Decodes a PNG (standard library only: zlib and struct) and checks that it
is not blank: at least MIN_FRACTION of its pixels are not white, and each
colour given with --colour (#rrggbb) covers at least --min-pixels pixels.

usage: png_check.py FILE [--min-fraction F] [--colour #rrggbb]... [--min-pixels N]
Prints "WxH non-white=P%" and exits 1 with a reason when a check fails."""
import argparse
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG file")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    if depth != 8 or colour_type not in (2, 6) or interlace != 0:
        raise ValueError(f"{path}: unsupported PNG (depth {depth}, colour type {colour_type}, interlace {interlace})")
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        filt = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if filt == 1:
                line[x] = (line[x] + a) & 255
            elif filt == 2:
                line[x] = (line[x] + b) & 255
            elif filt == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif filt == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--min-fraction", type=float, default=0.02)
    ap.add_argument("--colour", action="append", default=[])
    ap.add_argument("--min-pixels", type=int, default=200)
    args = ap.parse_args()
    width, height, bpp, rows = decode(args.file)
    wanted = {c.lower(): 0 for c in args.colour}
    targets = [(c, tuple(int(c[k:k + 2], 16) for k in (1, 3, 5))) for c in wanted]
    non_white = 0
    for row in rows:
        for x in range(0, width * bpp, bpp):
            r, g, b = row[x], row[x + 1], row[x + 2]
            if r < 245 or g < 245 or b < 245:
                non_white += 1
                for name, (tr, tg, tb) in targets:
                    if abs(r - tr) <= 6 and abs(g - tg) <= 6 and abs(b - tb) <= 6:
                        wanted[name] += 1
    fraction = non_white / (width * height)
    print(f"{width}x{height} non-white={fraction * 100:.2f}% " +
          " ".join(f"{c}={n}" for c, n in wanted.items()))
    if fraction < args.min_fraction:
        print(f"png_check: {args.file} is blank: only {fraction * 100:.2f}% of pixels are not white", file=sys.stderr)
        return 1
    for c, n in wanted.items():
        if n < args.min_pixels:
            print(f"png_check: {args.file}: colour {c} covers {n} pixels (< {args.min_pixels})", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
