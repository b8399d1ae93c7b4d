namespace Maran.Instrument;

/// <summary>
/// Stands in for a logged exception whose text held a secret: it shows the original type, message and stack
/// trace, with the secrets masked.
/// </summary>
internal sealed class RedactedException : Exception
{
    private readonly string _text;

    internal RedactedException(string message, string text, string? originalType)
        : base(message)
    {
        _text = text;
        OriginalType = originalType;
    }

    public RedactedException()
        : this(string.Empty, string.Empty, null)
    {
    }

    public RedactedException(string message)
        : this(message, message, null)
    {
    }

    public RedactedException(string message, Exception innerException)
        : base(message, innerException)
    {
        _text = message;
    }

    /// <summary>The full name of the exception type that was logged.</summary>
    internal string? OriginalType { get; }

    public override string ToString() => _text;
}
