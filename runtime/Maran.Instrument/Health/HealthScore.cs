using Maran.Instrument.Configuration;

namespace Maran.Instrument.Health;

/// <summary>
/// The health score: 100, less for each violated threshold its weight times how far past the threshold its worst
/// reading is, at least 0. Deterministic: the same readings, thresholds and weights give the same status.
/// </summary>
/// <remarks>
/// A reading violates threshold <c>t</c> when its value <c>v</c> is greater than <c>t</c>. Its severity is
/// <c>s = min(1, (v - t) / span)</c>, where <c>span = 100 - t</c> for keys ending in <c>_percent</c> (so 100%
/// is full severity) and <c>span = |t|</c> (1 when <c>t</c> is 0) for any other key (so twice the threshold
/// is). A key with several subjects (disks, GPUs) counts its worst subject once. The score is
/// <c>max(0, 100 - sum of weight(key) * s(key))</c>, rounded to one decimal. Status: <c>healthy</c> with no
/// violation, <c>critical</c> below <see cref="HealthSettings.CriticalBelow"/>, else <c>degraded</c>.
/// </remarks>
internal static class HealthScore
{
    /// <summary>Scores <paramref name="snapshot"/> against <paramref name="thresholds"/>.</summary>
    internal static HealthStatus Evaluate(
        HealthSnapshot snapshot,
        IEnumerable<KeyValuePair<string, double>> thresholds,
        IReadOnlyDictionary<string, double> weights,
        double defaultWeight,
        double criticalBelow)
    {
        var violations = new List<ThresholdViolation>();
        var notChecked = new List<string>();
        double penalty = 0;
        foreach ((string key, double threshold) in thresholds.OrderBy(t => t.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (!double.IsFinite(threshold))
            {
                notChecked.Add($"{key}: the threshold is not a finite number");
                continue;
            }

            HealthReading[] readings = [.. snapshot.Readings.Where(r => string.Equals(r.Key, key, StringComparison.OrdinalIgnoreCase) && double.IsFinite(r.Value))];
            if (readings.Length == 0)
            {
                notChecked.Add($"{key}: no reading with this key in the sample");
                continue;
            }

            double weight = weights.TryGetValue(key, out double w) ? w : defaultWeight;
            ThresholdViolation? worst = null;
            var past = new List<ThresholdViolation>();
            foreach (HealthReading reading in readings)
            {
                if (!(reading.Value > threshold))
                {
                    continue;
                }

                double severity = Severity(key, reading.Value, threshold);
                var violation = new ThresholdViolation(key, reading.Subject, reading.Value, threshold, reading.Unit, severity, Round(weight * severity));
                past.Add(violation);
                if (worst is null || severity > worst.Severity)
                {
                    worst = violation;
                }
            }

            if (worst is not null)
            {
                penalty += weight * worst.Severity;
                violations.AddRange(past.Select(v => ReferenceEquals(v, worst) ? v : v with { Penalty = 0 }));
            }
        }

        double score = Round(Math.Max(0, 100 - penalty));
        HealthState state = violations.Count == 0 ? HealthState.Healthy
            : score < criticalBelow ? HealthState.Critical
            : HealthState.Degraded;
        violations.Sort(static (a, b) => b.Penalty != a.Penalty ? b.Penalty.CompareTo(a.Penalty) : string.CompareOrdinal(a.Key, b.Key));
        return new HealthStatus
        {
            Timestamp = snapshot.Timestamp,
            Score = score,
            State = state,
            Violations = violations,
            Unchecked = notChecked,
            Snapshot = snapshot,
        };
    }

    /// <summary>How far past <paramref name="threshold"/> <paramref name="value"/> is, from 0 to 1.</summary>
    internal static double Severity(string key, double value, double threshold)
    {
        double span = key.EndsWith("_percent", StringComparison.OrdinalIgnoreCase) && threshold < 100
            ? 100 - threshold
            : Math.Abs(threshold) > 0 ? Math.Abs(threshold) : 1;
        return Math.Clamp((value - threshold) / span, 0, 1);
    }

    private static double Round(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);
}
