using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>
/// The <c>monitoring.health:</c> section: how the system health monitor scores its readings, which disks it
/// watches, where it finds NVIDIA's management library and how many samples it keeps.
/// </summary>
/// <example>
/// <code>
/// monitoring:
///   health:
///     weights:
///       cpu_percent: 30
///     disk_paths: [/var/lib/models]
///     nvml_library: /usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1
/// </code>
/// </example>
public sealed class HealthSettings
{
    /// <summary>Points a threshold takes off the score of 100 when its reading is as far past it as it can be, per threshold key.</summary>
    /// <remarks>Keys not listed take <see cref="DefaultWeight"/>. See <c>docs/health-score.md</c> for the formula.</remarks>
    [ConfigurationKeyName("weights")]
    public Dictionary<string, double> Weights { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cpu_percent"] = 40,
        ["memory_percent"] = 60,
        ["disk_percent"] = 60,
    };

    /// <summary>Points taken off by a threshold that <see cref="Weights"/> does not list (default 50).</summary>
    [ConfigurationKeyName("default_weight")]
    public double DefaultWeight { get; set; } = 50;

    /// <summary>A score below this (default 50) makes the status <c>critical</c>; any violated threshold makes it at least <c>degraded</c>.</summary>
    [ConfigurationKeyName("critical_below")]
    public double CriticalBelow { get; set; } = 50;

    /// <summary>File systems to watch besides the data directory's: any path on each (it need not exist yet).</summary>
    [ConfigurationKeyName("disk_paths")]
    public List<string> DiskPaths { get; set; } = [];

    /// <summary>Whether NVIDIA GPUs are read through NVML (default true).</summary>
    [ConfigurationKeyName("gpu")]
    public bool Gpu { get; set; } = true;

    /// <summary>
    /// NVML library to load instead of the driver's (<c>MARAN_NVML_LIBRARY</c>): a file path. Unset, the monitor
    /// loads <c>libnvidia-ml.so.1</c> on Linux and <c>nvml.dll</c> on Windows.
    /// </summary>
    [ConfigurationKeyName("nvml_library")]
    public string? NvmlLibrary { get; set; }

    /// <summary>Samples kept for charts (default 240: two hours at one sample every 30 seconds).</summary>
    [ConfigurationKeyName("history_size")]
    public int HistorySize { get; set; } = 240;

    internal void Validate(OptionsBinder binder, string prefix)
    {
        foreach ((string key, double weight) in Weights)
        {
            CheckWeight(binder, $"{prefix}:weights:{key}", weight);
        }

        CheckWeight(binder, $"{prefix}:default_weight", DefaultWeight);
        if (!(CriticalBelow >= 0 && CriticalBelow <= 100))
        {
            binder.Error($"{prefix}:critical_below", MonitoringSettings.Format(CriticalBelow), "the critical score must lie between 0 and 100");
        }

        for (int i = 0; i < DiskPaths.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(DiskPaths[i]))
            {
                binder.Error($"{prefix}:disk_paths:{i}", DiskPaths[i], "a disk path must not be empty");
            }
        }

        if (NvmlLibrary is not null && string.IsNullOrWhiteSpace(NvmlLibrary))
        {
            binder.Error($"{prefix}:nvml_library", NvmlLibrary, "the NVML library path must not be empty (leave it unset to use the driver's)");
        }

        if (HistorySize is < 1 or > 100_000)
        {
            binder.Error($"{prefix}:history_size", MonitoringSettings.Format(HistorySize), "the history must keep between 1 and 100000 samples");
        }
    }

    private static void CheckWeight(OptionsBinder binder, string key, double weight)
    {
        if (!(weight >= 0 && weight <= 100))
        {
            binder.Error(key, MonitoringSettings.Format(weight), "a weight is the points a threshold can take off the score: between 0 and 100");
        }
    }
}
