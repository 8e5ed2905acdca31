#!/usr/bin/env bash
# End-to-end throughput of `cdacheck validate --format json` on a seeded benchmark corpus.
# Usage: testdata/bench/throughput.sh [N=10000] [SEED=42]
#   BENCH_DIR (default /tmp/cdacheck-bench) holds the corpora; PARALLEL (default: all cores).
#   BUILD=native (default): the native executable (`dotnet publish -p:NativeAot=true`, no JIT);
#   BUILD=tool: the framework-dependent build published ReadyToRun, what `dotnet tool install` runs.
# Each figure is the run of median wall time among REPEAT runs (default 3).
# Prints documents/s, MB/s, per-document median and p99 (validate --timings), peak RSS,
# the 1,000 vs N per-document cost ratio, and the one-document CLI wall time.
set -eu   # no pipefail: `ls | head` ends its writer with SIGPIPE
N=${1:-10000}
SEED=${2:-42}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/cdacheck-bench}
PARALLEL=${PARALLEL:-0}
BUILD=${BUILD:-native}
mkdir -p "$BENCH_DIR"

RID=${RID:-linux-x64}
case "$BUILD" in
  native)
    echo "== build (Release, native executable for $RID: dotnet publish -p:NativeAot=true; a few minutes)"
    dotnet publish "$ROOT/src/CdaCheck.Cli" -c Release -r "$RID" -p:NativeAot=true -o "$BENCH_DIR/cli-native" -v q -nologo >/dev/null
    CLI="$BENCH_DIR/cli-native/cdacheck" ;;
  tool)
    echo "== build (Release, framework-dependent, ReadyToRun for $RID, as the dotnet tool ships)"
    dotnet publish "$ROOT/src/CdaCheck.Cli" -c Release -r "$RID" --self-contained false -o "$BENCH_DIR/cli" -v q -nologo >/dev/null
    CLI="$BENCH_DIR/cli/cdacheck" ;;
  *) echo "BUILD is native or tool" >&2; exit 2 ;;
esac
dotnet build -c Release "$ROOT/testdata/CdaCheck.TestData" -v q -nologo >/dev/null

corpus() { # corpus COUNT -> dir (generated once; the first K files of a seed are the same for any count)
  local count=$1 dir="$BENCH_DIR/corpus-$1-seed$SEED"
  if [ ! -f "$dir/.complete" ]; then
    echo "== generating $count documents (seed $SEED) in $dir" >&2
    rm -rf "$dir"
    dotnet run -c Release --no-build --project "$ROOT/testdata/CdaCheck.TestData" -- corpus "$dir" --count "$count" --seed "$SEED" >&2
    touch "$dir/.complete"
  fi
  echo "$dir"
}

run() { # run DIR LABEL -> REPEAT runs (default 3); prints the run of median wall time and the range
  local dir=$1 label=$2 k logs=()
  for k in $(seq "${REPEAT:-3}"); do
    local out time_log
    out=$(mktemp "$BENCH_DIR/report.XXXXXX.json"); time_log=$(mktemp "$BENCH_DIR/time.XXXXXX")
    /usr/bin/time -v "$CLI" validate "$dir" --format json --timings --parallel "$PARALLEL" -o "$out" 2>"$time_log" >/dev/null || true
    logs+=("$out" "$time_log")
  done
  python3 - "$dir" "$label" "${logs[@]}" <<'PY'
import json, os, re, statistics, sys
d, label, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
runs = []
for out, tlog in zip(rest[0::2], rest[1::2]):
    t = open(tlog).read()
    def field(name):
        m = re.search(re.escape(name) + r":\s*(.+)", t); return m.group(1).strip() if m else "?"
    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(p) for p in wall.split(":")]
    secs = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) > 2 else 0)
    user, sys_ = float(field("User time (seconds)")), float(field("System time (seconds)"))
    rss = int(field("Maximum resident set size (kbytes)")) / 1024
    runs.append((secs, user, sys_, rss, out))
runs.sort()
secs, user, sys_, rss, out = runs[len(runs) // 2]
docs = json.load(open(out))["documents"]
n = len(docs)
size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d) if not f.startswith("."))
ms = sorted(x.get("elapsedMs", 0) for x in docs)
p99 = ms[min(n - 1, int(round(0.99 * n)) - 1)]
print(f"{label}: {n} documents, {size/1048576:.1f} MiB in {secs:.2f} s wall (process start included), "
      f"{user+sys_:.2f} s CPU ({user:.2f} user + {sys_:.2f} sys); median of {len(runs)} runs, wall {runs[0][0]:.2f}-{runs[-1][0]:.2f} s")
print(f"  {n/secs:8.1f} documents/s   {size/1048576/secs:7.1f} MB/s   CPU {1000*(user+sys_)/n:.2f} ms/document")
print(f"  per document (validate --timings, wall on its worker): median {statistics.median(ms):.2f} ms, p99 {p99:.2f} ms")
print(f"  peak RSS {max(r[3] for r in runs):.0f} MB (highest of the runs)")
open(os.environ.get("RESULT_FILE", "/dev/null"), "a").write(f"{label} {n} {secs} {user+sys_}\n")
for r in runs: os.remove(r[4])
PY
  for k in $(seq 1 2 ${#logs[@]}); do rm -f "${logs[$k]}"; done
}

RESULT_FILE=$(mktemp "$BENCH_DIR/results.XXXXXX"); export RESULT_FILE
echo "== machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg); build: $BUILD"
BIG=$(corpus "$N")
if [ "$N" -ne 1000 ]; then
  SMALL="$BENCH_DIR/corpus-1000-seed$SEED-of-$N"
  if [ ! -d "$SMALL" ]; then
    mkdir -p "$SMALL"
    # same documents as the first 1,000 of the big corpus (hard links: no extra space)
    ls "$BIG" | grep -v '^\.' | sort | head -1000 | while read -r f; do ln "$BIG/$f" "$SMALL/$f" 2>/dev/null || cp "$BIG/$f" "$SMALL/$f"; done
  fi
  echo "== warm-up (file cache)"; cat "$BIG"/* > /dev/null
  echo "== validate 1,000"; run "$SMALL" "1k"
fi
echo "== validate $N"; run "$BIG" "$N"
if [ "$N" -ne 1000 ]; then
  python3 - "$RESULT_FILE" <<'PY'
import sys
rows = {l.split()[0]: list(map(float, l.split()[1:])) for l in open(sys.argv[1])}
small, big = rows["1k"], [v for k, v in rows.items() if k != "1k"][0]
w = (big[1] / big[0]) / (small[1] / small[0]); c = (big[2] / big[0]) / (small[2] / small[0])
print(f"== per-document cost, {int(big[0])} vs 1,000 documents: wall x{w:.3f}, CPU x{c:.3f} (1.00 = linear; target within 10 %)")
PY
fi
rm -f "$RESULT_FILE"

echo "== one-document CLI wall time (5 runs, median)"
ONE=$(ls "$BIG" | grep -v '^\.' | sort | head -1)
for i in 1 2 3 4 5; do
  /usr/bin/time -f "%e" "$CLI" validate "$BIG/$ONE" --format json -o "$BENCH_DIR/one.json" 2>&1 >/dev/null | tail -1
done | sort -n | sed -n 3p | awk '{printf "  %s: %.0f ms wall (median of 5)\n", "'"$ONE"'", $1*1000}'
