namespace Maran.Instrument.Logging;

/// <summary>The log store's rows, searchable.</summary>
internal interface ILogPersistence
{
    void Insert(LogEntry entry);

    /// <summary>Stored events matching <paramref name="query"/>, newest first; false when there is nothing readable.</summary>
    bool TrySearch(LogQuery query, out List<LogEntry> entries);
}
