using Maran.Instrument.Benchmarks.Report;

namespace Maran.Instrument.Benchmarks.Tests;

/// <summary>
/// The report step on fixed exports: <c>Fixtures/budgets</c> is a hand-made set whose numbers break some budgets
/// and keep others; <c>Fixtures/run</c> is a real BenchmarkDotNet export of the whole suite.
/// </summary>
public sealed class ReportTests
{
    private static readonly string Budgets = Path.Combine(AppContext.BaseDirectory, "Fixtures", "budgets");
    private static readonly string Run = Path.Combine(AppContext.BaseDirectory, "Fixtures", "run");

    [Fact]
    public void Every_benchmark_of_a_real_export_is_read()
    {
        BenchmarkResults results = BenchmarkResults.Load(Run);

        int expected = Suites.All.Sum(t => Suites.Benchmarks(t).Count());
        Assert.Equal(expected, results.Count);
        Assert.Equal(Suites.All.Count, results.Files.Count);
    }

    [Fact]
    public void A_real_export_fills_every_line_of_the_table_and_judges_every_budget()
    {
        BenchmarkResults results = BenchmarkResults.Load(Run);

        Assert.Equal(ReportLayout.Lines.Select(l => l.Workload), OverheadReport.Rows(results).Select(r => r.Workload));
        Assert.All(OverheadReport.Rows(results), row => Assert.All(row.Peers, peer => Assert.NotNull(peer)));
        Assert.All(OverheadReport.Budgets(results), verdict => Assert.NotEqual(VerdictStatus.NotMeasured, verdict.Status));
    }

    [Fact]
    public void Machine_comes_from_the_export()
    {
        BenchmarkResults results = BenchmarkResults.Load(Budgets);

        Assert.Equal(new HostInfo("Test CPU", 4, 8, "Linux Test", ".NET 10.0.0", "0.15.8"), results.Host);
        Assert.StartsWith("Machine: Test CPU, 4 physical / 8 logical cores", OverheadReport.Render(results), StringComparison.Ordinal);
    }

    [Fact]
    public void Row_holds_bare_and_monitored_times_overhead_and_allocations()
    {
        OverheadRow row = Row("2 µs CPU");

        Assert.Equal(2000, row.Bare.MeanNs);
        Assert.Equal(2050, row.Maran.MeanNs);
        Assert.Equal(50, row.OverheadNs, precision: 9);
        Assert.Equal(2.5, row.OverheadPercent, precision: 9);
        Assert.Equal(0, row.AddedBytes);
        Assert.Equal(2050 / 2080.0, row.RatioTo(1)!.Value, precision: 9);
    }

    [Fact]
    public void Table_has_a_line_only_for_workloads_that_ran()
    {
        var workloads = OverheadReport.Rows(BenchmarkResults.Load(Budgets)).Select(r => r.Workload).ToList();

        Assert.Equal(
            ["empty method", "empty method, sampled 1/16", "250 ns CPU", "250 ns CPU, sampled 1/16", "2 µs CPU", "2 µs CPU, sampled 1/16", "Task<T>, completed synchronously", "IAsyncEnumerable<T>, 100 items"],
            workloads);
    }

    [Fact]
    public void Empty_method_above_the_floor_limit_is_missed()
    {
        BudgetVerdict verdict = Verdict("empty method");

        Assert.Equal(VerdictStatus.Missed, verdict.Status);
        Assert.Equal("60.0 ns = 1.33 × 45.0 ns, 0 B", verdict.Detail);
    }

    [Fact]
    public void Overhead_under_five_percent_on_two_microseconds_is_met()
    {
        BudgetVerdict verdict = Verdict("2 µs method");

        Assert.Equal(VerdictStatus.Met, verdict.Status);
        Assert.Equal("+50.0 ns on 2,000 ns = +2.5%", verdict.Detail);
    }

    [Fact]
    public void Sampled_overhead_over_five_percent_is_missed()
    {
        BudgetVerdict verdict = Verdict("250 ns method");

        Assert.Equal(VerdictStatus.Missed, verdict.Status);
        Assert.Equal("+20.0 ns on 250.0 ns = +8.0%", verdict.Detail);
    }

    [Fact]
    public void Bytes_added_on_the_stream_are_missed_and_unmeasured_paths_are_named()
    {
        BudgetVerdict verdict = Verdict("0 B added");

        Assert.Equal(VerdictStatus.Missed, verdict.Status);
        Assert.Equal("synchronous +0 B, completed Task +0 B, ValueTask not measured, stream +128 B", verdict.Detail);
    }

    [Fact]
    public void Every_peer_faster_than_Maran_is_named()
    {
        BudgetVerdict verdict = Verdict("cheaper than every peer");

        Assert.Equal(VerdictStatus.Missed, verdict.Status);
        Assert.StartsWith("15 of 20 comparisons; slower in empty method vs Fody-style (60.0 > 55.0 ns)", verdict.Detail, StringComparison.Ordinal);
        Assert.Contains("IAsyncEnumerable<T>, 100 items vs prometheus-net (1,300 > 1,000 ns)", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Budget_whose_benchmarks_did_not_run_is_not_measured()
    {
        string folder = Directory.CreateTempSubdirectory("maran-report-").FullName;
        try
        {
            File.Copy(
                Path.Combine(Budgets, "Maran.Instrument.Benchmarks.Suites.Cpu2usBenchmarks-report-full.json"),
                Path.Combine(folder, "Maran.Instrument.Benchmarks.Suites.Cpu2usBenchmarks-report-full.json"));

            IReadOnlyList<BudgetVerdict> verdicts = OverheadReport.Budgets(BenchmarkResults.Load(folder));

            Assert.Equal(
                [VerdictStatus.NotMeasured, VerdictStatus.Met, VerdictStatus.NotMeasured, VerdictStatus.NotMeasured, VerdictStatus.Met],
                verdicts.Select(v => v.Status));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Only_exports_written_since_the_run_started_are_read()
    {
        string folder = Directory.CreateTempSubdirectory("maran-report-").FullName;
        try
        {
            DateTime runStarted = DateTime.UtcNow;
            foreach (string file in Directory.GetFiles(Budgets))
            {
                string copy = Path.Combine(folder, Path.GetFileName(file));
                File.Copy(file, copy);
                File.SetLastWriteTimeUtc(copy, runStarted.AddSeconds(1));
            }

            string stale = Path.Combine(folder, "Maran.Instrument.Benchmarks.Suites.EmptyBenchmarks-report-full.json");
            File.SetLastWriteTimeUtc(stale, runStarted.AddDays(-1));

            BenchmarkResults results = BenchmarkResults.Load(folder, since: runStarted);

            Assert.Null(results.Find("EmptyBenchmarks", "Maran"));
            Assert.NotNull(results.Find("Cpu2usBenchmarks", "Maran"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Print_says_why_when_there_is_nothing_to_report()
    {
        string folder = Directory.CreateTempSubdirectory("maran-report-").FullName;
        try
        {
            var output = new StringWriter();

            bool printed = OverheadReport.Print(folder, since: null, output);

            Assert.False(printed);
            Assert.Contains("No BenchmarkDotNet results", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static OverheadRow Row(string workload) =>
        OverheadReport.Rows(BenchmarkResults.Load(Budgets)).Single(r => r.Workload == workload);

    private static BudgetVerdict Verdict(string budgetNaming) =>
        OverheadReport.Budgets(BenchmarkResults.Load(Budgets)).Single(v => v.Budget.Contains(budgetNaming, StringComparison.Ordinal));
}
