using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Maran.Instrument.Integration.Tests.Export;

namespace Maran.Instrument.Integration.Tests.Sample;

/// <summary>
/// The sample agent as a real process, in production mode from samples/Maran.Agent/production_config.yaml, with the
/// certificate, key and log key made as the README's Production section says (openssl): HTTPS only, encrypted log
/// files that <c>maran logs decrypt</c> reads back, an audit trail that <c>maran audit verify</c> finds intact, and a
/// clean stop on SIGTERM.
/// </summary>
public sealed class SampleProductionModeTests : IDisposable
{
    private const string OperatorToken = "operator-token-of-the-production-sample-test";

    private readonly string _folder = Directory.CreateTempSubdirectory("maran-sample-production-").FullName;

    // The build configuration of this test (bin/<configuration>/net10.0/), which built the sample and the tool too.
    private static readonly string Configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    [SkippableFact]
    public async Task The_sample_serves_https_only_writes_encrypted_logs_and_an_audit_that_verifies_and_stops_on_sigterm()
    {
        string? openssl = PrometheusServer.Find("openssl");
        Skip.If(openssl is null, "openssl makes the test certificate and key as the README does (apt-get install openssl)");
        string logKey = MakeTlsFiles(openssl!);

        using Process agent = StartAgent();
        var output = new List<string>();
        Task<int> drained = Task.FromResult(0);
        try
        {
            using var ready = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            Uri dashboard = new(Address(await ReadUntilAsync(agent, output, "  dashboard  ", ready.Token)));
            Uri metrics = new(Address(await ReadUntilAsync(agent, output, "  metrics    ", ready.Token)));

            // An answer printed is an "Answered ..." event logged: the known plaintext looked for in the log file below.
            await ReadUntilAsync(agent, output, "A: ", ready.Token);
            drained = DrainAsync(agent, output);

            using X509Certificate2 certificate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(_folder, "tls", "cert.pem")));
            using HttpClient trusting = TrustingClient(certificate);
            using HttpResponseMessage overview = await trusting.GetAsync(new Uri(dashboard, "api/overview"), ready.Token);
            using HttpResponseMessage scraped = await trusting.GetAsync(new Uri(metrics, "metrics"), ready.Token);
            using var untrusting = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            HttpRequestException unknownCertificate = await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync(new Uri(dashboard, "api/overview"), ready.Token));
            using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync(new UriBuilder(dashboard) { Scheme = "http", Path = "api/overview" }.Uri, ready.Token));
            await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync(new UriBuilder(metrics) { Scheme = "http", Path = "metrics" }.Uri, ready.Token));

            Assert.Equal("https", dashboard.Scheme);
            Assert.Equal("https", metrics.Scheme);
            Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
            Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
            Assert.IsType<AuthenticationException>(unknownCertificate.InnerException);

            Send("TERM", agent.Id);
            using var stopped = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await agent.WaitForExitAsync(stopped.Token);
        }
        finally
        {
            if (!agent.HasExited)
            {
                agent.Kill(entireProcessTree: true);
            }
        }

        await drained;
        string logs = Path.Combine(_folder, "logs");
        string logFile = Assert.Single(Directory.GetFiles(logs, "maran-*.jsonl"));
        string[] logLines = File.ReadAllLines(logFile);
        DotNet.Result decrypted = Tool(logKey, "logs", "decrypt", logFile);
        DotNet.Result verified = Tool(null, ["audit", "verify", .. Directory.GetFiles(logs, "audit-*.jsonl").Order(StringComparer.Ordinal)]);

        Assert.True(agent.ExitCode == 0, $"the agent ended with {agent.ExitCode}:\n{string.Join('\n', output)}");
        Assert.NotEmpty(logLines);
        Assert.All(logLines, line => Assert.StartsWith("enc1:", line, StringComparison.Ordinal));
        Assert.DoesNotContain("Answered", File.ReadAllText(logFile), StringComparison.Ordinal);
        Assert.Equal(0, decrypted.ExitCode);
        Assert.Contains("Answered", decrypted.Output, StringComparison.Ordinal);
        Assert.True(verified.ExitCode == 0, verified.Output);
        Assert.Contains("intact: ", verified.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by an ending process: the temporary directory is cleaned up by the machine.
        }
    }

    // The README's commands, run in the folder the agent runs in: a self-signed certificate for localhost and
    // 127.0.0.1, its key, and the log key (base64 of 32 bytes). Returns the log key.
    private string MakeTlsFiles(string openssl)
    {
        Directory.CreateDirectory(Path.Combine(_folder, "tls"));
        DotNet.Exec(openssl, _folder, TimeSpan.FromMinutes(1),
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", "tls/key.pem", "-out", "tls/cert.pem")
            .EnsureSuccess("openssl req");
        DotNet.Exec(openssl, _folder, TimeSpan.FromMinutes(1), "rand", "-base64", "-out", "tls/log.key", "32").EnsureSuccess("openssl rand");
        return File.ReadAllText(Path.Combine(_folder, "tls", "log.key")).Trim();
    }

    private Process StartAgent()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(OwnOutput("samples", "Maran.Agent"));
        start.ArgumentList.Add("--rate");
        start.ArgumentList.Add("20");
        start.Environment["MARAN_CONFIG"] = Path.Combine(RepositoryPaths.Root, "samples", "Maran.Agent", "production_config.yaml");
        start.Environment["MARAN_OPERATOR_TOKEN"] = OperatorToken;
        start.Environment["MARAN_DASHBOARD_PORT"] = "0";
        start.Environment["MARAN_METRICS_PORT"] = "0";
        start.Environment.Remove("MARAN_ENCRYPTION_KEY");
        Process process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    // A program as its own build made it, with its own dependencies (this test's folder holds other versions of some).
    private static string OwnOutput(string folder, string project) =>
        Path.Combine(RepositoryPaths.Root, folder, project, "bin", Configuration, "net10.0", project + ".dll");

    // The address a line such as "  dashboard  https://127.0.0.1:41234/ (needs its access token)" starts with.
    private static string Address(string rest) => rest.Split(' ', 2)[0];

    private static async Task<string> ReadUntilAsync(Process process, List<string> output, string prefix, CancellationToken cancellationToken)
    {
        while (true)
        {
            string? line = await process.StandardOutput.ReadLineAsync(cancellationToken);
            Assert.True(line is not null, $"the agent ended before printing '{prefix}':\n{string.Join('\n', output)}");
            output.Add(line);
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line[prefix.Length..];
            }
        }
    }

    // The agent prints every answer: its output is read to the end, so a full pipe never blocks it.
    private static async Task<int> DrainAsync(Process process, List<string> output)
    {
        int lines = 0;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (output)
            {
                output.Add(line);
            }

            lines++;
        }

        return lines;
    }

    private static HttpClient TrustingClient(X509Certificate2 certificate)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        handler.SslOptions.CertificateChainPolicy.CustomTrustStore.Add(certificate);
        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
        return client;
    }

    private DotNet.Result Tool(string? key, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(OwnOutput("tools", "Maran.Instrument.Tool"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (key is null)
        {
            start.Environment.Remove("MARAN_ENCRYPTION_KEY");
        }
        else
        {
            start.Environment["MARAN_ENCRYPTION_KEY"] = key;
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), $"maran {string.Join(' ', arguments)} did not finish");
        return new DotNet.Result(process.ExitCode, output + error.Result);
    }

    /// <summary>Sends a real signal with kill(1), as docker stop and Kubernetes do.</summary>
    private static void Send(string signal, int pid) =>
        DotNet.Exec("/bin/kill", Environment.CurrentDirectory, TimeSpan.FromSeconds(30), "-s", signal, pid.ToString(CultureInfo.InvariantCulture))
            .EnsureSuccess($"kill -s {signal} {pid}");
}
