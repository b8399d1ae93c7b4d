#!/usr/bin/env bash
# Measures what the Maran.Instrument generator and analyzers cost in the compile of a generated project with
# CALL_SITES monitored calls (see generate.sh). Each run recompiles the project three times, interleaved: with the
# generator and the analyzers, with the generator only, and with neither; always with -p:ReportAnalyzer=true.
# It prints the Csc task's time of each, and the compiler's own report of the Maran analyzers' and generator's
# execution time in the first. The differences between the three compiles are the honest cost: they include the work
# the compiler does for them (operation trees for the analyzers, compiling the generated interceptors for the
# generator), which the report does not attribute.
# Usage: benchmarks/build-time/measure.sh [CALL_SITES=2000] [RUNS=5] [SHARED_COMPILER=false]
# SHARED_COMPILER=true uses the warm compiler server, as a developer's machine does; false starts csc for every
# compile, as this repository's CI does (UseSharedCompilation=false in its environment).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
sites=${1:-2000}
runs=${2:-5}
shared=${3:-false}
project="$here/artifacts/BuildTime/BuildTime.csproj"
runs_file="$here/artifacts/runs.tsv"

"$here/generate.sh" "$(dirname "$project")" "$sites"
common=(-nologo "-p:UseSharedCompilation=$shared")
# Restore, build the runtime, generator and analyzers, and warm up every variant.
dotnet build "$project" -v:q "${common[@]}" > /dev/null
dotnet build "$project" -v:q "${common[@]}" -p:WithoutMaranAnalyzers=true > /dev/null
dotnet build "$project" -v:q "${common[@]}" -p:WithoutMaranTooling=true > /dev/null

compile() {
    touch "$(dirname "$project")/Service0.cs"
    dotnet build "$project" --no-restore --no-dependencies -v:d -clp:PerformanceSummary -p:ReportAnalyzer=true "${common[@]}" "$@"
}

csc_seconds() { awk '/ ms  Csc / { printf "%.3f", $1 / 1000; exit }'; }

reported_seconds() { awk -v pattern="$1" '$0 ~ pattern { print $1; exit }'; }

median() {
    sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

printf '%-4s %10s %14s %10s %16s %16s\n' run "all (s)" "generator only" "neither" "analyzers report" "generator report"
: > "$runs_file"
for ((run = 1; run <= runs; run++)); do
    all=$(compile)
    generator_only=$(compile -p:WithoutMaranAnalyzers=true | csc_seconds)
    neither=$(compile -p:WithoutMaranTooling=true | csc_seconds)
    row=("$(csc_seconds <<< "$all")" "$generator_only" "$neither"
         "$(reported_seconds 'Maran[.]Instrument[.]Analyzers, Version' <<< "$all")"
         "$(reported_seconds 'Maran[.]Instrument[.]Generator, Version' <<< "$all")")
    printf '%-4s %10s %14s %10s %16s %16s\n' "$run" "${row[@]}"
    (IFS=$'\t'; echo "${row[*]}") >> "$runs_file"
done

all=$(cut -f1 "$runs_file" | median)
generator_only=$(cut -f2 "$runs_file" | median)
neither=$(cut -f3 "$runs_file" | median)
analyzers_report=$(cut -f4 "$runs_file" | median)
generator_report=$(cut -f5 "$runs_file" | median)
echo
echo "medians over $runs runs, $sites monitored call sites, shared compiler: $shared"
awk -v all="$all" -v gen="$generator_only" -v none="$neither" -v ar="$analyzers_report" -v gr="$generator_report" 'BEGIN {
    printf "compile with generator and analyzers:   %7.3f s\n", all
    printf "compile with the generator only:        %7.3f s\n", gen
    printf "compile with neither (baseline):        %7.3f s\n", none
    printf "analyzers, by difference:               %7.3f s (%5.1f%% of the full compile)\n", all - gen, 100 * (all - gen) / all
    printf "analyzers, as the compiler reports:     %7.3f s (%5.1f%% of the full compile)\n", ar, 100 * ar / all
    printf "generator, by difference:               %7.3f s (%5.1f%% of the full compile)\n", gen - none, 100 * (gen - none) / all
    printf "generator, as the compiler reports:     %7.3f s (%5.1f%% of the full compile)\n", gr, 100 * gr / all
    printf "generator + analyzers over baseline:    %7.3f s (%5.1f%% added)\n", all - none, 100 * (all - none) / none
}'
