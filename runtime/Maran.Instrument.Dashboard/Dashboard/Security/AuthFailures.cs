using Prometheus;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// Counts the dashboard's failed authentications, by reason (<c>missing</c>: no credential; <c>invalid</c>: a wrong one;
/// <c>rate_limited</c>: refused with 429 while its address waits), on <c>/metrics</c> as
/// <c>maran_dashboard_auth_failures_total{reason}</c> and in the overview's own status.
/// </summary>
internal sealed class AuthFailures
{
    internal const string Missing = "missing";
    internal const string Invalid = "invalid";
    internal const string RateLimited = "rate_limited";

    private readonly Counter? _counter;
    private long _failed;
    private long _limited;

    public AuthFailures(CollectorRegistry? registry, string prefix)
    {
        _counter = registry is null
            ? null
            : Metrics.WithCustomRegistry(registry).CreateCounter(
                prefix + "maran_dashboard_auth_failures_total",
                "Requests to the dashboard refused for their credentials, by reason: missing, invalid, or rate_limited (too many failures from the address).",
                ["reason"]);
    }

    /// <summary>Requests refused for a missing or wrong credential.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Requests refused with 429 because their address had failed too often.</summary>
    public long Limited => Interlocked.Read(ref _limited);

    public void Count(string reason)
    {
        if (reason == RateLimited)
        {
            Interlocked.Increment(ref _limited);
        }
        else
        {
            Interlocked.Increment(ref _failed);
        }

        _counter?.WithLabels(reason).Inc();
    }
}
