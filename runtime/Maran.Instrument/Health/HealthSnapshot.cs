namespace Maran.Instrument.Health;

/// <summary>Every reading of one health sample, with what could not be read and why.</summary>
public sealed record HealthSnapshot
{
    /// <summary>When the sample was taken.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The readings, each with its key, unit and subject.</summary>
    public required IReadOnlyList<HealthReading> Readings { get; init; }

    /// <summary>The NVIDIA GPUs NVML reported, with their name and UUID; empty without NVML or a device.</summary>
    public required IReadOnlyList<GpuDevice> Gpus { get; init; }

    /// <summary>The GPU situation in words: how many devices, or why there are none (for example <c>no NVIDIA driver: ...</c>).</summary>
    public required string GpuStatus { get; init; }

    /// <summary>Readings this platform or this sample could not take, each saying which and why.</summary>
    public required IReadOnlyList<string> Unavailable { get; init; }

    /// <summary>The <see cref="System.Diagnostics.Stopwatch"/>-style timestamp of the sample (from the monitor's <see cref="TimeProvider"/>), to line it up with operation calls.</summary>
    internal long MonotonicTimestamp { get; init; }

    /// <summary>The value of reading <paramref name="key"/> (of <paramref name="subject"/> when given), or null if it was not taken.</summary>
    public double? this[string key, string? subject = null] =>
        Readings.FirstOrDefault(r => string.Equals(r.Key, key, StringComparison.OrdinalIgnoreCase)
                                     && (subject is null || string.Equals(r.Subject, subject, StringComparison.Ordinal)))?.Value;
}
