using System.Net;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// Limits failed authentications per client address with a token bucket: an address may fail
/// <c>dashboard.auth_failure_limit</c> times at once and regains one attempt every window / limit
/// (<c>dashboard.auth_failure_window</c>). An address with no attempt left is answered 429 before its credentials are
/// looked at, so guessing gains nothing while it waits. At most <see cref="MaxAddresses"/> addresses are tracked;
/// past that, addresses not yet seen share one bucket, so memory stays bounded under a spread attack.
/// </summary>
internal sealed class AuthFailureLimiter
{
    /// <summary>Addresses with a bucket of their own at most.</summary>
    internal const int MaxAddresses = 10_000;

    private static readonly IPAddress s_shared = IPAddress.IPv6None;

    private readonly object _gate = new();
    private readonly Dictionary<IPAddress, Bucket> _buckets = [];
    private readonly double _limit;
    private readonly double _perSecond;
    private readonly TimeProvider _time;

    public AuthFailureLimiter(int limit, TimeSpan window, TimeProvider time)
    {
        _limit = limit;
        _perSecond = limit / window.TotalSeconds;
        _time = time;
    }

    /// <summary>How long <paramref name="address"/> must wait before it may try again; null when it may try now.</summary>
    public TimeSpan? RetryAfter(IPAddress? address)
    {
        lock (_gate)
        {
            if (!_buckets.TryGetValue(Key(address, adding: false), out Bucket bucket))
            {
                return null;
            }

            double tokens = Refill(bucket);
            return tokens >= 1 ? null : TimeSpan.FromSeconds((1 - tokens) / _perSecond);
        }
    }

    /// <summary>Takes one attempt from <paramref name="address"/>'s bucket.</summary>
    public void Failed(IPAddress? address)
    {
        lock (_gate)
        {
            IPAddress key = Key(address, adding: true);
            double tokens = _buckets.TryGetValue(key, out Bucket bucket) ? Refill(bucket) : _limit;
            _buckets[key] = new Bucket(Math.Max(0, tokens - 1), _time.GetTimestamp());
        }
    }

    private double Refill(Bucket bucket) =>
        Math.Min(_limit, bucket.Tokens + (_time.GetElapsedTime(bucket.Stamp).TotalSeconds * _perSecond));

    private IPAddress Key(IPAddress? address, bool adding)
    {
        IPAddress key = address is null ? IPAddress.None : address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (_buckets.ContainsKey(key) || _buckets.Count < MaxAddresses - 1)
        {
            return key;
        }

        if (adding)
        {
            // Buckets that have refilled hold nothing worth keeping.
            foreach (KeyValuePair<IPAddress, Bucket> full in _buckets.Where(b => Refill(b.Value) >= _limit).ToList())
            {
                _buckets.Remove(full.Key);
            }

            if (_buckets.Count < MaxAddresses - 1)
            {
                return key;
            }
        }

        return s_shared;
    }

    private readonly record struct Bucket(double Tokens, long Stamp);
}
