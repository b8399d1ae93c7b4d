using System.Globalization;

namespace Maran.Instrument.Health;

/// <summary>One reading that is past its threshold.</summary>
/// <param name="Key">The threshold's key, for example <c>memory_percent</c>.</param>
/// <param name="Subject">The reading's subject (a disk path, <c>GPU 0</c>), or null.</param>
/// <param name="Value">The reading.</param>
/// <param name="Threshold">The threshold it passed.</param>
/// <param name="Unit">The reading's unit.</param>
/// <param name="Severity">How far past, from 0 (just past) to 1 (as far as counts): see <c>docs/health-score.md</c>.</param>
/// <param name="Penalty">Points this violation takes off the score (the worst subject of a key counts, the others show 0).</param>
public sealed record ThresholdViolation(string Key, string? Subject, double Value, double Threshold, string Unit, double Severity, double Penalty)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Key}{(Subject is null ? string.Empty : $" [{Subject}]")}: {Value:0.##} {Unit} is over the threshold {Threshold:0.##} (-{Penalty:0.#} points)");
}
