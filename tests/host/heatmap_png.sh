#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Renders the heatmap of a data set whose filled cells are known in advance,
# rasterises it with rsvg-convert and checks pixels: those cells are
# coloured, every other cell is white, both panels are drawn.  Needs make,
# gcc, librsvg2-bin (rsvg-convert) and python3 (no PIL: zlib decodes the PNG).
# With a DIR argument, leaves heatmap.svg and heatmap.png there to look at.
set -u
cd "$(dirname "$0")/../.." || exit 1
name=heatmap_png
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL host/$name: $*"; exit 1; }

command -v rsvg-convert >/dev/null || fail "no rsvg-convert (apt-get install librsvg2-bin)"
make -s build/tests/test_heatmap >"$T/make.log" 2>&1 || fail "build: $(tail -n 3 "$T/make.log")"

# 60 columns over 10 s from t0.  write: 100 points in the first second at
# 3 us (row 1 = 2-4us, columns 0-5).  ro_upgrade: 5 points in the last
# 5 ms at 1.5 ms (row 10 = 1-2ms, column 59).  Rows 1-10 are drawn.
t0=1000000000000000
{
	for i in $(seq 0 99); do echo "$((t0 + i * 10000000)) 3000 write"; done
	for k in $(seq 0 4); do echo "$((t0 + 10000000000 - k * 1000000)) 1500000 ro_upgrade"; done
} >"$T/points"
build/tests/test_heatmap --svg "$T/heatmap.svg" 60 <"$T/points" || fail "test_heatmap --svg failed"
rsvg-convert -o "$T/heatmap.png" "$T/heatmap.svg" 2>"$T/rsvg.log" ||
	fail "rsvg-convert: $(head -c 300 "$T/rsvg.log")"
if [ $# -gt 0 ]; then
	cp "$T/heatmap.svg" "$T/heatmap.png" "$1"/
fi

python3 - "$T/heatmap.svg" "$T/heatmap.png" <<'EOF'
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

NS = "{http://www.w3.org/2000/svg}"
COLS, ROW_MIN, ROW_MAX = 60, 1, 10
NROWS = ROW_MAX - ROW_MIN + 1
# (row, column) of every cell that must be coloured, and its panel's title
EXPECT = {
    "write": ({(1, c) for c in range(6)}, "write: 100 events"),
    "ro_upgrade": ({(10, 59)}, "ro_upgrade: 5 events"),
}


def fail(why):
    print(f"FAIL host/heatmap_png: {why}")
    sys.exit(1)


def read_png(path):
    """RGB rows of an 8-bit, non-interlaced RGB or RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("not a PNG")
    pos, idat = 8, b""
    while pos < len(data):
        ln, typ = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + ln]
        pos += 12 + ln
        if typ == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif typ == b"IDAT":
            idat += body
    if depth != 8 or ctype not in (2, 6) or interlace:
        fail(f"unexpected PNG format depth={depth} type={ctype}")
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(idat), w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        ft, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
            if ft == 1:
                line[x] = (line[x] + a) & 255
            elif ft == 2:
                line[x] = (line[x] + b) & 255
            elif ft == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ft == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + pred) & 255
        rows.append(line)
        prev = line
    return w, h, lambda x, y: tuple(rows[y][x * bpp:x * bpp + 3])


try:
    root = ET.parse(sys.argv[1]).getroot()
except ET.ParseError as e:
    fail(f"SVG is not well-formed: {e}")
if root.tag != NS + "svg" or root.get("version") != "1.1":
    fail("root is not an SVG 1.1 <svg>")
W, H = int(root.get("width")), int(root.get("height"))
if root.get("viewBox") != f"0 0 {W} {H}":
    fail(f"viewBox {root.get('viewBox')} does not match {W}x{H}")

panels = [g for g in root.iter(NS + "g") if g.get("id", "").startswith("panel-")]
if [g.get("id") for g in panels] != ["panel-write", "panel-ro_upgrade"]:
    fail(f"panels {[g.get('id') for g in panels]}, want write then ro_upgrade")

w, h, pixel = read_png(sys.argv[2])
if (w, h) != (W, H):
    fail(f"PNG is {w}x{h}, SVG says {W}x{H}")


def white(p):
    return p == (255, 255, 255)


def lum(p):
    return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]


colours, last_bottom = {}, -1
for g in panels:
    cls = g.get("id")[len("panel-"):]
    cells, title = EXPECT[cls]
    texts = [t.text for t in g.iter(NS + "text")]
    for want in (title, "2-4us", "1-2ms"):
        if want not in texts:
            fail(f"panel {cls}: no text {want!r}")
    plot = [r for r in g.iter(NS + "rect") if r.get("class") == "plot"][0]
    x, y, pw, ph = (int(plot.get(k)) for k in ("x", "y", "width", "height"))
    if pw % COLS or ph % NROWS:
        fail(f"panel {cls}: {pw}x{ph} plot is not {COLS} x {NROWS} whole cells")
    if y <= last_bottom:
        fail(f"panel {cls} overlaps the panel above")
    last_bottom = y + ph
    cw, rh = pw // COLS, ph // NROWS
    # the panel is drawn: its frame, and dark title text above the plot
    if white(pixel(x - 1, y + ph // 2)) or white(pixel(x + pw, y + ph // 2)):
        fail(f"panel {cls}: no frame around the plot")
    if not any(lum(pixel(px, py)) < 100 for px in range(x, x + 200)
               for py in range(y - 20, y - 2)):
        fail(f"panel {cls}: no title drawn above the plot")
    for row in range(ROW_MIN, ROW_MAX + 1):
        for col in range(COLS):
            cx = x + col * cw + cw // 2
            cy = y + (ROW_MAX - row) * rh + rh // 2
            p = pixel(cx, cy)
            if (row, col) in cells:
                if white(p) or p[0] < p[2] + 40:
                    fail(f"panel {cls}: cell row {row} col {col} at ({cx},{cy}) is {p}, want a YlOrRd colour")
                colours[(cls, row, col)] = p
            elif not white(p):
                fail(f"panel {cls}: cell row {row} col {col} at ({cx},{cy}) is {p}, want white")

# 5 events must look lighter than 16 or 17
light = lum(colours[("ro_upgrade", 10, 59)])
if any(lum(p) >= light for k, p in colours.items() if k[0] == "write"):
    fail("the 5-event cell is not lighter than the 16/17-event cells")
print("PASS host/heatmap_png")
EOF
