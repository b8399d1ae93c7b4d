using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Maran.Instrument.Configuration;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>
/// Certificates a test makes for itself (CertificateRequest, self-signed, for 127.0.0.1 and localhost) and writes to a
/// folder of its own: PEM certificate and key, a PFX with a password, and the broken files the start must refuse.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    public const string PfxPassword = "pfx-password-for-tests";

    public TestCertificates(DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        Folder = Path.Combine(Path.GetTempPath(), "maran-tls-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=maran-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        Certificate = request.CreateSelfSigned(notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(30));
        CertificatePath = Write("cert.pem", Certificate.ExportCertificatePem());
        KeyPath = Write("key.pem", key.ExportPkcs8PrivateKeyPem());
        PfxPath = Path.Combine(Folder, "server.pfx");
        File.WriteAllBytes(PfxPath, Certificate.Export(X509ContentType.Pkcs12, PfxPassword));
        using RSA other = RSA.Create(2048);
        OtherKeyPath = Write("other-key.pem", other.ExportPkcs8PrivateKeyPem());
        GarbagePath = Write("garbage.pem", "this is not a certificate, only some text where one should be\n");
    }

    public string Folder { get; }

    /// <summary>The certificate (without its private key), for a client to trust.</summary>
    public X509Certificate2 Certificate { get; }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    public string PfxPath { get; }

    /// <summary>The key of another certificate.</summary>
    public string OtherKeyPath { get; }

    public string GarbagePath { get; }

    public string MissingPath => Path.Combine(Folder, "no-such-file.pem");

    /// <summary>Production mode with TLS from the PEM files.</summary>
    public void UsePem(MonitoringOptions options, string? certificate = null, string? key = null) =>
        options.Production = new ProductionSettings
        {
            SslEnabled = true,
            Ssl = new SslSettings { Certificate = certificate ?? CertificatePath, Key = key ?? KeyPath },
        };

    /// <summary>Production mode with TLS from the PFX, its password in <paramref name="passwordEnv"/>.</summary>
    public void UsePfx(MonitoringOptions options, string passwordEnv, string? pfx = null) =>
        options.Production = new ProductionSettings
        {
            SslEnabled = true,
            Ssl = new SslSettings { Pfx = pfx ?? PfxPath, PasswordEnv = passwordEnv },
        };

    /// <summary>A client that trusts this certificate alone (as its root), with full chain and host name checks.</summary>
    public HttpClient TrustingClient(Uri baseAddress)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        handler.SslOptions.CertificateChainPolicy.CustomTrustStore.Add(Certificate);
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public void Dispose()
    {
        Certificate.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // The temporary directory is cleaned up by the machine.
        }
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
