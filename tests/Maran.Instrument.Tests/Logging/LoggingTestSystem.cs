using System.Text.Json;
using Maran.Instrument.Configuration;
using Microsoft.Data.Sqlite;

namespace Maran.Instrument.Tests.Logging;

/// <summary>A monitoring system whose logs and database live in a temporary folder of their own, removed after the test.</summary>
internal sealed class LoggingTestSystem : IDisposable
{
    public LoggingTestSystem(Action<MonitoringOptions>? configure = null)
    {
        Directory.CreateDirectory(Folder);
        var options = new MonitoringOptions();
        options.Monitoring.MetricsPort = 0;
        options.Monitoring.LogsDirectory = Path.Combine(Folder, "logs");
        options.Monitoring.DataDirectory = Path.Combine(Folder, "data");
        options.Logging.Console = false;
        configure?.Invoke(options);
        Monitoring = new AdvancedMonitoringSystem(options);
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "maran-logging-" + Guid.NewGuid().ToString("N"));

    public AdvancedMonitoringSystem Monitoring { get; }

    /// <summary>Every JSON line of the log files, parsed, after stopping the system so the files are flushed and closed.</summary>
    public List<JsonElement> StopAndReadLines()
    {
        Monitoring.Stop();
        string logs = Path.Combine(Folder, "logs");
        return [.. Directory.GetFiles(logs, "maran-*.jsonl")
            .SelectMany(File.ReadAllLines)
            .Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    public string StopAndReadText()
    {
        Monitoring.Stop();
        return string.Concat(Directory.GetFiles(Path.Combine(Folder, "logs")).Select(File.ReadAllText));
    }

    public void Dispose()
    {
        Monitoring.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
