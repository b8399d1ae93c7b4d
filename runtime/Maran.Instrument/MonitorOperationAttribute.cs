namespace Maran.Instrument;

/// <summary>
/// Monitors every call of the method it marks: the source generator replaces each call site in the
/// compilation with an interceptor that times the call, counts it and records its outcome.
/// </summary>
/// <remarks>
/// <paramref name="name"/> and <paramref name="component"/> become metric labels, so they must be
/// constants made of letters, digits, '_', '.', '-' or '/'. Calls the generator cannot reach
/// (delegates, method groups, interface dispatch, <c>base.M()</c>) run unmonitored.
/// </remarks>
/// <param name="name">The operation's name, for example <c>"generate"</c>.</param>
/// <param name="component">The component the operation belongs to, for example <c>"model"</c>.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class MonitorOperationAttribute(string name, string component) : Attribute
{
    /// <summary>The operation's name.</summary>
    public string Name { get; } = name;

    /// <summary>The component the operation belongs to.</summary>
    public string Component { get; } = component;

    /// <summary>
    /// The model the operation calls, used to price its tokens when the response does not name one.
    /// </summary>
    public string? Model { get; set; }

    /// <summary>
    /// The model provider, for example <c>"openai"</c> or <c>"anthropic"</c>: the <c>gen_ai.provider.name</c> of the
    /// operation's spans and metrics.
    /// </summary>
    public string? Provider { get; set; }

    /// <summary>
    /// The GenAI operation, for example <c>"chat"</c>, <c>"embeddings"</c> or <c>"invoke_agent"</c>: the
    /// <c>gen_ai.operation.name</c> of the operation's spans and metrics. Setting it (or <see cref="Model"/> or
    /// <see cref="Provider"/>, or using the component <c>"model"</c>) makes this a model operation, traced with the
    /// GenAI semantic conventions; the default is <c>"chat"</c>.
    /// </summary>
    public string? GenAIOperation { get; set; }
}
