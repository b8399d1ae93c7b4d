using Maran.Instrument.Generator.Parsing;

namespace Maran.Instrument.Analyzers.Symbols;

/// <summary>How the generator treats a method: the operation it is monitored as (if any), and why it cannot be intercepted (if so).</summary>
internal readonly struct MonitoredMethod
{
    public MonitoredMethod(MonitoredOperation operation, string? whyNotInterceptable)
    {
        Operation = operation;
        WhyNotInterceptable = whyNotInterceptable;
    }

    public MonitoredOperation? Operation { get; }

    public string? WhyNotInterceptable { get; }

    public bool IsMonitored => Operation is not null;

    public bool IsInterceptable => Operation is not null && WhyNotInterceptable is null;
}
