#!/usr/bin/env python3
"""Draws the extension icon (editors/vscode/icon.png, 256x256 PNG): a gold chalice on a
dark blue rounded square with a pair of braces, standard library only (zlib + struct).
Run it again after changing the drawing; the PNG is committed."""
import math
import struct
import sys
import zlib

N = 256
BG = (20, 42, 74)
GOLD = (242, 183, 48)
LIGHT = (255, 226, 140)


def inside_rounded(x, y, r=44):
    cx = min(max(x, r), N - 1 - r)
    cy = min(max(y, r), N - 1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def chalice(x, y):
    # Cup: lower half of an ellipse centred at (128, 70).
    if 70 <= y <= 140 and ((x - 128) / 70) ** 2 + ((y - 70) / 70) ** 2 <= 1:
        return LIGHT if x < 110 and y < 110 and ((x - 100) / 18) ** 2 + ((y - 95) / 30) ** 2 <= 1 else GOLD
    if 60 <= y < 70 and abs(x - 128) <= 72:  # rim
        return GOLD
    if 140 <= y <= 190 and abs(x - 128) <= 9 + max(0, (150 - y)) * 0.8:  # stem
        return GOLD
    if 190 <= y <= 206 and abs(x - 128) <= 52 - (206 - y) * 1.2:  # foot
        return GOLD
    return None


def braces(x, y):
    # "{ }" hints at config files: two thin arcs left and right of the stem.
    for cx, sign in ((58, 1), (198, -1)):
        dy = y - 170
        if abs(dy) <= 36:
            bx = cx + sign * (10 * math.cos(dy / 36 * math.pi / 2) - 10) - sign * (6 if abs(dy) < 4 else 0)
            if abs(x - bx) <= 4:
                return LIGHT
    return None


def pixel(x, y):
    if not inside_rounded(x, y):
        return (0, 0, 0, 0)
    c = chalice(x, y) or braces(x, y) or BG
    return (*c, 255)


def png(path):
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(N)) for y in range(N))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", N, N, 8, 6, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    png(sys.argv[1] if len(sys.argv) > 1 else "editors/vscode/icon.png")
