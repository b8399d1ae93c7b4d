using System.Globalization;
using System.Text.RegularExpressions;
using Maran.Instrument.Alerts;

namespace Maran.Instrument.Tests.Alerts;

public class ForecastRuleTests
{
    private static AlertTestEngine Engine(AlertRule rule)
    {
        var test = new AlertTestEngine(o => o.Alerts.CustomMetrics.Add("disk_used"));
        test.Engine.AddRule(rule);
        test.Start();
        return test;
    }

    [Fact]
    public async Task A_steady_rise_is_pending_once_the_limit_is_forecast_within_the_horizon_fires_after_for_and_resolves_when_the_rise_stops()
    {
        using AlertTestEngine test = Engine(AlertRule.Create("DiskFull").When("disk_used")
            .Forecast(100, TimeSpan.FromMinutes(10), lookback: TimeSpan.FromMinutes(2))
            .For(TimeSpan.FromMinutes(1))
            .Annotation("summary", "disk full in {{ $eta }}; {{ $eta_seconds | printf \"%.0f\" }} s at {{ $trend_per_hour | printf \"%.1f\" }} per hour")
            .Build());

        // 0.5 a point, one point every 10 s: 3 a minute, 180 an hour. The limit is forecast within the horizon from 70
        // (10 minutes away), but no further ahead than the history goes back: from 75 (8 1/3 minutes of history, 8 1/3 to go).
        double value = 50;
        while (test.StateOf("DiskFull") is null && value < 100)
        {
            test.Feed("disk_used", value);
            value += 0.5;
        }

        double pendingAt = value - 0.5;
        Assert.Equal(AlertState.Pending, test.StateOf("DiskFull"));
        Assert.InRange(pendingAt, 75, 75.5);
        for (int i = 0; i < 6; i++)
        {
            test.Feed("disk_used", value);
            value += 0.5;
        }

        Alert firing = Assert.Single(test.Engine.GetActiveAlerts());
        Assert.Equal(AlertState.Firing, firing.State);
        double etaSeconds = (100 - firing.Value) / 0.05;
        Assert.Equal(
            FormattableString.Invariant($"disk full in {Math.Ceiling(etaSeconds / 60)}m; {etaSeconds:F0} s at 180.0 per hour"),
            firing.Annotations["summary"]);

        for (int i = 0; i < 60 && test.StateOf("DiskFull") is not null; i++)
        {
            test.Feed("disk_used", value);
        }

        Assert.Null(test.StateOf("DiskFull"));
        await test.FlushAsync();
        var states = test.Engine.GetAlertHistory(kind: AlertHistoryKind.StateChange).Reverse().Select(e => (e.PreviousState!.Value, e.State)).ToList();
        Assert.Equal([(AlertState.Inactive, AlertState.Pending), (AlertState.Pending, AlertState.Firing), (AlertState.Firing, AlertState.Resolved)], states);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(17)]
    [InlineData(42)]
    [InlineData(1234)]
    [InlineData(99)]
    [InlineData(7)]
    public void Noise_around_a_flat_level_is_no_trend_and_forecasts_nothing(int seed)
    {
        using AlertTestEngine test = Engine(AlertRule.Create("DiskFull").When("disk_used").Forecast(54, TimeSpan.FromHours(6))
            .Annotation("summary", "{{ $eta }} {{ $trend_per_hour }} {{ $value }}").Build());
        var noise = new Random(seed);

        for (int i = 0; i < 500; i++)
        {
            test.Feed("disk_used", 50 + (noise.NextDouble() - 0.5) * 6);
            Assert.True(test.StateOf("DiskFull") is null, $"point {i}: {test.Engine.GetActiveAlerts().FirstOrDefault()?.Annotations["summary"]}");
        }
    }

    [Fact]
    public void A_falling_series_forecast_below_its_limit_says_when_and_a_value_already_past_it_says_now()
    {
        using AlertTestEngine test = Engine(AlertRule.Create("BudgetLeft").When("disk_used")
            .Compare(AlertComparison.LessThan, 0).Forecast(10, TimeSpan.FromMinutes(1))
            .Annotation("summary", "{{ $eta }}")
            .Build());

        double value = 40;
        while (test.StateOf("BudgetLeft") is null)
        {
            test.Feed("disk_used", value);
            value -= 1;
        }

        Alert falling = Assert.Single(test.Engine.GetActiveAlerts());
        Assert.InRange(falling.Value, 15, 16);
        Assert.EndsWith("m", falling.Annotations["summary"], StringComparison.Ordinal);

        test.Feed("disk_used", 5);
        Assert.Equal("now", Assert.Single(test.Engine.GetActiveAlerts()).Annotations["summary"]);
    }

