#!/usr/bin/env bash
# Median wall time of `slmgr /dli` on a store with one product, beside `node -e 0`, in one run.
# Needs hyperfine (Debian: apt-get install hyperfine) and a built slmgr (pnpm build).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
node "$here/bench/setup.mjs" "$home"
export SLM_HOME="$home"
unset SLM_LICENCE_DIR
hyperfine --warmup 5 --runs "${RUNS:-40}" --export-json "$home/result.json" \
  -n 'node -e 0' 'node -e 0' \
  -n 'slmgr /dli' "node $here/bin/slmgr.js /dli"
node -e '
const r = require(process.argv[1]).results;
const [base, dli] = r.map((x) => x.median * 1000);
console.log(`median: node -e 0 ${base.toFixed(1)} ms, slmgr /dli ${dli.toFixed(1)} ms, ratio ${(dli / base).toFixed(2)} (limit 1.60)`);
' "$home/result.json"
