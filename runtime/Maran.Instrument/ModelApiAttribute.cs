namespace Maran.Instrument;

/// <summary>
/// Declares a method of another library as a model call, so the analyzers report calls of it made outside any
/// monitored operation (MARAN001), as they do for the inference APIs they know.
/// </summary>
/// <remarks>
/// Write <c>[assembly: ModelApi(typeof(GatewayClient), nameof(GatewayClient.CompleteAsync))]</c>; every overload of the
/// method counts, and so do overrides and interface implementations of it. <c>"*"</c> as the method name counts every
/// method of the type. An assembly that declares it also extends the list for the projects that reference it.
/// </remarks>
/// <param name="type">The type that declares the method; an open generic type (<c>typeof(Client&lt;&gt;)</c>) covers every instantiation.</param>
/// <param name="methodName">The method's name, for example <c>nameof(GatewayClient.CompleteAsync)</c>, or <c>"*"</c>.</param>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class ModelApiAttribute(Type type, string methodName) : Attribute
{
    /// <summary>The type that declares the method.</summary>
    public Type Type { get; } = type;

    /// <summary>The method's name, or <c>"*"</c> for every method of <see cref="Type"/>.</summary>
    public string MethodName { get; } = methodName;
}
