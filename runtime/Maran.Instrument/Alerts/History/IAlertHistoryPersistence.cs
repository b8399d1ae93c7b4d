namespace Maran.Instrument.Alerts;

/// <summary>The alert history's rows: every state change and delivery attempt.</summary>
internal interface IAlertHistoryPersistence
{
    void Insert(AlertHistoryEntry entry);

    /// <summary>Completes when every entry accepted before the call has been committed.</summary>
    Task FlushAsync(CancellationToken cancellationToken);

    /// <summary>Stored entries matching <paramref name="filter"/>, newest first; false when there is nothing readable.</summary>
    bool TryRead(AlertHistoryFilter filter, out List<AlertHistoryEntry> entries);
}
