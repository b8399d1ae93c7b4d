using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Maran.Instrument.Configuration;

namespace Maran.Instrument.Security;

/// <summary>
/// The certificate the toolkit's own servers (the standalone dashboard and <c>/metrics</c>) present under
/// <c>production.ssl_enabled</c>, read from <c>production.ssl</c> and checked before anything listens: the files
/// exist and can be read, hold a certificate and its private key, the key belongs to the certificate, and the
/// certificate is valid now. Each problem is a <see cref="ConfigurationError"/> naming the key, the file and the reason.
/// </summary>
internal sealed class ServerCertificate : IDisposable
{
    /// <summary>Bytes of a certificate, key or PFX file at most, so a wrong path (a device, a log) cannot fill memory.</summary>
    internal const int MaxFileBytes = 1024 * 1024;

    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";

    private ServerCertificate(X509Certificate2 certificate, X509Certificate2Collection chain, string source)
    {
        Certificate = certificate;
        Chain = chain;
        Source = source;
    }

    /// <summary>The server's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The certificates that follow the server's own in its PEM file (intermediates), sent with it in the handshake.</summary>
    public X509Certificate2Collection Chain { get; }

    /// <summary>The file or files it was read from, for messages.</summary>
    public string Source { get; }

    /// <summary>
    /// Reads the certificate of <paramref name="options"/> when <c>production.ssl_enabled</c> is on; null when it is off
    /// or when a problem was recorded in <paramref name="binder"/>.
    /// </summary>
    public static ServerCertificate? Load(MonitoringOptions options, OptionsBinder binder, TimeProvider time, Func<string, string?>? environment = null)
    {
        if (options.Production is not { SslEnabled: true } production)
        {
            return null;
        }

        environment ??= Environment.GetEnvironmentVariable;
        SslSettings ssl = production.Ssl;
        int before = binder.Errors.Count;
        ServerCertificate? loaded = string.IsNullOrWhiteSpace(ssl.Pfx)
            ? LoadPem(ssl, binder, environment)
            : LoadPfx(ssl, binder, environment);
        if (loaded is null || binder.Errors.Count > before)
        {
            loaded?.Dispose();
            return null;
        }

        string key = string.IsNullOrWhiteSpace(ssl.Pfx) ? "production:ssl:certificate" : "production:ssl:pfx";
        string shown = string.IsNullOrWhiteSpace(ssl.Pfx) ? ssl.Certificate! : ssl.Pfx!;
        if (!CheckValidity(loaded.Certificate, binder, key, shown, time.GetUtcNow()))
        {
            loaded.Dispose();
            return null;
        }

        return loaded;
    }

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (X509Certificate2 certificate in Chain)
        {
            certificate.Dispose();
        }
    }

    private static ServerCertificate? LoadPem(SslSettings ssl, OptionsBinder binder, Func<string, string?> environment)
    {
        const string CertificateKey = "production:ssl:certificate";
        const string KeyKey = "production:ssl:key";
        string certificatePath = ssl.Certificate!;
        string keyPath = ssl.Key!;
        if (Read(certificatePath, binder, CertificateKey, "certificate") is not { } certificateBytes)
        {
            return null;
        }

        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(System.Text.Encoding.UTF8.GetString(certificateBytes));
        }
        catch (CryptographicException ex)
        {
            binder.Error(CertificateKey, certificatePath, $"the certificate file {Path.GetFullPath(certificatePath)} is not a readable PEM certificate ({ex.Message})");
            return null;
        }

        if (chain.Count == 0)
        {
            binder.Error(CertificateKey, certificatePath, $"the certificate file {Path.GetFullPath(certificatePath)} holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            return null;
        }

        X509Certificate2 leaf = chain[0];
        chain.RemoveAt(0);
        if (Read(keyPath, binder, KeyKey, "key") is not { } keyBytes)
        {
            return Discard(leaf, chain);
        }

        string keyText = System.Text.Encoding.UTF8.GetString(keyBytes);
        string? password = null;
        if (keyText.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
        {
            password = Password(ssl, binder, KeyKey, keyPath, environment, "the key file is encrypted");
            if (password is null)
            {
                return Discard(leaf, chain);
            }
        }

        X509Certificate2? withKey = Combine(leaf, keyText, password, keyPath, certificatePath, binder, KeyKey);
        leaf.Dispose();
        if (withKey is null)
        {
            return Discard(null, chain);
        }

        return new ServerCertificate(withKey, chain, $"{Path.GetFullPath(certificatePath)} and {Path.GetFullPath(keyPath)}");
    }

    private static X509Certificate2? Combine(X509Certificate2 leaf, string keyText, string? password, string keyPath, string certificatePath, OptionsBinder binder, string key)
    {
        using AsymmetricAlgorithm? privateKey = ImportKey(keyText, password, out string? problem);
        string keyFile = Path.GetFullPath(keyPath);
        if (privateKey is null)
        {
            binder.Error(key, keyPath, $"the key file {keyFile} {problem}");
            return null;
        }

        string algorithm = leaf.GetKeyAlgorithm();
        byte[]? certificateKey = algorithm switch
        {
            RsaOid => leaf.GetRSAPublicKey()?.ExportSubjectPublicKeyInfo(),
            EcOid => leaf.GetECDsaPublicKey()?.ExportSubjectPublicKeyInfo(),
            _ => null,
        };
        if (certificateKey is null)
        {
            binder.Error("production:ssl:certificate", certificatePath, $"the certificate {Path.GetFullPath(certificatePath)} has a public key of a kind TLS here cannot use ({algorithm}); use an RSA or ECDSA certificate");
            return null;
        }

        if (!certificateKey.AsSpan().SequenceEqual(privateKey.ExportSubjectPublicKeyInfo()))
        {
            binder.Error(key, keyPath, $"the private key in {keyFile} does not match the certificate {Path.GetFullPath(certificatePath)} (it is the key of another certificate)");
            return null;
        }

        X509Certificate2 combined = privateKey switch
        {
            RSA rsa => leaf.CopyWithPrivateKey(rsa),
            ECDsa ecdsa => leaf.CopyWithPrivateKey(ecdsa),
            _ => throw new InvalidOperationException("Only RSA and ECDSA keys are imported."),
        };

        // SChannel on Windows cannot use an ephemeral key for TLS: it takes one that went through PKCS#12.
        if (OperatingSystem.IsWindows())
        {
            using (combined)
            {
                return LoadPkcs12(combined.Export(X509ContentType.Pkcs12), password: null);
            }
        }

        return combined;
    }

    private static AsymmetricAlgorithm? ImportKey(string text, string? password, out string? problem)
    {
        problem = null;
        var rsa = RSA.Create();
        if (TryImport(rsa, text, password, out string? rsaProblem))
        {
            return rsa;
        }

        rsa.Dispose();
        var ecdsa = ECDsa.Create();
        if (TryImport(ecdsa, text, password, out _))
        {
            return ecdsa;
        }

        ecdsa.Dispose();
        problem = rsaProblem;
        return null;
    }

    private static bool TryImport(AsymmetricAlgorithm algorithm, string text, string? password, out string? problem)
    {
        problem = null;
        try
        {
            if (password is null)
            {
                algorithm.ImportFromPem(text);
            }
            else
            {
                algorithm.ImportFromEncryptedPem(text, password);
            }

            return true;
        }
        catch (ArgumentException)
        {
            problem = "holds no PEM private key of RSA or EC (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)";
            return false;
        }
        catch (CryptographicException ex)
        {
            problem = password is null
                ? $"holds a private key that cannot be read ({ex.Message})"
                : $"cannot be decrypted with the password from the environment variable named by production.ssl.password_env ({ex.Message})";
            return false;
        }
    }

    private static ServerCertificate? LoadPfx(SslSettings ssl, OptionsBinder binder, Func<string, string?> environment)
    {
        const string PfxKey = "production:ssl:pfx";
        string path = ssl.Pfx!;
        if (Read(path, binder, PfxKey, "PFX") is not { } bytes)
        {
            return null;
        }

        string? password = null;
        if (ssl.PasswordEnv is { Length: > 0 })
        {
            password = Password(ssl, binder, PfxKey, path, environment, "the PFX needs its password");
            if (password is null)
            {
                return null;
            }
        }

        string file = Path.GetFullPath(path);
        X509Certificate2 certificate;
        try
        {
            certificate = LoadPkcs12(bytes, password);
        }
        catch (CryptographicException)
        {
            string why = IsDerSequence(bytes)
                ? ssl.PasswordEnv is { Length: > 0 } variable
                    ? $"cannot be opened with the password in the environment variable {variable} (a wrong password?)"
                    : "cannot be opened without a password: set production.ssl.password_env to the name of the variable holding it"
                : "is not a PFX (PKCS#12) file";
            binder.Error(PfxKey, path, $"the PFX file {file} {why}");
            return null;
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            binder.Error(PfxKey, path, $"the PFX file {file} holds no private key: export the certificate with its key");
            return null;
        }

        return new ServerCertificate(certificate, [], file);
    }

    private static X509Certificate2 LoadPkcs12(byte[] bytes, string? password)
    {
        // Ephemeral on Linux and macOS: nothing is written to a key store. Windows keeps the key as a user key for SChannel.
        X509KeyStorageFlags flags = OperatingSystem.IsWindows() ? X509KeyStorageFlags.UserKeySet : X509KeyStorageFlags.EphemeralKeySet;
#if NET9_0_OR_GREATER
        return X509CertificateLoader.LoadPkcs12(bytes, password, flags);
#else
        return new X509Certificate2(bytes, password, flags);
#endif
    }

    /// <summary>Whether <paramref name="bytes"/> are one DER sequence, as every PKCS#12 file is: then a failure to open it is its password.</summary>
    private static bool IsDerSequence(byte[] bytes)
    {
        try
        {
            return AsnDecoder.TryReadEncodedValue(bytes, AsnEncodingRules.BER, out Asn1Tag tag, out _, out _, out int consumed)
                && tag.HasSameClassAndValue(Asn1Tag.Sequence)
                && consumed == bytes.Length;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    private static string? Password(SslSettings ssl, OptionsBinder binder, string key, string path, Func<string, string?> environment, string why)
    {
        if (ssl.PasswordEnv is not { Length: > 0 } variable)
        {
            binder.Error("production:ssl:password_env", null, $"{why} ({Path.GetFullPath(path)}): set production.ssl.password_env to the name of the environment variable holding the password", originKey: key);
            return null;
        }

        if (environment(variable) is not { Length: > 0 } password)
        {
            binder.Error("production:ssl:password_env", variable, $"the environment variable {variable} is not set: it must hold the password of {Path.GetFullPath(path)}");
            return null;
        }

        return password;
    }

    private static bool CheckValidity(X509Certificate2 certificate, OptionsBinder binder, string key, string path, DateTimeOffset now)
    {
        DateTime notBefore = certificate.NotBefore.ToUniversalTime();
        DateTime notAfter = certificate.NotAfter.ToUniversalTime();
        string file = Path.GetFullPath(path);
        if (now.UtcDateTime > notAfter)
        {
            binder.Error(key, path, $"the certificate in {file} has expired: it was valid until {Format(notAfter)}");
            return false;
        }

        if (now.UtcDateTime < notBefore)
        {
            binder.Error(key, path, $"the certificate in {file} is not valid yet: it is valid from {Format(notBefore)}");
            return false;
        }

        return true;
    }

    private static byte[]? Read(string path, OptionsBinder binder, string key, string what)
    {
        string file = Path.GetFullPath(path);
        if (Directory.Exists(file))
        {
            binder.Error(key, path, $"the {what} file {file} is a directory");
            return null;
        }

        if (!File.Exists(file))
        {
            binder.Error(key, path, $"the {what} file {file} does not exist");
            return null;
        }

        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var content = new MemoryStream();
            byte[] chunk = new byte[16 * 1024];
            int n;
            while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (content.Length + n > MaxFileBytes)
                {
                    binder.Error(key, path, $"the {what} file {file} is over {MaxFileBytes} bytes: it is not a {what} file");
                    return null;
                }

                content.Write(chunk, 0, n);
            }

            return content.ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            binder.Error(key, path, $"the {what} file {file} cannot be read: {ex.Message}");
            return null;
        }
    }

    private static ServerCertificate? Discard(X509Certificate2? leaf, X509Certificate2Collection chain)
    {
        leaf?.Dispose();
        foreach (X509Certificate2 certificate in chain)
        {
            certificate.Dispose();
        }

        return null;
    }

    private static string Format(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
