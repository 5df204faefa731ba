#!/usr/bin/env bash
# The benchmark (not a test): on one generated history, how fast the detector runs against what bounds it.
#   bench/run.sh [ROWS]        (default 1,000,000 rows over 365 days, seed 1)
# Prints a table and writes bench/results/latest.json. Takes about fifteen minutes; run it on a quiet machine.
# Its cost-growth part is bench/sizes.sh (BENCH_SIZES="250000 1000000 4000000" by default).
# Its last part is the live latency through CDC (bench/cdc-latency.sh at 1,000 rows/s for 60 s with the production
# connector file); it needs mariadbd (package mariadb-server) and is reported as not measured without it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows="${1:-1000000}"
cd "$root"
bin/detector --version >/dev/null                      # builds the jar when needed
jar="$root/tools/target/curriculum-detector.jar"
work="$(mktemp -d /tmp/detector-bench-XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir -p bench/results

history="$work/history.txt"
java -jar "$jar" generate --rows "$rows" --days 365 --seed 1 --out "$history" >&2

echo "measuring the limits, the naive and fast peers and the detector on one broker ..." >&2
java -Xmx1g -cp "$jar" io.curriculum.tools.bench.Benchmark "$history" "$work/limits.json" >/dev/null

echo "measuring the whole replay command ..." >&2
start=$(date +%s.%N)
bin/detector replay "$history" --alerts-out "$work/alerts.jsonl" --state-dir "$work/replay-state" > "$work/replay.out" 2> "$work/replay.err" \
  || { cat "$work/replay.err" >&2; exit 1; }
end=$(date +%s.%N)

echo "measuring the live latency through CDC (bench/cdc-latency.sh 1000 60) ..." >&2
bench/cdc-latency.sh 1000 60 connectors/mysql.json 100 200000 > "$work/cdc.out" 2> "$work/cdc.err" \
  || echo "the CDC latency was not measured: $(grep -m1 -i 'mariadbd\|error' "$work/cdc.err" || tail -1 "$work/cdc.err")" >&2

echo "measuring the cost growth (bench/sizes.sh ${BENCH_SIZES:-250000 1000000 4000000}) ..." >&2
# shellcheck disable=SC2086 # the sizes are words
bench/sizes.sh ${BENCH_SIZES:-250000 1000000 4000000} > "$work/sizes.out"

python3 - "$work" "$start" "$end" <<'PY'
import json, os, platform, re, subprocess, sys, datetime
work, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
limits = json.load(open(os.path.join(work, "limits.json")))
summary = open(os.path.join(work, "replay.out")).read()
def grab(pattern, cast=float):
    m = re.search(pattern, summary)
    return cast(m.group(1).replace(",", "")) if m else None
state = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(work, "replay-state")) for f in fs)
result = dict(limits)
result.update({
    "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "machine": f"{os.cpu_count()} cores, {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, {platform.machine()}",
    "java": subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0],
    "replay_command_seconds": round(end - start, 1),
    "replay_records_per_s": grab(r"throughput\s+([\d,]+) rows/s"),
    "replay_peak_rss_mib": grab(r"peak RSS ([\d,]+) MiB"),
    "replay_peak_heap_mib": grab(r"peak heap ([\d,]+) MiB"),
    "replay_state_bytes": state,
    "alerts": grab(r"alerts\s+([\d,]+)", int),
})
cdc = open(os.path.join(work, "cdc.out")).read() if os.path.exists(os.path.join(work, "cdc.out")) else ""
latency = re.search(r"INSERT commit -> alert .*?: p50 ([\d.]+) ms, p90 ([\d.]+) ms, p99 ([\d.]+) ms, max ([\d.]+) ms", cdc)
sustained = re.search(r"sustained ([\d,]+) rows/s", cdc)
if latency:
    result.update({"cdc_rows_per_s": 1000, "cdc_insert_to_alert_ms": {k: float(v) for k, v in zip(("p50", "p90", "p99", "max"), latency.groups())}})
if sustained:
    result["cdc_sustained_rows_per_s"] = int(sustained.group(1).replace(",", ""))
