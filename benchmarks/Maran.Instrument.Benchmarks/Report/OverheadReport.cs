using System.Globalization;
using System.Text;
using Maran.Instrument.Benchmarks.Suites;

namespace Maran.Instrument.Benchmarks.Report;

/// <summary>
/// Turns BenchmarkDotNet's exports into the one table the README shows (workload, bare, monitored, overhead,
/// allocations, Maran against each peer) and a met/missed line for each budget of the design.
/// </summary>
public static class OverheadReport
{
    /// <summary>Where BenchmarkDotNet writes its exports when run from the repository root.</summary>
    public const string DefaultResultsFolder = "BenchmarkDotNet.Artifacts/results";

    /// <summary>The empty-method budget: at most this many times the floor (two clock reads).</summary>
    public const double EmptyToFloorLimit = 1.15;

    /// <summary>The overhead budget, in percent, on the 2 µs method and (sampled) on the 250 ns method.</summary>
    public const double OverheadPercentLimit = 5.0;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// Prints the table and the budgets for the exports in <paramref name="folder"/> (only those written at or
    /// after <paramref name="since"/>, UTC, when given). Returns false, saying why, when there is nothing to show.
    /// </summary>
    public static bool Print(string folder, DateTime? since, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!Directory.Exists(folder))
        {
            output.WriteLine($"No results folder at {Path.GetFullPath(folder)}: run the benchmarks first.");
            return false;
        }

        BenchmarkResults results = BenchmarkResults.Load(folder, since);
        if (results.Count == 0)
        {
            output.WriteLine($"No BenchmarkDotNet results (*-report-full.json) in {Path.GetFullPath(folder)}.");
            return false;
        }

