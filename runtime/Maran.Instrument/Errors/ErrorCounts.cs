using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Maran.Instrument.Errors;

/// <summary>
/// <c>errors_total</c>, exact: each error counted once where it is recorded (by the loop as it takes it, or by the
/// failure path when the queue is full), by type, category, component and severity. Lock-free; read at any time.
/// </summary>
internal sealed class ErrorCounts
{
    private readonly ConcurrentDictionary<(string Type, string Category, string Component, string Severity), StrongBox<long>> _counts = new();

    /// <summary>Counts one error.</summary>
    public void Count(string type, ErrorCategory category, string component, ErrorSeverity severity)
    {
        StrongBox<long> box = _counts.GetOrAdd((type, EnumNames.Of(category), component, EnumNames.Of(severity)), static _ => new StrongBox<long>());
        Interlocked.Increment(ref box.Value);
    }

    /// <summary>Every count so far.</summary>
    public IReadOnlyList<ErrorCount> Read() =>
        [.. _counts.Select(c => new ErrorCount(c.Key.Type, c.Key.Category, c.Key.Component, c.Key.Severity, Interlocked.Read(ref c.Value.Value)))];
}
