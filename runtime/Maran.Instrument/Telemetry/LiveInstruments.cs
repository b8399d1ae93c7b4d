using System.Diagnostics.Metrics;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Telemetry;

/// <summary>
/// Observable instruments on the <c>Maran.Instrument</c> meter for the live figures: calls, errors, calls in
/// flight, tokens, drops and internal errors. Their callbacks read the recorders only when a listener collects
/// (<c>dotnet-counters monitor --counters Maran.Instrument</c>, the OpenTelemetry SDK), so monitored calls pay nothing.
/// </summary>
internal static class LiveInstruments
{
    /// <summary>Creates the instruments on <paramref name="meter"/>; called once, with the meter.</summary>
    internal static IReadOnlyList<System.Diagnostics.Metrics.Instrument> Create(Meter meter) =>
    [
        meter.CreateObservableCounter("maran.operation.calls", ObserveCalls, "{call}",
            "Monitored calls that ended, by operation, component and status (success, error, cancelled)."),
        meter.CreateObservableCounter("maran.operation.errors", ObserveErrors, "{error}",
            "Monitored calls that failed, by operation, component and error.type."),
        meter.CreateObservableUpDownCounter("maran.operation.in_flight", ObserveInFlight, "{call}",
            "Monitored calls started and not yet ended, by operation and component."),
        meter.CreateObservableCounter("maran.tokens", ObserveTokens, "{token}",
            "Tokens used by model calls, by gen_ai.request.model and gen_ai.token.type (input, output, cached, reasoning)."),
        meter.CreateObservableCounter("maran.dropped", ObserveDropped, "{item}",
            "Items the monitoring dropped because a queue was full, by queue."),
        meter.CreateObservableCounter("maran.internal_errors", ObserveInternalErrors, "{error}",
            "Failures inside the monitoring itself, by kind."),
    ];

    private static IEnumerable<Measurement<long>> ObserveCalls()
    {
        foreach (OperationSnapshot s in Snapshots())
        {
            if (s.Succeeded > 0)
            {
                yield return Measure(s.Succeeded, s, "maran.status", "success");
            }

            if (s.Failed > 0)
            {
                yield return Measure(s.Failed, s, "maran.status", "error");
            }

            if (s.Cancelled > 0)
            {
                yield return Measure(s.Cancelled, s, "maran.status", "cancelled");
            }
        }
    }

    private static IEnumerable<Measurement<long>> ObserveErrors()
    {
        foreach (OperationSnapshot s in Snapshots())
        {
            foreach ((string type, long count) in s.ErrorTypes)
            {
                yield return Measure(count, s, "error.type", type);
            }
        }
    }

    private static IEnumerable<Measurement<long>> ObserveInFlight() =>
        Snapshots().Select(static s => new Measurement<long>(s.InFlight,
            new KeyValuePair<string, object?>("maran.operation", s.Recorder.Name),
            new KeyValuePair<string, object?>("maran.component", s.Recorder.Component)));

    private static IEnumerable<Measurement<long>> ObserveTokens() =>
        TokenTally.Process.Read().Select(static t => new Measurement<long>(t.Value,
            new KeyValuePair<string, object?>("gen_ai.request.model", t.Key.Model),
            new KeyValuePair<string, object?>("gen_ai.token.type", t.Key.Type)));

    private static IEnumerable<Measurement<long>> ObserveDropped() =>
        MonitoringDiagnostics.Dropped.Select(static d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>("maran.queue", d.Key)));

    private static IEnumerable<Measurement<long>> ObserveInternalErrors() =>
        MonitoringDiagnostics.InternalErrors.Select(static e => new Measurement<long>(e.Value, new KeyValuePair<string, object?>("maran.kind", e.Key)));

    private static IEnumerable<OperationSnapshot> Snapshots() =>
        OperationRegistry.All.Select(static r => r.Snapshot()).Where(static s => s.Started > 0);

    private static Measurement<long> Measure(long value, OperationSnapshot s, string key, string tag) =>
        new(value,
            new KeyValuePair<string, object?>("maran.operation", s.Recorder.Name),
            new KeyValuePair<string, object?>("maran.component", s.Recorder.Component),
            new KeyValuePair<string, object?>(key, tag));
}
