using Maran.Instrument.Configuration;

namespace Maran.Instrument.Security;

/// <summary>
/// What <see cref="AdvancedMonitoringSystem.Start"/> checks of <c>production.security</c> beyond the values
/// themselves: that the log encryption key exists and is an AES-256 key, and that the audit folder can be written.
/// </summary>
internal static class SecurityChecks
{
    private const string Prefix = "production:security";

    /// <summary>Checks <paramref name="settings"/>, giving the log cipher when logs are encrypted; the binder collects the problems.</summary>
    internal static LogCipher? Check(ProductionSecuritySettings settings, OptionsBinder binder, Func<string, string?> variable)
    {
        LogCipher? cipher = null;
        if (settings.EncryptLogs && !LogCipher.TryLoad(settings, variable, out cipher, out string? problem, out _))
        {
            string key = variable(ProductionSecuritySettings.KeyVariable) is { Length: > 0 }
                ? ProductionSecuritySettings.KeyVariable
                : settings.KeyFile is { Length: > 0 } ? $"{Prefix}:key_file" : $"{Prefix}:encrypt_logs";
            binder.Error(key, value: null, problem!, originKey: $"{Prefix}:encrypt_logs");
        }

        if (settings.AuditAllOperations && CannotWrite(settings.AuditDirectory) is { } reason)
        {
            binder.Error($"{Prefix}:audit_directory", settings.AuditDirectory, $"the audit folder {Path.GetFullPath(settings.AuditDirectory)} cannot be written: {reason}", originKey: $"{Prefix}:audit_all_operations");
        }

        return cipher;
    }

    private static string? CannotWrite(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            string probe = Path.Combine(directory, ".maran-audit-test-" + Environment.ProcessId);
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return ex.Message.TrimEnd('.');
        }
    }
}
