#!/usr/bin/env bash
# Real-producer VECTOR corpus: PDFs made by third-party tools (not by CdaCheck's PDF writer) that draw the INS
# DataMatrix as vector paths, the way each producer writes them:
#   cairo     python3-cairo drawing the modules (rotation baked into the coordinates, rounded to 0.001 pt), one
#             rectangle per module or per run, polygons rounded to 0.05 pt (LibreOffice-like), the symbol as a clip
#             path filled once, and skewed (sheared) symbols
#   rsvg      rsvg-convert (librsvg/cairo) of zint's SVG placed on an A4 SVG page (rotate/skew transforms, clipPath)
#   gs        zint's EPS placed on a PostScript page (translate/rotate), ghostscript -sDEVICE=pdfwrite
#   skia      chromium --headless --print-to-pdf of an HTML page with zint's SVG inline (CSS rotate)
#   reportlab reportlab's own ECC200DataMatrix widget, and the modules drawn by reportlab, under a rotating 'cm'
#   libreoffice  LibreOffice Draw exporting the rsvg pages (when soffice is installed; its polygons are also
#             imitated by the cairo 'poly' style, rounded to 0.05 pt)
# at 0°, 1°, 3°, 5° (and 30°/90°/180°), module sizes from 0.5 pt to 4 pt.
#
#   make-vector.sh OUT PAYLOAD_FILE
#
# Writes OUT/<producer>-<case>.pdf and, for each, OUT/<producer>-<case>.oracle.png: the area around the symbol
# rendered by poppler (at 4 px per module at least), what an oracle (dmtxread, ZXingReader) reads. Wrapping each
# PDF into a CDA N1 document: `dotnet run --project testdata/CdaCheck.TestData -- real-producers vector OUT` (does
# both). Debian: zint ghostscript librsvg2-bin chromium poppler-utils python3-cairo python3-reportlab.
# Exit 3 when a tool is missing (nothing written).
set -euo pipefail
OUT=${1:?usage: make-vector.sh OUT PAYLOAD_FILE}
PAYLOAD=${2:?usage: make-vector.sh OUT PAYLOAD_FILE}
PY=/usr/bin/python3
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
for t in zint gs rsvg-convert pdftoppm; do
  command -v "$t" >/dev/null || { echo "make-vector.sh: Debian tool '$t' not on PATH" >&2; exit 3; }
done
[ -n "$CHROMIUM" ] || { echo "make-vector.sh: chromium not on PATH" >&2; exit 3; }
"$PY" -c 'import cairo, reportlab' 2>/dev/null || { echo "make-vector.sh: python3-cairo or python3-reportlab missing" >&2; exit 3; }
mkdir -p "$OUT"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# the symbol: zint's module matrix (--dump), its SVG (2 units per module) and its EPS (2 pt per module, no quiet zone)
zint -b 71 --square -i "$PAYLOAD" --dump > "$T/dump.txt"
zint -b 71 --square -i "$PAYLOAD" -o "$T/sym.svg" >/dev/null
zint -b 71 --square -i "$PAYLOAD" -o "$T/sym.eps" >/dev/null

# The page: A4, symbol centre at (CX, CY) from the top-left, in points.
CX=440; CY=200
cat > "$T/vec.py" <<'PYEOF'
import sys, math, re
W, H, CX, CY = 595.0, 842.0, 440.0, 200.0
LINES = ["Compte rendu de consultation", "Etablissement fictif - service de test", "Nom de naissance : FICTIF",
         "Prenoms : JEAN PIERRE", "Matricule INS : voir DataMatrix"] + \
        ["Lorem ipsum dolor sit amet %d." % i for i in range(20)]

