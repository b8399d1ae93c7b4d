namespace Maran.Instrument.Alerts;

/// <summary>A delivery failed in a way the channel understood (an HTTP status, a refused login).</summary>
internal sealed class AlertDeliveryException : Exception
{
    public AlertDeliveryException(string message, bool retryable)
        : base(message)
    {
        Retryable = retryable;
    }

    public AlertDeliveryException()
    {
        Retryable = true;
    }

    public AlertDeliveryException(string message)
        : this(message, retryable: true)
    {
    }

    public AlertDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Retryable = true;
    }

    /// <summary>Whether another attempt may succeed (a timeout, a 5xx) or not (a 4xx, a bad address).</summary>
    public bool Retryable { get; }
}
