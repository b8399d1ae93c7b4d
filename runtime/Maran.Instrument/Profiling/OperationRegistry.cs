using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel;
using Maran.Instrument.Diagnostics;

namespace Maran.Instrument.Profiling;

/// <summary>
/// The process-wide table of operations. Generated code asks it once per monitored method, from a static field
/// initializer; <see cref="PerformanceProfiler"/> reads it.
/// </summary>
/// <remarks>
/// Registering costs O(1) amortised: recorders go into an array that doubles when full, and readers take a published
/// (array, count) view without a lock. Operations of the source code (attributes, generated interceptors, this class's
/// <c>GetOrAdd</c>) are always admitted: their number is bounded by the program. Names given at run time to the manual
/// API (<see cref="PerformanceProfiler.Operation"/>, <see cref="PerformanceProfiler.StartOperation"/>) are admitted
/// while fewer than <c>monitoring.max_operations</c> operations (4,096 by default, applied when a monitoring system
/// starts) have been created that way; past that, each is folded into the operation <see cref="OverflowName"/> of its
/// component. So the registry holds at most the source code's operations, <c>max_operations</c> names, and one
/// overflow operation per component.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class OperationRegistry
{
    /// <summary>The operation that counts, per component, the calls of names past <c>monitoring.max_operations</c>.</summary>
    public const string OverflowName = "(other)";

    /// <summary>Default of <c>monitoring.max_operations</c>.</summary>
    internal const int DefaultMaxOperations = 4096;

    /// <summary>The <c>maran_dropped_total</c> queue label under which folded names are counted.</summary>
    internal const string FoldedQueue = "operations";

    // Folded names are remembered (as 64-bit hashes) to count each once; past this many, memory stays bounded and
    // a name not remembered is counted again each time it is first looked up after the cut.
    private const int RememberedFoldedNames = 65_536;

    private static readonly object s_gate = new();
    private static readonly ConcurrentDictionary<(string Component, string Name), OperationRecorder> s_byKey = new();
    private static readonly HashSet<string> s_components = new(StringComparer.Ordinal);
    private static readonly HashSet<ulong> s_folded = [];
    private static View s_view = new([], 0);
    private static int s_maxOperations = DefaultMaxOperations;
    private static long s_foldedNames;
    private static int s_createdByName;

    /// <summary>How many operations exist.</summary>
    public static int Count => Volatile.Read(ref s_view).Count;

    /// <summary>Every operation, in the order they were first registered.</summary>
    public static IReadOnlyList<OperationRecorder> All => Volatile.Read(ref s_view);

    /// <summary>
    /// Most operations the manual API creates before further names are folded (<c>monitoring.max_operations</c>, 4,096
    /// unless a started monitoring system set another). Operations of the source code are not counted against it.
    /// </summary>
    public static int MaxOperations
    {
        get => Volatile.Read(ref s_maxOperations);
        internal set => Volatile.Write(ref s_maxOperations, Math.Max(1, value));
    }

    /// <summary>
    /// How many distinct names the manual API folded into <see cref="OverflowName"/> operations, the same count as
    /// <c>maran_dropped_total{queue="operations"}</c>.
    /// </summary>
    public static long FoldedNames => Interlocked.Read(ref s_foldedNames);

    /// <summary>
    /// The recorder of operation <paramref name="name"/> in <paramref name="component"/>, created on first use.
    /// Two methods monitored under the same name and component share one recorder.
    /// </summary>
    /// <param name="name">The operation's name.</param>
    /// <param name="component">The operation's component.</param>
    /// <param name="method">The monitored method, for display; the first registration's value is kept.</param>
    /// <param name="model">The model named on the attribute, if any; the first registration's value is kept.</param>
    public static OperationRecorder GetOrAdd(string name, string component, string? method = null, string? model = null) =>
        GetOrAdd(name, component, method, model, provider: null, genAIOperation: null);

    /// <summary>
    /// The recorder of a model operation: as <see cref="GetOrAdd(string, string, string?, string?)"/>, also carrying the
    /// provider and GenAI operation name its spans and <c>gen_ai.*</c> metrics report.
    /// </summary>
    /// <param name="name">The operation's name.</param>
    /// <param name="component">The operation's component.</param>
    /// <param name="method">The monitored method, for display; the first registration's value is kept.</param>
    /// <param name="model">The model named on the attribute, if any; the first registration's value is kept.</param>
    /// <param name="provider">The provider named on the attribute (<c>gen_ai.provider.name</c>), if any.</param>
    /// <param name="genAIOperation">The GenAI operation named on the attribute (<c>gen_ai.operation.name</c>), if any.</param>
    public static OperationRecorder GetOrAdd(string name, string component, string? method, string? model, string? provider, string? genAIOperation)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(component);
        if (s_byKey.TryGetValue((component, name), out OperationRecorder? existing))
        {
            return existing;
        }

        lock (s_gate)
        {
            return s_byKey.TryGetValue((component, name), out OperationRecorder? recorder)
                ? recorder
                : Add(name, component, method, model, provider, genAIOperation);
        }
    }

    /// <summary>
    /// The recorder of a model, tool or agent call, created on first use: generated code asks for it once per call site
    /// (model calls), per tool (tools) or per run (agents, whose name is known only then).
    /// </summary>
    /// <param name="kind">What the recorder measures; <see cref="OperationKind.Operation"/> is not a call kind.</param>
    /// <param name="name">The call's name: the API (<c>IChatClient.GetResponseAsync</c>), the tool's or the agent's name.</param>
    /// <param name="component">The API family or provider (<c>openai</c>, <c>microsoft.extensions.ai</c>), <c>tools</c> or <c>agents</c>.</param>
    /// <param name="method">The called method, for display.</param>
    /// <param name="provider">The provider (<c>gen_ai.provider.name</c>), when the API names one.</param>
    /// <param name="genAIOperation">The GenAI operation (<c>gen_ai.operation.name</c>): chat, embeddings, execute_tool, invoke_agent...</param>
    public static OperationRecorder GetOrAddCall(OperationKind kind, string name, string component, string? method, string? provider, string genAIOperation)
    {
        if (kind == OperationKind.Operation)
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "an operation is not a call kind");
        }

        OperationRecorder recorder = GetOrAdd(name, component, method, model: null, provider, genAIOperation);
        recorder.Kind = kind;
        return recorder;
    }

    /// <summary>The recorder of an existing operation, or null.</summary>
    public static OperationRecorder? Find(string name, string component) =>
        s_byKey.GetValueOrDefault((component, name));

    /// <summary>Operations the manual API has created: what <see cref="MaxOperations"/> bounds.</summary>
    internal static int CreatedByName => Volatile.Read(ref s_createdByName);

    /// <summary>
    /// The recorder of a name given at run time (the manual API): created while fewer than <see cref="MaxOperations"/>
    /// operations were created this way, else the component's <see cref="OverflowName"/> operation, with the folded
    /// name counted once in <c>maran_dropped_total{queue="operations"}</c>.
    /// </summary>
    internal static OperationRecorder GetOrAddByName(string name, string component)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(component);
        if (s_byKey.TryGetValue((component, name), out OperationRecorder? existing))
        {
            return existing;
        }

        lock (s_gate)
        {
            if (s_byKey.TryGetValue((component, name), out OperationRecorder? recorder))
            {
                return recorder;
            }

            if (s_createdByName >= MaxOperations)
            {
                return Fold(name, component);
            }

            Volatile.Write(ref s_createdByName, s_createdByName + 1);
            return Add(name, component, null, null, null, null);
        }
    }

    internal static OperationRecorder? ById(int id)
    {
        View view = Volatile.Read(ref s_view);
        return (uint)id < (uint)view.Count ? view.Items[id] : null;
    }

    // Under s_gate. The new recorder is written past the published count (no reader looks there), then a view that
    // includes it is published; the array is replaced only when full, by one twice its size.
    private static OperationRecorder Add(string name, string component, string? method, string? model, string? provider, string? genAIOperation)
    {
        View view = s_view;
        OperationRecorder[] items = view.Items;
        if (view.Count == items.Length)
        {
            Array.Resize(ref items, Math.Max(16, items.Length * 2));
        }

        var recorder = new OperationRecorder(view.Count, name, component, method, model, provider, genAIOperation);
        items[view.Count] = recorder;
        Volatile.Write(ref s_view, new View(items, view.Count + 1));
        s_byKey[(component, name)] = recorder;
        s_components.Add(component);
        return recorder;
    }

    // Under s_gate. A component the registry does not know yet is itself folded, so the overflow operations are
    // bounded too: at most one per known component, plus one for unknown components.
    private static OperationRecorder Fold(string name, string component)
    {
        string into = s_components.Contains(component) ? component : OverflowName;
        ulong hash = Hash(component, name);
        if (!s_folded.Contains(hash))
        {
            if (s_folded.Count < RememberedFoldedNames)
            {
                s_folded.Add(hash);
            }

            Interlocked.Increment(ref s_foldedNames);
            MonitoringDiagnostics.Drop(
                FoldedQueue,
                static () => $"[maran] more than {MaxOperations} operations (monitoring.max_operations): further names given to the manual API are counted " +
                    $"together as '{OverflowName}' in their component, and each folded name in maran_dropped_total{{queue=\"{FoldedQueue}\"}} (reported once)");
        }

        return s_byKey.TryGetValue((into, OverflowName), out OperationRecorder? overflow)
            ? overflow
            : Add(OverflowName, into, null, null, null, null);
    }

    // FNV-1a over both strings, 64 bits: collisions among folded names are negligible at the remembered count.
    private static ulong Hash(string component, string name)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in component)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash = (hash ^ 0xFFFF) * 1099511628211UL;
        foreach (char c in name)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>The first <see cref="Count"/> recorders of a shared array: what a reader sees, never changed once published.</summary>
    private sealed class View(OperationRecorder[] items, int count) : IReadOnlyList<OperationRecorder>
    {
        public OperationRecorder[] Items { get; } = items;

        public int Count { get; } = count;

        public OperationRecorder this[int index] => (uint)index < (uint)Count ? Items[index] : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<OperationRecorder> GetEnumerator()
        {
            for (int i = 0; i < Count; i++)
            {
                yield return Items[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
