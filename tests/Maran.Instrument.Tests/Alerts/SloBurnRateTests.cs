using System.Diagnostics;
using Maran.Instrument.Alerts;
using Maran.Instrument.Configuration;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Tests.Alerts;

public class SloBurnRateTests
{
    private readonly string _component = "slo-" + Guid.NewGuid().ToString("N");
    private readonly PerformanceProfiler _profiler = new();

    private static BurnRateOptions Burn(double rate, TimeSpan longWindow, TimeSpan shortWindow, AlertSeverity severity, TimeSpan? wait = null) =>
        new() { BurnRate = rate, LongWindow = longWindow, ShortWindow = shortWindow, Severity = severity, For = wait ?? TimeSpan.Zero };

    private AlertTestEngine Engine(SloOptions slo)
    {
        slo.Operation ??= "generate";
        slo.Component = _component;
        var test = new AlertTestEngine(o => o.Alerts.Slos.Add(slo));
        test.Start();
        test.Tick();
        return test;
    }

    private void Run(int ok, int failed)
    {
        for (int i = 0; i < ok + failed; i++)
        {
            OperationToken token = _profiler.StartOperation("generate", _component);
            _profiler.EndOperation(token, i < ok ? OperationStatus.Success : OperationStatus.Error, i < ok ? null : new InvalidOperationException("model down"));
        }
    }

    private static double? BurnRateOver(SloStatus status, TimeSpan window) => status.BurnRates.Single(b => b.Window == window).BurnRate;

    [Fact]
    public async Task A_fast_burn_goes_pending_fires_and_resolves_once_the_short_window_is_clean_again()
    {
        using AlertTestEngine test = Engine(new SloOptions
        {
            Name = "generate_availability",
            Objective = 0.9,
            Window = TimeSpan.FromHours(1),
            BurnRates = { Burn(2, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(30), AlertSeverity.Critical, TimeSpan.FromSeconds(20)) },
        });

        Run(ok: 5, failed: 5);
        test.Tick();
        Assert.Equal(AlertState.Pending, test.StateOf("generate_availability_burn_2m"));
        Run(ok: 5, failed: 5);
        test.Tick();
        Run(ok: 5, failed: 5);
        test.Tick();

        Alert firing = Assert.Single(test.Engine.GetActiveAlerts());
        Assert.Equal((AlertState.Firing, AlertSeverity.Critical, 5.0), (firing.State, firing.Severity, Math.Round(firing.Value, 9)));
        Assert.Equal(("generate_availability", "generate"), (firing.Labels["slo"], firing.Labels["operation"]));
        Assert.Equal(
            "SLO generate_availability burns its error budget 5.0x over 2m and 5.0x over 30s (alert at 2x); -400.0 % of the budget is left",
            firing.Annotations["summary"]);

        for (int i = 0; i < 4; i++)
        {
            Run(ok: 10, failed: 0);
            test.Tick();
        }

        SloStatus status = Assert.Single(test.Engine.GetSloStatus());
        Assert.True(BurnRateOver(status, TimeSpan.FromMinutes(2)) >= 2, "the long window still burns");
        Assert.Equal(0, BurnRateOver(status, TimeSpan.FromSeconds(30)));
        Assert.Empty(test.Engine.GetActiveAlerts());
        await test.FlushAsync();
        var states = test.Engine.GetAlertHistory(kind: AlertHistoryKind.StateChange).Reverse().Select(e => (e.PreviousState!.Value, e.State)).ToList();
        Assert.Equal([(AlertState.Inactive, AlertState.Pending), (AlertState.Pending, AlertState.Firing), (AlertState.Firing, AlertState.Resolved)], states);
    }

    [Fact]
    public void A_burst_that_the_long_window_dilutes_does_not_page()
    {
        using AlertTestEngine test = Engine(new SloOptions
        {
            Name = "generate_availability",
            Objective = 0.9,
            Window = TimeSpan.FromHours(1),
            BurnRates = { Burn(2, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(30), AlertSeverity.Critical) },
        });
        Run(ok: 400, failed: 0);
        test.Tick(4);

        Run(ok: 5, failed: 5);
        test.Tick();

        SloStatus status = Assert.Single(test.Engine.GetSloStatus());
        Assert.True(BurnRateOver(status, TimeSpan.FromSeconds(30)) >= 2, "the short window burns");
        Assert.True(BurnRateOver(status, TimeSpan.FromMinutes(2)) < 2, "the long window does not");
        Assert.Empty(test.Engine.GetActiveAlerts());
    }

