using Microsoft.Extensions.Configuration;

namespace Maran.Instrument;

/// <summary>The <c>storage:</c> section: the SQLite database errors, costs, logs and alert history are kept in.</summary>
public sealed class StorageSettings
{
    /// <summary>When false nothing is written to disk; trackers keep working in memory.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>The database file; by default <c>maran.db</c> in <see cref="MonitoringSettings.DataDirectory"/>.</summary>
    [ConfigurationKeyName("path")]
    public string? Path { get; set; }

    /// <summary>Days rows are kept; older ones are deleted in the background (default 30).</summary>
    [ConfigurationKeyName("retention_days")]
    public double RetentionDays { get; set; } = 30;

    /// <summary>Writes waiting for the database at most; beyond that new writes are dropped and counted (<c>maran_dropped_total</c>).</summary>
    [ConfigurationKeyName("queue_capacity")]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Writes committed together in one transaction at most.</summary>
    [ConfigurationKeyName("batch_size")]
    public int BatchSize { get; set; } = 256;

    /// <summary>How long <see cref="AdvancedMonitoringSystem.Stop"/> may spend writing what was accepted (default 10 s).</summary>
    [ConfigurationKeyName("stop_timeout")]
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);

    internal string ResolvePath(MonitoringSettings monitoring) =>
        System.IO.Path.GetFullPath(string.IsNullOrWhiteSpace(Path) ? System.IO.Path.Combine(monitoring.DataDirectory, "maran.db") : Path);

    internal void Validate(OptionsBinder binder, string prefix)
    {
        if (!(RetentionDays > 0) || !double.IsFinite(RetentionDays))
        {
            binder.Error($"{prefix}:retention_days", MonitoringSettings.Format(RetentionDays), "retention must be a positive number of days");
        }

        if (QueueCapacity < 1)
        {
            binder.Error($"{prefix}:queue_capacity", MonitoringSettings.Format(QueueCapacity), "the queue must hold at least 1 write");
        }

        if (BatchSize < 1)
        {
            binder.Error($"{prefix}:batch_size", MonitoringSettings.Format(BatchSize), "a batch must hold at least 1 write");
        }

        if (StopTimeout < TimeSpan.Zero)
        {
            binder.Error($"{prefix}:stop_timeout", StopTimeout.ToString(), "the stop timeout must not be negative");
        }

        if (Path is { Length: > 0 } path && path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
        {
            binder.Error($"{prefix}:path", path, "the path contains characters a file name cannot hold");
        }
    }
}
