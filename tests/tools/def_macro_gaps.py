#!/usr/bin/env python3
"""def_macro_gaps.py: the smallest gap between two hard macros of a placed DEF, in microns.

An independent check of placer's channel (`placer place --channel`), from the LEF/DEF text alone:

  python3 tests/tools/def_macro_gaps.py DESIGN.def LEF... [--cells-under]

A hard macro is a component whose LEF MACRO has CLASS BLOCK. Its footprint is SIZE w BY h, turned
by the orientation (W, E, FW, FE swap w and h), lower-left at the DEF point. The gap between two
footprints is max(horizontal gap, vertical gap) (negative when they overlap). Prints
"min_gap_um NAME1 NAME2 pairs_closer_than_1um". With --cells-under it also counts the standard
cells (CLASS CORE) still PLACED or FIXED whose footprint overlaps a macro's (printed as a second
line "cells_under_macros N"); that count compares the footprints in whole DEF database units (a LEF
SIZE in microns times the DEF UNITS, rounded), so a cell that abuts a macro never counts through a
rounding error of the sum x + w in floating point.
"""
import sys

from def_hpwl import Error, Stream, read_def


def read_classes(path, sizes):
    s = Stream(path)
    name, cls, w, h = None, None, None, None
    while s.peek() is not None:
        t = s.next()
        if t == "MACRO":
            name, cls, w, h = s.next(), None, None, None
        elif name and t == "CLASS":
            cls = s.next()
            s.skip_statement()
        elif name and t == "SIZE":
            w = float(s.next())
            s.next()
            h = float(s.next())
            s.skip_statement()
        elif name and t == "END" and s.peek() == name:
            s.next()
            sizes[name] = (cls, w, h)
            name = None


def boxes(def_path, lefs, kind, dbu_grid=False):
    """(name, x0, y0, x1, y1) per placed component of that CLASS: microns, or with dbu_grid whole DEF
    database units."""
    sizes = {}
    for p in lefs:
        read_classes(p, sizes)
    dbu, comps, _, _ = read_def(def_path)
    out = []
    for comp, (master, place) in comps.items():
        if place is None or master not in sizes or sizes[master][0] != kind:
            continue
        _, w, h = sizes[master]
        if place[3] in ("W", "E", "FW", "FE"):
            w, h = h, w
        if dbu_grid:
            x, y, w, h = round(place[1]), round(place[2]), round(w * dbu), round(h * dbu)
        else:
            x, y = place[1] / dbu, place[2] / dbu
        out.append((comp, x, y, x + w, y + h))
    return out


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    if len(args) < 2 or "-h" in argv or "--help" in argv:
        print(__doc__.strip())
        return 0 if len(args) >= 2 else 2
    try:
        macros = boxes(args[0], args[1:], "BLOCK")
        best, pair, close = float("inf"), ("", ""), 0
        for i, a in enumerate(macros):
            for b in macros[i + 1:]:
                gap = max(b[1] - a[3], a[1] - b[3], b[2] - a[4], a[2] - b[4])
                close += gap < 1.0
                if gap < best:
                    best, pair = gap, (a[0], b[0])
        print(f"{best:.6f} {pair[0]} {pair[1]} {close}")
        if "--cells-under" in argv:
            macros = boxes(args[0], args[1:], "BLOCK", dbu_grid=True)
            cells = boxes(args[0], args[1:], "CORE", dbu_grid=True)
            under = 0
            for c in cells:
                for m in macros:
                    if c[1] < m[3] and m[1] < c[3] and c[2] < m[4] and m[2] < c[4]:
                        under += 1
                        break
            print(f"cells_under_macros {under}")
    except (Error, OSError) as e:
        print(f"def_macro_gaps.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
