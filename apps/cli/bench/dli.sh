#!/usr/bin/env bash
# Median wall time of `slmgr /dli` on a store with one product, beside `node -e 0`, in one run.
# Needs hyperfine (Debian: apt-get install hyperfine) and a built slmgr (pnpm build).
# hyperfine runs all of one command before the other, so on a busy machine a change of load
# between the two would skew the ratio: the RUNS are split into ROUNDS that alternate which
# command goes first, and the medians are taken over the times of all rounds.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
node "$here/bench/setup.mjs" "$home"
export SLM_HOME="$home"
unset SLM_LICENCE_DIR
runs="${RUNS:-40}"
rounds="${ROUNDS:-4}"
for ((round = 0; round < rounds; round++)); do
  base=(-n 'node -e 0' 'node -e 0')
  dli=(-n 'slmgr /dli' "node $here/bin/slmgr.js /dli")
  if ((round % 2 == 0)); then order=("${base[@]}" "${dli[@]}"); else order=("${dli[@]}" "${base[@]}"); fi
  hyperfine --warmup 3 --runs "$(((runs + rounds - 1) / rounds))" \
    --export-json "$home/round-$round.json" "${order[@]}"
done
node -e '
const times = { "node -e 0": [], "slmgr /dli": [] };
for (const file of process.argv.slice(1))
  for (const r of require(file).results) times[r.command].push(...r.times);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return (s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2) * 1000;
};
const [base, dli] = [median(times["node -e 0"]), median(times["slmgr /dli"])];
console.log(`median: node -e 0 ${base.toFixed(1)} ms, slmgr /dli ${dli.toFixed(1)} ms, ratio ${(dli / base).toFixed(2)} (limit 1.60)`);
' "$home"/round-*.json
