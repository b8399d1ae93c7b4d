using Maran.Instrument.Alerts;
using Maran.Instrument.Costs;
using Maran.Instrument.Errors;
using Maran.Instrument.Profiling;
using Microsoft.Playwright;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>
/// One dashboard with call trees on, fed by a run of a real Agent Framework agent and by a small agent-shaped workload
/// (retrieval, reranking with a local model that has no price, generation with a priced model and the odd timeout, a
/// tool call, each logging as it goes), a SQLite store, health samples every second, a daily budget, an alert rule on a
/// queue depth the tests move, and one headless Chromium, shared by the browser tests.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>The rule the tests fire by setting <see cref="QueueMetric"/> above 100.</summary>
    internal const string QueueRule = "BrowserQueueBacklog";

    /// <summary>The custom metric that rule watches; also a health reading with a threshold of 100.</summary>
    internal const string QueueMetric = "browser_queue_depth";

    /// <summary>What the rule's summary says, markup included: it must show as text.</summary>
    internal const string QueueSummary = "<script>window.__injected='alert'</script><b>queue</b> holds {{ $value }} items";

    /// <summary>The model the workload generates with: priced by the default table.</summary>
    internal const string PricedModel = "gpt-4o-mini";

    /// <summary>The model the workload reranks with: no price, so its tokens have no cost.</summary>
    internal const string UnpricedModel = "house-reranker-local";

    private readonly CancellationTokenSource _stop = new();
    private Task? _workload;

    internal TestDashboard Server { get; private set; } = null!;

    internal IPlaywright? Playwright { get; private set; }

    internal IBrowser? Browser { get; private set; }

    public async Task InitializeAsync()
    {
        // Playwright sets Console.OutputEncoding, which takes the console's lock and then flushes its writer: a warning
        // written to the console meanwhile (the workload's drops) takes them the other way round and both threads hang.
        // So the browser is started before anything of this fixture can write to the console.
        if (File.Exists(Chromium.ExecutablePath))
        {
            Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
            Browser = await Chromium.LaunchAsync(Playwright);
        }

        Server = await TestDashboard.StartAsync(o =>
        {
            o.Monitoring.CallTree = true;
            o.Monitoring.HealthCheckInterval = 1;
            o.Monitoring.Service = "browser-agent";
            o.Monitoring.Instance = "browser-replica-1";
            o.Monitoring.Environment = "staging";
            o.Monitoring.HealthThresholds[QueueMetric] = 100;
            o.Storage.Enabled = true;
            o.Alerts.EvaluationInterval = TimeSpan.FromSeconds(1);
            o.Costs.Budgets.DailyUsd = 5m;
            o.Costs.Budgets.MonthlyUsd = 100m;
        });
        AdvancedMonitoringSystem system = Server.System;
        system.Alerts.DeclareMetric(QueueMetric);
        system.Alerts.AddRule(AlertRule.Create(QueueRule).When(QueueMetric).Above(100)
            .WithSeverity(AlertSeverity.Critical).Label("team", "browser").Annotation("summary", QueueSummary).Build());
        system.Start();
        SetQueueDepth(3);
        Microsoft.Agents.AI.AgentSession session = await WeatherAgent.NewSessionAsync("browser_weather_agent");
        await WeatherAgent.AskAsync("browser_weather_agent", "Oslo", session);
        await WeatherAgent.AskAsync("browser_weather_agent", string.Empty, session);
        _workload = Task.Run(() => Workload(system.Profiler, system.CostTracker, system.Logger, _stop.Token));
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

    /// <summary>Feeds the queue depth to the alert rule and to the health monitor alike.</summary>
    internal void SetQueueDepth(double depth)
    {
        Server.System.Alerts.SetCustomMetric(QueueMetric, depth);
        Server.System.HealthMonitor.SetCustomMetric(QueueMetric, depth, "items");
    }

    /// <summary>A fresh page on the dashboard, collecting console errors and script failures.</summary>
    internal async Task<(IPage Page, List<string> Errors)> OpenAsync(string hash = "#/overview", Uri? dashboard = null)
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
        await page.GotoAsync(new Uri(dashboard ?? Server.Url, hash).ToString());
        await page.Locator("#status[data-state=live]").WaitForAsync();
        return (page, errors);
    }

    private static void Workload(PerformanceProfiler profiler, CostTracker costs, Serilog.ILogger log, CancellationToken stop)
    {
        var random = new Random(7);
        for (int run = 0; !stop.IsCancellationRequested; run++)
        {
            using (ErrorContext.Push("conversation", "c-" + (run % 50)))
            using (profiler.Operation("agent.run", "agent"))
            {
                using (profiler.Operation("retrieve", "rag"))
                {
                    Work(random.Next(2, 6), stop);
                    log.Information("Retrieved {Passages} passages for the question", random.Next(1, 9));
                }

                using (profiler.Operation("rerank", "rag"))
                {
                    Work(1, stop);
                    costs.RecordTokens(UnpricedModel, input: random.Next(400, 900), output: 8, component: "rag", operation: "rerank");
                }

                using (OperationHandle generate = profiler.Operation("generate", "model"))
                {
                    Work(random.Next(8, 25), stop);
                    try
                    {
                        CallModel(random);
                        costs.RecordTokens(
                            PricedModel,
                            input: random.Next(900, 2500),
                            output: random.Next(80, 400),
                            cached: random.Next(0, 2) * 512,
                            component: "model",
                            operation: "generate",
                            estimated: run % 10 == 0);
                    }
                    catch (TimeoutException timeout)
                    {
                        log.Error(timeout, "Generation failed; the agent will retry");
                        generate.Fail(timeout);
                    }
                }

                if (random.Next(3) == 0)
                {
                    using (profiler.Operation("tool.search", "tools"))
                    {
                        Work(random.Next(3, 9), stop);
                    }
                }
            }
        }
    }

    // A stage's simulated work: it waits on the stop signal, so the workload ends the moment the fixture stops.
    private static void Work(int milliseconds, CancellationToken stop) => stop.WaitHandle.WaitOne(milliseconds);

    // Thrown, not just built, so the error tracker has a stack to show and to group by.
    private static void CallModel(Random random)
    {
        if (random.Next(25) == 0)
        {
            throw new TimeoutException("The model did not answer within 30 s.");
        }
    }
}
