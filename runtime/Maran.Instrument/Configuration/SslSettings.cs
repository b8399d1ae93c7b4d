using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>
/// The <c>production.ssl:</c> section: the certificate the toolkit's own servers present, either as PEM files
/// (<see cref="Certificate"/> and <see cref="Key"/>) or as one PFX (PKCS#12) file (<see cref="Pfx"/>) whose password
/// is read from the environment variable <see cref="PasswordEnv"/>. The files are read and checked when monitoring and
/// the dashboard start: a missing, unreadable, expired, not-yet-valid or mismatched certificate stops the start with an
/// error naming the file and the reason.
/// </summary>
public sealed class SslSettings
{
    /// <summary>The certificate, PEM (<c>-----BEGIN CERTIFICATE-----</c>); a chain may follow the server's own certificate.</summary>
    [ConfigurationKeyName("certificate")]
    public string? Certificate { get; set; }

    /// <summary>The certificate's private key, PEM (PKCS#8, RSA or EC); an encrypted key takes its password from <see cref="PasswordEnv"/>.</summary>
    [ConfigurationKeyName("key")]
    public string? Key { get; set; }

    /// <summary>A PFX (PKCS#12) file holding the certificate and its private key, instead of <see cref="Certificate"/> and <see cref="Key"/>.</summary>
    [ConfigurationKeyName("pfx")]
    public string? Pfx { get; set; }

    /// <summary>
    /// The name of the environment variable holding the password of <see cref="Pfx"/> (or of an encrypted PEM key), so
    /// the password is never written in the configuration. Unset, the PFX must have no password.
    /// </summary>
    [ConfigurationKeyName("password_env")]
    public string? PasswordEnv { get; set; }

    internal void Validate(OptionsBinder binder, string prefix, string enabledKey)
    {
        bool pem = !string.IsNullOrWhiteSpace(Certificate) || !string.IsNullOrWhiteSpace(Key);
        bool pfx = !string.IsNullOrWhiteSpace(Pfx);
        if (pem && pfx)
        {
            binder.Error($"{prefix}:pfx", Pfx, "give either certificate and key (PEM files) or pfx, not both");
        }
        else if (pfx)
        {
            return;
        }
        else if (string.IsNullOrWhiteSpace(Certificate))
        {
            binder.Error($"{prefix}:certificate", Certificate, "ssl_enabled needs a certificate: set production.ssl.certificate and production.ssl.key (PEM files), or production.ssl.pfx", originKey: enabledKey);
        }
        else if (string.IsNullOrWhiteSpace(Key))
        {
            binder.Error($"{prefix}:key", Key, "the PEM certificate needs its private key: set production.ssl.key to the key's PEM file", originKey: $"{prefix}:certificate");
        }

        if (PasswordEnv is not null && string.IsNullOrWhiteSpace(PasswordEnv))
        {
            binder.Error($"{prefix}:password_env", PasswordEnv, "the name of the environment variable holding the password must not be empty");
        }
    }
}
