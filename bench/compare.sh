#!/usr/bin/env bash
# Same-run comparison (not a test): the benchmark's detector part, and the pass-through it is judged against, on two
# commits built side by side, on one generated history, alternating BASE HEAD BASE HEAD ... so that the machine's
# drift hits both alike. Prints each round's rates and the medians, and writes bench/results/compare.json.
#   bench/compare.sh BASE [HEAD=HEAD] [ROWS=1000000] [ROUNDS=3]
# HEAD may be "worktree": the checkout as it is, uncommitted changes included.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
  sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
base="$1"; head="${2:-HEAD}"; rows="${3:-1000000}"; rounds="${4:-3}"
[[ "$rows" =~ ^[0-9]+$ ]] && [ "$rows" -ge 1000 ] || { echo "bench/compare.sh: ROWS is a row count of at least 1000, not '$rows'" >&2; exit 2; }
[[ "$rounds" =~ ^[0-9]+$ ]] && [ "$rounds" -ge 1 ] || { echo "bench/compare.sh: ROUNDS is a positive count, not '$rounds'" >&2; exit 2; }
work="$(mktemp -d /tmp/detector-compare-XXXXXX)"
cleanup() {
  for side in base head; do
    if [ -e "$work/$side" ] && [ ! -L "$work/$side" ]; then git -C "$root" worktree remove --force "$work/$side" >/dev/null 2>&1 || true; fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$root/bench/results"

checkout() { # side commit
  if [ "$2" = "worktree" ]; then
    ln -s "$root" "$work/$1"
  else
    git -C "$root" rev-parse --verify --quiet "$2^{commit}" >/dev/null || { echo "bench/compare.sh: no such commit: $2" >&2; exit 2; }
    git -C "$root" worktree add --quiet --detach "$work/$1" "$2"
  fi
  echo "building $1 ($2: $(git -C "$work/$1" rev-parse --short HEAD)) ..." >&2
  (cd "$work/$1" && mvn -B -q -Dstyle.color=never -Dmaven.test.skip=true package 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g') >&2
}
launcher() { # side -> "JAR BENCHMARK_CLASS" (the launcher moved from app/ to tools/ when the modules were split)
  if [ -f "$work/$1/tools/target/curriculum-detector.jar" ]; then
    echo "$work/$1/tools/target/curriculum-detector.jar io.curriculum.tools.bench.Benchmark"
  else
    echo "$work/$1/app/target/curriculum-detector.jar io.curriculum.app.bench.Benchmark"
  fi
}
checkout base "$base"
checkout head "$head"

read -r head_jar _ <<<"$(launcher head)"
echo "generating $rows rows over 365 days (seed 1) ..." >&2
java -jar "$head_jar" generate --rows "$rows" --days 365 --seed 1 --out "$work/history.txt" >/dev/null 2>&1

for round in $(seq 1 "$rounds"); do
  for side in base head; do
    read -r jar class <<<"$(launcher "$side")"
    echo "round $round/$rounds: $side ..." >&2
    java -Xmx1g -cp "$jar" "$class" "$work/history.txt" "$work/$side-$round.json" limits,detector >/dev/null 2>"$work/$side-$round.err" \
      || { cat "$work/$side-$round.err" >&2; exit 1; }
  done
done

python3 - "$work" "$rounds" "$base" "$head" "$(git -C "$work/base" rev-parse HEAD)" "$(git -C "$work/head" rev-parse HEAD)" \
  "$(git -C "$work/head" status --porcelain | wc -l)" > "$root/bench/results/compare.json" <<'PY'
import json, statistics, sys, datetime
work, rounds, base, head, base_sha, head_sha, dirty = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
runs = {side: [json.load(open(f"{work}/{side}-{r}.json")) for r in range(1, rounds + 1)] for side in ("base", "head")}
def med(side, key): return statistics.median(run[key] for run in runs[side])
out = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "rows": runs["head"][0]["rows"],
       "rounds": rounds, "base": {"ref": base, "commit": base_sha}, "head": {"ref": head, "commit": head_sha, "uncommitted_changes": int(dirty)}}
for side in ("base", "head"):
    out[side]["detector_records_per_s"] = [round(r["detector_records_per_s"]) for r in runs[side]]
    out[side]["pass_through_eos_records_per_s"] = [round(r["pass_through_eos_records_per_s"]) for r in runs[side]]
    out[side]["detector_median"] = round(med(side, "detector_records_per_s"))
    out[side]["detector_vs_pass_through_median"] = round(statistics.median(
        r["detector_records_per_s"] / r["pass_through_eos_records_per_s"] for r in runs[side]), 3)
out["head_vs_base_detector"] = round(out["head"]["detector_median"] / out["base"]["detector_median"], 3)
print(json.dumps(out, indent=2))
sys.stderr.write(f"\n{'round':>5} | {'base detector/s':>15} | {'head detector/s':>15} | {'base pass-through/s':>19} | {'head pass-through/s':>19}\n")
for r in range(rounds):
    sys.stderr.write(f"{r + 1:>5} | {out['base']['detector_records_per_s'][r]:>15,} | {out['head']['detector_records_per_s'][r]:>15,} | "
                     f"{out['base']['pass_through_eos_records_per_s'][r]:>19,} | {out['head']['pass_through_eos_records_per_s'][r]:>19,}\n")
sys.stderr.write(f"median detector: base {out['base']['detector_median']:,}/s ({base} {base_sha[:7]}), head {out['head']['detector_median']:,}/s "
                 f"({head} {head_sha[:7]}{', with uncommitted changes' if int(dirty) else ''}): head/base {out['head_vs_base_detector']}\n")
sys.stderr.write(f"median detector vs pass-through: base {out['base']['detector_vs_pass_through_median']}, head {out['head']['detector_vs_pass_through_median']}\n")
PY
cat "$root/bench/results/compare.json" >/dev/null
