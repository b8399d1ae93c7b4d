#!/usr/bin/env bash
# Writes a class library shaped like an application into OUTPUT_DIR, for measure.sh and the incremental measurement:
# FILES source files of ordinary code (default 300: records, helpers, LINQ, string and collection work, about 30
# invocations each, none of them monitored), of which SERVICES (default 100) hold one service each with one monitored
# method; the services call each other's monitored methods from 400 sites in all, and 20 of them make a model call.
# Most invocations in it are of methods the generator never looks at, as in an application.
# Usage: generate-realistic.sh OUTPUT_DIR [FILES] [SERVICES]
set -euo pipefail

out=${1:?usage: generate-realistic.sh OUTPUT_DIR [FILES] [SERVICES]}
files=${2:-300}
services=${3:-100}
sites_per_service=4

rm -rf "$out"
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)
sed 's|<RootNamespace>BuildTime</RootNamespace>|<RootNamespace>Realistic</RootNamespace>|' "$here/project.xml" > "$out/Realistic.csproj"

# Ordinary code: a record, a static helper with string, collection and LINQ work, an instance class using both.
ordinary() {
    local i=$1
    cat <<CS
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Realistic.Domain$((i % 10));

public sealed record Item$i(string Name, int Quantity, decimal Price)
{
    public decimal Total => Price * Quantity;

    public string Label() => string.Create(CultureInfo.InvariantCulture, \$"{Name.Trim().ToUpperInvariant()} x{Quantity}");
}

public static class Helpers$i
{
    public static string Normalize(string value) =>
        string.IsNullOrWhiteSpace(value) ? string.Empty : value.Trim().Replace("  ", " ", StringComparison.Ordinal).ToLowerInvariant();

    public static IReadOnlyList<Item$i> Parse(IEnumerable<string> lines)
    {
        var items = new List<Item$i>();
        foreach (string line in lines.Where(l => !string.IsNullOrEmpty(l)))
        {
            string[] parts = line.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length == 3 && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int quantity))
            {
                items.Add(new Item$i(Normalize(parts[0]), quantity, decimal.Parse(parts[2], CultureInfo.InvariantCulture)));
            }
        }

        return items.OrderBy(x => x.Name, StringComparer.Ordinal).ThenBy(x => x.Quantity).ToList();
    }

    public static string Summarize(IEnumerable<Item$i> items)
    {
        var text = new StringBuilder();
        foreach (IGrouping<string, Item$i> group in items.GroupBy(x => x.Name[..Math.Min(1, x.Name.Length)]))
        {
            text.Append(group.Key).Append(": ").Append(group.Sum(x => x.Total).ToString("F2", CultureInfo.InvariantCulture)).AppendLine();
        }

        return text.ToString();
    }
}

public sealed class Catalog$i
{
    private readonly Dictionary<string, Item$i> _items = new(StringComparer.Ordinal);

    public void Add(Item$i item) => _items[item.Name] = item;

    public bool TryFind(string name, out Item$i? item) => _items.TryGetValue(Helpers$i.Normalize(name), out item);

    public decimal Value() => _items.Values.Select(x => x.Total).DefaultIfEmpty().Sum();

    public IEnumerable<string> Names() => _items.Keys.Where(k => k.Length > 2).Select(k => k.ToUpperInvariant()).Distinct();

    public string Report() => Helpers$i.Summarize(_items.Values) + Math.Round(Value(), 2).ToString(CultureInfo.InvariantCulture);
}
CS
}

# A service: ordinary code plus one monitored method, calling four other services' monitored methods.
service() {
    local i=$1
    ordinary "$i"
    local model_call=""
    if (( i % 5 == 0 )); then
        model_call="        string reply = (await _chat.GetResponseAsync(\"summarize \" + input)).Text;"
    else
        model_call="        string reply = await Task.FromResult(input.ToUpperInvariant());"
    fi
    cat <<CS

public sealed class Service$i(Microsoft.Extensions.AI.IChatClient _chat)
{
    private readonly Catalog$i _catalog = new();

    [Maran.Instrument.MonitorOperation("handle_$i", "service_$((i % 10))")]
    public async System.Threading.Tasks.Task<string> HandleAsync(string input)
    {
        _catalog.Add(new Item$i(Helpers$i.Normalize(input), input.Length, 1.5m));
$model_call
        return reply + _catalog.Report();
    }

    public async System.Threading.Tasks.Task<string> RunAsync(string input)
    {
        var results = new List<string>();
CS
    for ((k = 1; k <= sites_per_service; k++)); do
        local target=$(( (i + k * 7) % services ))
        echo "        results.Add(await new Realistic.Domain$((target % 10)).Service$target(_chat).HandleAsync(input + \"$k\"));"
    done
    cat <<CS
        return string.Join(";", results.Where(r => r.Length > 0).Select(r => r.Trim()));
    }
}
CS
}

for ((i = 0; i < files; i++)); do
    if (( i < services )); then
        service "$i" > "$out/Service$i.cs"
    else
        ordinary "$i" > "$out/Code$i.cs"
    fi
done

# Global usings the services rely on.
cat > "$out/GlobalUsings.cs" <<'CS'
global using System.Threading.Tasks;
global using Microsoft.Extensions.AI;
CS

echo "wrote $files files ($services services, $(( services * sites_per_service )) monitored call sites) to $out"
