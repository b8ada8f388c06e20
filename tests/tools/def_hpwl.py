#!/usr/bin/env python3
"""def_hpwl.py: the total weighted half-perimeter wirelength (HPWL) of a placed DEF, in microns.

An independent check of placer's reported HPWL, written from the LEF/DEF definitions alone
(standard library only):

  python3 tests/tools/def_hpwl.py DESIGN.def TECH.tlef CELLS.lef MACROS.lef ...

prints one line: Σ over the NETS with two or more connections of weight x (width + height of the
bounding box of the net's pin positions), in µm ("%.6f"). Pins:

* a component pin ( comp pin ): the LEF MACRO's PIN offset is the centre of the bounding box of all
  its PORT shapes (RECT, POLYGON), shifted by the MACRO ORIGIN into the frame of the footprint
  (0, 0)-(SIZE); the footprint is turned by the component's orientation and the DEF point is the
  lower-left corner of the turned footprint;
* an IO pin ( PIN name ): its PLACED/FIXED point plus the centre of its first LAYER/POLYGON shape,
  the shape turned by the pin's orientation about the point (the point itself when it has no shape).
  An IO pin whose PINS entry names a net (+ NET n) belongs to it even when NETS does not list it.

Orientations (DEF): N R0, W R90, S R180, E R270 (counter-clockwise), FN mirrored in the Y axis,
FS mirrored in the X axis, FW = FS then R90, FE = FN then R90. WEIGHT defaults to 1. SPECIALNETS
are not counted. A net that reaches an UNPLACED component or pin is an error (exit status 1).
"""
import gzip
import re
import sys

TOKEN = re.compile(r'"[^"]*"|\S+')

# (x, y) -> (a x + b y, c x + d y) for each DEF orientation
ORIENT = {
    "N": (1, 0, 0, 1),
    "W": (0, -1, 1, 0),
    "S": (-1, 0, 0, -1),
    "E": (0, 1, -1, 0),
    "FN": (-1, 0, 0, 1),
    "FS": (1, 0, 0, -1),
    "FW": (0, 1, 1, 0),
    "FE": (0, -1, -1, 0),
}


class Error(Exception):
    pass


