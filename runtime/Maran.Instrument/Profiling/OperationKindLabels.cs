namespace Maran.Instrument.Profiling;

/// <summary>How an <see cref="OperationKind"/> is written where it is shown: the <c>kind</c> label of <c>/metrics</c> and the dashboard.</summary>
internal static class OperationKindLabels
{
    /// <summary><c>operation</c>, <c>model_call</c>, <c>tool</c> or <c>agent</c>.</summary>
    internal static string Label(this OperationKind kind) => kind switch
    {
        OperationKind.ModelCall => "model_call",
        OperationKind.Tool => "tool",
        OperationKind.Agent => "agent",
        _ => "operation",
    };
}
