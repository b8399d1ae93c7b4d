#!/usr/bin/env bash
# Measures what the Maran.Instrument generator and analyzers cost in the compile of a generated project with
# CALL_SITES monitored calls (see generate.sh).
#
# 1. dotnet build -p:ReportAnalyzer=true -v:d compiles the project three ways (with the generator and the analyzers,
#    with the generator only, with neither) and logs the exact compiler command line of each.
# 2. Each command line is then run RUNS times, interleaved, straight through csc under /usr/bin/time, so the numbers
#    are the compiler's own CPU time (user + system), which other work on a busy machine disturbs far less than wall
#    time. csc starts cold every time, as in this repository's CI (UseSharedCompilation=false).
# 3. Reported: the median CPU and wall time of each variant; the analyzers' and the generator's cost by difference
#    (which includes the work the compiler does for them: operation trees for the analyzers, compiling the generated
#    interceptors for the generator); and the compiler's /reportanalyzer execution times for both.
#
# Usage: benchmarks/build-time/measure.sh [CALL_SITES=2000] [RUNS=7]
#        benchmarks/build-time/measure.sh realistic [RUNS=7]   (generate-realistic.sh's application-shaped project)
#        benchmarks/build-time/measure.sh web [RUNS=7]         (generate-web.sh: that project as a Blazor app with 50
#                                                              Razor pages; also reports the Razor generator's time)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
sites=${1:-2000}
runs=${2:-7}
if [ "$sites" = realistic ]; then
    project_dir="$here/artifacts/Realistic"
    project="$project_dir/Realistic.csproj"
    touched="$project_dir/Code100.cs"
elif [ "$sites" = web ]; then
    project_dir="$here/artifacts/Web"
    project="$project_dir/Web.csproj"
    touched="$project_dir/Code100.cs"
else
    project_dir="$here/artifacts/BuildTime"
    project="$project_dir/BuildTime.csproj"
    touched="$project_dir/Service0.cs"
fi
work="$here/artifacts/measure"
variants=(all generator neither)

if [ "$sites" = realistic ]; then
    "$here/generate-realistic.sh" "$project_dir"
elif [ "$sites" = web ]; then
    "$here/generate-web.sh" "$project_dir"
else
    "$here/generate.sh" "$project_dir" "$sites"
fi
rm -rf "$work"
mkdir -p "$work"

# Restore and build the runtime, generator and analyzers once, then log each variant's compiler command line.
dotnet build "$project" -v:q -nologo > /dev/null
for variant in "${variants[@]}"; do
    case $variant in
        all) extra=() ;;
        generator) extra=(-p:WithoutMaranAnalyzers=true) ;;
        neither) extra=(-p:WithoutMaranTooling=true) ;;
    esac
    touch "$touched"
    dotnet build "$project" --no-restore --no-dependencies -nologo -v:d -p:ReportAnalyzer=true "${extra[@]}" > "$work/$variant.build.log"
    grep -m1 -o 'Roslyn/bincore/csc /noconfig.*' "$work/$variant.build.log" | sed 's|^Roslyn/bincore/csc ||' > "$work/$variant.rsp"
    [ -s "$work/$variant.rsp" ] || { echo "no compiler command line for $variant in $work/$variant.build.log" >&2; exit 1; }
done

csc="$(dirname "$(command -v dotnet)")/sdk/$(dotnet --version)/Roslyn/bincore/csc.dll"
[ -f "$csc" ] || csc=$(find "$(dirname "$(readlink -f "$(command -v dotnet)")")/sdk/$(dotnet --version)/Roslyn/bincore" -name csc.dll | head -1)

median() {
    sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

printf '%-4s' run
for variant in "${variants[@]}"; do printf ' %18s' "$variant cpu/wall"; done
printf ' %10s %10s%s\n' analyzers generator "$([ "$sites" = web ] && printf ' %10s' razor)"
for ((run = 1; run <= runs; run++)); do
    printf '%-4s' "$run"
    for variant in "${variants[@]}"; do
        (cd "$project_dir" && /usr/bin/time -f '%U %S %e' -o "$work/$variant.time" dotnet exec "$csc" "@$work/$variant.rsp" > "$work/$variant.$run.out" 2>&1) \
            || { echo; echo "csc failed for $variant, see $work/$variant.$run.out" >&2; exit 1; }
        read -r user sys wall < "$work/$variant.time"
        cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
        echo "$cpu" >> "$work/$variant.cpu"
        echo "$wall" >> "$work/$variant.wall"
        printf ' %18s' "$cpu / $wall"
    done
    analyzers=$(awk '/Maran[.]Instrument[.]Analyzers, Version/ { print $1; exit }' "$work/all.$run.out")
    generator=$(awk '/Maran[.]Instrument[.]Generator, Version/ { print $1; exit }' "$work/all.$run.out")
    echo "$analyzers" >> "$work/analyzers.report"
    echo "$generator" >> "$work/generator.report"
    printf ' %10s %10s' "$analyzers" "$generator"
    # The Razor generator's assembly is listed among the analyzers too (a suppressor): its generator time follows the
    # "Total generator execution time" line.
    razor=$(awk '/Total generator execution time/ { g = 1 } g && /Razor[.]Compiler, Version/ { print $1; exit }' "$work/all.$run.out")
    if [ -n "$razor" ]; then
        echo "$razor" >> "$work/razor.report"
        printf ' %10s' "$razor"
    fi
    echo
done

all=$(median < "$work/all.cpu")
gen=$(median < "$work/generator.cpu")
none=$(median < "$work/neither.cpu")
all_wall=$(median < "$work/all.wall")
none_wall=$(median < "$work/neither.wall")
analyzers=$(median < "$work/analyzers.report")
generator=$(median < "$work/generator.report")
echo
echo "medians over $runs runs, $(case $sites in realistic) echo "the realistic project" ;; web) echo "the web app" ;; *) echo "$sites monitored call sites" ;; esac), csc started cold each time"
awk -v all="$all" -v gen="$gen" -v none="$none" -v aw="$all_wall" -v nw="$none_wall" -v ar="$analyzers" -v gr="$generator" 'BEGIN {
    printf "compiler CPU, generator and analyzers:  %7.2f s (wall %.2f s)\n", all, aw
    printf "compiler CPU, generator only:           %7.2f s\n", gen
    printf "compiler CPU, neither (baseline):       %7.2f s (wall %.2f s)\n", none, nw
    printf "analyzers, by difference:               %7.2f s CPU (%4.1f%% of the full compile)\n", all - gen, 100 * (all - gen) / all
    printf "analyzers, as /reportanalyzer reports:  %7.3f s     (%4.1f%%)\n", ar, 100 * ar / all
    printf "generator, by difference:               %7.2f s CPU (%4.1f%% of the full compile)\n", gen - none, 100 * (gen - none) / all
    printf "generator, as /reportanalyzer reports:  %7.3f s     (%4.1f%%)\n", gr, 100 * gr / all
    printf "both together over the baseline:        %7.2f s CPU (+%.1f%%)\n", all - none, 100 * (all - none) / none
}'
if [ -s "$work/razor.report" ]; then
    awk -v rr="$(median < "$work/razor.report")" -v gr="$generator" -v ar="$analyzers" -v all="$all" 'BEGIN {
        printf "Razor generator, as /reportanalyzer reports: %7.3f s (%4.1f%%); Maran generator + analyzers %.3f s (%.2f x Razor)\n", rr, 100 * rr / all, gr + ar, (gr + ar) / rr
    }'
fi