def matrix(dump):
    rows = [l.replace(' ', '') for l in open(dump).read().split('\n') if l.strip()]
    n = len(rows)
    return [[(int(r[c // 4], 16) >> (3 - c % 4)) & 1 == 1 for c in range(n)] for r in rows]

def runs(m):
    """dark horizontal runs: (row, first column, length)"""
    for r, row in enumerate(m):
        c = 0
        while c < len(row):
            if not row[c]: c += 1; continue
            e = c
            while e + 1 < len(row) and row[e + 1]: e += 1
            yield r, c, e - c + 1
            c = e + 1

def cairo_page(out, m, module, angle, style, skew=0.0):
    import cairo
    s = cairo.PDFSurface(out, W, H)
    c = cairo.Context(s)
    c.select_font_face("Sans", cairo.FONT_SLANT_NORMAL, cairo.FONT_WEIGHT_NORMAL)
    c.set_font_size(10)
    for i, line in enumerate(LINES):
        c.move_to(56, 70 + 14 * i); c.show_text(line)
    n = len(m); side = n * module
    c.set_source_rgb(0, 0, 0)
    if style == 'poly':
        # LibreOffice-like: each dark module a closed path, the rotation applied by the producer, rounded to 0.05 pt
        t = math.radians(angle); co, si = math.cos(t), math.sin(t)
        def P(x, y):
            x -= side / 2; y -= side / 2
            return round((CX + x * co - y * si) * 20) / 20, round((CY + x * si + y * co) * 20) / 20
        for r in range(n):
            for col in range(n):
                if not m[r][col]: continue
                pts = [P(col * module, r * module), P((col + 1) * module, r * module),
                       P((col + 1) * module, (r + 1) * module), P(col * module, (r + 1) * module)]
                c.move_to(*pts[0])
                for p in pts[1:]: c.line_to(*p)
                c.close_path()
                c.fill()
        s.finish(); return
    c.translate(CX, CY)
    c.rotate(math.radians(angle))
    if skew:
        c.transform(cairo.Matrix(1, 0, math.tan(math.radians(skew)), 1, 0, 0))
    c.translate(-side / 2, -side / 2)
    if style == 'runs':
        for r, col, k in runs(m): c.rectangle(col * module, r * module, k * module, module)
        c.fill()
    elif style == 'clip':
        for r in range(n):
            for col in range(n):
                if m[r][col]: c.rectangle(col * module, r * module, module, module)
        c.clip()
        c.rectangle(-module, -module, side + 2 * module, side + 2 * module)
        c.fill()
    else:  # rects: one filled path per module
        for r in range(n):
            for col in range(n):
                if m[r][col]:
                    c.rectangle(col * module, r * module, module, module); c.fill()
    s.finish()

def zint_body(svg):
    """zint's <rect> elements of dark modules (the white background rect dropped)"""
    txt = open(svg).read()
    rects = [x for x in re.findall(r'<rect [^>]*/>', txt) if 'FFFFFF' not in x]
    size = float(re.search(r'<svg width="(\d+)"', txt).group(1))
    return rects, size

def svg_page(out, svg, module, angle, skew=0.0, clip=False):
    rects, size = zint_body(svg)
    scale = module / 2.0  # zint: 2 units per module
    tr = 'translate(%g %g) rotate(%g) skewX(%g) scale(%g) translate(%g %g)' % (CX, CY, angle, skew, scale, -size / 2, -size / 2)
    text = ''.join('<text x="56" y="%d" font-family="sans-serif" font-size="10">%s</text>\n' % (70 + 14 * i, l) for i, l in enumerate(LINES))
    if clip:
        body = ('<defs><clipPath id="dm">%s</clipPath></defs>\n<g transform="%s"><rect x="-2" y="-2" width="%g" height="%g" fill="#000" clip-path="url(#dm)"/></g>'
                % (''.join(rects), tr, size + 4, size + 4))
    else:
        body = '<g transform="%s" fill="#000000">%s</g>' % (tr, ''.join(rects))
    with open(out, 'w') as f:
        f.write('<svg xmlns="http://www.w3.org/2000/svg" width="%gpt" height="%gpt" viewBox="0 0 %g %g">\n%s%s\n</svg>\n' % (W, H, W, H, text, body))

def html_page(out, svg, module, angle):
    rects, size = zint_body(svg)
    px = module / 0.75  # CSS px per module (1 px = 0.75 pt)
    side = len(rects) and size / 2 * px
    text = ''.join('<p>%s</p>' % l for l in LINES)
    with open(out, 'w') as f:
        f.write('''<!doctype html><html><head><style>@page { size: A4; margin: 0 }
body { margin: 0; font: 10pt sans-serif } p { margin: 0 0 4pt 75px }
svg { position: absolute; left: %gpx; top: %gpx; transform: rotate(%gdeg) }</style></head><body>%s
<svg width="%g" height="%g" viewBox="0 0 %g %g"><g fill="#000">%s</g></svg></body></html>'''
                % (CX / 0.75 - side / 2, CY / 0.75 - side / 2, angle, text, side, side, size, size, ''.join(rects)))

def ps_page(out, eps, module, angle):
    body = open(eps).read()
    size = float(re.search(r'%%BoundingBox: 0 0 (\d+)', body).group(1))
    scale = module / 2.0  # zint EPS: 2 pt per module
    text = ''.join('56 %g moveto (%s) show\n' % (H - 70 - 14 * i, l) for i, l in enumerate(LINES))
    with open(out, 'w') as f:
        f.write('%%!PS-Adobe-3.0\n<< /PageSize [%g %g] >> setpagedevice\n/Helvetica findfont 10 scalefont setfont\n%s'
                'gsave %g %g translate %g rotate %g dup scale %g %g translate\n%s\ngrestore showpage\n'
                % (W, H, text, CX, H - CY, angle, scale, -size / 2, -size / 2, body.replace('showpage', '')))

def reportlab_page(out, m, module, angle, widget, payload):
    from reportlab.pdfgen import canvas
    c = canvas.Canvas(out, pagesize=(W, H))
    c.setFont("Helvetica", 10)
    for i, line in enumerate(LINES): c.drawString(56, H - 70 - 14 * i, line)
    c.saveState()
    c.translate(CX, H - CY)
    c.rotate(angle)
    if widget:
        from reportlab.graphics.barcode import createBarcodeDrawing
        from reportlab.graphics import renderPDF
        d = createBarcodeDrawing('ECC200DataMatrix', value=payload.decode('latin-1'), barWidth=module)
        renderPDF.draw(d, c, -d.width / 2, -d.height / 2)
    else:
        n = len(m); side = n * module
        for r, col, k in runs(m):
            c.rect(col * module - side / 2, side / 2 - (r + 1) * module, k * module, module, stroke=0, fill=1)
    c.restoreState()
    c.showPage(); c.save()

if __name__ == '__main__':
    kind, out = sys.argv[1], sys.argv[2]
    a = sys.argv[3:]
    if kind == 'cairo': cairo_page(out, matrix(a[0]), float(a[1]), float(a[2]), a[3], float(a[4]) if len(a) > 4 else 0.0)
    elif kind == 'svg': svg_page(out, a[0], float(a[1]), float(a[2]), float(a[3]), a[4] == 'clip')
    elif kind == 'html': html_page(out, a[0], float(a[1]), float(a[2]))
    elif kind == 'ps': ps_page(out, a[0], float(a[1]), float(a[2]))
    elif kind == 'reportlab': reportlab_page(out, matrix(a[0]), float(a[1]), float(a[2]), a[3] == 'widget', open(a[4], 'rb').read())
    elif kind == 'side': print(len(matrix(a[0])))
PYEOF
V() { "$PY" "$T/vec.py" "$@"; }
N=$(V side - "$T/dump.txt")

# oracle NAME MODULE: the area around the symbol rendered by poppler at ≥ 4 px per module (300 dpi at least)
oracle() {
  local name=$1 module=$2
  local args; args=$(awk -v m="$module" -v n="$N" -v cx="$CX" -v cy="$CY" 'BEGIN{d=int(4*72/m+0.5); if (d<300) d=300;
    h=m*n*0.8+20; s=d/72; printf "-r %d -x %d -y %d -W %d -H %d", d, (cx-h)*s, (cy-h)*s, 2*h*s, 2*h*s}')
  # shellcheck disable=SC2086
  pdftoppm -gray -png -singlefile $args "$OUT/$name.pdf" "$OUT/$name.oracle"
}

# 1. cairo (python3-cairo): the rotation baked into the coordinates
for mod in 0.85 1.42 2.5; do
  for a in 0 1 3 5 90 180; do
    V cairo "$OUT/cairo-rects-${mod}pt-${a}deg.pdf" "$T/dump.txt" "$mod" "$a" rects
    oracle "cairo-rects-${mod}pt-${a}deg" "$mod"
  done
done
for spec in "0.5 0" "0.5 1" "1.42 0" "1.42 3" "4 5"; do
  set -- $spec
  V cairo "$OUT/cairo-runs-${1}pt-${2}deg.pdf" "$T/dump.txt" "$1" "$2" runs; oracle "cairo-runs-${1}pt-${2}deg" "$1"
done
for spec in "0.85 0" "1.42 1" "1.42 3" "1.42 5" "2.5 2" "1.42 90"; do
  set -- $spec
  V cairo "$OUT/cairo-poly-${1}pt-${2}deg.pdf" "$T/dump.txt" "$1" "$2" poly; oracle "cairo-poly-${1}pt-${2}deg" "$1"
done
for spec in "1.42 0" "1.42 2" "1.42 5" "2.5 180"; do
  set -- $spec
  V cairo "$OUT/cairo-clip-${1}pt-${2}deg.pdf" "$T/dump.txt" "$1" "$2" clip; oracle "cairo-clip-${1}pt-${2}deg" "$1"
done
for spec in "1.42 0 2" "1.42 3 1" "2.5 0 3" "1.42 1 -2"; do
  set -- $spec
  V cairo "$OUT/cairo-skew${3}-${1}pt-${2}deg.pdf" "$T/dump.txt" "$1" "$2" rects "$3"; oracle "cairo-skew${3}-${1}pt-${2}deg" "$1"
done

# 2. rsvg-convert of zint's SVG on an A4 SVG page
for spec in "1.42 0 0" "1.42 1 0" "1.42 3 0" "1.42 5 0" "1.42 90 0" "0.85 0 0" "0.85 3 0" "3 5 0" "1.42 0 2" "1.42 2 -3"; do
  set -- $spec
  name="rsvg-${1}pt-${2}deg"; [ "$3" = 0 ] || name="rsvg-skew$3-${1}pt-${2}deg"
  V svg "$T/page.svg" "$T/sym.svg" "$1" "$2" "$3" plain
  rsvg-convert -f pdf -o "$OUT/$name.pdf" "$T/page.svg"; oracle "$name" "$1"
done
for spec in "1.42 0" "1.42 3"; do
  set -- $spec
  V svg "$T/page.svg" "$T/sym.svg" "$1" "$2" 0 clip
  rsvg-convert -f pdf -o "$OUT/rsvg-clip-${1}pt-${2}deg.pdf" "$T/page.svg"; oracle "rsvg-clip-${1}pt-${2}deg" "$1"
done

# 3. ghostscript pdfwrite of zint's EPS on a PostScript page
for spec in "1.42 0" "1.42 1" "1.42 3" "1.42 5" "1.42 90" "1.42 180" "0.85 0" "0.85 3" "3 1"; do
  set -- $spec
  V ps "$T/page.ps" "$T/sym.eps" "$1" "$2"
  gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -o "$OUT/gs-${1}pt-${2}deg.pdf" "$T/page.ps"; oracle "gs-${1}pt-${2}deg" "$1"
done

# 4. skia: chromium prints an HTML page with zint's SVG inline
for spec in "1.42 0" "1.42 1" "1.42 3" "1.42 5" "1.42 90" "0.75 0" "0.75 3"; do
  set -- $spec
  V html "$T/page.html" "$T/sym.svg" "$1" "$2"
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-pdf-header-footer --user-data-dir="$T/chromium" \
    --print-to-pdf="$OUT/skia-${1}pt-${2}deg.pdf" "file://$T/page.html" >/dev/null 2>&1
  oracle "skia-${1}pt-${2}deg" "$1"
done

# 5. reportlab: its own ECC200DataMatrix widget, and zint's modules drawn as runs
for spec in "1.42 0" "1.42 3" "2 90" "0.85 5"; do
  set -- $spec
  V reportlab "$OUT/reportlab-widget-${1}pt-${2}deg.pdf" "$T/dump.txt" "$1" "$2" widget "$PAYLOAD"; oracle "reportlab-widget-${1}pt-${2}deg" "$1"
done
for spec in "1.42 1" "1.42 5" "3 180"; do
  set -- $spec
  V reportlab "$OUT/reportlab-runs-${1}pt-${2}deg.pdf" "$T/dump.txt" "$1" "$2" runs "$PAYLOAD"; oracle "reportlab-runs-${1}pt-${2}deg" "$1"
done

# 6. LibreOffice Draw (when soffice is installed: .ci/run installs libreoffice-draw-nogui): the same A4 SVG pages
#    imported and exported to PDF in one soffice run. LibreOffice writes each module as a closed path on its grid of
#    1/100 mm, a rotated one starting in the middle of a side (5 points, the extra one slightly off the side).
SOFFICE=$(command -v soffice || command -v libreoffice || true)
if [ -n "$SOFFICE" ]; then
  mkdir -p "$T/lo"
  for spec in "1.42 0" "1.42 1" "1.42 3" "1.42 5" "0.85 2" "2.5 30" "1.42 90"; do
    set -- $spec
    V svg "$T/page.svg" "$T/sym.svg" "$1" "$2" 0 plain
    cp "$T/page.svg" "$T/lo/libreoffice-${1}pt-${2}deg.svg"
  done
  HOME="$T/lohome" timeout 300 "$SOFFICE" --headless --norestore -env:UserInstallation=file://"$T/lohome" \
    --convert-to pdf:draw_pdf_Export --outdir "$T/lo" "$T"/lo/*.svg >/dev/null 2>&1 || true
  for f in "$T"/lo/*.pdf; do
    [ -f "$f" ] || continue
    name=$(basename "$f" .pdf); mv "$f" "$OUT/$name.pdf"
    module=${name#libreoffice-}; oracle "$name" "${module%%pt-*}"
  done
else
  echo "make-vector.sh: LibreOffice (soffice) not on PATH: no libreoffice-* documents" >&2
fi

# 7. a vector page without a symbol (cairo: text and a table of thin rules)
"$PY" - "$OUT/cairo-nosymbol-table.pdf" <<'PYEOF'
import sys, cairo
s = cairo.PDFSurface(sys.argv[1], 595, 842); c = cairo.Context(s)
c.set_font_size(9)
for r in range(30):
    for k in range(5):
        c.rectangle(56 + 96 * k, 100 + 18 * r, 96, 18)
        c.move_to(60 + 96 * k, 113 + 18 * r); c.show_text("cellule %d.%d" % (r, k))
c.set_line_width(0.5); c.stroke()
for i in range(40): c.rectangle(56 + 12 * i, 680, 8, 8)
c.fill()
s.finish()
PYEOF
echo "make-vector.sh: $(ls "$OUT"/*.pdf | wc -l) PDFs in $OUT"
