using Maran.Instrument.Alerts;
using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>How the e-mail channel secures its connection.</summary>
public enum SmtpTlsMode
{
    /// <summary>Upgrade with STARTTLS and fail if the server cannot (default).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    Ssl,

    /// <summary>STARTTLS when the server offers it, plain otherwise.</summary>
    Auto,

    /// <summary>No encryption (a relay on this machine).</summary>
    None,
}

/// <summary>The <c>alerts.channels.email:</c> section; on when <see cref="Host"/> is set.</summary>
public sealed class EmailChannelSettings
{
    /// <summary>The SMTP server.</summary>
    [ConfigurationKeyName("host")]
    public string? Host { get; set; }

    /// <summary>Its port (default 587).</summary>
    [ConfigurationKeyName("port")]
    public int Port { get; set; } = 587;

    /// <summary>starttls (default), ssl, auto or none.</summary>
    [ConfigurationKeyName("tls")]
    public SmtpTlsMode Tls { get; set; } = SmtpTlsMode.StartTls;

    /// <summary>A PEM file of a certificate authority (or the server's own certificate) to trust besides the system's.</summary>
    [ConfigurationKeyName("ca_file")]
    public string? CaFile { get; set; }

    /// <summary>Accept any server certificate. Only for testing: it allows a man in the middle.</summary>
    [ConfigurationKeyName("insecure_skip_verify")]
    public bool InsecureSkipVerify { get; set; }

    /// <summary>The sender address.</summary>
    [ConfigurationKeyName("from")]
    public string? From { get; set; }

    /// <summary>The recipients.</summary>
    [ConfigurationKeyName("to")]
    public List<string> To { get; set; } = [];

    /// <summary>The user to log in as; no login when unset.</summary>
    [ConfigurationKeyName("username")]
    public string? Username { get; set; }

    /// <summary>Environment variable holding the password.</summary>
    [ConfigurationKeyName("password_env")]
    public string? PasswordEnv { get; set; }

    /// <summary>File holding the password.</summary>
    [ConfigurationKeyName("password_file")]
    public string? PasswordFile { get; set; }

    /// <summary>Time allowed for one attempt (default 30s, at most 10m).</summary>
    [ConfigurationKeyName("timeout")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts after the first (default 2; 0 to 20).</summary>
    [ConfigurationKeyName("retries")]
    public int Retries { get; set; } = 2;

    /// <summary>Wait before the first retry, doubled for each further one (default 5s, at most 10m).</summary>
    [ConfigurationKeyName("backoff")]
    public TimeSpan Backoff { get; set; } = TimeSpan.FromSeconds(5);

    internal void Validate(OptionsBinder binder, string prefix)
    {
        AlertChannelSettings.CheckDelivery(binder, prefix, Timeout, Retries, Backoff);
        if (Port is < 1 or > 65535)
        {
            binder.Error($"{prefix}:port", MonitoringSettings.Format(Port), "a port must be between 1 and 65535");
        }

        if (string.IsNullOrWhiteSpace(Host))
        {
            return;
        }

        if (!System.Net.Mail.MailAddress.TryCreate(From ?? string.Empty, out _))
        {
            binder.Error($"{prefix}:from", From, "e-mail needs a sender address", originKey: prefix);
        }

        if (To.Count == 0)
        {
            binder.Error($"{prefix}:to", null, "e-mail needs at least one recipient", originKey: prefix);
        }

        for (int i = 0; i < To.Count; i++)
        {
            if (!System.Net.Mail.MailAddress.TryCreate(To[i] ?? string.Empty, out _))
            {
                binder.Error($"{prefix}:to:{i}", To[i], "not an e-mail address");
            }
        }

        if (CaFile is { Length: > 0 } caFile && !System.IO.File.Exists(caFile))
        {
            binder.Error($"{prefix}:ca_file", caFile, "the file does not exist");
        }

        if (Username is null && (PasswordEnv is not null || PasswordFile is not null))
        {
            binder.Error($"{prefix}:username", null, "a password is set but no username to log in with", originKey: prefix);
        }

        if (Username is not null)
        {
            AlertSecret.Validate(binder, prefix, "password", PasswordEnv, PasswordFile);
        }
    }
}
