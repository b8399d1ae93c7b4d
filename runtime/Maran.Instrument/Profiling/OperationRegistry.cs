using System.Collections.Concurrent;
using System.ComponentModel;

namespace Maran.Instrument;

/// <summary>
/// The process-wide table of operations. Generated code asks it once per monitored method, from a static field
/// initializer; <see cref="PerformanceProfiler"/> reads it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class OperationRegistry
{
    private static readonly object s_gate = new();
    private static readonly ConcurrentDictionary<(string Component, string Name), OperationRecorder> s_byKey = new();
    private static OperationRecorder[] s_all = [];

    /// <summary>How many operations exist.</summary>
    public static int Count => Volatile.Read(ref s_all).Length;

    /// <summary>Every operation, in the order they were first registered.</summary>
    public static IReadOnlyList<OperationRecorder> All => Volatile.Read(ref s_all);

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
            if (!s_byKey.TryGetValue((component, name), out OperationRecorder? recorder))
            {
                recorder = new OperationRecorder(s_all.Length, name, component, method, model, provider, genAIOperation);
                Volatile.Write(ref s_all, [.. s_all, recorder]);
                s_byKey[(component, name)] = recorder;
            }

            return recorder;
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

    internal static OperationRecorder? ById(int id)
    {
        OperationRecorder[] all = Volatile.Read(ref s_all);
        return (uint)id < (uint)all.Length ? all[id] : null;
    }
}
