using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>
/// The <c>production.security:</c> section: a tamper-evident audit trail of what the monitoring saw and was asked to
/// do, and AES-256-GCM encryption of the log files and of the log store's text in the database.
/// </summary>
/// <example>
/// <code>
/// production:
///   security:
///     encrypt_logs: true          # key from MARAN_ENCRYPTION_KEY (base64, 32 bytes) or key_file
///     audit_all_operations: true  # logs/audit-YYYYMMDD.jsonl, hash-chained
/// </code>
/// </example>
public sealed class ProductionSecuritySettings
{
    /// <summary>The environment variable the log encryption key is read from: base64 of 32 bytes.</summary>
    public const string KeyVariable = "MARAN_ENCRYPTION_KEY";

    /// <summary>The folder the audit trail is written to by default, relative to the current directory.</summary>
    public const string DefaultAuditDirectory = "logs";

    /// <summary>
    /// Encrypt every log record at rest with AES-256-GCM (default false): the JSON log files hold one <c>enc1:</c>
    /// line per event, and the log store keeps the message, exception and properties encrypted. The key is
    /// <see cref="KeyVariable"/>, else <see cref="KeyFile"/>; without a usable key monitoring does not start.
    /// </summary>
    [ConfigurationKeyName("encrypt_logs")]
    public bool EncryptLogs { get; set; }

    /// <summary>
    /// Write an append-only, hash-chained audit trail (default false): start and stop, authentication failures,
    /// dashboard changes, and every monitored call and model call, one JSON object per line in
    /// <c>audit-YYYYMMDD.jsonl</c> under <see cref="AuditDirectory"/>.
    /// </summary>
    [ConfigurationKeyName("audit_all_operations")]
    public bool AuditAllOperations { get; set; }

    /// <summary>
    /// A file holding the log encryption key (base64 of 32 bytes, surrounding white space ignored), read when
    /// <see cref="KeyVariable"/> is not set. Keep it readable by the service's user only.
    /// </summary>
    [ConfigurationKeyName("key_file")]
    public string? KeyFile { get; set; }

    /// <summary>
    /// Audit records waiting to be written at most (default 65,536; 1 to 1,000,000): every call, model call,
    /// authentication failure and dashboard write. A record a full queue cannot take is counted and written into the
    /// trail as a gap.
    /// </summary>
    [ConfigurationKeyName("audit_queue_capacity")]
    public int AuditQueueCapacity { get; set; } = 65_536;

    /// <summary>The folder of the audit trail (default <see cref="DefaultAuditDirectory"/>).</summary>
    [ConfigurationKeyName("audit_directory")]
    public string AuditDirectory { get; set; } = DefaultAuditDirectory;

    internal void Validate(OptionsBinder binder, string prefix)
    {
        binder.CheckRange($"{prefix}:audit_queue_capacity", AuditQueueCapacity, 1, 1_000_000, "the audit queue capacity");
        if (string.IsNullOrWhiteSpace(AuditDirectory))
        {
            binder.Error($"{prefix}:audit_directory", AuditDirectory, "the audit folder must be a path (the default is logs)");
        }

        if (KeyFile is { } file && string.IsNullOrWhiteSpace(file))
        {
            binder.Error($"{prefix}:key_file", file, "the key file must be a path to a file holding the base64 key");
        }
    }
}
