namespace Maran.Instrument;

/// <summary>
/// Leaves one method of a <see cref="MonitorComponentAttribute"/> type unmonitored.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DoNotMonitorAttribute : Attribute
{
}
