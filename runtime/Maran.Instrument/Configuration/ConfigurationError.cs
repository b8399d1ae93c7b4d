namespace Maran.Instrument.Configuration;

/// <summary>One problem in the monitoring configuration, with the key and where its value came from.</summary>
/// <param name="Key">The key, dotted as in the YAML file (for example <c>monitoring.metrics_port</c>).</param>
/// <param name="Value">The offending value as written, or null.</param>
/// <param name="Origin">Where the value came from: a file and line, an environment variable, or code.</param>
/// <param name="Message">What is wrong and what is accepted.</param>
public sealed record ConfigurationError(string Key, string? Value, string Origin, string Message)
{
    /// <inheritdoc/>
    /// <remarks>Each part is cut to a bounded length (<see cref="ConfigurationLimits.MaxShownCharacters"/>), so a huge value or key cannot make a huge message.</remarks>
    public override string ToString()
    {
        string origin = ConfigurationLimits.Clip(Origin);
        string key = ConfigurationLimits.Clip(Key);
        string message = ConfigurationLimits.Clip(Message, ConfigurationLimits.MaxShownMessageCharacters);
        return Value is null ? $"{origin}: {key}: {message}" : $"{origin}: {key} = '{ConfigurationLimits.Clip(Value)}': {message}";
    }
}

/// <summary>
/// The monitoring configuration is invalid. The message lists the problems (at most
/// <see cref="ConfigurationLimits.MaxListedProblems"/>, then how many more), each naming its key, its value and where
/// it came from (file and line for YAML); <see cref="Errors"/> holds every one.
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

    private static string Format(IReadOnlyList<ConfigurationError> errors)
    {
        if (errors.Count <= 1)
        {
            return errors.Count == 0 ? "Invalid monitoring configuration." : $"Invalid monitoring configuration: {errors[0]}";
        }

        string separator = Environment.NewLine + "  ";
        string listed = string.Join(separator, errors.Take(ConfigurationLimits.MaxListedProblems));
        int more = errors.Count - ConfigurationLimits.MaxListedProblems;
        return $"Invalid monitoring configuration ({errors.Count} problems):{separator}{listed}"
               + (more > 0 ? $"{separator}... and {more} more problems" : string.Empty);
    }
}
