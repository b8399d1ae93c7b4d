namespace Maran.Instrument.Analyzers.Symbols;

/// <summary>What the generator does with one call: nothing (the target is not monitored), intercept it, or miss it.</summary>
internal enum CallSiteKind
{
    NotMonitored,
    Intercepted,
    Unreachable,
}
