namespace Maran.Instrument.Profiling;

/// <summary>What a recorder measures: an operation of the application, or a model, tool or agent call the generator found.</summary>
public enum OperationKind
{
    /// <summary>A monitored method of the application (<see cref="MonitorOperationAttribute"/>, <see cref="MonitorComponentAttribute"/>) or a manual operation.</summary>
    Operation,

    /// <summary>A call of a model API (chat, embeddings, text completion, content generation), measured where it is made.</summary>
    ModelCall,

    /// <summary>An AI tool invoked by a model or agent (<c>gen_ai.operation.name = execute_tool</c>).</summary>
    Tool,

    /// <summary>An agent run (<c>gen_ai.operation.name = invoke_agent</c>).</summary>
    Agent,
}
