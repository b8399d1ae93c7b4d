using System.Globalization;
using Maran.Instrument;
using Maran.Instrument.Configuration;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Profiling;

// Usage: Maran.Instrument.CrashWriter <data directory>
//   Writes batches of errors and token costs, flushing each to the database and printing "flushed <n>", forever.
// Usage: Maran.Instrument.CrashWriter <data directory> accept <n> [dashboard]
//   Accepts n errors without waiting for them to be written, prints "accepted <n>" (after "dashboard <url>" when the
//   dashboard is started too), then waits for a signal to end it.
// Usage: Maran.Instrument.CrashWriter <data directory> fleet <in flight> <concurrency limit>
//   One replica of a fleet: serves /metrics on a free port and prints "metrics <url>", holds <in flight> calls of the
//   operation "answer" open against monitoring.concurrency_limit <concurrency limit>, and completes ten calls a second
//   (one in five failing, each with priced tokens) until a signal ends it. Its identity comes from OTEL_RESOURCE_ATTRIBUTES.
// Usage: Maran.Instrument.CrashWriter <data directory> console-encoding <n>
//   Sets Console.OutputEncoding n times on one thread while four other threads warn n times each through the
//   monitoring's diagnostics, then stops the system and prints "done <n>".
// Usage: Maran.Instrument.CrashWriter <data directory> slo <configuration file>
//   A process with the SLOs of the configuration file: serves /metrics on a free port and prints "metrics <url>", then
//   ends calls of the operation "answer" (component "support") one after another, ten every 10 ms, every fourth one
//   failing, until a signal ends it: any run of consecutive calls has a failure ratio within one call of 1/4.
bool slo = args.Length > 2 && args[1] == "slo";
MonitoringOptions options = slo ? MonitoringOptions.Load(args[2]) : new MonitoringOptions();
options.Monitoring.DataDirectory = args[0];
options.Monitoring.MetricsPort = 0;
options.Monitoring.DashboardPort = 0;
options.Logging.Console = false;
options.Logging.File = false;
options.Alerts.Channels.Console.Enabled = false;
options.Storage.StopTimeout = TimeSpan.FromSeconds(30);
options.Storage.QueueCapacity = 100_000;
options.Errors.QueueCapacity = 100_000;
if (args.Length > 3 && args[1] == "fleet")
{
    options.Storage.Enabled = false;
    options.Monitoring.HealthCheckInterval = 1;
    options.Monitoring.ConcurrencyLimit = int.Parse(args[3], CultureInfo.InvariantCulture);
}

if (slo || (args.Length > 2 && args[1] == "console-encoding"))
{
    options.Storage.Enabled = false;
}

using var system = new AdvancedMonitoringSystem(options);
system.Start();

if (args.Length > 2 && args[1] == "console-encoding")
{
    int rounds = int.Parse(args[2], CultureInfo.InvariantCulture);
    var encodings = new Thread(() =>
    {
        for (int i = 0; i < rounds; i++)
        {
            Console.OutputEncoding = i % 2 == 0 ? new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false) : System.Text.Encoding.UTF8;
        }
    });
    Thread[] warnings = [.. Enumerable.Range(0, 4).Select(thread => new Thread(() =>
    {
        for (int i = 0; i < rounds; i++)
        {
            MonitoringDiagnostics.Warn($"[maran] warning {i} of thread {thread} while the console encoding changes");
        }
    }))];
    encodings.Start();
    Array.ForEach(warnings, static t => t.Start());
    encodings.Join();
    Array.ForEach(warnings, static t => t.Join());
    system.Stop();
    Console.WriteLine($"done {rounds}");
    return;
}

if (args.Length > 3 && args[1] == "fleet")
{
    PerformanceProfiler profiler = system.Profiler;
    int held = int.Parse(args[2], CultureInfo.InvariantCulture);
    var open = new List<OperationToken>();
    for (int i = 0; i < held; i++)
    {
        open.Add(profiler.StartOperation("answer", "support"));
    }

    Console.WriteLine($"metrics {system.Prometheus.EndpointUrl}");
    using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
    for (long call = 0; await timer.WaitForNextTickAsync(); call++)
    {
        OperationToken handle = profiler.StartOperation("answer", "support");
        system.CostTracker.RecordTokens("gpt-4o-mini", 100, 10, component: "support");
        if (call % 5 == 4)
        {
            profiler.EndOperation(handle, OperationStatus.Error, new TimeoutException("the model did not answer"));
        }
        else
        {
            profiler.EndOperation(handle);
        }
    }

    GC.KeepAlive(open);
}

if (slo)
{
    PerformanceProfiler profiler = system.Profiler;
    var failure = new TimeoutException("the model did not answer");
    Console.WriteLine($"metrics {system.Prometheus.EndpointUrl}");
    using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
    long call = 0;
    while (await timer.WaitForNextTickAsync())
    {
        for (int i = 0; i < 10; i++, call++)
        {
            OperationToken handle = profiler.StartOperation("answer", "support");
            if (call % 4 == 3)
            {
                profiler.EndOperation(handle, OperationStatus.Error, failure);
            }
            else
            {
                profiler.EndOperation(handle);
            }
        }
    }
}

if (args.Length > 2 && args[1] == "accept")
{
    await using var dashboard = new MonitoringDashboard(system);
    if (args.Length > 3 && args[3] == "dashboard")
    {
        await dashboard.StartAsync();
        Console.WriteLine($"dashboard {dashboard.Url}");
    }

    int accepted = int.Parse(args[2], CultureInfo.InvariantCulture);
    for (int i = 0; i < accepted; i++)
    {
        system.ErrorTracker.TrackError(new TimeoutException($"model did not answer within {i % 60} s"), component: "crash_writer");
    }

    Console.WriteLine($"accepted {accepted}");
    await Task.Delay(Timeout.Infinite);
}

long written = 0;
while (true)
{
    for (int i = 0; i < 250; i++)
    {
        system.ErrorTracker.TrackError(new TimeoutException($"model did not answer within {written % 60} s"), component: "crash_writer");
        system.CostTracker.RecordTokens("gpt-4o-mini", 1000 + written, 100, component: "crash_writer");
        written++;
    }

    await system.ErrorTracker.FlushAsync();
    await system.CostTracker.FlushAsync();
    Console.WriteLine($"flushed {written}");
}
