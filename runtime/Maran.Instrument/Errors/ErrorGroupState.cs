namespace Maran.Instrument.Errors;

/// <summary>The tracker's live record of one group, changed only by its background loop.</summary>
internal sealed class ErrorGroupState
{
    public required string Fingerprint { get; init; }

    public required string Type { get; init; }

    public required string Title { get; init; }

    public required ErrorCategory Category { get; init; }

    public required string Component { get; init; }

    public string? Operation { get; init; }

    /// <summary>Unix milliseconds.</summary>
    public long FirstSeen { get; set; }

    /// <summary>Unix milliseconds.</summary>
    public long LastSeen { get; set; }

    public long Count { get; set; }

    /// <summary>Unix milliseconds of the last resolution, or null.</summary>
    public long? ResolvedAt { get; set; }

    public string LastMessage { get; set; } = string.Empty;

    public ErrorGroupStatus StatusAt(long now, TimeSpan newWindow) =>
        ResolvedAt is { } resolved
            ? (LastSeen > resolved ? ErrorGroupStatus.Regressed : ErrorGroupStatus.Resolved)
            : (now - FirstSeen < (long)newWindow.TotalMilliseconds ? ErrorGroupStatus.New : ErrorGroupStatus.Ongoing);

    public ErrorGroup ToGroup(long countInWindow, long now, TimeSpan newWindow) => new()
    {
        Fingerprint = Fingerprint,
        Type = Type,
        Title = Title,
        Category = Category,
        Component = Component,
        Operation = Operation,
        FirstSeen = DateTimeOffset.FromUnixTimeMilliseconds(FirstSeen),
        LastSeen = DateTimeOffset.FromUnixTimeMilliseconds(LastSeen),
        Count = Count,
        CountInWindow = countInWindow,
        Status = StatusAt(now, newWindow),
        LastMessage = LastMessage,
    };

    public ErrorGroupState Copy() => (ErrorGroupState)MemberwiseClone();
}

/// <summary>One cell of the hourly error table: errors of one group, component, operation and severity in one clock hour.</summary>
internal readonly record struct HourlyErrorKey(long Hour, string Fingerprint, string Type, ErrorCategory Category, string Component, string Operation, ErrorSeverity Severity);

/// <summary>Calls of one operation in one clock hour.</summary>
internal readonly record struct HourlyCallKey(long Hour, string Component, string Operation);