    // The worked example of docs/alerting.md, "Burn rates, worked through".
    [Fact]
    public void The_documented_example_pages_at_14_4x_over_the_hour_and_16x_over_five_minutes_and_tickets_too()
    {
        using AlertTestEngine test = Engine(new SloOptions { Name = "generate_availability", Objective = 0.995 });

        Run(ok: 836, failed: 64);
        test.Tick();
        test.Tick(6 * 56 - 1);
        Run(ok: 92, failed: 8);
        test.Tick();

        SloStatus status = Assert.Single(test.Engine.GetSloStatus());
        Assert.Equal(14.4, BurnRateOver(status, TimeSpan.FromHours(1))!.Value, 9);
        Assert.Equal(16, BurnRateOver(status, TimeSpan.FromMinutes(5))!.Value, 9);
        Assert.Equal(14.4, BurnRateOver(status, TimeSpan.FromHours(6))!.Value, 9);
        Assert.Equal(16, BurnRateOver(status, TimeSpan.FromMinutes(30))!.Value, 9);
        Assert.Equal((928.0, 1000.0), (status.Good, status.Total));
        Assert.Equal(-13.4, status.ErrorBudgetRemaining, 9);
        var firing = test.Engine.GetActiveAlerts().Select(a => (a.RuleName, a.Severity, a.State)).OrderBy(a => a.RuleName, StringComparer.Ordinal).ToList();
        Assert.Equal([("generate_availability_burn_1h", AlertSeverity.Critical, AlertState.Firing), ("generate_availability_burn_6h", AlertSeverity.Warning, AlertState.Firing)], firing);
    }

    [Fact]
    public void The_documented_budget_example_leaves_40_percent_after_300_failures_in_100000_calls()
    {
        using AlertTestEngine test = Engine(new SloOptions { Name = "generate_availability", Objective = 0.995 });

        Run(ok: 99_700, failed: 300);
        test.Tick();

        SloStatus status = Assert.Single(test.Engine.GetSloStatus());
        Assert.Equal(0.4, status.ErrorBudgetRemaining, 9);
        Assert.Equal(0.6, BurnRateOver(status, TimeSpan.FromHours(1))!.Value, 9);
        Assert.Empty(test.Engine.GetActiveAlerts());
    }

    [Fact]
    public void A_latency_slo_counts_the_calls_under_its_threshold_as_good()
    {
        using AlertTestEngine test = Engine(new SloOptions
        {
            Name = "generate_latency",
            Objective = 0.9,
            Latency = TimeSpan.FromMilliseconds(1),
            Window = TimeSpan.FromHours(1),
            BurnRates = { Burn(1, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(30), AlertSeverity.Warning) },
        });

        Run(ok: 15, failed: 0);

        // Five calls of 3 ms each, recorded on the calling thread's cell as the hot path records them.
        RecorderCell cell = OperationRegistry.Find("generate", _component)!.ThreadCell;
        for (int i = 0; i < 5; i++)
        {
            cell.Started++;
            cell.Succeeded++;
            cell.RecordTimed(Stopwatch.GetTimestamp(), Stopwatch.Frequency * 3 / 1000, OperationStatus.Success);
        }

        test.Tick();

        SloStatus status = Assert.Single(test.Engine.GetSloStatus());
        Assert.Equal(20.0, status.Total);
        Assert.Equal(15.0, status.Good, 0.5);
        Alert slow = Assert.Single(test.Engine.GetActiveAlerts());
        Assert.Equal(("generate_latency_burn_2m", 2.5), (slow.RuleName, Math.Round(slow.Value, 1)));
    }

    [Fact]
    public void Timed_calls_under_a_threshold_are_counted_from_the_histogram_to_within_the_bucket_holding_it()
    {
        var buckets = new long[DurationHistogram.BucketCount];
        buckets[DurationHistogram.BucketOf(1_000)] = 10;
        buckets[DurationHistogram.BucketOf(3_000)] = 10;
        int holding = DurationHistogram.BucketOf(2_000);
        buckets[holding] = 8;
        long lower = DurationHistogram.LowerBound(holding);
        long upper = DurationHistogram.UpperBound(holding);

        double under = SloTracker.TimedUnder(buckets, 2_000);

        Assert.Equal(10 + (8.0 * (2_001 - lower) / (upper - lower)), under, 9);
        Assert.InRange(under, 10, 18);
    }
}
