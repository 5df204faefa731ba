#!/usr/bin/env bash
# Cost growth (not a test): the replay command on generated histories of growing size, the same traffic per day
# (1,000,000 rows a year), so a bigger input is a longer history. For each size: wall time, rows/s, peak RSS and heap,
# alerts and the state on disk. Prints a table and writes bench/results/sizes.json.
#   bench/sizes.sh [ROWS ...]      (default 250000 1000000 4000000; about ten minutes on 2 cores)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(250000 1000000 4000000)
for rows in "${sizes[@]}"; do
  [[ "$rows" =~ ^[0-9]+$ ]] && [ "$rows" -ge 1000 ] || { echo "bench/sizes.sh: a size is a row count of at least 1000, not '$rows'" >&2; exit 2; }
done
bin/detector --version >/dev/null                      # builds the jar when needed
work="$(mktemp -d /tmp/detector-sizes-XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir -p bench/results
for rows in "${sizes[@]}"; do
  days=$(( (rows * 365 + 999999) / 1000000 ))
  echo "$rows rows over $days days: generating ..." >&2
  bin/detector generate --rows "$rows" --days "$days" --seed 1 --out "$work/h$rows.txt" >/dev/null 2>&1
  echo "$rows rows: replaying ..." >&2
  start=$(date +%s.%N)
  bin/detector replay "$work/h$rows.txt" --state-dir "$work/state$rows" > "$work/replay$rows.out" 2> "$work/replay$rows.err" \
    || { cat "$work/replay$rows.err" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$rows $days $start $end $(du -sb "$work/state$rows" | cut -f1)" >> "$work/runs"
  rm -rf "$work/state$rows" "$work/h$rows.txt"
done
python3 - "$work" <<'PY'
import json, os, re, sys, datetime
work = sys.argv[1]
series = []
for line in open(os.path.join(work, "runs")):
    rows, days, start, end, state = line.split()
    summary = open(os.path.join(work, f"replay{rows}.out")).read()
    def grab(pattern):
        m = re.search(pattern, summary)
        return float(m.group(1).replace(",", "")) if m else None
    series.append({"rows": int(rows), "days": int(days), "replay_command_seconds": round(float(end) - float(start), 1),
                   "replay_records_per_s": grab(r"throughput\s+([\d,]+) rows/s"), "peak_rss_mib": grab(r"peak RSS ([\d,]+) MiB"),
                   "peak_heap_mib": grab(r"peak heap ([\d,]+) MiB"), "alerts": int(grab(r"alerts\s+([\d,]+)") or 0), "state_bytes": int(state)})
result = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "machine_cores": os.cpu_count(), "sizes": series}
json.dump(result, open("bench/results/sizes.json", "w"), indent=2)
print("| rows | days | replay wall | rows/s | peak RSS | peak heap | alerts | state on disk |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|")
for s in series:
    fmt = lambda v, spec: format(v, spec) if v is not None else "n/a"
    print(f"| {s['rows']:,} | {s['days']} | {s['replay_command_seconds']} s | {fmt(s['replay_records_per_s'], ',.0f')} | "
          f"{fmt(s['peak_rss_mib'], ',.0f')} MiB | {fmt(s['peak_heap_mib'], ',.0f')} MiB | {fmt(s['alerts'], ',.0f')} | {s['state_bytes'] / 2**20:,.1f} MiB |")
PY
