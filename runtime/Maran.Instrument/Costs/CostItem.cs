using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Costs;

/// <summary>What the recording paths hand to the cost tracker's loop.</summary>
internal readonly record struct CostItem
{
    /// <summary>
    /// When it was recorded, in <see cref="TimeProvider.GetTimestamp"/> ticks of the tracker's clock: the cheap
    /// monotonic read of the hot path. The loop turns it into wall-clock time (<see cref="StampClock"/>), so an item
    /// counts in the hour it was recorded in, however long it waited in the queue.
    /// </summary>
    public long Stamp { get; init; }

    public TokenUsage Usage { get; init; }

    public string? FallbackModel { get; init; }

    public string Component { get; init; }

    public string Operation { get; init; }

    /// <summary>Null for tokens; the resource type of a cost recorded by hand.</summary>
    public string? ResourceType { get; init; }

    /// <summary>Whether <see cref="Cost"/> is already known (recorded by hand).</summary>
    public bool Priced { get; init; }

    public decimal? Cost { get; init; }
}
