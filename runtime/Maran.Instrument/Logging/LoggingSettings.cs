using Microsoft.Extensions.Configuration;

namespace Maran.Instrument;

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

    /// <summary>Size in megabytes at which the file rolls over to a new one the same day (default 10).</summary>
    [ConfigurationKeyName("file_size_limit_mb")]
    public double FileSizeLimitMegabytes { get; set; } = 10;

    /// <summary>Days log files are kept (default 7).</summary>
    [ConfigurationKeyName("retained_days")]
    public double RetainedDays { get; set; } = 7;

    /// <summary>Log files kept at most, whatever their age (default 31).</summary>
    [ConfigurationKeyName("retained_files")]
    public int RetainedFiles { get; set; } = 31;

    /// <summary>Most recent events kept in memory for the dashboard (default 1000).</summary>
    [ConfigurationKeyName("recent_events")]
    public int RecentEvents { get; set; } = 1000;

    /// <summary>Keep events in the searchable store of the SQLite database (kept <c>storage.retention_days</c>).</summary>
    [ConfigurationKeyName("store")]
    public bool Store { get; set; } = true;

    internal void Validate(OptionsBinder binder, string prefix)
    {
        if (!(FileSizeLimitMegabytes > 0) || !double.IsFinite(FileSizeLimitMegabytes))
        {
            binder.Error($"{prefix}:file_size_limit_mb", MonitoringSettings.Format(FileSizeLimitMegabytes), "the file size limit must be a positive number of megabytes");
        }

        if (!(RetainedDays > 0) || !double.IsFinite(RetainedDays))
        {
            binder.Error($"{prefix}:retained_days", MonitoringSettings.Format(RetainedDays), "log files must be kept a positive number of days");
        }

        if (RetainedFiles < 1)
        {
            binder.Error($"{prefix}:retained_files", MonitoringSettings.Format(RetainedFiles), "at least 1 log file must be kept");
        }

        if (RecentEvents < 0)
        {
            binder.Error($"{prefix}:recent_events", MonitoringSettings.Format(RecentEvents), "the number of recent events kept must be 0 or more");
        }
    }
}
