using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>The <c>alerts.channels.file:</c> section.</summary>
public sealed class FileChannelSettings
{
    /// <summary>Whether alerts are appended to <see cref="Path"/> (default true).</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>The file; by default <c>alerts.jsonl</c> in the logs directory.</summary>
    [ConfigurationKeyName("path")]
    public string? Path { get; set; }

    /// <summary>Size at which the file is rotated (<c>alerts.1.jsonl</c>, ...); default 10 MiB, 1 KiB to 1 TiB.</summary>
    [ConfigurationKeyName("max_bytes")]
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Rotated files kept besides the current one (default 5; 0 to 1,000).</summary>
    [ConfigurationKeyName("max_files")]
    public int MaxFiles { get; set; } = 5;

    internal string ResolvePath(MonitoringSettings monitoring) =>
        System.IO.Path.GetFullPath(string.IsNullOrWhiteSpace(Path) ? System.IO.Path.Combine(monitoring.LogsDirectory, "alerts.jsonl") : Path);

    internal void Validate(OptionsBinder binder, string prefix)
    {
        binder.CheckRange($"{prefix}:max_bytes", MaxBytes, 1024, 1L << 40, "the bytes of one file");
        binder.CheckRange($"{prefix}:max_files", MaxFiles, 0, 1_000, "the rotated files kept (0 keeps none)");

        if (Path is { Length: > 0 } path && path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
        {
            binder.Error($"{prefix}:path", path, "the path contains characters a file name cannot hold");
        }
    }
}
