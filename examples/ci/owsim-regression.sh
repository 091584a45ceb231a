#!/usr/bin/env bash
# owsim policy regression: the baseline (OpenWhisk's built-in behaviour) and the candidate (a policy module in
# this repository) run on the same scenarios under the same seeds (common random numbers: both sides see the
# same arrivals and run times), then `owsim compare --fail-on` gates the candidate. The GitHub Actions
# workflow owsim-regression.yml runs this script; run it locally the same way:
#
#   bash examples/ci/owsim-regression.sh
#   SEEDS=3 CANDIDATE_MODULE=my-policies/keepalive.ts bash examples/ci/owsim-regression.sh
#
# Exit status: 0 the candidate passed every rule on every scenario, 1 a rule failed, 2 bad input (a scenario,
# the module or a rule), 3 an owsim bug.
set -uo pipefail

OWSIM=${OWSIM:-npx owsim}                        # how to call owsim (tests call the built CLI entry point)
SCENARIOS=${SCENARIOS:-scenarios/quickstart.yaml scenarios/overflow-burst.yaml}
SEEDS=${SEEDS:-5}                                # seeds 1..SEEDS on both sides: paired 95% intervals
CANDIDATE_FIELD=${CANDIDATE_FIELD:-controllers.loadBalancer}        # or invokers.containerPolicy
CANDIDATE_MODULE=${CANDIDATE_MODULE:-examples/balancers/p2c.mjs}
OUT=${OUT:-owsim-regression}                     # report folder
RULES=(
  --fail-on 'latencyMs.p99>+10%'
  --fail-on 'coldStarts.ratio>+10%'
  --fail-on 'activations.lost>0'
  --fail-on 'activations.completed<-1%'
  --fail-on 'containers.idleMemoryMeanMb>+25%'
)

# The module's absolute path: a relative one in a scenario would be taken relative to the scenario file.
module="$(cd "$(dirname "$CANDIDATE_MODULE")" && pwd)/$(basename "$CANDIDATE_MODULE")" || exit 2
mkdir -p "$OUT" || exit 2
summary="$OUT/summary.md"
{
  echo "# owsim regression: \`$CANDIDATE_MODULE\` against the built-in"
  echo
  printf 'Seeds 1..%s on both sides (common random numbers). The candidate fails on:' "$SEEDS"
  for rule in "${RULES[@]}"; do [ "$rule" = --fail-on ] || printf ' `%s`' "$rule"; done
  echo
  echo
} > "$summary"

status=0
for scenario in $SCENARIOS; do
  name=$(basename "$scenario" | sed -E 's/\.(ya?ml|json)$//')
  # A threshold breach in the scenario itself exits 1 after writing the reports: the comparison decides.
  $OWSIM run "$scenario" --seeds "$SEEDS" --out "$OUT/$name/base" --report json,md -q
  code=$?; if [ $code -gt 1 ]; then exit $code; fi
  $OWSIM run "$scenario" --seeds "$SEEDS" --set "$CANDIDATE_FIELD={\"module\": \"$module\"}" --out "$OUT/$name/candidate" --report json,md -q
  code=$?; if [ $code -gt 1 ]; then exit $code; fi
  $OWSIM compare "$OUT/$name/base" "$OUT/$name/candidate" "${RULES[@]}" --out "$OUT/$name/compare.md" > /dev/null
  code=$?
  if [ $code -gt 1 ]; then exit $code; fi
  if [ $code -eq 1 ]; then status=1; verdict='FAILED'; else verdict='passed'; fi
  {
    echo "## $name: $verdict"
    echo
    sed -e '1,/^$/d' "$OUT/$name/compare.md"
    echo
  } >> "$summary"
  echo "$name: $verdict"
done

if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$summary" >> "$GITHUB_STEP_SUMMARY"; fi
exit $status
