using Maran.Instrument.Configuration;

namespace Maran.Instrument.Benchmarks.Workloads;

/// <summary>
/// A started monitoring system as a benchmark runs it: metrics port, console and file logs and storage off, so its
/// trackers keep what they hear in memory and no worker thread writes a file while the memory diagnoser counts every
/// thread's allocations. It owns a data folder of its own and deletes it when disposed.
/// </summary>
public sealed class InMemorySystem : IDisposable
{
    private readonly string _folder;

    private InMemorySystem(string folder, AdvancedMonitoringSystem system)
    {
        _folder = folder;
        System = system;
    }

    /// <summary>The running system.</summary>
    public AdvancedMonitoringSystem System { get; }

    /// <summary>Starts a system whose data folder is a new temporary folder named after <paramref name="suite"/>.</summary>
    /// <param name="suite">A short name for the folder, e.g. <c>failure</c>.</param>
    public static InMemorySystem Start(string suite)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"maran-bench-{suite}-{Guid.NewGuid():N}");
        var options = new MonitoringOptions();
        options.Monitoring.DataDirectory = folder;
        options.Monitoring.MetricsPort = 0;
        options.Logging.Console = false;
        options.Logging.File = false;
        options.Storage.Enabled = false;
        var system = new AdvancedMonitoringSystem(options);
        system.Start();
        return new InMemorySystem(folder, system);
    }

    /// <summary>Stops the system and deletes its folder.</summary>
    public void Dispose()
    {
        System.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
