using Maran.Instrument.Configuration;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>A certificate or key that cannot serve stops Start() with a configuration error naming the key, the file and the reason.</summary>
public class CertificateErrorTests
{
    public static TheoryData<string, string, string> PemCases => new()
    {
        { "missing certificate", "production.ssl.certificate", "does not exist" },
        { "garbage certificate", "production.ssl.certificate", "holds no PEM certificate" },
        { "missing key", "production.ssl.key", "does not exist" },
        { "garbage key", "production.ssl.key", "holds no PEM private key" },
        { "mismatched key", "production.ssl.key", "does not match the certificate" },
    };

    [Theory]
    [MemberData(nameof(PemCases))]
    public void A_bad_pem_certificate_or_key_fails_start_naming_the_file_and_the_reason(string @case, string key, string reason)
    {
        using var certificates = new TestCertificates();
        (string certificate, string privateKey) = @case switch
        {
            "missing certificate" => (certificates.MissingPath, certificates.KeyPath),
            "garbage certificate" => (certificates.GarbagePath, certificates.KeyPath),
            "missing key" => (certificates.CertificatePath, certificates.MissingPath),
            "garbage key" => (certificates.CertificatePath, certificates.GarbagePath),
            _ => (certificates.CertificatePath, certificates.OtherKeyPath),
        };
        using var system = new AdvancedMonitoringSystem(TestDashboard.Options(o => certificates.UsePem(o, certificate, privateKey)));

        ConfigurationError error = StartFails(system);

        Assert.Equal(key, error.Key);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        string file = key.EndsWith("key", StringComparison.Ordinal) ? privateKey : certificate;
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.False(system.IsRunning);
    }

    [Fact]
    public void An_expired_certificate_fails_start()
    {
        using var certificates = new TestCertificates(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
        using var system = new AdvancedMonitoringSystem(TestDashboard.Options(o => certificates.UsePem(o)));

        ConfigurationError error = StartFails(system);

        Assert.Equal("production.ssl.certificate", error.Key);
        Assert.Contains("has expired", error.Message, StringComparison.Ordinal);
        Assert.Contains(certificates.CertificatePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_not_valid_yet_fails_start()
    {
        using var certificates = new TestCertificates(DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(30));
        using var system = new AdvancedMonitoringSystem(TestDashboard.Options(o => certificates.UsePem(o)));

        ConfigurationError error = StartFails(system);

        Assert.Contains("is not valid yet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pfx_with_a_wrong_password_fails_start()
    {
        using var certificates = new TestCertificates();
        string variable = SetVariable("not-the-password");
        using var system = new AdvancedMonitoringSystem(TestDashboard.Options(o => certificates.UsePfx(o, variable)));

        ConfigurationError error = StartFails(system);

        Assert.Equal("production.ssl.pfx", error.Key);
        Assert.Contains("cannot be opened with the password in the environment variable " + variable, error.Message, StringComparison.Ordinal);
        Assert.Contains(certificates.PfxPath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_no_pfx_fails_start()
    {
        using var certificates = new TestCertificates();
        string variable = SetVariable(TestCertificates.PfxPassword);
        using var system = new AdvancedMonitoringSystem(TestDashboard.Options(o => certificates.UsePfx(o, variable, certificates.GarbagePath)));

        ConfigurationError error = StartFails(system);

        Assert.Contains("is not a PFX (PKCS#12) file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pfx_whose_password_variable_is_not_set_fails_start()
    {
        using var certificates = new TestCertificates();
        string variable = "MARAN_TEST_UNSET_" + Guid.NewGuid().ToString("N");
        using var system = new AdvancedMonitoringSystem(TestDashboard.Options(o => certificates.UsePfx(o, variable)));

        ConfigurationError error = StartFails(system);

        Assert.Equal("production.ssl.password_env", error.Key);
        Assert.Contains($"the environment variable {variable} is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ssl_enabled_without_a_certificate_is_a_configuration_error()
    {
        using var system = new AdvancedMonitoringSystem(TestDashboard.Options(o => o.Production = new ProductionSettings { SslEnabled = true }));

        ConfigurationError error = StartFails(system);

        Assert.Equal("production.ssl.certificate", error.Key);
        Assert.Contains("ssl_enabled needs a certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_started_alone_refuses_a_bad_certificate_naming_the_file()
    {
        using var certificates = new TestCertificates();
        var system = new AdvancedMonitoringSystem(TestDashboard.Options(o => certificates.UsePem(o, key: certificates.OtherKeyPath)));
        await using var dashboard = new MonitoringDashboard(system, TimeProvider.System, new StringWriter());

        DashboardStartException failure = await Assert.ThrowsAsync<DashboardStartException>(() => dashboard.StartAsync());

        Assert.Contains("does not match the certificate", failure.Message, StringComparison.Ordinal);
        Assert.Contains(certificates.OtherKeyPath, failure.Message, StringComparison.Ordinal);
        Assert.Null(dashboard.Url);
        system.Dispose();
    }

    private static ConfigurationError StartFails(AdvancedMonitoringSystem system) =>
        Assert.Single(Assert.Throws<MonitoringConfigurationException>(system.Start).Errors);

    private static string SetVariable(string value)
    {
        string variable = "MARAN_TEST_PFX_PASSWORD_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, value);
        return variable;
    }
}
