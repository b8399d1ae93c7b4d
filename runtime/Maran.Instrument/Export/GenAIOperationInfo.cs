namespace Maran.Instrument;

/// <summary>
/// How a model operation presents itself under the OpenTelemetry GenAI semantic conventions: its span name
/// (<c>"{gen_ai.operation.name} {gen_ai.request.model}"</c>) and the attributes every span and measurement carries.
/// Built once per operation.
/// </summary>
internal sealed class GenAIOperationInfo
{
    /// <summary>The <c>gen_ai.operation.name</c> used when the attribute names none.</summary>
    internal const string DefaultOperation = "chat";

    /// <summary>Marks an operation already found not to be a model operation.</summary>
    internal static readonly GenAIOperationInfo NotModel = new(string.Empty, null, null);

    private GenAIOperationInfo(string operationName, string? provider, string? requestModel, string? nameAttribute = null, string? name = null)
    {
        OperationName = operationName;
        Provider = provider;
        RequestModel = requestModel;
        NameAttribute = nameAttribute;
        Name = name;
        string? subject = name ?? requestModel;
        SpanName = subject is null ? operationName : $"{operationName} {subject}";
    }

    internal string OperationName { get; }

    internal string? Provider { get; }

    internal string? RequestModel { get; }

    internal string SpanName { get; }

    /// <summary>For a tool or agent call, the attribute that names it: <c>gen_ai.tool.name</c> or <c>gen_ai.agent.name</c>.</summary>
    internal string? NameAttribute { get; }

    /// <summary>For a tool or agent call, its name (the span is <c>"{gen_ai.operation.name} {name}"</c>).</summary>
    internal string? Name { get; }

    /// <summary>
    /// The GenAI description of <paramref name="recorder"/>'s operation, or null when it is not a model operation:
    /// one whose attribute names a model, provider or GenAI operation, or whose component is <c>"model"</c>.
    /// </summary>
    internal static GenAIOperationInfo? Describe(OperationRecorder recorder)
    {
        switch (recorder.Kind)
        {
            case OperationKind.Tool:
                return new GenAIOperationInfo(recorder.GenAIOperation ?? "execute_tool", recorder.Provider, null, "gen_ai.tool.name", recorder.Name);
            case OperationKind.Agent:
                return new GenAIOperationInfo(recorder.GenAIOperation ?? "invoke_agent", recorder.Provider, null, "gen_ai.agent.name", recorder.Name);
        }

        bool model = recorder.Model is not null || recorder.Provider is not null || recorder.GenAIOperation is not null
                     || string.Equals(recorder.Component, "model", StringComparison.OrdinalIgnoreCase);
        return model
            ? new GenAIOperationInfo(recorder.GenAIOperation ?? DefaultOperation, recorder.Provider, recorder.Model)
            : null;
    }
}
