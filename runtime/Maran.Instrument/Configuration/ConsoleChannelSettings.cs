using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>How the console channel colours its lines.</summary>
public enum ConsoleColorMode
{
    /// <summary>Colour when standard output is a terminal and <c>NO_COLOR</c> is unset.</summary>
    Auto,

    /// <summary>Always colour.</summary>
    Always,

    /// <summary>Never colour.</summary>
    Never,
}

/// <summary>The <c>alerts.channels.console:</c> section.</summary>
public sealed class ConsoleChannelSettings
{
    /// <summary>Whether alerts are printed to standard output (default true).</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>auto (default), always or never.</summary>
    [ConfigurationKeyName("color")]
    public ConsoleColorMode Color { get; set; } = ConsoleColorMode.Auto;
}
