#!/usr/bin/env bash
# Writes a class library with CALL_SITES calls of monitored methods (default 2000) into OUTPUT_DIR, for measure.sh.
# Each file holds one service: three monitored methods (sync, async with a model call inside, static) and one method
# that calls them 50 times in all, so the generator intercepts CALL_SITES calls and every analyzer rule has work to do.
# Usage: generate.sh OUTPUT_DIR [CALL_SITES]
set -euo pipefail

out=${1:?usage: generate.sh OUTPUT_DIR [CALL_SITES]}
sites=${2:-2000}
per_file=50
files=$(( (sites + per_file - 1) / per_file ))

rm -rf "$out"
mkdir -p "$out"

cp "$(cd "$(dirname "$0")" && pwd)/project.xml" "$out/BuildTime.csproj"

written=0
for ((i = 0; i < files; i++)); do
    count=$(( sites - written < per_file ? sites - written : per_file ))
    {
        echo "using Maran.Instrument;"
        echo "using Microsoft.Extensions.AI;"
        echo
        echo "namespace BuildTime;"
        echo
        echo "public sealed class Service$i(IChatClient client)"
        echo "{"
        echo "    [MonitorOperation(\"step_$i\", \"service_$i\")]"
        echo "    public int Step(int value) => value + $i;"
        echo
        echo "    [MonitorOperation(\"ask_$i\", \"service_$i\")]"
        echo "    public async Task<string> AskAsync(string prompt) => (await client.GetResponseAsync(prompt)).Text;"
        echo
        echo "    [MonitorOperation(\"format_$i\", \"service_$i\")]"
        echo "    public static string Format(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);"
        echo
        echo "    public async Task<string> RunAsync()"
        echo "    {"
        echo "        int total = 0;"
        echo "        string text = string.Empty;"
        for ((j = 0; j < count; j++)); do
            case $(( j % 5 )) in
                0|1|2) echo "        total += Step($j);" ;;
                3) echo "        text += Format(total + $j);" ;;
                4) echo "        text += await AskAsync(\"prompt $j\");" ;;
            esac
        done
        echo "        return text + total;"
        echo "    }"
        echo "}"
    } > "$out/Service$i.cs"
    written=$(( written + count ))
done

echo "wrote $files files with $written monitored call sites to $out"
