using Maran.Instrument.Profiling;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// One page of the performance table, the bottlenecks, the call tree and the selected operation. Bounded: one
/// page of rows, a few bottlenecks, the heaviest call-tree edges.
/// </summary>
internal sealed record PerformanceView(
    int Total,
    int Page,
    int Size,
    string Sort,
    bool Descending,
    string Filter,
    IReadOnlyList<OperationRow> Rows,
    IReadOnlyList<BottleneckView> ByTotalTime,
    IReadOnlyList<BottleneckView> ByP99,
    CallTreeView CallTree,
    TrendCoverageView Trends,
    SelectedOperationView? Selected);

/// <summary>An operation among the heaviest: by its share of all time spent, or by its 99th percentile.</summary>
internal sealed record BottleneckView(int Id, string Name, string Component, double TotalMs, double Share, double P99Ms, long Count);

/// <summary>The heaviest parent-to-child edges between operations, when call trees are on; <see cref="More"/> were left out.</summary>
internal sealed record CallTreeView(bool Enabled, IReadOnlyList<CallTreeEdge> Edges, int More);

/// <summary>How many operations keep a trend of their own, the limit, and how many active ones keep none for it.</summary>
internal sealed record TrendCoverageView(int Tracked, int Limit, int UntrackedActive, int Capacity);

/// <summary>The selected operation: its row (whatever the page), its newest trend point, and its series an anomaly rule watches, for its charts.</summary>
internal sealed record SelectedOperationView(OperationRow Row, bool HasTrend, OperationTrendPoint? Point, IReadOnlyList<AnomalySeriesView> Anomalies);
