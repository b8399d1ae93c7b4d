namespace Maran.Instrument;

/// <summary>
/// The dashboard could not start: its port is taken, its address cannot be used, or it would be reachable from
/// other machines without an access token. The message names the setting to change.
/// </summary>
public sealed class DashboardStartException : Exception
{
    /// <summary>Creates the exception with a message saying what to change.</summary>
    public DashboardStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public DashboardStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public DashboardStartException()
        : base("The dashboard could not start.")
    {
    }
}
