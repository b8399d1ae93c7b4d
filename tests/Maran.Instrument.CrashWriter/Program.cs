using System.Globalization;
using Maran.Instrument;

// Usage: Maran.Instrument.CrashWriter <data directory>
//   Writes batches of errors and token costs, flushing each to the database and printing "flushed <n>", forever.
// Usage: Maran.Instrument.CrashWriter <data directory> accept <n> [dashboard]
//   Accepts n errors without waiting for them to be written, prints "accepted <n>" (after "dashboard <url>" when the
//   dashboard is started too), then waits for a signal to end it.
var options = new MonitoringOptions();
options.Monitoring.DataDirectory = args[0];
options.Monitoring.MetricsPort = 0;
options.Monitoring.DashboardPort = 0;
options.Logging.Console = false;
options.Logging.File = false;
options.Alerts.Channels.Console.Enabled = false;
options.Storage.StopTimeout = TimeSpan.FromSeconds(30);
options.Storage.QueueCapacity = 100_000;
options.Errors.QueueCapacity = 100_000;
using var system = new AdvancedMonitoringSystem(options);
system.Start();

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
