using System.Collections.Concurrent;

namespace Maran.Instrument.Profiling;

/// <summary>
/// Parent-to-child edges between operations, recorded when call trees are enabled
/// (<c>monitoring.call_tree: true</c>): how often an operation ran inside another, and for how long.
/// </summary>
internal static class CallTree
{
    /// <summary>Parent id of operations that ran outside any other.</summary>
    internal const int Root = -1;

    private static readonly ConcurrentDictionary<(int Parent, int Child), Edge> s_edges = new();

    internal static void Record(OperationRecorder? parent, OperationRecorder child, long elapsedTicks)
    {
        Edge edge = s_edges.GetOrAdd((parent?.Id ?? Root, child.Id), static _ => new Edge());
        Interlocked.Increment(ref edge.Count);
        if (elapsedTicks > 0)
        {
            Interlocked.Add(ref edge.TotalTicks, elapsedTicks);
        }
    }

    /// <summary>Every edge seen so far.</summary>
    internal static IEnumerable<(int Parent, int Child, long Count, long TotalTicks)> Edges() =>
        s_edges.Select(static e => (e.Key.Parent, e.Key.Child, Volatile.Read(ref e.Value.Count), Volatile.Read(ref e.Value.TotalTicks)));

    private sealed class Edge
    {
        internal long Count;
        internal long TotalTicks;
    }
}
