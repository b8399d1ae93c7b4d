#!/usr/bin/env bash
# Measures what the Maran.Instrument generator and analyzers cost in the compile of a generated project with
# CALL_SITES monitored calls (see generate.sh). Each run recompiles the project twice, with and without the Maran
# tooling, with -p:ReportAnalyzer=true, and reads from the compiler's report:
#   csc          the Csc task's time (the whole compile)
#   analyzers    Maran.Instrument.Analyzers' execution time (summed over threads: analyzers run concurrently)
#   generator    Maran.Instrument.Generator's execution time
#   baseline     the Csc task's time for the same code compiled without the generator and analyzers
# Usage: benchmarks/build-time/measure.sh [CALL_SITES=2000] [RUNS=5] [SHARED_COMPILER=false]
# SHARED_COMPILER=true uses the warm compiler server, as a developer's machine does; false starts csc for every
# compile, as this repository's CI does (UseSharedCompilation=false in its environment).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
sites=${1:-2000}
runs=${2:-5}
shared=${3:-false}
project="$here/artifacts/BuildTime/BuildTime.csproj"

"$here/generate.sh" "$(dirname "$project")" "$sites"
common=(-nologo "-p:UseSharedCompilation=$shared")
# Restore, build the runtime, generator and analyzers, and warm up both variants.
dotnet build "$project" -v:q "${common[@]}" > /dev/null
dotnet build "$project" -v:q "${common[@]}" -p:WithoutMaranTooling=true > /dev/null

compile() {
    touch "$(dirname "$project")/Service0.cs"
    dotnet build "$project" --no-restore --no-dependencies -v:d -clp:PerformanceSummary -p:ReportAnalyzer=true "${common[@]}" "$@"
}

seconds_of() { # the first number on the first line matching $1, in seconds
    awk -v pattern="$1" '$0 ~ pattern { print $1; exit }'
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

printf '%-4s %10s %12s %12s %12s\n' run "csc (s)" "analyzers" "generator" "baseline"
: > "$here/artifacts/runs.tsv"
for ((run = 1; run <= runs; run++)); do
    with=$(compile)
    without=$(compile -p:WithoutMaranTooling=true)
    csc=$(awk '/ ms  Csc / { printf "%.3f", $1 / 1000; exit }' <<< "$with")
    analyzers=$(seconds_of 'Maran[.]Instrument[.]Analyzers, Version' <<< "$with")
    generator=$(seconds_of 'Maran[.]Instrument[.]Generator, Version' <<< "$with")
    baseline=$(awk '/ ms  Csc / { printf "%.3f", $1 / 1000; exit }' <<< "$without")
    printf '%-4s %10s %12s %12s %12s\n' "$run" "$csc" "$analyzers" "$generator" "$baseline"
    printf '%s\t%s\t%s\t%s\n' "$csc" "$analyzers" "$generator" "$baseline" >> "$here/artifacts/runs.tsv"
done

csc=$(cut -f1 "$here/artifacts/runs.tsv" | median)
analyzers=$(cut -f2 "$here/artifacts/runs.tsv" | median)
generator=$(cut -f3 "$here/artifacts/runs.tsv" | median)
baseline=$(cut -f4 "$here/artifacts/runs.tsv" | median)
echo
echo "medians over $runs runs, $sites monitored call sites, shared compiler: $shared"
awk -v c="$csc" -v a="$analyzers" -v g="$generator" -v b="$baseline" 'BEGIN {
    printf "compile (Csc task) with Maran tooling:  %.3f s\n", c
    printf "compile without it (baseline):          %.3f s\n", b
    printf "added by generator + analyzers:         %.3f s (%.1f%% of the baseline)\n", c - b, 100 * (c - b) / b
    printf "Maran.Instrument.Analyzers:             %.3f s (%.1f%% of the compile)\n", a, 100 * a / c
    printf "Maran.Instrument.Generator:             %.3f s (%.1f%% of the compile)\n", g, 100 * g / c
}'
