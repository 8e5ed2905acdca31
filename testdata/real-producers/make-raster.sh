#!/usr/bin/env bash
# Real-producer RASTER / SCAN corpus: PDFs made by third-party tools (not by CdaCheck's PDF writer) that carry the
# INS DataMatrix as an image: zint PNG at 1–6 px per module, ImageMagick JPEG (baseline and progressive, quality
# 50–95, CMYK), transparent backgrounds (black RGB + alpha → /SMask, reportlab), rotated images (raster rotation
# and a rotated placement matrix), "scans" (a page rendered by ghostscript at 150–300 dpi, tilted, blurred, noised,
# unevenly lit, JPEG-compressed, then img2pdf), a page with a JPEG logo and no symbol, and encrypted copies (qpdf,
# empty user password, AES-256).
#
#   make-raster.sh OUT PAYLOAD_FILE
#
# Writes OUT/<producer>-<case>.pdf and, for each, OUT/<producer>-<case>.oracle.png|jpg: the picture an oracle
# (dmtxread, ZXingReader) reads (the symbol image, the scan, or the page rendered by ghostscript). Wrapping each PDF
# into a CDA N1 document whose header matches the payload: `dotnet run --project testdata/CdaCheck.TestData --
# real-producers raster OUT` (does both). Debian: zint imagemagick img2pdf ghostscript qpdf python3-reportlab.
# Exit 3 when a tool is missing (nothing written).
set -euo pipefail
OUT=${1:?usage: make-raster.sh OUT PAYLOAD_FILE}
PAYLOAD=${2:?usage: make-raster.sh OUT PAYLOAD_FILE}
PY=/usr/bin/python3
for t in zint convert img2pdf gs qpdf; do
  command -v "$t" >/dev/null || { echo "make-raster.sh: Debian tool '$t' not on PATH" >&2; exit 3; }
done
"$PY" -c 'import reportlab' 2>/dev/null || { echo "make-raster.sh: python3-reportlab missing" >&2; exit 3; }
mkdir -p "$OUT"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# sym PX OUT.png: the symbol at PX pixels per module, 2-module quiet zone
sym() { zint -b 71 --square --scale="$(awk "BEGIN{print $1/2}")" --whitesp=2 --vwhitesp=2 -i "$PAYLOAD" -o "$2" >/dev/null; }

# page OUT.pdf IMAGE SIZE_PT ANGLE: an A4 report page (reportlab) with text and IMAGE placed at SIZE_PT, rotated by
# ANGLE degrees (a rotated 'cm'); PNG with alpha → /SMask, JPEG passed through as DCTDecode
page() {
  "$PY" - "$@" <<'PYEOF'
import sys
from reportlab.pdfgen import canvas
from reportlab.lib.pagesizes import A4
out, img, size, angle = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
c = canvas.Canvas(out, pagesize=A4)
c.setFont("Helvetica-Bold", 14)
c.drawString(56, 780, "Compte rendu de consultation")
c.setFont("Helvetica", 10)
for i, line in enumerate(["Etablissement fictif - service de test", "Nom de naissance : FICTIF", "Prenoms : JEAN PIERRE",
                          "Matricule INS : voir DataMatrix", "Texte du compte rendu, ligne de demonstration."]):
    c.drawString(56, 750 - 14 * i, line)
for i in range(30):
    c.drawString(56, 600 - 14 * i, "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor %d." % i)
if img != "-":
    c.saveState()
    c.translate(430, 660)
    c.rotate(angle)
    c.drawImage(img, 0, 0, size, size, mask='auto')
    c.restoreState()
c.showPage()
c.save()
PYEOF
}

render() { gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pnggray -r"$3" -o "$2" "$1"; }

# 1. zint PNG at 1–6 px per module, placed by img2pdf on an A4 page
for px in 1 2 3 4 5 6; do
  sym "$px" "$T/s$px.png"
  cp "$T/s$px.png" "$OUT/zint-png-${px}px.oracle.png"
  img2pdf --pagesize A4 -o "$OUT/zint-png-${px}px.pdf" "$T/s$px.png"
done

# 2. ImageMagick JPEG of the symbol: baseline / progressive, quality 50–95, gray and CMYK
jpeg_case() { # name px quality extra-options…
  local name=$1 px=$2 q=$3; shift 3
  convert "$T/s$px.png" -quality "$q" "$@" "$OUT/magick-$name.oracle.jpg"
  img2pdf --pagesize A4 -o "$OUT/magick-$name.pdf" "$OUT/magick-$name.oracle.jpg"
}
jpeg_case jpeg-q95-baseline 4 95
jpeg_case jpeg-q75-baseline 4 75
jpeg_case jpeg-q50-baseline 3 50
jpeg_case jpeg-q95-progressive 4 95 -interlace Plane
jpeg_case jpeg-q75-progressive 3 75 -interlace Plane
jpeg_case jpeg-q50-progressive 5 50 -interlace Plane
jpeg_case jpeg-q85-gray 2 85 -colorspace Gray
jpeg_case jpeg-q85-cmyk 4 85 -colorspace CMYK
jpeg_case jpeg-q85-cmyk-progressive 4 85 -colorspace CMYK -interlace Plane

