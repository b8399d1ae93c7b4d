namespace Maran.Instrument.Configuration;

/// <summary>
/// Bounds on configuration input, applied while it is read and before anything is built from it, so a hostile or
/// broken file fails with a <see cref="MonitoringConfigurationException"/> naming the file, the line and the limit
/// instead of exhausting memory, the stack or time. Only <see cref="MaxFileBytes"/> can be changed, and only by code.
/// </summary>
public static class ConfigurationLimits
{
    /// <summary>The default of <see cref="MaxFileBytes"/>: 4 MiB.</summary>
    public const int DefaultMaxFileBytes = 4 * 1024 * 1024;

    /// <summary>Deepest nesting of sections and lists in the YAML file (the top-level mapping is level 1).</summary>
    public const int MaxDepth = 64;

    /// <summary>Most keys (values and empty sections) one YAML file may set.</summary>
    public const int MaxKeys = 10_000;

    /// <summary>Characters of a key, value or origin shown in an error message; longer ones are cut and their length given.</summary>
    public const int MaxShownCharacters = 200;

    /// <summary>Characters of one problem's explanation shown in an error message.</summary>
    public const int MaxShownMessageCharacters = 1_000;

    /// <summary>Problems listed in a <see cref="MonitoringConfigurationException"/> message; the rest are counted.</summary>
    public const int MaxListedProblems = 20;

    /// <summary>Longest duration any setting accepts: 36,500 days (100 years), so date arithmetic cannot overflow.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(36_500);

    private static int s_maxFileBytes = DefaultMaxFileBytes;

    /// <summary>
    /// Largest configuration file read, in bytes (default <see cref="DefaultMaxFileBytes"/>, 4 MiB); a larger file is
    /// refused before it is read. Set it before the configuration is loaded; it applies to every load after.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxFileBytes
    {
        get => Volatile.Read(ref s_maxFileBytes);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref s_maxFileBytes, value);
        }
    }

    /// <summary><paramref name="text"/> cut to <paramref name="max"/> characters, saying how long it was when cut.</summary>
    internal static string Clip(string text, int max = MaxShownCharacters) =>
        text.Length <= max
            ? text
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{text.AsSpan(0, max)}... ({text.Length} characters)");
}
