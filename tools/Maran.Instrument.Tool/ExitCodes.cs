namespace Maran.Instrument.Tool;

/// <summary>What the tool's exit status means.</summary>
internal static class ExitCodes
{
    /// <summary>The check passed, or the command did what it was asked.</summary>
    internal const int Success = 0;

    /// <summary>The check ran and found a problem: a broken chain, a damaged database, an invalid configuration.</summary>
    internal const int CheckFailed = 1;

    /// <summary>The command could not run: unknown command, missing argument or file, wrong key, not a database.</summary>
    internal const int BadInput = 2;
}
