using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>
/// The <c>production:</c> section. Its presence puts the toolkit in production mode: secrets may no longer be written
/// inline in the configuration file (<c>dashboard.tokens[].token</c>), API errors carry no exception text unless
/// <see cref="DebugMode"/> is on, and <see cref="SslEnabled"/> serves the dashboard and <c>/metrics</c> over HTTPS.
/// See <c>docs/production.md</c>.
/// </summary>
/// <example>
/// <code>
/// production:
///   debug_mode: false
///   ssl_enabled: true
///   ssl:
///     certificate: /etc/maran/tls/cert.pem
///     key: /etc/maran/tls/key.pem
///   security:
///     audit_all_operations: true
///     encrypt_logs: true
/// </code>
/// </example>
public sealed class ProductionSettings
{
    /// <summary>
    /// Whether the program is being diagnosed (default false): DEBUG logging whatever <c>monitoring.log_level</c> says,
    /// the exception text in the dashboard's API problems, and <c>GET /api/debug/status</c> (the whole
    /// <c>GetDashboardData()</c> as JSON, for a caller with an access token).
    /// </summary>
    [ConfigurationKeyName("debug_mode")]
    public bool DebugMode { get; set; }

    /// <summary>
    /// Whether the standalone dashboard and the standalone <c>/metrics</c> endpoint serve HTTPS only (TLS 1.2 or 1.3)
    /// with the certificate of <see cref="Ssl"/> (default false). A plain-HTTP request on their ports fails the TLS
    /// handshake and is never served. Under the Generic Host the app's own Kestrel HTTPS configuration serves what
    /// the app mounts (<c>MapMaranDashboard</c>, <c>MapMaranMetrics</c>).
    /// </summary>
    [ConfigurationKeyName("ssl_enabled")]
    public bool SslEnabled { get; set; }

    /// <summary>The server certificate: PEM files or a PFX. Read only when <see cref="SslEnabled"/> is true.</summary>
    [ConfigurationKeyName("ssl")]
    public SslSettings Ssl { get; set; } = new();

    /// <summary>The <c>production.security:</c> section: the audit trail and encryption of logs at rest.</summary>
    [ConfigurationKeyName("security")]
    public ProductionSecuritySettings Security { get; set; } = new();

    internal void Validate(OptionsBinder binder, string prefix)
    {
        if (SslEnabled)
        {
            Ssl.Validate(binder, $"{prefix}:ssl", $"{prefix}:ssl_enabled");
        }

        Security.Validate(binder, $"{prefix}:security");
    }
}