result["sizes"] = json.load(open("bench/results/sizes.json"))["sizes"]
json.dump(result, open("bench/results/latest.json", "w"), indent=2)
c = result["commit_interval_ms"]
rows = [
    ("input", f"{result['rows']:,} rows (generated, 365 days, seed 1)"),
    ("machine", f"{result['machine']}; {result['java']}"),
    ("plain consumer", f"{result['plain_consumer_records_per_s']:,.0f} records/s"),
    ("pass-through Streams, exactly_once_v2", f"{result['pass_through_eos_records_per_s']:,.0f} records/s  (the faster of: commit "
        f"{c} ms {result['pass_through_eos_commit_%dms_records_per_s' % c]:,.0f}, 100 ms {result['pass_through_eos_commit_100ms_records_per_s']:,.0f})"),
    ("naive peer, exactly_once_v2", f"{result['naive_peer_records_per_s']:,.0f} records/s  (the faster of: commit "
        f"{c} ms {result['naive_peer_commit_%dms_records_per_s' % c]:,.0f}, 100 ms {result['naive_peer_commit_100ms_records_per_s']:,.0f})"),
    ("fast peer (one rule, Processor API), exactly_once_v2", f"{result['fast_peer_records_per_s']:,.0f} records/s  (the faster of: commit "
        f"{c} ms {result['fast_peer_commit_%dms_records_per_s' % c]:,.0f}, 100 ms {result['fast_peer_commit_100ms_records_per_s']:,.0f})"),
    ("detector topology, exactly_once_v2", f"{result['detector_records_per_s']:,.0f} records/s  (one task, commit {c} ms, as a replay runs)"),
    ("the same with repartition topics", f"{result['detector_repartitioned_records_per_s']:,.0f} records/s  (detector.repartition=always)"),
    ("two partitions, two stream threads", f"{result['detector_2_partitions_2_threads_records_per_s']:,.0f} records/s  (repartition topics, input keyed by IP)"),
    ("detector / consumer", f"{result['detector_vs_plain_consumer']:.3f}"),
    ("detector / pass-through", f"{result['detector_vs_pass_through']:.3f}  (target >= 0.8)"),
    ("detector / naive peer", f"{result['detector_vs_naive_peer']:.2f}"),
    ("detector / fast peer", f"{result['detector_vs_fast_peer']:.2f}"),
    ("replay command, wall time", f"{result['replay_command_seconds']} s  (target <= 12 s)"),
    ("replay throughput", f"{result['replay_records_per_s']:,.0f} rows/s"),
    ("replay peak RSS / heap", f"{result['replay_peak_rss_mib']:,.0f} MiB / {result['replay_peak_heap_mib']:,.0f} MiB  (target RSS <= 512 MiB)"),
    ("detector state on disk", f"{result['replay_state_bytes'] / 2**20:,.1f} MiB"),
]
if "cdc_insert_to_alert_ms" in result:
    l = result["cdc_insert_to_alert_ms"]
    rows.append(("CDC INSERT -> alert at 1,000 rows/s", f"p50 {l['p50']:.0f} ms, p99 {l['p99']:.0f} ms, max {l['max']:.0f} ms  (target p99 <= 100 ms)"))
else:
    rows.append(("CDC INSERT -> alert at 1,000 rows/s", "not measured (see stderr)"))
if "cdc_sustained_rows_per_s" in result:
    rows.append(("CDC sustained (200,000-row backlog)", f"{result['cdc_sustained_rows_per_s']:,} rows/s"))
for size in result["sizes"]:
    rows.append((f"replay of {size['rows']:,} rows ({size['days']} days)", f"{size['replay_command_seconds']} s, "
                 f"{size['replay_records_per_s'] or 0:,.0f} rows/s, peak RSS {size['peak_rss_mib'] or 0:,.0f} MiB"))
width = max(len(k) for k, _ in rows)
print(f"| {'measure'.ljust(width)} | value |")
print(f"|{'-' * (width + 2)}|---|")
for k, v in rows:
    print(f"| {k.ljust(width)} | {v} |")
PY
