using System.Diagnostics;
using System.Net.WebSockets;
using Maran.Instrument.Configuration;
using Maran.Instrument.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// The heart of the dashboard: once a second it takes one snapshot of the monitoring system, turns it into a
/// <see cref="DashboardFrame"/> (trends included) and offers each live client its tick. Offering never waits, so a
/// slow client costs the others nothing; it is dropped instead. When a tick costs more than a fifth of the interval
/// (tens of thousands of operations), the interval grows, up to <see cref="MaxIntervalMs"/>: the dashboard never
/// takes more than about a fifth of one core from the program it watches.
/// </summary>
internal sealed class DashboardHub : IAsyncDisposable
{
    /// <summary>Milliseconds between ticks at least: live updates come at most this often.</summary>
    internal const int IntervalMs = 1000;

    /// <summary>Milliseconds between ticks at most, however costly a tick is.</summary>
    internal const int MaxIntervalMs = 10_000;

    /// <summary>A tick may take this fraction of the interval at most before the interval grows.</summary>
    private const int CostFactor = 5;

    private readonly AdvancedMonitoringSystem _system;
    private readonly IDashboardSource _source;
    private readonly DashboardSettings _settings;
    private readonly TimeProvider _time;
    private readonly TrendRecorder _trends;
    private readonly TraceCollector? _traces;
    private readonly Dictionary<string, DashboardSection> _sectionsByName;
    private readonly OverviewSection _overview;
    private readonly object _gate = new();
    private readonly object _tickGate = new();
    private LiveClient[] _clients = [];
    private readonly List<Task> _sessions = [];
    private CancellationTokenSource? _stopping;
    private Task? _loop;
    private DashboardFrame? _current;
    private long _sequence;
    private long _droppedClients;
    private readonly AuthFailures? _authFailures;

    /// <summary>Creates the hub of <paramref name="system"/>, its numbers read from <paramref name="source"/> (the system itself when null).</summary>
    public DashboardHub(AdvancedMonitoringSystem system, DashboardSettings settings, TimeProvider time, AuthFailures? authFailures = null, IDashboardSource? source = null)
    {
        _system = system;
        _source = source ?? new ProcessSource(system);
        _authFailures = authFailures;
        _settings = settings;
        _time = time;
        _trends = new TrendRecorder(settings.TrendMinutes * 60, settings.TrendOperations);
        _traces = settings.Traces ? new TraceCollector(settings.MaxTraces, settings.TracesPerSecond, time) : null;
        var health = new HealthSection(_source, system.HealthMonitor, system.Options.Monitoring, system.Telemetry, () => system.Alerts.Rules);
        var costs = new CostsSection(system, _source);
        _overview = new OverviewSection(system, health, costs);
        Sections =
        [
            _overview,
            new PerformanceSection(settings.TrendOperations, system.Telemetry, () => system.Alerts.Rules),
            health,
            new ErrorsSection(system),
            costs,
            new LogsSection(system.Logs, system.Options),
            new AlertsSection(system, time),
            new AgentsSection(system),
            new TracesSection(_traces, settings.MaxTraces),
        ];
        _sectionsByName = Sections.ToDictionary(static s => s.Name, StringComparer.Ordinal);
    }

    /// <summary>The monitoring system shown.</summary>
    public AdvancedMonitoringSystem System => _system;

    /// <summary>
    /// The source <c>dashboard.source</c> names: a <see cref="PrometheusSource"/> on <c>dashboard.prometheus_url</c>, or
    /// null for the system itself. The settings are validated before.
    /// </summary>
    public static IDashboardSource? SourceOf(AdvancedMonitoringSystem system, TimeProvider time) =>
        system.Options.Dashboard is { Source: DashboardSource.Prometheus, PrometheusUrl: { } url }
            ? new PrometheusSource(new Uri(url), system.Options, time)
            : null;

    /// <summary>Where the numbers come from; the hub disposes it when it stops.</summary>
    public IDashboardSource Source => _source;

    /// <summary>Every section, in navigation order.</summary>
    public IReadOnlyList<DashboardSection> Sections { get; }

    /// <summary>The trends kept so far.</summary>
    public TrendRecorder Trends => _trends;

    /// <summary>The newest frame; the first is built by <see cref="Start"/>.</summary>
    public DashboardFrame Current => Volatile.Read(ref _current) ?? Tick();

    /// <summary>Live clients connected now.</summary>
    public int ClientCount => Volatile.Read(ref _clients).Length;

    /// <summary>Live clients dropped so far for falling behind.</summary>
    public long DroppedClients => Interlocked.Read(ref _droppedClients);

    /// <summary>A section by its route name, or null.</summary>
    public DashboardSection? Section(string name) => _sectionsByName.GetValueOrDefault(name);

    /// <summary>Builds the first frame and starts ticking once a second.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_loop is not null)
            {
                return;
            }

