#!/usr/bin/env bash
# Per-document cost of the native build on the real-producer corpus (issue 14): raster/scan PDFs made by Debian
# tools (testdata/real-producers/make-raster.sh) and, when present, the vector ones (make-vector.sh), each wrapped
# in a CDA N1 document. Prints, per category (vector, raster, jpeg, scan, no-symbol), the DataMatrix decoded /
# documents and the median, p99 and max of `validate --timings` elapsedMs (one document at a time), then overall.
# Targets: median ≤ 20 ms and p99 ≤ 150 ms per document (scans included), no-symbol ≤ 50 ms.
# Usage: testdata/bench/real-producers.sh [BENCH_DIR=/tmp/cdacheck-rp-bench]
#   CLI=path/to/cdacheck skips the native publish; REPEAT (default 3) runs per document set, the median run is kept.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${1:-/tmp/cdacheck-rp-bench}
REPEAT=${REPEAT:-3}
mkdir -p "$DIR"
if [ -z "${CLI:-}" ]; then
  echo "== build (native executable: dotnet publish -p:NativeAot=true; a few minutes)" >&2
  dotnet publish "$ROOT/src/CdaCheck.Cli" -c Release -r linux-x64 -p:NativeAot=true -o "$DIR/cli-native" -v q -nologo >/dev/null
  CLI="$DIR/cli-native/cdacheck"
fi
dotnet build -c Release "$ROOT/testdata/CdaCheck.TestData" -v q -nologo >/dev/null
TD() { dotnet run -c Release --no-build --project "$ROOT/testdata/CdaCheck.TestData" -- "$@"; }
if [ ! -f "$DIR/raster/.complete" ]; then
  echo "== generating the raster/scan corpus in $DIR/raster" >&2
  rm -rf "$DIR/raster"
  TD real-producers raster "$DIR/raster" >&2
  touch "$DIR/raster/.complete"
fi
if [ -x "$ROOT/testdata/real-producers/make-vector.sh" ] && [ ! -f "$DIR/vector/.complete" ]; then
  echo "== generating the vector corpus in $DIR/vector" >&2
  rm -rf "$DIR/vector"; mkdir -p "$DIR/vector"
  TD real-producers payload "$DIR/vector/payload.bin"
  "$ROOT/testdata/real-producers/make-vector.sh" "$DIR/vector" "$DIR/vector/payload.bin" >&2
  rm -f "$DIR/vector/payload.bin"
  TD real-producers wrap "$DIR/vector" >&2
  touch "$DIR/vector/.complete"
fi
echo "== $CLI validate --timings --parallel 1 (pdftoppm not used: --raster-fallback never), $REPEAT runs" >&2
for i in $(seq 1 "$REPEAT"); do
  "$CLI" validate --format jsonl --timings --parallel 1 --raster-fallback never "$DIR"/raster/*.xml $( [ -d "$DIR/vector" ] && ls "$DIR"/vector/*.xml ) > "$DIR/run$i.jsonl" 2> "$DIR/run$i.err" || true
  grep -h "timings:" "$DIR/run$i.err" >&2 || true
done
python3 - "$DIR" "$REPEAT" <<'PY'
import json, sys, os, statistics
d, repeat = sys.argv[1], int(sys.argv[2])
def category(path):
    name = os.path.basename(path)
    if '/vector/' in path: return 'vector'
    if 'nosymbol' in name: return 'no-symbol'
    if name.startswith('scan-'): return 'scan'
    if 'jpeg' in name: return 'jpeg'
    return 'raster'
runs = []
for i in range(1, repeat + 1):
    docs = {}
    for line in open(os.path.join(d, f'run{i}.jsonl')):
        o = json.loads(line)
        if 'path' in o and 'elapsedMs' in o: docs[o['path']] = o
    runs.append(docs)
paths = sorted(runs[0])
# per document: the median of its runs
ms = {p: statistics.median(r[p]['elapsedMs'] for r in runs if p in r) for p in paths}
def pct(v, q):
    v = sorted(v); return v[min(len(v) - 1, max(0, int(round(q * (len(v) - 1)))))]
cats = {}
for p in paths: cats.setdefault(category(p), []).append(p)
print(f"{'category':10s} {'docs':>5s} {'decoded':>8s} {'median':>8s} {'p99':>8s} {'max':>8s}  (ms per document)")
for c in ['vector', 'raster', 'jpeg', 'scan', 'no-symbol']:
    if c not in cats: continue
    ps = cats[c]; v = [ms[p] for p in ps]
    dec = sum(1 for p in ps if (runs[0][p].get('datamatrix') or {}).get('status') == 'decoded')
    print(f"{c:10s} {len(ps):5d} {dec:8d} {statistics.median(v):8.1f} {pct(v, .99):8.1f} {max(v):8.1f}")
v = list(ms.values())
print(f"{'all':10s} {len(v):5d} {'':8s} {statistics.median(v):8.1f} {pct(v, .99):8.1f} {max(v):8.1f}")
slow = sorted(ms.items(), key=lambda kv: -kv[1])[:5]
print("slowest: " + ", ".join(f"{os.path.basename(p)} {t:.0f}" for p, t in slow))
PY