        output.Write(Render(results));
        return true;
    }

    /// <summary>The table and the budget lines, as Markdown.</summary>
    public static string Render(BenchmarkResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        if (results.Host is { } host)
        {
            text.AppendLine(Invariant, $"Machine: {host}");
            text.AppendLine();
        }

        text.Append("| Workload | Bare ns | Maran ns | Overhead ns | Overhead % | Allocated B (bare → Maran) |");
        foreach ((_, string title) in ReportLayout.Peers)
        {
            text.Append(Invariant, $" vs {title} |");
        }

        text.AppendLine();
        text.Append("|---|---:|---:|---:|---:|---:|");
        text.AppendLine(string.Concat(Enumerable.Repeat("---:|", ReportLayout.Peers.Count)));
        foreach (OverheadRow row in Rows(results))
        {
            text.Append(Invariant, $"| {Markdown(row.Workload)} | {Ns(row.Bare.MeanNs)} | {Ns(row.Maran.MeanNs)} | {SignedNs(row.OverheadNs)} | {Percent(row)} | {Bytes(row.Bare.AllocatedBytes)} → {Bytes(row.Maran.AllocatedBytes)} |");
            for (int i = 0; i < ReportLayout.Peers.Count; i++)
            {
                text.Append(Invariant, $" {Ratio(row, i)} |");
            }

            text.AppendLine();
        }

        text.AppendLine();
        text.AppendLine("\"vs X\" is Maran's time divided by X's on the same workload: below 1.00 Maran is cheaper (above 1.00 in bold, except against the floor, which no timed call can beat).");
        text.AppendLine();
        text.AppendLine("Budgets:");
        foreach (BudgetVerdict verdict in Budgets(results))
        {
            text.AppendLine(Invariant, $"- {Markdown(verdict.ToString())}");
        }

        return text.ToString();
    }

    // A workload name such as Task<T> would be read as an HTML tag where the Markdown is rendered.
    private static string Markdown(string text) => text.Replace("<", "&lt;", StringComparison.Ordinal);

    /// <summary>The table's lines that have both a bare and a monitored result, in layout order.</summary>
    public static IReadOnlyList<OverheadRow> Rows(BenchmarkResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var rows = new List<OverheadRow>();
        foreach (ReportLayout.WorkloadLine line in ReportLayout.Lines)
        {
            if (results.Find(line.Suite, "Baseline") is { } bare && results.Find(line.Suite, line.MaranMethod) is { } maran)
            {
                var peers = ReportLayout.Peers.Select(p => results.Find(line.Suite, p.Method)).ToList();
                rows.Add(new OverheadRow(line.Workload, line.Suite, line.MaranMethod, bare, maran, peers));
            }
        }

        return rows;
    }

    /// <summary>Each budget of the design, judged on <paramref name="results"/>.</summary>
    public static IReadOnlyList<BudgetVerdict> Budgets(BenchmarkResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        IReadOnlyList<OverheadRow> rows = Rows(results);
        return
        [
            EmptyMethodBudget(results),
            OverheadBudget(rows, nameof(Cpu2usBenchmarks), "Maran", "2 µs method, every call timed"),
            OverheadBudget(rows, nameof(Cpu250nsBenchmarks), "MaranSampled", $"250 ns method, sampled 1/{WorkloadBenchmarks.SampledRate}"),
            ZeroAddedBudget(rows),
            PeerBudget(rows),
        ];
    }

    private static BudgetVerdict EmptyMethodBudget(BenchmarkResults results)
    {
        string budget = $"empty method at most {EmptyToFloorLimit.ToString("0.00", Invariant)} × the floor (two Stopwatch.GetTimestamp calls), 0 B";
        BenchmarkResult? maran = results.Find(nameof(EmptyBenchmarks), "Maran");
        BenchmarkResult? floor = results.Find(nameof(EmptyBenchmarks), "Floor");
        if (maran is null || floor is null)
        {
            return new BudgetVerdict(budget, VerdictStatus.NotMeasured, "EmptyBenchmarks.Maran and EmptyBenchmarks.Floor are needed");
        }

        double ratio = maran.MeanNs / floor.MeanNs;
        bool met = ratio <= EmptyToFloorLimit && maran.AllocatedBytes is 0;
        string detail = string.Create(Invariant, $"{Ns(maran.MeanNs)} ns = {ratio:0.00} × {Ns(floor.MeanNs)} ns, {Bytes(maran.AllocatedBytes)} B");
        return new BudgetVerdict(budget, met ? VerdictStatus.Met : VerdictStatus.Missed, detail);
    }

    private static BudgetVerdict OverheadBudget(IReadOnlyList<OverheadRow> rows, string suite, string method, string what)
    {
        string budget = $"under {OverheadPercentLimit.ToString("0", Invariant)}% on the {what}";
        OverheadRow? row = rows.FirstOrDefault(r => r.Suite == suite && r.MaranMethod == method);
        if (row is null)
        {
            return new BudgetVerdict(budget, VerdictStatus.NotMeasured, $"{suite}.Baseline and {suite}.{method} are needed");
        }

        string detail = string.Create(Invariant, $"{SignedNs(row.OverheadNs)} ns on {Ns(row.Bare.MeanNs)} ns = {row.OverheadPercent:+0.0;-0.0}%");
        return new BudgetVerdict(budget, row.OverheadPercent < OverheadPercentLimit ? VerdictStatus.Met : VerdictStatus.Missed, detail);
    }

    private static BudgetVerdict ZeroAddedBudget(IReadOnlyList<OverheadRow> rows)
    {
        const string budget = "0 B added on the synchronous, completed-Task, ValueTask and streaming paths";
        var parts = new List<string>();
        bool added = false;
        bool unmeasured = false;
        foreach (IGrouping<string, ReportLayout.WorkloadLine> path in ReportLayout.Lines.Where(l => l.ZeroAddedPath is not null).GroupBy(l => l.ZeroAddedPath!))
        {
            var measured = path
                .Select(l => rows.FirstOrDefault(r => r.Suite == l.Suite && r.MaranMethod == l.MaranMethod)?.AddedBytes)
                .OfType<double>()
                .ToList();
            if (measured.Count == 0)
            {
                unmeasured = true;
                parts.Add($"{path.Key} not measured");
                continue;
            }

            double worst = measured.Max();
            added |= worst != 0;
            parts.Add(string.Create(Invariant, $"{path.Key} {(worst < 0 ? "-" : "+")}{Bytes(Math.Abs(worst))} B"));
        }

        VerdictStatus status = added ? VerdictStatus.Missed : unmeasured ? VerdictStatus.NotMeasured : VerdictStatus.Met;
        return new BudgetVerdict(budget, status, string.Join(", ", parts));
    }

    private static BudgetVerdict PeerBudget(IReadOnlyList<OverheadRow> rows)
    {
        const string budget = "cheaper than every peer (prometheus-net, OpenTelemetry span+histogram, OpenTelemetry histogram, Fody-style) on every workload";
        var misses = new List<string>();
        int compared = 0;
        foreach (OverheadRow row in rows.Where(r => r.MaranMethod == "Maran"))
        {
            for (int i = 0; i < ReportLayout.Peers.Count; i++)
            {
                if (ReportLayout.Peers[i].Method == "Floor" || row.Peers[i] is not { } peer)
                {
                    continue;
                }

                compared++;
                if (row.Maran.MeanNs > peer.MeanNs)
                {
                    double margin = Math.Sqrt(Square(row.Maran.MarginNs) + Square(peer.MarginNs));
                    string noise = row.Maran.MeanNs - peer.MeanNs <= margin ? ", within the 99.9% error" : string.Empty;
                    misses.Add(string.Create(Invariant, $"{row.Workload} vs {ReportLayout.Peers[i].Title} ({Ns(row.Maran.MeanNs)} > {Ns(peer.MeanNs)} ns{noise})"));
                }
            }
        }

        if (compared == 0)
        {
            return new BudgetVerdict(budget, VerdictStatus.NotMeasured, "no peer was run");
        }

        return misses.Count == 0
            ? new BudgetVerdict(budget, VerdictStatus.Met, $"cheaper in all {compared} comparisons")
            : new BudgetVerdict(budget, VerdictStatus.Missed, $"{compared - misses.Count} of {compared} comparisons; slower in {string.Join("; ", misses)}");

        static double Square(double value) => double.IsNaN(value) ? 0 : value * value;
    }

    private static string Ns(double ns) => ns switch
    {
        < 10 => ns.ToString("0.00", Invariant),
        < 1000 => ns.ToString("0.0", Invariant),
        _ => ns.ToString("#,0", Invariant),
    };

    private static string SignedNs(double ns) => (ns >= 0 ? "+" : "-") + Ns(Math.Abs(ns));

    // Against a bare call of a few nanoseconds a percentage says nothing; the ns column does.
    private static string Percent(OverheadRow row) =>
        row.Bare.MeanNs < 10 ? "—" : row.OverheadPercent.ToString("+0.0;-0.0", Invariant) + "%";

    private static string Bytes(double? bytes) => bytes is { } b ? b.ToString("#,0", Invariant) : "?";

    private static string Ratio(OverheadRow row, int index)
    {
        if (row.RatioTo(index) is not { } ratio)
        {
            return "—";
        }

        string text = ratio.ToString("0.00", Invariant) + "×";
        return ratio > 1 && ReportLayout.Peers[index].Method != "Floor" ? $"**{text}**" : text;
    }
}
