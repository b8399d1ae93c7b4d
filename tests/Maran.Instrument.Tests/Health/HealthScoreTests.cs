using Maran.Instrument.Health;

namespace Maran.Instrument.Tests.Health;

public class HealthScoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, double> Weights = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cpu_percent"] = 40,
        ["memory_percent"] = 60,
        ["disk_percent"] = 60,
    };

    private static readonly Dictionary<string, double> SeedThresholds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cpu_percent"] = 80,
        ["memory_percent"] = 85,
        ["disk_percent"] = 90,
    };

    private static HealthReading Reading(string key, double value, string? subject = null, string unit = "percent") => new(key, value, unit, Now, subject);

    private static HealthStatus Evaluate(IEnumerable<HealthReading> readings, Dictionary<string, double>? thresholds = null) =>
        HealthScore.Evaluate(
            new HealthSnapshot { Timestamp = Now, Readings = [.. readings], Gpus = [], GpuStatus = "none", Unavailable = [] },
            thresholds ?? SeedThresholds,
            Weights,
            defaultWeight: 50,
            criticalBelow: 50);

    [Fact]
    public void Readings_under_their_thresholds_score_100_and_healthy()
    {
        HealthStatus status = Evaluate([Reading("cpu_percent", 50), Reading("memory_percent", 60), Reading("disk_percent", 10, "/")]);

        Assert.Equal((100.0, HealthState.Healthy, "healthy"), (status.Score, status.State, status.Status));
        Assert.Empty(status.Violations);
    }

    [Fact]
    public void A_reading_equal_to_its_threshold_is_not_a_violation()
    {
        Assert.Empty(Evaluate([Reading("cpu_percent", 80)]).Violations);
    }

    [Fact]
    public void A_percentage_halfway_from_its_threshold_to_100_takes_half_its_weight()
    {
        HealthStatus status = Evaluate([Reading("cpu_percent", 90), Reading("memory_percent", 50)]);

        ThresholdViolation violation = Assert.Single(status.Violations);
        Assert.Equal(("cpu_percent", 90.0, 80.0, 0.5, 20.0), (violation.Key, violation.Value, violation.Threshold, violation.Severity, violation.Penalty));
        Assert.Equal((80.0, HealthState.Degraded), (status.Score, status.State));
    }

    [Fact]
    public void Full_cpu_and_full_memory_together_are_critical()
    {
        HealthStatus status = Evaluate([Reading("cpu_percent", 100), Reading("memory_percent", 100)]);

        Assert.Equal((0.0, HealthState.Critical, "critical"), (status.Score, status.State, status.Status));
        Assert.Equal(["memory_percent", "cpu_percent"], status.Violations.Select(v => v.Key));
    }

    [Fact]
    public void Several_disks_past_the_threshold_count_the_worst_once_and_list_all()
    {
        HealthStatus status = Evaluate([Reading("disk_percent", 95, "/data"), Reading("disk_percent", 92, "/models"), Reading("disk_percent", 10, "/tmp")]);

        Assert.Equal(70.0, status.Score);
        Assert.Equal([("/data", 30.0), ("/models", 0.0)], status.Violations.Select(v => (v.Subject, v.Penalty)));
    }

    [Fact]
    public void A_custom_threshold_reaches_full_weight_at_twice_its_value()
    {
        var thresholds = new Dictionary<string, double> { ["queue_depth"] = 100 };

        HealthStatus half = Evaluate([Reading("queue_depth", 150, unit: "items")], thresholds);
        HealthStatus beyond = Evaluate([Reading("queue_depth", 1000, unit: "items")], thresholds);

        Assert.Equal((75.0, 0.5), (half.Score, half.Violations[0].Severity));
        Assert.Equal((50.0, 1.0, HealthState.Degraded), (beyond.Score, beyond.Violations[0].Severity, beyond.State));
    }

    [Fact]
    public void A_threshold_of_zero_counts_each_unit_over_it_in_full()
    {
        HealthStatus status = Evaluate([Reading("failed_jobs", 1, unit: "jobs")], new Dictionary<string, double> { ["failed_jobs"] = 0 });

        Assert.Equal(1.0, Assert.Single(status.Violations).Severity);
    }

    [Fact]
    public void A_threshold_without_a_reading_is_listed_as_unchecked()
    {
        HealthStatus status = Evaluate([Reading("cpu_percent", 10)], new Dictionary<string, double> { ["cpu_percent"] = 80, ["queue_depth"] = 5 });

        Assert.Equal("queue_depth: no reading with this key in the sample", Assert.Single(status.Unchecked));
        Assert.Equal(HealthState.Healthy, status.State);
    }

    [Fact]
    public void The_same_readings_give_the_same_status()
    {
        HealthReading[] readings = [Reading("cpu_percent", 97.3), Reading("memory_percent", 88.8), Reading("disk_percent", 91, "/")];

        Assert.Equal(Evaluate(readings).ToString(), Evaluate(readings.Reverse()).ToString());
        Assert.Equal(44.2, Evaluate(readings).Score);
    }
}
