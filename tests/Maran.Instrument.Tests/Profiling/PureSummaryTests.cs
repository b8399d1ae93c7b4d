using System.Diagnostics;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Tests.Profiling;

/// <summary>Reading a performance summary changes nothing: its rates come from the counts the system samples, not from the reads.</summary>
public sealed class PureSummaryTests
{
    private readonly PerformanceProfiler _profiler = new();

    [Fact]
    public void Two_summaries_in_a_row_are_equal()
    {
        string component = "pure-" + Guid.NewGuid().ToString("N");
        for (int i = 0; i < 5; i++)
        {
            using OperationHandle call = _profiler.Operation("step", component);
        }

        OperationSummary first = _profiler.GetPerformanceSummary().Operations.Single(o => o.Component == component);
        OperationSummary second = _profiler.GetPerformanceSummary().Operations.Single(o => o.Component == component);

        Assert.Equal(
            (first.Count, first.CallsPerSecond, first.P50Ms, first.P95Ms, first.MaxMs, first.TotalMs),
            (second.Count, second.CallsPerSecond, second.P50Ms, second.P95Ms, second.MaxMs, second.TotalMs));
    }

    [Fact]
    public void How_often_the_summary_is_read_does_not_change_calls_per_second()
    {
        string component = "pure-" + Guid.NewGuid().ToString("N");
        long start = Stopwatch.GetTimestamp();
        Calls(component, 10);
        _profiler.SampleRates(start);
        Calls(component, 20);
        _profiler.SampleRates(start + (2 * Stopwatch.Frequency));

        double readOnce = _profiler.GetOperationSummary("step", component)!.CallsPerSecond;
        for (int i = 0; i < 100; i++)
        {
            _ = _profiler.GetPerformanceSummary();
        }

        double readOften = _profiler.GetOperationSummary("step", component)!.CallsPerSecond;

        Assert.Equal(10, readOnce, 6);
        Assert.Equal(readOnce, readOften);
    }

    private void Calls(string component, int count)
    {
        for (int i = 0; i < count; i++)
        {
            using OperationHandle call = _profiler.Operation("step", component);
        }
    }
}
