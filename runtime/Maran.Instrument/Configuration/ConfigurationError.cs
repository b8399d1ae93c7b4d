namespace Maran.Instrument;

/// <summary>One problem in the monitoring configuration, with the key and where its value came from.</summary>
/// <param name="Key">The key, dotted as in the YAML file (for example <c>monitoring.metrics_port</c>).</param>
/// <param name="Value">The offending value as written, or null.</param>
/// <param name="Origin">Where the value came from: a file and line, an environment variable, or code.</param>
/// <param name="Message">What is wrong and what is accepted.</param>
public sealed record ConfigurationError(string Key, string? Value, string Origin, string Message)
{
    /// <inheritdoc/>
    public override string ToString() =>
        Value is null ? $"{Origin}: {Key}: {Message}" : $"{Origin}: {Key} = '{Value}': {Message}";
}

/// <summary>
/// The monitoring configuration is invalid. The message lists every problem, each naming its key, its value and
/// where it came from (file and line for YAML).
/// </summary>
public sealed class MonitoringConfigurationException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public MonitoringConfigurationException(IReadOnlyList<ConfigurationError> errors)
        : base(Format(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates an exception with a message of its own.</summary>
    public MonitoringConfigurationException()
        : this([])
    {
    }

    /// <summary>Creates an exception with a message of its own.</summary>
    public MonitoringConfigurationException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates an exception with a message of its own and the exception that caused it.</summary>
    public MonitoringConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<ConfigurationError> Errors { get; }

    private static string Format(IReadOnlyList<ConfigurationError> errors) => errors.Count switch
    {
        0 => "Invalid monitoring configuration.",
        1 => $"Invalid monitoring configuration: {errors[0]}",
        _ => $"Invalid monitoring configuration ({errors.Count} problems):{Environment.NewLine}  " +
             string.Join(Environment.NewLine + "  ", errors),
    };
}
