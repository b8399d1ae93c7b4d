namespace Maran.Instrument.Analyzers.Symbols;

/// <summary>The verdict on one call, with the reason when the generator misses a monitored call.</summary>
internal readonly struct CallSite
{
    private CallSite(CallSiteKind kind, string? reason, bool reportedHere)
    {
        Kind = kind;
        Reason = reason;
        IsReportedHere = reportedHere;
    }

    public static CallSite NotMonitored => default;

    public static CallSite Intercepted => new(CallSiteKind.Intercepted, null, reportedHere: false);

    public CallSiteKind Kind { get; }

    /// <summary>Why the call is missed, as the start of a sentence that ends "so this call is not timed".</summary>
    public string? Reason { get; }

    /// <summary>False when the reason belongs to the method's declaration (MARAN006 reports it there, once).</summary>
    public bool IsReportedHere { get; }

    public static CallSite Unreachable(string reason, bool reportedHere = true) => new(CallSiteKind.Unreachable, reason, reportedHere);
}
