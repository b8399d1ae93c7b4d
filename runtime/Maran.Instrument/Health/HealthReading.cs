namespace Maran.Instrument.Health;

/// <summary>One measured value of the system's health, with its unit and the moment it was read.</summary>
/// <param name="Key">What was measured, for example <c>cpu_percent</c> (see <see cref="HealthMetrics"/>); thresholds name readings by this key.</param>
/// <param name="Value">The value, in <paramref name="Unit"/>.</param>
/// <param name="Unit">The unit: <c>percent</c>, <c>bytes</c>, <c>cores</c>, <c>celsius</c>, <c>watts</c>, <c>bytes_per_second</c>, <c>seconds</c>, or a custom metric's own.</param>
/// <param name="Timestamp">When the value was read.</param>
/// <param name="Subject">Which instance the value belongs to when there are several (a disk path, <c>GPU 0</c>), else null.</param>
public sealed record HealthReading(string Key, double Value, string Unit, DateTimeOffset Timestamp, string? Subject = null)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Key}{(Subject is null ? string.Empty : $" [{Subject}]")} = {Value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} {Unit}".TrimEnd();
}
