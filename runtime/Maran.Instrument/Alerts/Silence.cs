namespace Maran.Instrument.Alerts;

/// <summary>
/// Holds back notifications of every alert whose labels include all of <see cref="Matchers"/>, until
/// <see cref="EndsAt"/>. Alerts keep their state; only delivery is silenced.
/// </summary>
/// <param name="Id">The silence's identity, for expiring it early.</param>
/// <param name="Matchers">Label values an alert must have, all of them, to be silenced.</param>
/// <param name="StartsAt">When it was set.</param>
/// <param name="EndsAt">When it expires.</param>
/// <param name="Comment">Why, for the people reading the dashboard.</param>
/// <param name="CreatedBy">Who set it.</param>
public sealed record Silence(
    Guid Id,
    IReadOnlyDictionary<string, string> Matchers,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string? Comment,
    string? CreatedBy)
{
    /// <summary>Whether the silence covers an alert with <paramref name="labels"/>.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return Matchers.All(m => labels.TryGetValue(m.Key, out string? value) && value == m.Value);
    }

    /// <summary>Whether the silence is in force at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => StartsAt <= now && now < EndsAt;
}
