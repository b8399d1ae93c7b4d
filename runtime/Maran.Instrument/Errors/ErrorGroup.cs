using Maran.Instrument.Configuration;

namespace Maran.Instrument.Errors;

/// <summary>Where a group of errors stands.</summary>
public enum ErrorGroupStatus
{
    /// <summary>First seen recently (within <see cref="ErrorSettings.NewGroupHours"/>).</summary>
    New,

    /// <summary>Seen before that and not resolved.</summary>
    Ongoing,

    /// <summary>Seen again after it was resolved.</summary>
    Regressed,

    /// <summary>Resolved with <see cref="ErrorTracker.ResolveGroup"/> and not seen since.</summary>
    Resolved,
}

/// <summary>All occurrences of one bug: errors with the same fingerprint.</summary>
public sealed record ErrorGroup
{
    /// <summary>Hash of the error type, the application's stack frames (without line numbers) and the normalised message.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The error type.</summary>
    public required string Type { get; init; }

    /// <summary>The type and the normalised message, for example <c>KeyNotFoundException: user &lt;num&gt; not found</c>.</summary>
    public required string Title { get; init; }

    /// <summary>What kind of failure it is.</summary>
    public required ErrorCategory Category { get; init; }

    /// <summary>The component of its first occurrence.</summary>
    public required string Component { get; init; }

    /// <summary>The monitored operation of its first occurrence, if any.</summary>
    public string? Operation { get; init; }

    /// <summary>Its first occurrence.</summary>
    public required DateTimeOffset FirstSeen { get; init; }

    /// <summary>Its latest occurrence.</summary>
    public required DateTimeOffset LastSeen { get; init; }

    /// <summary>Occurrences ever recorded (within the retention).</summary>
    public required long Count { get; init; }

    /// <summary>Occurrences within the window asked for.</summary>
    public required long CountInWindow { get; init; }

    /// <summary>New, ongoing, regressed or resolved.</summary>
    public required ErrorGroupStatus Status { get; init; }

    /// <summary>The message of the latest occurrence, as written.</summary>
    public required string LastMessage { get; init; }
}
