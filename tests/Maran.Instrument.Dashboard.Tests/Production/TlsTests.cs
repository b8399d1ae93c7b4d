using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>Under production.ssl_enabled the dashboard and /metrics speak HTTPS only, over real TLS handshakes on 127.0.0.1.</summary>
public class TlsTests
{
    [Fact]
    public async Task The_dashboard_serves_https_with_hsts_to_a_client_that_trusts_its_certificate()
    {
        using var certificates = new TestCertificates();
        await using TestDashboard server = await TestDashboard.StartAsync(o => certificates.UsePem(o));
        using HttpClient client = certificates.TrustingClient(server.Url);

        using HttpResponseMessage response = await client.GetAsync("api/overview");

        Assert.Equal("https", server.Url.Scheme);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task The_handshake_is_tls_1_2_or_newer_with_the_configured_certificate()
    {
        using var certificates = new TestCertificates();
        await using TestDashboard server = await TestDashboard.StartAsync(o => certificates.UsePem(o));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Url.Port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, presented, _, _) => presented is not null);

        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" });

        Assert.True(tls.SslProtocol is SslProtocols.Tls12 or SslProtocols.Tls13, $"negotiated {tls.SslProtocol}");
        Assert.Equal(certificates.Certificate.Thumbprint, tls.RemoteCertificate!.GetCertHashString());
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_certificate_fails_the_handshake()
    {
        using var certificates = new TestCertificates();
        await using TestDashboard server = await TestDashboard.StartAsync(o => certificates.UsePem(o));
        using var untrusting = new HttpClient { BaseAddress = server.Url };

        HttpRequestException failure = await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync("api/overview"));

        Assert.IsType<AuthenticationException>(failure.InnerException);
    }

    [Fact]
    public async Task Plain_http_on_the_dashboard_port_gets_no_http_answer_and_the_connection_is_closed()
    {
        using var certificates = new TestCertificates();
        await using TestDashboard server = await TestDashboard.StartAsync(o => certificates.UsePem(o));

        string answer = await PlainHttpAsync(server.Url.Port, "/api/overview");
        using var plain = new HttpClient { BaseAddress = new UriBuilder(server.Url) { Scheme = "http" }.Uri };

        Assert.DoesNotContain("HTTP/", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("operations", answer, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync("api/overview"));
    }

    [Fact]
    public async Task The_metrics_endpoint_serves_https_only_under_ssl_enabled()
    {
        using var certificates = new TestCertificates();
        using var system = new AdvancedMonitoringSystem(TestDashboard.Options(o => certificates.UsePem(o)));
        system.Start();
        Uri endpoint = system.Prometheus.EndpointUrl!;
        using HttpClient client = certificates.TrustingClient(endpoint);

        using HttpResponseMessage response = await client.GetAsync(endpoint);
        string answer = await PlainHttpAsync(endpoint.Port, "/metrics");

        Assert.Equal("https", endpoint.Scheme);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("maran_internal_errors_total", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP/", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pfx_with_its_password_from_the_environment_serves_https()
    {
        using var certificates = new TestCertificates();
        string variable = "MARAN_TEST_PFX_PASSWORD_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, TestCertificates.PfxPassword);
        try
        {
            await using TestDashboard server = await TestDashboard.StartAsync(o => certificates.UsePfx(o, variable));
            using HttpClient client = certificates.TrustingClient(server.Url);

            using HttpResponseMessage response = await client.GetAsync("api/overview");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    /// <summary>Sends a plain-HTTP request to the port and returns whatever comes back before the server closes the connection.</summary>
    private static async Task<string> PlainHttpAsync(int port, string path)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        NetworkStream stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = new MemoryStream();
        byte[] buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, n);
            }
        }
        catch (IOException)
        {
            // The server reset the connection: nothing more comes.
        }

        Assert.False(timeout.IsCancellationRequested, "the server kept the plain-HTTP connection open");
        return Encoding.ASCII.GetString(received.ToArray());
    }
}
