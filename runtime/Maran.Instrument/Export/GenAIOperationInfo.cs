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

    private GenAIOperationInfo(string operationName, string? provider, string? requestModel)
    {
        OperationName = operationName;
        Provider = provider;
        RequestModel = requestModel;
        SpanName = requestModel is null ? operationName : $"{operationName} {requestModel}";
    }

    internal string OperationName { get; }

    internal string? Provider { get; }

    internal string? RequestModel { get; }

    internal string SpanName { get; }

    /// <summary>
    /// The GenAI description of <paramref name="recorder"/>'s operation, or null when it is not a model operation:
    /// one whose attribute names a model, provider or GenAI operation, or whose component is <c>"model"</c>.
    /// </summary>
    internal static GenAIOperationInfo? Describe(OperationRecorder recorder)
    {
        bool model = recorder.Model is not null || recorder.Provider is not null || recorder.GenAIOperation is not null
                     || string.Equals(recorder.Component, "model", StringComparison.OrdinalIgnoreCase);
        return model
            ? new GenAIOperationInfo(recorder.GenAIOperation ?? DefaultOperation, recorder.Provider, recorder.Model)
            : null;
    }
}
