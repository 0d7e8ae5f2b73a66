#!/usr/bin/env bash
# Runs Whetstone's whole test suite: installs what the tests need (idempotent), builds the solution,
# runs every test project one after another (the machine has 2 cores; parallel projects starve each
# other's servers), and prints one summary line: "N passed, N failed, N skipped".
#   ./test.sh                 everything
#   ./test.sh Whetstone.Api   only test projects whose name contains the word
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
filter="${1:-}"
configuration="${CONFIGURATION:-Debug}"
results="$root/TestResults"

bash scripts/setup.sh || { echo "setup failed"; exit 1; }

echo "build: dotnet build Operator.sln -c $configuration"
if ! dotnet build Operator.sln -c "$configuration" -nologo -clp:ErrorsOnly -v:q; then
  echo "0 passed, 1 failed (the build failed)"
  exit 1
fi

rm -rf "$results"
mkdir -p "$results"
start=$(date +%s)
crashed=()
for project in tests/*/*.Tests.csproj; do
  name="$(basename "$project" .csproj)"
  if [ -n "$filter" ] && [[ "$name" != *"$filter"* ]]; then continue; fi
  echo "test: $name"
  t0=$(date +%s)
  dotnet test "$project" -c "$configuration" --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --logger "console;verbosity=minimal" -- RunConfiguration.TreatNoTestsAsError=false
  rc=$?
  echo "test: $name finished in $(( $(date +%s) - t0 ))s (exit $rc)"
  # A run that failed without writing its results (crash, hang killed) counts as a failure.
  if [ $rc -ne 0 ] && [ ! -s "$results/$name.trx" ]; then crashed+=("$name"); fi
done

# The reliability suite leaves one JSON line per injected fault; the README's table is made from them.
if [ -s "$results/reliability/results.jsonl" ]; then
  python3 "$root/scripts/reliability-table.py" "$results/reliability/results.jsonl" > "$results/reliability/table.md" \
    && echo "reliability table: $results/reliability/table.md"
fi

python3 "$root/scripts/trx-summary.py" "$results" "${#crashed[@]}" "$(( $(date +%s) - start ))"
