using System.Collections.Concurrent;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// Everything the dashboard shows at one tick, built once a second from one <see cref="DashboardData"/> snapshot.
/// API requests and live clients read the newest frame; a view rendered for a frame is kept with it, so clients
/// looking at the same page share one rendering.
/// </summary>
internal sealed class DashboardFrame(long sequence, DashboardData data, IReadOnlyList<OperationRow> operations, TrendRecorder trends, TrendPoint? point)
{
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

        var view = new RenderedView(section.Render(this, query));
        if (Interlocked.Increment(ref _cachedViews) <= MaxCachedViews)
        {
            return (RenderedView)_memo.GetOrAdd(key, view);
        }

        return view;
    }
}
