#!/usr/bin/env bash
# The figures of docs/findings.md, "Placement and keep-alive policies from a file", from the CLI: every policy
# on the same scenarios and seeds (common random numbers), one table row per (scenario, policy). The document's
# tables are generated from the same runs by src/findings/policyBlocks.ts (npm run findings -- --only
# policies-placement,policies-keepalive), so this script is for trying the modules on your own checkout.
#   bash examples/compare-policies.sh placement     # built-in balancers vs the example placement modules
#   bash examples/compare-policies.sh keepalive     # OpenWhisk's keep-alive vs the hybrid histogram policy
set -euo pipefail
OWSIM=${OWSIM:-npx owsim}
SEEDS=${SEEDS:-3}
OUT=${OUT:-reports/policies}
here="$(cd "$(dirname "$0")" && pwd)"

row() { # scenario label folder
  node -e '
    const s = JSON.parse(require("fs").readFileSync(process.argv[3] + "/summary.json", "utf8"));
    const f = (x, d = 0) => x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
    console.log(`| ${process.argv[1]} | ${process.argv[2]} | ${f(s.latencyMs.p50)} | ${f(s.latencyMs.p99)} | ${f(s.coldStarts.count, 1)} | ${f(s.coldStarts.ratio * 100, 2)} % | ${f(s.containers.idleMemoryMeanMb)} |`);
  ' "$1" "$2" "$3"
}

header() {
  echo "| scenario | policy | p50 ms | p99 ms | cold starts | cold ratio | idle container memory, mean MB |"
  echo "|---|---|---:|---:|---:|---:|---:|"
}

case "${1:-placement}" in
  placement)
    header
    for scenario in quickstart overflow-burst capacity-planning two-controllers-lag; do
      for policy in legacy overflow sharding p2c ch-bl; do
        case $policy in
          p2c) set_lb="{\"module\": \"$here/balancers/p2c.mjs\"}" ;;
          ch-bl) set_lb="{\"module\": \"$here/balancers/consistent-hashing-bounded.mjs\"}" ;;
          *) set_lb=$policy ;;
        esac
        dir="$OUT/$scenario/$policy"
        $OWSIM run "scenarios/$scenario.yaml" --seeds "$SEEDS" --set "controllers.loadBalancer=$set_lb" --out "$dir" --report json -q || [ $? -eq 1 ]
        row "$scenario" "$policy" "$dir"
      done
    done
    ;;
  keepalive)
    header
    scenario="$here/container-policies/rare-arrivals.yaml"
    hybrid="{\"module\": \"$here/container-policies/hybrid-histogram.mjs\"}"
    hybrid10="{\"module\": \"$here/container-policies/hybrid-histogram.mjs\", \"options\": {\"fallbackKeepAliveMinutes\": 10}}"
    while IFS='|' read -r label set; do
      dir="$OUT/rare-arrivals/$label"
      $OWSIM run "$scenario" --seeds "$SEEDS" --set "$set" --out "$dir" --report json -q || [ $? -eq 1 ]
      row rare-arrivals "$label" "$dir"
    done <<LIST
openwhisk-10m|invokers.idleTimeout=10m
fixed-1h|invokers.idleTimeout=1h
fixed-4h|invokers.idleTimeout=4h
hybrid-histogram|invokers.containerPolicy=$hybrid
hybrid-fallback-10m|invokers.containerPolicy=$hybrid10
LIST
    ;;
  *) echo "usage: $0 placement|keepalive" >&2; exit 2 ;;
esac
