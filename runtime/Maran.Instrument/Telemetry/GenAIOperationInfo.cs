using System.Collections.Concurrent;
using System.Diagnostics;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Telemetry;

/// <summary>
/// How a model operation presents itself under the OpenTelemetry GenAI semantic conventions: its span name
/// (<c>"{gen_ai.operation.name} {gen_ai.request.model}"</c>, <c>"execute_tool {gen_ai.tool.name}"</c>,
/// <c>"invoke_agent {gen_ai.agent.name}"</c>), its span kind, and the attributes every span and measurement carries.
/// Built once per operation.
/// </summary>
internal sealed class GenAIOperationInfo
{
    /// <summary>The <c>gen_ai.operation.name</c> used when the attribute names none.</summary>
    internal const string DefaultOperation = "chat";

    /// <summary>Marks an operation already found not to be a model operation.</summary>
    internal static readonly GenAIOperationInfo NotModel = new(OperationKind.Operation, string.Empty, null, null);

    // Span names of the request models a client names at run time (its metadata's default model): one string per model.
    private readonly ConcurrentDictionary<string, string> _spanNames = new(StringComparer.Ordinal);

    // The attributes a span starts with, for the request model the attribute names (or none) and per run-time request model.
    private KeyValuePair<string, object?>[]? _startTags;
    private readonly ConcurrentDictionary<string, KeyValuePair<string, object?>[]> _startTagsByModel = new(StringComparer.Ordinal);

    private GenAIOperationInfo(OperationKind kind, string operationName, string? provider, string? requestModel, string? nameAttribute = null, string? name = null)
    {
        Kind = kind;
        OperationName = operationName;
        Provider = provider;
        RequestModel = requestModel;
        NameAttribute = nameAttribute;
        Name = name;
        string? subject = name ?? requestModel;
        SpanName = subject is null ? operationName : $"{operationName} {subject}";
    }

    /// <summary>What the operation is: a model call (or a monitored model operation), a tool execution or an agent run.</summary>
    internal OperationKind Kind { get; }

    internal string OperationName { get; }

    internal string? Provider { get; }

    internal string? RequestModel { get; }

    internal string SpanName { get; }

    /// <summary>
    /// The spec's span kind: <see cref="ActivityKind.Internal"/> for <c>execute_tool</c> and for <c>invoke_agent</c>
    /// (the agents measured run in the process), <see cref="ActivityKind.Client"/> for model calls.
    /// </summary>
    internal ActivityKind SpanKind => Kind is OperationKind.Tool or OperationKind.Agent ? ActivityKind.Internal : ActivityKind.Client;

    /// <summary>For a tool or agent call, the attribute that names it: <c>gen_ai.tool.name</c> or <c>gen_ai.agent.name</c>.</summary>
    internal string? NameAttribute { get; }

    /// <summary>For a tool or agent call, its name (the span is <c>"{gen_ai.operation.name} {name}"</c>).</summary>
    internal string? Name { get; }

    /// <summary>The span name of one call whose request model is <paramref name="requestModel"/> (known only at run time), else <see cref="SpanName"/>.</summary>
    internal string SpanNameFor(string? requestModel) =>
        requestModel is null || Name is not null || RequestModel is not null
            ? SpanName
            : _spanNames.GetOrAdd(requestModel, static (model, operation) => $"{operation} {model}", OperationName);

    /// <summary>
    /// The attributes a span of <paramref name="recorder"/>'s calls starts with: <c>maran.operation</c>, <c>maran.component</c>,
    /// <c>gen_ai.operation.name</c>, <c>gen_ai.provider.name</c>, <c>gen_ai.request.model</c> and the tool or agent name.
    /// Built once per request model and handed to the span at its creation, where they are added without the lock
    /// and the search each later <see cref="Activity.SetTag"/> takes (and where a sampler sees them).
    /// </summary>
    internal KeyValuePair<string, object?>[] StartTags(OperationRecorder recorder, string? requestModel)
    {
        if (requestModel is null || RequestModel is not null)
        {
            return _startTags ??= BuildStartTags(recorder, RequestModel);
        }

        return _startTagsByModel.GetOrAdd(requestModel, static (model, state) => state.Info.BuildStartTags(state.Recorder, model), (Info: this, Recorder: recorder));
    }

    private KeyValuePair<string, object?>[] BuildStartTags(OperationRecorder recorder, string? requestModel)
    {
        var tags = new List<KeyValuePair<string, object?>>(6)
        {
            new("maran.operation", recorder.Name),
            new("maran.component", recorder.Component),
            new("gen_ai.operation.name", OperationName),
        };
        if (Provider is not null)
        {
            tags.Add(new("gen_ai.provider.name", Provider));
        }

        if (requestModel is not null)
        {
            tags.Add(new("gen_ai.request.model", requestModel));
        }

        if (NameAttribute is not null)
        {
            tags.Add(new(NameAttribute, Name));
        }

        return [.. tags];
    }

    /// <summary>
    /// The GenAI description of <paramref name="recorder"/>'s operation, or null when it is not a model operation:
    /// one whose attribute names a model, provider or GenAI operation, or whose component is <c>"model"</c>.
    /// </summary>
    internal static GenAIOperationInfo? Describe(OperationRecorder recorder)
    {
        switch (recorder.Kind)
        {
            case OperationKind.Tool:
                return new GenAIOperationInfo(OperationKind.Tool, recorder.GenAIOperation ?? "execute_tool", recorder.Provider, null, "gen_ai.tool.name", recorder.Name);
            case OperationKind.Agent:
                return new GenAIOperationInfo(OperationKind.Agent, recorder.GenAIOperation ?? "invoke_agent", recorder.Provider, null, "gen_ai.agent.name", recorder.Name);
        }

        bool model = recorder.Kind == OperationKind.ModelCall || recorder.Model is not null || recorder.Provider is not null || recorder.GenAIOperation is not null
                     || string.Equals(recorder.Component, "model", StringComparison.OrdinalIgnoreCase);
        return model
            ? new GenAIOperationInfo(OperationKind.ModelCall, recorder.GenAIOperation ?? DefaultOperation, recorder.Provider, recorder.Model)
            : null;
    }
}
