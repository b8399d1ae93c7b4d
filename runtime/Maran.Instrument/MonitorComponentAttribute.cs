namespace Maran.Instrument;

/// <summary>
/// Monitors every public method of the class or struct it marks, each under its own method name and this
/// component. Mark a method with <see cref="DoNotMonitorAttribute"/> to leave it out, or with
/// <see cref="MonitorOperationAttribute"/> to give it another name.
/// </summary>
/// <param name="component">The component every operation of the type belongs to.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class MonitorComponentAttribute(string component) : Attribute
{
    /// <summary>The component every operation of the type belongs to.</summary>
    public string Component { get; } = component;
}
