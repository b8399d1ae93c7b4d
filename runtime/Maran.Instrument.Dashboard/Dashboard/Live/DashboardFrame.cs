using System.Collections.Concurrent;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// Everything the dashboard shows at one tick, built once a second from one <see cref="DashboardData"/> snapshot.
/// API requests and live clients read the newest frame; a view rendered for a frame is kept with it, so clients
/// looking at the same page share one rendering. A fleet's frame holds one frame per instance, each built from that
/// instance's reading alone: the instance filter narrows every section by rendering it from that frame.
/// </summary>
internal sealed class DashboardFrame(long sequence, DashboardData data, IReadOnlyList<OperationRow> operations, TrendRecorder trends, TrendPoint? point)
{
    private static readonly Dictionary<string, DashboardFrame> s_noInstances = new(StringComparer.Ordinal);

    /// <summary>Views cached per frame at most; beyond that they are rendered for each request.</summary>
    private const int MaxCachedViews = 128;

    private readonly ConcurrentDictionary<string, object> _memo = new(StringComparer.Ordinal);
    private int _cachedViews;

    /// <summary>Increases by one each tick.</summary>
    public long Sequence { get; } = sequence;

    public DashboardData Data { get; } = data;

    /// <summary>Every operation as a table row, with its registry id.</summary>
    public IReadOnlyList<OperationRow> Operations { get; } = operations;

    public TrendRecorder Trends { get; } = trends;

    /// <summary>The newest trend point of every operation together; null until two ticks have passed.</summary>
    public TrendPoint? Point { get; } = point;

    /// <summary>The source the frame was read from; sections read what the frame does not carry through it.</summary>
    public IDashboardSource Source { get; init; } = null!;

    /// <summary>The instance this frame narrows to; null for the whole process or fleet.</summary>
    public string? Instance { get; init; }

    /// <summary>The fleet's instances and rates; null for a single process.</summary>
    public FleetView? Fleet { get; init; }

    /// <summary>One frame per instance of a fleet, by its <c>instance</c> label; empty for a single process.</summary>
    public IReadOnlyDictionary<string, DashboardFrame> Instances { get; init; } = s_noInstances;

    /// <summary>This frame narrowed to <paramref name="instance"/> (itself for null); null when no such instance is known.</summary>
    public DashboardFrame? For(string? instance) =>
        instance is null ? this : Instances.GetValueOrDefault(instance);

    /// <summary>The overview, set once when the frame is built.</summary>
    public OverviewView Overview { get; private set; } = null!;

    /// <summary>The overview as JSON.</summary>
    public byte[] OverviewJson { get; private set; } = [];

    /// <summary>The live tick every client receives when its view has not changed.</summary>
    public byte[] TickJson { get; private set; } = [];

    internal void Complete(OverviewView overview)
    {
        Overview = overview;
        OverviewJson = DashboardJson.Serialize(overview, DashboardJson.Default.OverviewView);
        TickJson = LiveMessages.Tick(this, view: null);
    }

    /// <summary>A value computed once per frame.</summary>
    public T Memo<T>(string key, Func<DashboardFrame, T> factory)
        where T : class =>
        (T)_memo.GetOrAdd(key, static (_, state) => state.factory(state.frame), (factory, frame: this));

    /// <summary>A section's view for a query, rendered once per frame for each distinct query (up to a bound).</summary>
    public RenderedView Render(DashboardSection section, SectionQuery query)
    {
        string key = string.Concat("view:", section.Name, ":", query.Key);
        if (_memo.TryGetValue(key, out object? cached))
        {
            return (RenderedView)cached;
        }

        var view = new RenderedView(Source.Elsewhere(section.Name, this) is { } elsewhere
            ? DashboardJson.Serialize(new ElsewhereView(false, elsewhere), DashboardJson.Default.ElsewhereView)
            : section.Render(this, query));
        if (Interlocked.Increment(ref _cachedViews) <= MaxCachedViews)
        {
            return (RenderedView)_memo.GetOrAdd(key, view);
        }

        return view;
    }
}
