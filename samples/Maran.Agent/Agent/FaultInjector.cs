using System.Net;

namespace Maran.Agent;

/// <summary>
/// Makes a share of model calls fail the way hosted models fail — a rate limit (HTTP 429), a client timeout, a
/// context that is too long — so the workload exercises error tracking and alerting.
/// </summary>
public sealed class FaultInjector(double errorRate, int seed = 7)
{
    private readonly Random _random = new(seed);
    private readonly object _gate = new();

    /// <summary>Never fails.</summary>
    public static FaultInjector None { get; } = new(0);

    /// <summary>The share of model calls that fail, 0 to 1.</summary>
    public double ErrorRate { get; } = errorRate;

    /// <summary>Throws, for a share of calls, what a hosted model would.</summary>
    public Task BeforeModelCallAsync(CancellationToken cancellationToken)
    {
        double roll;
        int kind;
        lock (_gate)
        {
            roll = _random.NextDouble();
            kind = _random.Next(3);
        }

        if (roll >= ErrorRate)
        {
            return Task.CompletedTask;
        }

        return kind switch
        {
            0 => throw new HttpRequestException(
                "Response status code does not indicate success: 429 (Too Many Requests). Rate limit reached for requests per minute.",
                null,
                HttpStatusCode.TooManyRequests),
            1 => TimeOutAsync(cancellationToken),
            _ => throw new InvalidOperationException(
                "This model's maximum context length is 4096 tokens. However, your messages resulted in 5120 tokens. Please reduce the length of the messages."),
        };
    }

    // What HttpClient throws when its Timeout elapses: a TaskCanceledException wrapping a TimeoutException.
    private static async Task TimeOutAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        throw new TaskCanceledException(
            "The request was canceled due to the configured HttpClient.Timeout of 0.05 seconds elapsing.",
            new TimeoutException("The operation was canceled."));
    }
}
