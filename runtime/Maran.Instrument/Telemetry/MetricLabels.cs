namespace Maran.Instrument.Telemetry;

/// <summary>The limits every metrics exporter publishes under: label length and the number of operations.</summary>
internal static class MetricLabels
{
    /// <summary>Longest label value published; longer user-supplied values are cut.</summary>
    internal const int MaxLength = 128;

    /// <summary>Most operations published by default (<c>monitoring.metrics_max_operations</c>).</summary>
    internal const int DefaultMaxOperations = 2000;

    /// <summary>A label value as published: at most <see cref="MaxLength"/> characters.</summary>
    internal static string Label(string? value) =>
        value is null ? string.Empty : value.Length <= MaxLength ? value : value[..MaxLength];
}
