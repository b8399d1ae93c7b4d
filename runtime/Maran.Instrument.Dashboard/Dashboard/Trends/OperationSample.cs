using Maran.Instrument.Profiling;

namespace Maran.Instrument.Dashboard;

/// <summary>An operation's completed and running calls at a tick, read from the summary the tick already took.</summary>
internal readonly record struct OperationSample(OperationRecorder Recorder, long Count, long InFlight);
