using System.Collections.Concurrent;
using Maran.Instrument.Alerts;
using Maran.Instrument.Configuration;
using Maran.Instrument.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Maran.Instrument.Tests.Alerts;

/// <summary>
/// An alert engine on a fake clock, with its database in a temporary folder of its own and a channel that keeps
/// every notification it receives. Console and file channels are off unless a test turns them on.
/// </summary>
internal sealed class AlertTestEngine : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public AlertTestEngine(Action<MonitoringOptions>? configure = null, DateTimeOffset? start = null)
    {
        Directory.CreateDirectory(Folder);
        Time = new FakeTimeProvider(start ?? new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        Options = new MonitoringOptions();
        Options.Monitoring.DataDirectory = Path.Combine(Folder, "data");
        Options.Monitoring.LogsDirectory = Path.Combine(Folder, "logs");
        Options.Alerts.EvaluationInterval = Interval;
        Options.Alerts.DefaultRules = false;
        Options.Alerts.Channels.Console.Enabled = false;
        Options.Alerts.Channels.File.Enabled = false;
        configure?.Invoke(Options);
        Database = new MaranDatabase(Options, Time);
        Engine = new AlertEngine(Options, new AlertHistoryStore(Database), Time, FeatureContributions.From([new EmailFeature()]).AlertChannels);
        Engine.ExtraChannels.Add(Recorder);
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "maran-alerts-" + Guid.NewGuid().ToString("N"));

    public FakeTimeProvider Time { get; }

    public MonitoringOptions Options { get; }

    public MaranDatabase Database { get; }

    public AlertEngine Engine { get; }

    public RecordingChannel Recorder { get; } = new();

    public void Start()
    {
        Assert.Empty(Options.Validate());
        Database.Start();
        Engine.Start();
    }

    /// <summary>Moves the clock on by one evaluation interval, which runs one evaluation.</summary>
    public void Tick(int intervals = 1)
    {
        for (int i = 0; i < intervals; i++)
        {
            Time.Advance(Interval);
        }
    }

    /// <summary>Sets a custom metric, then lets one evaluation run.</summary>
    public void Feed(string metric, double value, int intervals = 1)
    {
        Engine.SetCustomMetric(metric, value);
        Tick(intervals);
    }

    public Task FlushAsync() => Engine.FlushAsync().WaitAsync(Patience);

    public AlertState? StateOf(string rule) =>
        Engine.GetActiveAlerts().FirstOrDefault(a => a.RuleName == rule)?.State;

    public void Dispose()
    {
        Engine.Stop();
        Database.Stop();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A channel that keeps what it receives, and can be told to fail.</summary>
    internal sealed class RecordingChannel : IAlertChannel
    {
        public ConcurrentQueue<AlertNotification> Received { get; } = new();

        public string Name => "recorder";

        public AlertDeliveryPolicy Policy { get; set; } = new(TimeSpan.FromSeconds(5), 0, TimeSpan.Zero);

        public TimeSpan? ResendInterval => null;

        public IReadOnlyList<string> Secrets => [];

        public IReadOnlyList<(string Status, string Fingerprints)> Statuses =>
            [.. Received.Select(n => (n.Status, string.Join(",", n.Alerts.Select(a => a.Fingerprint))))];

        public Task DeliverAsync(AlertNotification notification, CancellationToken cancellationToken)
        {
            Received.Enqueue(notification);
            return Task.CompletedTask;
        }

        public void Dispose()
        {
        }
    }
}
