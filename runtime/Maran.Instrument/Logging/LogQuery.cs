using Maran.Instrument.Configuration;

namespace Maran.Instrument.Logging;

/// <summary>A search of the log store; every filter left null matches everything. Results come newest first.</summary>
public sealed record LogQuery
{
    /// <summary>The least severe level returned (WARNING returns WARNING, ERROR and CRITICAL).</summary>
    public MonitoringLogLevel? MinimumLevel { get; init; }

    /// <summary>Only events logged in this component's operations.</summary>
    public string? Component { get; init; }

    /// <summary>Only events logged in this operation.</summary>
    public string? Operation { get; init; }

    /// <summary>Only events of this W3C trace (32 hex digits).</summary>
    public string? TraceId { get; init; }

    /// <summary>Only events logged at or after this moment.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only events logged at or before this moment.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Words that must all appear in the message, exception or properties (full-text; <c>word*</c> matches a prefix).</summary>
    public string? Text { get; init; }

    /// <summary>Most events returned (default 100).</summary>
    public int Limit { get; init; } = 100;

    /// <summary>Matching events skipped, newest first, before the first one returned: paging (default 0).</summary>
    public int Offset { get; init; }
}