def tokens(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            for t in TOKEN.findall(line):
                if t.startswith("#"):
                    break
                yield t


class Stream:
    def __init__(self, path):
        self.path = path
        self.it = tokens(path)
        self.peeked = None

    def next(self):
        if self.peeked is not None:
            t, self.peeked = self.peeked, None
            return t
        t = next(self.it, None)
        if t is None:
            raise Error(f"{self.path}: unexpected end of file")
        return t

    def peek(self):
        if self.peeked is None:
            self.peeked = next(self.it, None)
        return self.peeked

    def skip_statement(self):
        while self.next() != ";":
            pass


def turn(orient, x, y):
    a, b, c, d = ORIENT[orient]
    return a * x + b * y, c * x + d * y


# ---- LEF ----

class Macro:
    def __init__(self, name):
        self.name = name
        self.w = self.h = 0.0
        self.origin = (0.0, 0.0)
        self.pin_box = {}  # pin -> [x0, y0, x1, y1] of its port shapes, macro coordinates

    def pin_offset(self, pin):
        box = self.pin_box.get(pin)
        if box is None:
            raise Error(f"LEF macro {self.name} has no pin {pin} with a port shape")
        return (0.5 * (box[0] + box[2]) + self.origin[0], 0.5 * (box[1] + box[3]) + self.origin[1])


def grow(box, x, y):
    if box is None:
        return [x, y, x, y]
    box[0], box[1] = min(box[0], x), min(box[1], y)
    box[2], box[3] = max(box[2], x), max(box[3], y)
    return box


def read_port(s, box):
    """The shapes of one PORT up to its END; returns the grown bounding box."""
    while True:
        t = s.next()
        if t == "END":
            return box
        if t in ("RECT", "POLYGON"):
            vals = []
            while True:
                u = s.next()
                if u == ";":
                    break
                if u == "MASK":
                    s.next()
                    continue
                if u == "ITERATE":
                    raise Error(f"{s.path}: RECT/POLYGON ITERATE in a pin port is not supported")
                vals.append(float(u))
            if t == "RECT" and len(vals) != 4:
                raise Error(f"{s.path}: RECT wants 4 numbers, got {vals}")
            for i in range(0, len(vals) - 1, 2):
                box = grow(box, vals[i], vals[i + 1])
        elif t != ";":
            s.skip_statement()  # LAYER, VIA, CLASS ...


def read_pin(s, m):
    name = s.next()
    box = None
    while True:
        t = s.next()
        if t == "END":
            s.next()  # the pin's name
            break
        if t == "PORT":
            box = read_port(s, box)
        elif t != ";":
            s.skip_statement()
    if box is not None:
        m.pin_box[name] = box


def read_macro(s, macros):
    m = Macro(s.next())
    while True:
        t = s.next()
        if t == "END":
            if s.next() != m.name:
                raise Error(f"{s.path}: MACRO {m.name} ends with a different name")
            break
        if t == "SIZE":
            m.w = float(s.next())
            if s.next() != "BY":
                raise Error(f"{s.path}: SIZE w BY h expected in MACRO {m.name}")
            m.h = float(s.next())
            s.skip_statement()
        elif t == "ORIGIN":
            m.origin = (float(s.next()), float(s.next()))
            s.skip_statement()
        elif t == "PIN":
            read_pin(s, m)
        elif t == "OBS":
            while s.next() != "END":
                pass
        elif t != ";":
            s.skip_statement()
    macros[m.name] = m


def read_lef(path, macros):
    s = Stream(path)
    while s.peek() is not None:
        t = s.next()
        if t == "MACRO":
            read_macro(s, macros)
        elif t == "END" and s.peek() == "LIBRARY":
            break


# ---- DEF ----

def read_point(s, opened=False):
    """( x y ); opened: the '(' was read already."""
    if not opened and s.next() != "(":
        raise Error(f"{s.path}: '(' expected")
    x, y = float(s.next()), float(s.next())
    if s.next() != ")":
        raise Error(f"{s.path}: ')' expected")
    return x, y


def read_components(s, comps):
    while True:
        t = s.next()
        if t == "END":
            s.next()
            return
        if t != "-":
            raise Error(f"{s.path}: '-' expected in COMPONENTS, found {t}")
        name, master = s.next(), s.next()
        place = None
        t = s.next()
        while t != ";":
            if t == "+":
                kw = s.next()
                if kw in ("PLACED", "FIXED", "COVER"):
                    x, y = read_point(s)
                    place = (kw, x, y, s.next())
                elif kw == "UNPLACED":
                    place = None
            t = s.next()
        comps[name] = (master, place)


def read_pins(s, pins):
    while True:
        t = s.next()
        if t == "END":
            s.next()
            return
        if t != "-":
            raise Error(f"{s.path}: '-' expected in PINS, found {t}")
        name = s.next()
        net, shape, place, ports = None, None, None, 0
        t = s.next()
        while t != ";":
            if t != "+":
                t = s.next()
                continue
            kw = s.next()
            if kw == "NET":
                net = s.next()
            elif kw == "PORT":
                ports += 1
            elif kw in ("LAYER", "POLYGON") and ports <= 1 and shape is None:
                s.next()  # layer name
                box = None
                while s.peek() not in ("+", ";"):
                    u = s.next()
                    if u in ("MASK", "SPACING", "DESIGNRULEWIDTH"):
                        s.next()
                    elif u == "(":
                        box = grow(box, *read_point(s, opened=True))
                shape = box
            elif kw in ("PLACED", "FIXED", "COVER") and ports <= 1 and place is None:
                x, y = read_point(s)
                place = (x, y, s.next())
            t = s.next()
        pins[name] = (net, shape, place)


def read_nets(s, nets):
    while True:
        t = s.next()
        if t == "END":
            s.next()
            return
        if t != "-":
            raise Error(f"{s.path}: '-' expected in NETS, found {t}")
        name = s.next()
        conns, weight = [], 1.0
        t = s.next()
        while t == "(":
            a, b = s.next(), s.next()
            if s.next() != ")":
                raise Error(f"{s.path}: net {name}: ')' expected after ( {a} {b}")
            conns.append((a, b))
            t = s.next()
        while t != ";":
            if t == "+" and s.peek() == "WEIGHT":
                s.next()
                weight = float(s.next())
            t = s.next()
        nets.append((name, conns, weight))


def read_def(path):
    s = Stream(path)
    dbu, comps, pins, nets = None, {}, {}, []
    while s.peek() is not None:
        t = s.next()
        if t == "UNITS":
            s.next(), s.next()  # DISTANCE MICRONS
            dbu = float(s.next())
            s.skip_statement()
        elif t in ("COMPONENTS", "PINS", "NETS"):
            s.skip_statement()  # the count
            {"COMPONENTS": lambda: read_components(s, comps), "PINS": lambda: read_pins(s, pins),
             "NETS": lambda: read_nets(s, nets)}[t]()
        elif t == "END" and s.peek() == "DESIGN":
            break
    if not dbu:
        raise Error(f"{path}: no UNITS DISTANCE MICRONS")
    return dbu, comps, pins, nets


# ---- positions and HPWL ----

def component_pin(macros, comps, dbu, comp, pin):
    if comp not in comps:
        raise Error(f"net pin ( {comp} {pin} ): no such component")
    master, place = comps[comp]
    if place is None:
        raise Error(f"component {comp} is UNPLACED")
    m = macros.get(master)
    if m is None:
        raise Error(f"component {comp}: master {master} is in no LEF given")
    _, x, y, orient = place
    px, py = m.pin_offset(pin)
    tx, ty = turn(orient, px, py)
    corners = [turn(orient, cx, cy) for cx, cy in ((0, 0), (m.w, 0), (0, m.h), (m.w, m.h))]
    x0, y0 = min(c[0] for c in corners), min(c[1] for c in corners)
    return x / dbu + tx - x0, y / dbu + ty - y0


def io_pin(pins, dbu, name):
    if name not in pins:
        raise Error(f"net pin ( PIN {name} ): no such IO pin")
    _, shape, place = pins[name]
    if place is None:
        raise Error(f"IO pin {name} is not placed")
    x, y, orient = place
    cx, cy = (0.0, 0.0) if shape is None else (0.5 * (shape[0] + shape[2]), 0.5 * (shape[1] + shape[3]))
    tx, ty = turn(orient, cx, cy)
    return (x + tx) / dbu, (y + ty) / dbu


def hpwl(def_path, lef_paths):
    macros = {}
    for p in lef_paths:
        read_lef(p, macros)
    dbu, comps, pins, nets = read_def(def_path)
    listed = {(net, b) for net, conns, _ in nets for a, b in conns if a == "PIN"}
    for pname, (net, _, _) in pins.items():
        if net is not None and (net, pname) not in listed:
            for nname, conns, _ in nets:
                if nname == net:
                    conns.append(("PIN", pname))
                    break
    total, counted = 0.0, 0
    for name, conns, weight in nets:
        if len(conns) < 2:
            continue
        pts = []
        for a, b in conns:
            try:
                pts.append(io_pin(pins, dbu, b) if a == "PIN" else component_pin(macros, comps, dbu, a, b))
            except Error as e:
                raise Error(f"net {name}: {e}") from None
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        total += weight * ((max(xs) - min(xs)) + (max(ys) - min(ys)))
        counted += 1
    return total, counted


def main(argv):
    if len(argv) > 1 and argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if len(argv) < 3:
        print("usage: def_hpwl.py DESIGN.def LEF... (see --help)", file=sys.stderr)
        return 2
    try:
        total, counted = hpwl(argv[1], argv[2:])
    except (Error, OSError, ValueError) as e:
        print(f"def_hpwl: error: {e}", file=sys.stderr)
        return 1
    print(f"{total:.6f}")
    print(f"def_hpwl: {counted} nets with two or more pins", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
