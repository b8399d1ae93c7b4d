using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>The <c>storage:</c> section: the SQLite database errors, costs, logs and alert history are kept in.</summary>
public sealed class StorageSettings
{
    /// <summary>When false nothing is written to disk; trackers keep working in memory.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>The database file; by default <c>maran.db</c> in <see cref="MonitoringSettings.DataDirectory"/>.</summary>
    [ConfigurationKeyName("path")]
    public string? Path { get; set; }

    /// <summary>Days rows are kept; older ones are deleted in the background (default 30, at most 36,500).</summary>
    [ConfigurationKeyName("retention_days")]
    public double RetentionDays { get; set; } = 30;

    /// <summary>Writes waiting for the database at most (default 10,000; 1 to 1,000,000); beyond that new writes are dropped and counted (<c>maran_dropped_total</c>).</summary>
    [ConfigurationKeyName("queue_capacity")]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Writes committed together in one transaction at most (default 256; 1 to 10,000).</summary>
    [ConfigurationKeyName("batch_size")]
    public int BatchSize { get; set; } = 256;

    /// <summary>How long <see cref="AdvancedMonitoringSystem.Stop"/> may spend writing what was accepted (default 10 s, at most 10 minutes).</summary>
    [ConfigurationKeyName("stop_timeout")]
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);

    internal string ResolvePath(MonitoringSettings monitoring) =>
        System.IO.Path.GetFullPath(string.IsNullOrWhiteSpace(Path) ? System.IO.Path.Combine(monitoring.DataDirectory, "maran.db") : Path);

    internal void Validate(OptionsBinder binder, string prefix)
    {
        binder.CheckRange($"{prefix}:retention_days", RetentionDays, 0, 36_500, "retention in days");
        binder.CheckRange($"{prefix}:queue_capacity", QueueCapacity, 1, 1_000_000, "the writes the queue holds");
        binder.CheckRange($"{prefix}:batch_size", BatchSize, 1, 10_000, "the writes of one batch");
        binder.CheckDuration($"{prefix}:stop_timeout", StopTimeout, TimeSpan.Zero, TimeSpan.FromMinutes(10), "the stop timeout", minIncluded: true);

        if (Path is { Length: > 0 } path && path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
        {
            binder.Error($"{prefix}:path", path, "the path contains characters a file name cannot hold");
        }
    }
}
