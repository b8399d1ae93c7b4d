using System.Diagnostics;
using System.Text.Json;

namespace Maran.Instrument.Tests.Alerts;

/// <summary>
/// Debian's prometheus-alertmanager, started on 127.0.0.1 with clustering off, a throw-away configuration and data
/// folder, and stopped (killed) when disposed.
/// </summary>
internal sealed class TestAlertmanager : IDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/prometheus-alertmanager", "/usr/local/bin/alertmanager", "/usr/bin/alertmanager"];
    private readonly Process _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public TestAlertmanager()
    {
        Port = TestHttpReceiver.FreePort();
        Directory.CreateDirectory(Folder);
        string config = Path.Combine(Folder, "alertmanager.yml");
        File.WriteAllText(config, "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n");
        var start = new ProcessStartInfo(Binary!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--config.file=" + config);
        start.ArgumentList.Add("--storage.path=" + Path.Combine(Folder, "data"));
        start.ArgumentList.Add($"--web.listen-address=127.0.0.1:{Port}");
        start.ArgumentList.Add("--cluster.listen-address=");
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The binary, or null when it is not installed.</summary>
    public static string? Binary => Environment.GetEnvironmentVariable("MARAN_ALERTMANAGER") is { Length: > 0 } configured
        ? configured
        : Candidates.FirstOrDefault(File.Exists);

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "maran-alertmanager-" + Guid.NewGuid().ToString("N"));

    /// <summary>Waits (bounded) until the Alertmanager answers ready.</summary>
    public async Task WaitReadyAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            Assert.False(_process.HasExited, "prometheus-alertmanager exited at start");
            try
            {
                using HttpResponseMessage response = await _http.GetAsync(new Uri(Url, "/-/ready"), timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>The alerts the Alertmanager holds (active and suppressed, not resolved), from <c>GET /api/v2/alerts</c>.</summary>
    public async Task<List<JsonElement>> AlertsAsync()
    {
        string json = await _http.GetStringAsync(new Uri(Url, "/api/v2/alerts"));
        using JsonDocument document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _http.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A fact that is skipped, saying why, when prometheus-alertmanager is not installed.</summary>
internal sealed class AlertmanagerFactAttribute : FactAttribute
{
    public AlertmanagerFactAttribute()
    {
        if (TestAlertmanager.Binary is null)
        {
            Skip = "prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager, or set MARAN_ALERTMANAGER to its path)";
        }
    }
}