    [Fact]
    public async Task With_holt_a_steady_rise_is_pending_fires_with_its_95_percent_range_in_the_summary_and_resolves_when_the_rise_stops()
    {
        using AlertTestEngine test = Engine(AlertRule.Create("DiskFull").When("disk_used")
            .Forecast(100, TimeSpan.FromMinutes(10), lookback: TimeSpan.FromMinutes(2), ForecastMethod.Holt)
            .For(TimeSpan.FromMinutes(1))
            .Build());

        // 0.5 a point, one point every 10 s, with a little noise so the one-step errors have a spread.
        var noise = new Random(11);
        double value = 50;
        int points = 0;
        while (test.StateOf("DiskFull") is null && value < 100)
        {
            test.Feed("disk_used", value + ((noise.NextDouble() - 0.5) * 0.2));
            value += 0.5;
            points++;
        }

        Assert.Equal(AlertState.Pending, test.StateOf("DiskFull"));
        Assert.InRange(value, 70, 80);
        for (int i = 0; i < 6; i++)
        {
            test.Feed("disk_used", value);
            value += 0.5;
        }

        Alert firing = Assert.Single(test.Engine.GetActiveAlerts());
        Assert.Equal(AlertState.Firing, firing.State);
        Match summary = Regex.Match(firing.Annotations["summary"], @"^disk_used is [\d.]+ and is forecast to reach 100 in \d+m \(at \d\d:\d\d UTC\); forecast ([\d.]+) ± ([\d.]+) in 10m \(95%, holt\)$");
        Assert.True(summary.Success, firing.Annotations["summary"]);
        double forecast = double.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture);
        double margin = double.Parse(summary.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.InRange(forecast, firing.Value + 25, firing.Value + 35);
        Assert.InRange(margin, 0.05, 10);

        for (int i = 0; i < 60 && test.StateOf("DiskFull") is not null; i++)
        {
            test.Feed("disk_used", value);
        }

        Assert.Null(test.StateOf("DiskFull"));
        await test.FlushAsync();
        var states = test.Engine.GetAlertHistory(kind: AlertHistoryKind.StateChange).Reverse().Select(e => (e.PreviousState!.Value, e.State)).ToList();
        Assert.Equal([(AlertState.Inactive, AlertState.Pending), (AlertState.Pending, AlertState.Firing), (AlertState.Firing, AlertState.Resolved)], states);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(17)]
    [InlineData(42)]
    [InlineData(1234)]
    public void With_holt_noise_around_a_flat_level_is_no_trend_and_forecasts_nothing(int seed)
    {
        using AlertTestEngine test = Engine(AlertRule.Create("DiskFull").When("disk_used").Forecast(54, TimeSpan.FromHours(6), method: ForecastMethod.Holt)
            .Annotation("summary", "{{ $eta }} {{ $trend_per_hour }} {{ $forecast_range }}").Build());
        var noise = new Random(seed);

        for (int i = 0; i < 500; i++)
        {
            test.Feed("disk_used", 50 + (noise.NextDouble() - 0.5) * 6);
            Assert.True(test.StateOf("DiskFull") is null, $"point {i}: {test.Engine.GetActiveAlerts().FirstOrDefault()?.Annotations["summary"]}");
        }
    }

    [Fact]
    public void After_an_hour_flat_holt_forecasts_a_new_rise_sooner_than_the_linear_fit()
    {
        int PointsUntilPending(ForecastMethod method)
        {
            using AlertTestEngine test = Engine(AlertRule.Create("DiskFull").When("disk_used")
                .Forecast(100, TimeSpan.FromMinutes(30), lookback: TimeSpan.FromHours(1), method).Build());
            var noise = new Random(8);
            for (int i = 0; i < 360; i++)
            {
                test.Feed("disk_used", 40 + (noise.NextDouble() - 0.5));
            }

            double value = 40;
            for (int i = 1; i <= 360; i++)
            {
                value += 0.2;
                test.Feed("disk_used", value + (noise.NextDouble() - 0.5));
                if (test.StateOf("DiskFull") is not null)
                {
                    return i;
                }
            }

            return int.MaxValue;
        }

        int holt = PointsUntilPending(ForecastMethod.Holt);
        int linear = PointsUntilPending(ForecastMethod.Linear);

        Assert.True(holt < linear, $"holt after {holt} points, linear after {linear}");
    }

    [Fact]
    public void The_default_summary_states_the_linear_forecast_with_its_95_percent_range()
    {
        using AlertTestEngine test = Engine(AlertRule.Create("DiskFull").When("disk_used").Forecast(100, TimeSpan.FromMinutes(10), lookback: TimeSpan.FromMinutes(2)).Build());

        double value = 50;
        while (test.StateOf("DiskFull") is null && value < 100)
        {
            test.Feed("disk_used", value);
            value += 0.5;
        }

        string summary = Assert.Single(test.Engine.GetActiveAlerts()).Annotations["summary"];
        Assert.Matches(@"; forecast [\d.]+ ± [\d.]+ in 10m \(95%, linear\)$", summary);
    }
}
