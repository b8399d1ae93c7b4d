namespace Maran.Instrument;

/// <summary>
/// Marks a method of your own as a model call: the analyzers report calls of it made outside any monitored
/// operation (MARAN001), and do not report the model calls made inside it, which are part of it.
/// </summary>
/// <remarks>
/// Put it on the wrapper through which your code reaches a model (an HTTP client for a model server, a local
/// runtime's session). To time the calls, add <see cref="MonitorOperationAttribute"/> to the method as well.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ModelCallAttribute : Attribute
{
}
