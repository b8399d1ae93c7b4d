namespace Maran.Instrument.Telemetry;

/// <summary>
/// Implement on a result type of your own so that monitored methods returning it have their tokens counted and
/// priced without further code. Only the two counts are required.
/// </summary>
public interface ITokenUsage
{
    /// <summary>Prompt tokens, cached and cache-write ones included.</summary>
    long InputTokens { get; }

    /// <summary>Generated tokens, reasoning ones included.</summary>
    long OutputTokens { get; }

    /// <summary>Prompt tokens read from the provider's cache.</summary>
    long CachedInputTokens => 0;

    /// <summary>Prompt tokens written to the provider's cache.</summary>
    long CacheWriteTokens => 0;

    /// <summary>Generated tokens spent on reasoning.</summary>
    long ReasoningTokens => 0;

    /// <summary>The model that answered, if known; otherwise the attribute's <see cref="MonitorOperationAttribute.Model"/> is used.</summary>
    string? ModelId => null;
}
