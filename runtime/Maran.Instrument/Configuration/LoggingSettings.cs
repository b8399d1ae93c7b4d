using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>
/// The <c>logging:</c> section: where the structured (JSON lines) log goes. The level is
/// <c>monitoring.log_level</c> (<c>MARAN_LOG_LEVEL</c>) and the folder <c>monitoring.logs_dir</c>.
/// </summary>
public sealed class LoggingSettings
{
    /// <summary>Write JSON lines to standard error (standard output stays the program's own).</summary>
    [ConfigurationKeyName("console")]
    public bool Console { get; set; } = true;

    /// <summary>Write JSON lines to a rolling file, <c>maran-YYYYMMDD.jsonl</c>, in the logs folder.</summary>
    [ConfigurationKeyName("file")]
    public bool File { get; set; } = true;

    /// <summary>Size in megabytes at which the file rolls over to a new one the same day (default 10, at most 1,048,576: 1 TiB).</summary>
    [ConfigurationKeyName("file_size_limit_mb")]
    public double FileSizeLimitMegabytes { get; set; } = 10;

    /// <summary>Days log files are kept (default 7, at most 36,500).</summary>
    [ConfigurationKeyName("retained_days")]
    public double RetainedDays { get; set; } = 7;

    /// <summary>Log files kept at most, whatever their age (default 31; 1 to 10,000).</summary>
    [ConfigurationKeyName("retained_files")]
    public int RetainedFiles { get; set; } = 31;

    /// <summary>Most recent events kept in memory for the dashboard (default 1000; 0 to 1,000,000).</summary>
    [ConfigurationKeyName("recent_events")]
    public int RecentEvents { get; set; } = 1000;

    /// <summary>Keep events in the searchable store of the SQLite database (kept <c>storage.retention_days</c>).</summary>
    [ConfigurationKeyName("store")]
    public bool Store { get; set; } = true;

    internal void Validate(OptionsBinder binder, string prefix)
    {
        binder.CheckRange($"{prefix}:file_size_limit_mb", FileSizeLimitMegabytes, 0, 1_048_576, "the file size limit in megabytes");
        binder.CheckRange($"{prefix}:retained_days", RetainedDays, 0, 36_500, "the days log files are kept");
        binder.CheckRange($"{prefix}:retained_files", RetainedFiles, 1, 10_000, "the log files kept");
        binder.CheckRange($"{prefix}:recent_events", RecentEvents, 0, 1_000_000, "the recent events kept");
    }
}
