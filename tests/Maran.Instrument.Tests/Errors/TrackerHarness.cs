using Maran.Instrument.Configuration;
using Maran.Instrument.Costs;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Errors;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Maran.Instrument.Tests.Errors;

/// <summary>
/// The error and cost trackers over a real SQLite file in a temporary folder of their own, on a fake clock, as the
/// monitoring system wires them. <see cref="Restart"/> builds new trackers over the same file, as a new process would.
/// </summary>
internal sealed class TrackerHarness : IDisposable
{
    public static readonly DateTimeOffset Epoch = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public TrackerHarness(Action<MonitoringOptions>? configure = null, Func<TimeSpan>? cpuTime = null, DateTimeOffset? now = null, IGpuUtilizationSource? gpus = null)
    {
        Time = new FakeTimeProvider(now ?? Epoch);
        Directory.CreateDirectory(Folder);
        Options = new MonitoringOptions();
        Options.Monitoring.DataDirectory = Folder;
        configure?.Invoke(Options);
        CpuTime = cpuTime;
        Gpus = gpus;
        Create();
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "maran-trackers-" + Guid.NewGuid().ToString("N"));

    public MonitoringOptions Options { get; }

    public FakeTimeProvider Time { get; }

    public Func<TimeSpan>? CpuTime { get; }

    public IGpuUtilizationSource? Gpus { get; }

    public MaranDatabase Database { get; private set; } = null!;

    public ErrorTracker Errors { get; private set; } = null!;

    public CostTracker Costs { get; private set; } = null!;

    public string DatabasePath => Database.Path;

    public TrackerHarness Start()
    {
        ((IMonitoringService)Database).Start();
        ((IMonitoringService)Errors).Start();
        ((IMonitoringService)Costs).Start();
        return this;
    }

    /// <summary>Stops as the monitoring system does: trackers first (they flush into the database), then the database.</summary>
    public void Stop()
    {
        ((IMonitoringService)Costs).Stop();
        ((IMonitoringService)Errors).Stop();
        ((IMonitoringService)Database).Stop();
    }

    /// <summary>Stops, then starts new trackers over the same database file, as a restarted process would.</summary>
    public TrackerHarness Restart()
    {
        Stop();
        Create();
        return Start();
    }

    public async Task FlushAsync()
    {
        await Errors.FlushAsync().WaitAsync(Patience);
        await Costs.FlushAsync().WaitAsync(Patience);
    }

    public long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        Stop();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Create()
    {
        Database = new MaranDatabase(Options, Time);
        Errors = new ErrorTracker(Options, new ErrorStore(Database), Time);
        Costs = new CostTracker(Options, new CostStore(Database), Time, CpuTime, Gpus, static encoding => new TokenEstimator(encoding));
    }
}
