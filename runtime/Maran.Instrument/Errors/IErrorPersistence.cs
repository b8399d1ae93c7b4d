namespace Maran.Instrument.Errors;

/// <summary>The error tracker's rows: every error, the groups, and hourly counts of errors and calls.</summary>
internal interface IErrorPersistence
{
    /// <summary>Whether stored rows can be read back and waited for; a faulted or absent store is not waited for.</summary>
    bool IsAvailable { get; }

    void Insert(TrackedError error);

    void Save(ErrorGroupState group);

    void Save(HourlyErrorKey key, long count);

    void Save(HourlyCallKey key, long calls);

    /// <summary>Completes when every write accepted before the call has been committed.</summary>
    Task FlushAsync(CancellationToken cancellationToken);

    /// <summary>Reads back groups and hourly counts since <paramref name="since"/> (Unix ms); false when there is nothing readable.</summary>
    bool TryLoad(long since, out StoredErrors stored);

    /// <summary>The latest stored errors, newest first, optionally of one group; false when there is nothing readable.</summary>
    bool TryReadRecent(int limit, string? fingerprint, out List<TrackedError> errors);
}

/// <summary>What <see cref="IErrorPersistence.TryLoad"/> read back.</summary>
internal sealed class StoredErrors
{
    public List<ErrorGroupState> Groups { get; } = [];

    public Dictionary<HourlyErrorKey, long> Hourly { get; } = [];

    public Dictionary<HourlyCallKey, long> Calls { get; } = [];
}
