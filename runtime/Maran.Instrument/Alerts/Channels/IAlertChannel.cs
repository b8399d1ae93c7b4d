namespace Maran.Instrument.Alerts;

/// <summary>
/// A place notifications go. <see cref="DeliverAsync"/> makes one attempt and throws when it fails; the
/// dispatcher in front of it queues, times out, retries and records. It runs on its own worker, never on the
/// evaluator's or the user's thread.
/// </summary>
internal interface IAlertChannel : IDisposable
{
    /// <summary>The channel's name in history and diagnostics: console, file, webhook, email, alertmanager.</summary>
    string Name { get; }

    /// <summary>Timeout, retries and back-off of one notification.</summary>
    AlertDeliveryPolicy Policy { get; }

    /// <summary>How often firing alerts are sent again regardless of change; null when the channel wants no resends.</summary>
    TimeSpan? ResendInterval { get; }

    /// <summary>Secret values the channel holds, masked out of every recorded failure.</summary>
    IReadOnlyList<string> Secrets { get; }

    /// <summary>Delivers the notification once, or throws.</summary>
    Task DeliverAsync(AlertNotification notification, CancellationToken cancellationToken);
}

/// <summary>How a channel's deliveries are attempted.</summary>
/// <param name="Timeout">Time allowed for one attempt.</param>
/// <param name="Retries">Attempts after the first.</param>
/// <param name="Backoff">Wait before the first retry, doubled for each further one.</param>
internal sealed record AlertDeliveryPolicy(TimeSpan Timeout, int Retries, TimeSpan Backoff);
