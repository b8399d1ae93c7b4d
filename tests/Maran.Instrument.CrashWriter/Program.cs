using Maran.Instrument;

// Usage: Maran.Instrument.CrashWriter <data directory>
// Writes batches of errors and token costs, flushing each to the database and printing "flushed <n>", forever.
var options = new MonitoringOptions();
options.Monitoring.DataDirectory = args[0];
options.Monitoring.MetricsPort = 0;
options.Logging.Console = false;
options.Logging.File = false;
using var system = new AdvancedMonitoringSystem(options);
system.Start();

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
