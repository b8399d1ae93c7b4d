using Microsoft.Playwright;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>
/// One dashboard with call trees on, fed by a small agent-shaped workload (retrieval, reranking, generation with
/// the odd timeout, a tool call), and one headless Chromium, shared by the browser tests.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _workload;

    internal TestDashboard Server { get; private set; } = null!;

    internal IPlaywright? Playwright { get; private set; }

    internal IBrowser? Browser { get; private set; }

    public async Task InitializeAsync()
    {
        Server = await TestDashboard.StartAsync(o => o.Monitoring.CallTree = true);
        Server.System.Start();
        _workload = Task.Run(() => Workload(Server.System.Profiler, _stop.Token));
        if (File.Exists(Chromium.ExecutablePath))
        {
            Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
            Browser = await Chromium.LaunchAsync(Playwright);
        }
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _workload!;
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
        await Server.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>A fresh page on the dashboard, collecting console errors and script failures.</summary>
    internal async Task<(IPage Page, List<string> Errors)> OpenAsync(string hash = "#/overview")
    {
        Chromium.Require();
        IPage page = await Browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                lock (errors)
                {
                    errors.Add($"{response.Status} {response.Url}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };
        await page.GotoAsync(new Uri(Server.Url, hash).ToString());
        await page.Locator("#status[data-state=live]").WaitForAsync();
        return (page, errors);
    }

    private static void Workload(PerformanceProfiler profiler, CancellationToken stop)
    {
        var random = new Random(7);
        while (!stop.IsCancellationRequested)
        {
            using (profiler.Operation("agent.run", "agent"))
            {
                using (profiler.Operation("retrieve", "rag"))
                {
                    Thread.Sleep(random.Next(2, 6));
                }

                using (profiler.Operation("rerank", "rag"))
                {
                    Thread.Sleep(1);
                }

                using (OperationHandle generate = profiler.Operation("generate", "model"))
                {
                    Thread.Sleep(random.Next(8, 25));
                    if (random.Next(25) == 0)
                    {
                        generate.Fail(new TimeoutException("The model did not answer within 30 s."));
                    }
                }

                if (random.Next(3) == 0)
                {
                    using (profiler.Operation("tool.search", "tools"))
                    {
                        Thread.Sleep(random.Next(3, 9));
                    }
                }
            }
        }
    }
}