# 3. transparent background: black RGB everywhere, light modules transparent (reportlab → /SMask)
for px in 2 4; do
  convert "$T/s$px.png" -colorspace Gray -alpha copy -channel A -negate +channel -channel RGB -evaluate set 0 +channel "$T/t$px.png"
  page "$OUT/reportlab-transparent-${px}px.pdf" "$T/t$px.png" 60 0
  render "$OUT/reportlab-transparent-${px}px.pdf" "$OUT/reportlab-transparent-${px}px.oracle.png" 200
done
# JPEG placed by reportlab (DCT passed through) next to text
page "$OUT/reportlab-jpeg-q80.pdf" "$OUT/magick-jpeg-q75-baseline.oracle.jpg" 60 0
cp "$OUT/magick-jpeg-q75-baseline.oracle.jpg" "$OUT/reportlab-jpeg-q80.oracle.jpg"

# 4. rotations: the image rotated in its pixels (ImageMagick) and placed with a rotated matrix (reportlab)
for a in 1 2 3 5; do
  convert "$T/s4.png" -background white -rotate "$a" "$OUT/magick-rotated-${a}deg.oracle.png"
  img2pdf --pagesize A4 -o "$OUT/magick-rotated-${a}deg.pdf" "$OUT/magick-rotated-${a}deg.oracle.png"
done
for a in 3 30 90; do
  page "$OUT/reportlab-placed-${a}deg.pdf" "$T/s4.png" 60 "$a"
  render "$OUT/reportlab-placed-${a}deg.pdf" "$OUT/reportlab-placed-${a}deg.oracle.png" 200
done

# 5. scans: a report page rendered at 150–300 dpi, tilted, blurred, noised (seeded: the same corpus on every run),
#    unevenly lit, JPEG; img2pdf
page "$T/report.pdf" "$T/s4.png" 57 0   # 0.5 mm modules for a 24×24 symbol (2 quiet modules)
scan() { # name dpi tilt blur noise quality [progressive]
  local name=$1 dpi=$2 tilt=$3 blur=$4 noise=$5 q=$6 prog=${7:-}
  render "$T/report.pdf" "$T/page.png" "$dpi"
  local size; size=$(identify -format '%wx%h' "$T/page.png")
  convert -size "$size" gradient:gray100-gray78 "$T/light.png"
  convert "$T/page.png" "$T/light.png" -compose multiply -composite \
    -background white -rotate "$tilt" -gravity center -extent "$size" \
    -blur 0x"$blur" -seed "$dpi$q" -attenuate "$noise" +noise Gaussian -colorspace Gray \
    -quality "$q" ${prog:+-interlace Plane} "$OUT/scan-$name.oracle.jpg"
  img2pdf --pagesize A4 -o "$OUT/scan-$name.pdf" "$OUT/scan-$name.oracle.jpg"
}
scan 150dpi-0deg 150 0 0.4 0.2 80
scan 150dpi-1deg 150 1 0.5 0.3 75
scan 200dpi-2deg 200 2 0.6 0.3 70 p
scan 300dpi-0deg 300 0 0.6 0.3 85
scan 300dpi-1deg 300 -1 0.8 0.4 75
scan 300dpi-3deg 300 3 0.8 0.4 60 p
scan 300dpi-5deg 300 5 0.7 0.3 80

# 6. no symbol: a report page with a JPEG logo, and a page-sized JPEG scan without a symbol (noise seed 3: its noise
#    and text once gave the any-angle search a finder-like L)
convert -size 600x400 -seed 3 plasma:fractal -quality 85 "$T/logo.jpg"
page "$OUT/reportlab-nosymbol-logo.pdf" "$T/logo.jpg" 120 0
page "$T/plain.pdf" - 0 0
render "$T/plain.pdf" "$T/plain.png" 300
convert "$T/plain.png" -seed 3 -attenuate 0.3 +noise Gaussian -colorspace Gray -quality 75 "$T/plain.jpg"
img2pdf --pagesize A4 -o "$OUT/scan-nosymbol-300dpi.pdf" "$T/plain.jpg"

# 7. encrypted copies (empty user password, AES-256)
for f in zint-png-4px magick-jpeg-q75-progressive reportlab-transparent-4px scan-200dpi-2deg; do
  qpdf --encrypt "" owner 256 -- "$OUT/$f.pdf" "$OUT/$f-enc.pdf"
  for o in "$OUT/$f".oracle.*; do cp "$o" "$OUT/$f-enc.oracle.${o##*.}"; done
done
echo "make-raster.sh: $(ls "$OUT"/*.pdf | wc -l) PDFs in $OUT"
