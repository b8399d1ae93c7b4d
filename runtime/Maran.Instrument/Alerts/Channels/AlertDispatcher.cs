using System.Diagnostics;
using System.Threading.Channels;
using Maran.Instrument.Diagnostics;

namespace Maran.Instrument.Alerts;

/// <summary>
/// Stands in front of one channel: a bounded queue (a full one drops and counts), one background worker, a
/// timeout per attempt, retries with exponential back-off, and a history entry for every attempt and drop. A slow
/// or failing channel holds up only its own queue.
/// </summary>
internal sealed class AlertDispatcher : IDisposable
{
    private readonly AlertHistory _history;
    private readonly int _capacity;
    private readonly object _gate = new();
    private Channel<AlertNotification>? _queue;
    private CancellationTokenSource? _abandon;
    private Task? _worker;
    private int _outstanding;
    private TaskCompletionSource? _idle;

    public AlertDispatcher(IAlertChannel channel, int capacity, AlertHistory history)
    {
        Channel = channel;
        _capacity = capacity;
        _history = history;
    }

    public IAlertChannel Channel { get; }

    /// <summary>Queues a notification without waiting; false (dropped, counted and recorded) when the queue is full or stopped.</summary>
    public bool TryEnqueue(AlertNotification notification)
    {
        lock (_gate)
        {
            if (_queue is not null && _queue.Writer.TryWrite(notification))
            {
                _outstanding++;
                return true;
            }
        }

        MonitoringDiagnostics.Drop("alerts." + Channel.Name);
        _history.RecordDelivery(notification, Channel.Name, 0, AlertDeliveryOutcome.Dropped, "the channel's queue is full, or alerting is stopped", 0);
        return false;
    }

    public void Start()
    {
        lock (_gate)
        {
            if (_worker is not null)
            {
                return;
            }

            _queue = System.Threading.Channels.Channel.CreateBounded<AlertNotification>(new BoundedChannelOptions(_capacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            _abandon = new CancellationTokenSource();
            Channel<AlertNotification> queue = _queue;
            CancellationToken abandon = _abandon.Token;
            _worker = Task.Run(() => RunAsync(queue, abandon));
        }
    }

    /// <summary>Delivers what is queued within <paramref name="timeout"/>, then abandons the rest.</summary>
    public void Stop(TimeSpan timeout)
    {
        Task? worker;
        CancellationTokenSource? abandon;
        lock (_gate)
        {
            worker = _worker;
            abandon = _abandon;
            _queue?.Writer.TryComplete();
            _queue = null;
            _worker = null;
            _abandon = null;
        }

        if (worker is null)
        {
            return;
        }

        if (!worker.Wait(timeout))
        {
            abandon!.Cancel();
            worker.Wait(TimeSpan.FromSeconds(5));
        }

        abandon!.Dispose();
    }

    /// <summary>Completes when every notification queued so far has been delivered, failed or dropped.</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            if (_outstanding == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }

    public void Dispose()
    {
        Stop(TimeSpan.Zero);
        Channel.Dispose();
    }

    private async Task RunAsync(Channel<AlertNotification> queue, CancellationToken abandon)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(abandon).ConfigureAwait(false))
            {
                while (queue.Reader.TryRead(out AlertNotification? notification))
                {
                    try
                    {
                        await DeliverAsync(notification, abandon).ConfigureAwait(false);
                    }
                    finally
                    {
                        Done();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            while (queue.Reader.TryRead(out AlertNotification? left))
            {
                _history.RecordDelivery(left, Channel.Name, 0, AlertDeliveryOutcome.Dropped, "monitoring stopped before it could be delivered", 0);
                Done();
            }
        }
    }

    private async Task DeliverAsync(AlertNotification notification, CancellationToken abandon)
    {
        AlertDeliveryPolicy policy = Channel.Policy;
        for (int attempt = 1; ; attempt++)
        {
            long started = Stopwatch.GetTimestamp();
            string detail;
            bool retryable;
            using (var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(abandon))
            {
                attemptTimeout.CancelAfter(policy.Timeout);
                try
                {
                    await Channel.DeliverAsync(notification, attemptTimeout.Token).ConfigureAwait(false);
                    _history.RecordDelivery(notification, Channel.Name, attempt, AlertDeliveryOutcome.Delivered, null, Elapsed(started));
                    return;
                }
                catch (OperationCanceledException) when (abandon.IsCancellationRequested)
                {
                    _history.RecordDelivery(notification, Channel.Name, attempt, AlertDeliveryOutcome.Failed, "monitoring stopped during the attempt", Elapsed(started));
                    throw;
                }
                catch (OperationCanceledException)
                {
                    (detail, retryable) = ($"no answer within {policy.Timeout.TotalSeconds:0.###}s", true);
                }
                catch (AlertDeliveryException ex)
                {
                    (detail, retryable) = (ex.Message, ex.Retryable);
                }
                catch (Exception ex)
                {
                    // Whatever a channel throws stays inside monitoring: it is recorded, never rethrown.
                    (detail, retryable) = (Describe(ex), true);
                }
            }

            detail = Mask(detail);
            bool last = !retryable || attempt > policy.Retries;
            _history.RecordDelivery(notification, Channel.Name, attempt, AlertDeliveryOutcome.Failed, detail, Elapsed(started));
            if (last)
            {
                MonitoringDiagnostics.InternalError("alert channel " + Channel.Name, new AlertDeliveryException(detail, retryable));
                return;
            }

            TimeSpan wait = TimeSpan.FromTicks(policy.Backoff.Ticks * (1L << Math.Min(attempt - 1, 20)));
            await Task.Delay(wait, abandon).ConfigureAwait(false);
        }
    }

    private void Done()
    {
        lock (_gate)
        {
            if (--_outstanding == 0 && _idle is not null)
            {
                _idle.TrySetResult();
                _idle = null;
            }
        }
    }

    private static string Describe(Exception ex)
    {
        string message = ex.GetType().Name + ": " + ex.Message;
        for (Exception? inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            message += " -> " + inner.GetType().Name + ": " + inner.Message;
        }

        return message;
    }

    private string Mask(string detail)
    {
        foreach (string secret in Channel.Secrets)
        {
            detail = detail.Replace(secret, "***", StringComparison.Ordinal);
        }

        return detail;
    }

    private static double Elapsed(long started) => Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
