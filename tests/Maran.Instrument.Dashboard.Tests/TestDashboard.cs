using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Maran.Instrument.Configuration;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>A real dashboard on 127.0.0.1 with a port picked by the system, started and stopped by a test.</summary>
internal sealed class TestDashboard : IAsyncDisposable
{
    private TestDashboard(AdvancedMonitoringSystem system, MonitoringDashboard dashboard, StringWriter console)
    {
        System = system;
        Dashboard = dashboard;
        Console = console;
        Http = new HttpClient { BaseAddress = dashboard.Url, Timeout = TimeSpan.FromSeconds(30) };
        if (dashboard.AccessToken is { } token)
        {
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public AdvancedMonitoringSystem System { get; }

    public MonitoringDashboard Dashboard { get; }

    public DashboardHub Hub => Dashboard.Hub!;

    public HttpClient Http { get; }

    /// <summary>What the dashboard printed at start.</summary>
    public StringWriter Console { get; }

    public Uri Url => Dashboard.Url!;

    /// <summary>
    /// Options for a test: storage off, ports picked by the system, and everything a started system writes (logs,
    /// alert file, database when a test turns storage on) under a folder of its own in the temporary directory. Call
    /// trees are on, as in the browser tests' system: starting a system sets that switch for the whole process, and a
    /// test that started one with call trees off would change what the browser tests' workload traces.
    /// </summary>
    public static MonitoringOptions Options(Action<MonitoringOptions>? configure = null)
    {
        string folder = Path.Combine(Path.GetTempPath(), "maran-dashboard-tests", Guid.NewGuid().ToString("N"));
        var options = new MonitoringOptions();
        options.Storage.Enabled = false;
        options.Monitoring.DashboardPort = 0;
        options.Monitoring.MetricsPort = 0;
        options.Monitoring.CallTree = true;
        options.Monitoring.DataDirectory = Path.Combine(folder, "data");
        options.Monitoring.LogsDirectory = Path.Combine(folder, "logs");
        options.Logging.Console = false;
        options.Logging.File = false;
        options.Alerts.Channels.Console.Enabled = false;
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Starts a dashboard on <paramref name="time"/>, over a system whose own clock is <paramref name="systemTime"/> (the machine's unless given).</summary>
    public static async Task<TestDashboard> StartAsync(Action<MonitoringOptions>? configure = null, TimeProvider? time = null, TimeProvider? systemTime = null)
    {
        var system = new AdvancedMonitoringSystem(Options(configure), systemTime ?? TimeProvider.System);
        var console = new StringWriter();
        var dashboard = new MonitoringDashboard(system, time ?? TimeProvider.System, console);
        await dashboard.StartAsync();
        return new TestDashboard(system, dashboard, console);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using HttpResponseMessage response = await Http.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>
    /// Reads the API until <paramref name="condition"/> holds; a tick comes every second, so this ends well before the
    /// bound (20 s unless <paramref name="bound"/> says more, for what waits on an outside process as well).
    /// </summary>
    /// <remarks>
    /// A read that times out (a loaded machine) is tried again within the bound; past it, the failure names the path
    /// and the last answer read.
    /// </remarks>
    public async Task<JsonElement> WaitForJsonAsync(string path, Func<JsonElement, bool> condition, TimeSpan? bound = null)
    {
        TimeSpan limit = bound ?? TimeSpan.FromSeconds(20);
        var elapsed = global::System.Diagnostics.Stopwatch.StartNew();
        string last = "nothing read";
        while (true)
        {
            try
            {
                JsonElement json = await GetJsonAsync(path);
                if (condition(json))
                {
                    return json;
                }

                last = json.GetRawText();
            }
            catch (TaskCanceledException ex) when (elapsed.Elapsed < limit)
            {
                last = "the last read timed out: " + ex.Message;
            }

            if (elapsed.Elapsed >= limit)
            {
                throw new TimeoutException($"GET {path} did not meet the condition within {limit.TotalSeconds:0} s; last answer: {(last.Length > 4000 ? last[..4000] : last)}");
            }

            await Task.Delay(100);
        }
    }

    public async Task<ClientWebSocket> ConnectAsync(Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        if (Dashboard.AccessToken is { } token)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        }

        configure?.Invoke(socket.Options);
        await socket.ConnectAsync(new Uri(Url, "ws").ToWebSocketUri(), CancellationToken.None);
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Dashboard.DisposeAsync();
        System.Dispose();
        try
        {
            Directory.Delete(Path.GetDirectoryName(System.Options.Monitoring.DataDirectory)!, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // The system wrote nothing.
        }
        catch (IOException)
        {
            // A file still open: the temporary directory is cleaned up by the machine.
        }
    }

    /// <summary>Posts <paramref name="json"/> as a page would: JSON, from the dashboard's own origin, with the CSRF token of <c>api/session</c>.</summary>
    public async Task<HttpResponseMessage> PostAsPageAsync(string path, string json)
    {
        string csrf = (await GetJsonAsync("api/session")).GetProperty("csrf").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Maran-Csrf", csrf);
        request.Headers.Add("Origin", Url.GetLeftPart(UriPartial.Authority));
        return await Http.SendAsync(request);
    }
}

internal static class WebSocketTestExtensions
{
    public static Uri ToWebSocketUri(this Uri uri) => new UriBuilder(uri) { Scheme = uri.Scheme == "https" ? "wss" : "ws" }.Uri;

    /// <summary>Receives one whole text message as JSON.</summary>
    public static async Task<JsonElement> ReceiveJsonAsync(this WebSocket socket, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"closed: {result.CloseStatus} {result.CloseStatusDescription}");
            }

            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
    }

    public static Task SendJsonAsync(this WebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);
}