            _stopping = new CancellationTokenSource();
            Tick();
            _loop = RunAsync(_stopping.Token);
        }
    }

    /// <summary>Stops ticking, closes every live client and stops collecting traces.</summary>
    public async Task StopAsync()
    {
        Task? loop;
        CancellationTokenSource? stopping;
        Task[] sessions;
        lock (_gate)
        {
            loop = _loop;
            stopping = _stopping;
            _loop = null;
            _stopping = null;
            sessions = [.. _sessions];
        }

        if (stopping is not null)
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await loop!.ConfigureAwait(false);
            foreach (LiveClient client in Volatile.Read(ref _clients))
            {
                client.Complete();
            }

            await Task.WhenAny(Task.WhenAll(sessions), Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
            foreach (LiveClient client in Volatile.Read(ref _clients))
            {
                client.Drop();
            }

            stopping.Dispose();
        }

        _traces?.Dispose();
        (_source as IDisposable)?.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>
    /// Takes one snapshot, publishes it as the current frame and offers every live client its tick. Called once a
    /// second by the loop; never waits on a client.
    /// </summary>
    internal DashboardFrame Tick()
    {
        lock (_tickGate)
        {
            return TickLocked();
        }
    }

    private DashboardFrame TickLocked()
    {
        DashboardReading reading = _source.Read(null);
        _trends.Record(_time.GetUtcNow(), reading.Samples);
        DashboardFrame frame = Build(Interlocked.Increment(ref _sequence), reading, _trends.Latest());
        Volatile.Write(ref _current, frame);
        Push(frame);
        return frame;
    }

    /// <summary>
    /// A frame read at <paramref name="at"/> for one request (a source that reads the past evaluates its queries then);
    /// it adds nothing to the trends and is never pushed to live clients.
    /// </summary>
    internal DashboardFrame At(DateTimeOffset at) => Build(Current.Sequence, _source.Read(at), point: null);

    private DashboardFrame Build(long sequence, DashboardReading reading, TrendPoint? point)
    {
        var clients = new ClientsView(ClientCount, DroppedClients, _authFailures?.Failed ?? 0, _authFailures?.Limited ?? 0);
        var instances = new Dictionary<string, DashboardFrame>(reading.ByInstance.Count, StringComparer.Ordinal);
        foreach ((string name, DashboardReading alone) in reading.ByInstance)
        {
            var narrowed = new DashboardFrame(sequence, alone.Data, alone.Rows, _trends, PointOf(alone, sequence, point))
            {
                Source = _source,
                Instance = name,
                Fleet = alone.Fleet,
            };
            Complete(narrowed, clients);
            instances[name] = narrowed;
        }

        var frame = new DashboardFrame(sequence, reading.Data, reading.Rows, _trends, PointOf(reading, sequence, point))
        {
            Source = _source,
            Fleet = reading.Fleet,
            Instances = instances,
        };
        Complete(frame, clients);
        return frame;
    }

    /// <summary>
    /// A fleet's reading brings its own point (null when Prometheus did not answer), numbered as the frame; a process's
    /// is the recorder's.
    /// </summary>
    private static TrendPoint? PointOf(DashboardReading reading, long sequence, TrendPoint? recorded) =>
        reading.Fleet is null ? recorded : reading.Point is { } own ? own with { Sequence = sequence } : null;

    private void Complete(DashboardFrame frame, ClientsView clients)
    {
        SectionInfo[] sections = [.. Sections.Select(s => s.Describe(frame))];
        frame.Complete(_overview.Build(frame, sections, clients));
    }

    /// <summary>Serves one WebSocket request until the client leaves or the dashboard stops.</summary>
    public async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await DashboardResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "This address serves live updates over WebSocket only.").ConfigureAwait(false);
            return;
        }

        CancellationToken stopping;
        lock (_gate)
        {
            if (_stopping is null)
            {
                stopping = default;
            }
            else
            {
                stopping = _stopping.Token;
            }
        }

        if (stopping == default || ClientCount >= _settings.MaxClients)
        {
            await DashboardResponses.ErrorAsync(
                context,
                StatusCodes.Status503ServiceUnavailable,
                stopping == default ? "The dashboard is stopping." : $"The dashboard serves {_settings.MaxClients} live clients at most (dashboard.max_clients).").ConfigureAwait(false);
            return;
        }

        string? instance = context.Request.Query["instance"] is { Count: > 0 } named && !string.IsNullOrWhiteSpace(named[0]) ? named[0] : null;
        WebSocket socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        await ServeAsync(socket, stopping, instance).ConfigureAwait(false);
    }

    /// <summary>
    /// Serves an accepted WebSocket as a live client until it leaves, is dropped or the dashboard stops; every view it
    /// is sent is narrowed to <paramref name="instance"/> when that names one of a fleet's instances.
    /// </summary>
    internal async Task ServeAsync(WebSocket socket, CancellationToken stopping, string? instance = null)
    {
        var client = new LiveClient(socket, this, instance);
        DashboardFrame current = client.Narrow(Current);
        byte[] hello = LiveMessages.Hello(current, current.Overview.Sections, IntervalMs, _source.Identity);
        Task session;
        lock (_gate)
        {
            _clients = [.. _clients, client];
            session = client.RunAsync(hello, stopping);
            _sessions.Add(session);
        }

        try
        {
            await session.ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _clients = [.. _clients.Where(c => !ReferenceEquals(c, client))];
                _sessions.Remove(session);
            }
        }
    }

    /// <summary>Drops a client that fell behind, counting it.</summary>
    internal void DropSlow(LiveClient client)
    {
        if (!client.Dropped)
        {
            client.Drop();
            Interlocked.Increment(ref _droppedClients);
            MonitoringDiagnostics.Drop("dashboard live client");
        }
    }

    private void Push(DashboardFrame frame)
    {
        foreach (LiveClient client in Volatile.Read(ref _clients))
        {
            if (client.Dropped)
            {
                continue;
            }

            byte[] message = client.ComposeTick(frame);
            if (!client.Offer(message))
            {
                DropSlow(client);
            }
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(IntervalMs), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                long started = Stopwatch.GetTimestamp();
                try
                {
                    Tick();
                }
                catch (Exception ex)
                {
                    MonitoringDiagnostics.InternalError("dashboard", ex);
                }

                double cost = Stopwatch.GetElapsedTime(started).TotalMilliseconds * CostFactor;
                timer.Period = TimeSpan.FromMilliseconds(Math.Clamp(cost, IntervalMs, MaxIntervalMs));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }
}
