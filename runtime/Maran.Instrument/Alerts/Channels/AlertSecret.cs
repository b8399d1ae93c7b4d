using Maran.Instrument.Configuration;

namespace Maran.Instrument.Alerts;

/// <summary>
/// A secret (SMTP password, webhook key) read from an environment variable or a file. Error messages name the
/// variable or file, never the value; the value is never written anywhere by the toolkit.
/// </summary>
internal static class AlertSecret
{
    /// <summary>Reads the secret; null when neither source is set.</summary>
    internal static string? Read(string? environmentVariable, string? file)
    {
        if (!string.IsNullOrWhiteSpace(environmentVariable))
        {
            return Environment.GetEnvironmentVariable(environmentVariable);
        }

        return string.IsNullOrWhiteSpace(file) ? null : File.ReadAllText(file).TrimEnd('\r', '\n');
    }

    internal static void Validate(OptionsBinder binder, string prefix, string what, string? environmentVariable, string? file)
    {
        string envKey = $"{prefix}:{what}_env";
        string fileKey = $"{prefix}:{what}_file";
        if (environmentVariable is not null && file is not null)
        {
            binder.Error(fileKey, file, $"set the {what} through {what}_env or {what}_file, not both");
            return;
        }

        if (environmentVariable is not null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(environmentVariable)))
        {
            binder.Error(envKey, environmentVariable, $"the environment variable {environmentVariable} holding the {what} is not set");
        }

        if (file is not null)
        {
            try
            {
                if (File.ReadAllText(file).TrimEnd('\r', '\n').Length == 0)
                {
                    binder.Error(fileKey, file, $"the {what} file is empty");
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                binder.Error(fileKey, file, $"the {what} file cannot be read ({ex.GetType().Name})");
            }
        }
    }
}
