using System.Text;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Profiling;

/// <summary>
/// The token usage a measured stream gathers from its items, and its one report when the stream ends; shared by the
/// synchronous and asynchronous stream wrappers.
/// </summary>
internal struct StreamUsage
{
    private TokenUsage _usage;
    private StringBuilder? _text;

    /// <summary>Adds the usage (and, while no usage is reported, the text) of one item; a reader that throws is reported, not raised.</summary>
    internal void Read<T>(TokenUsageReader<T> reader, T item)
    {
        try
        {
            TokenUsage read = reader(item, OperationEvents.UsageTextWanted && !_usage.IsReported);
            _usage = _usage.Plus(read);
            if (read.Text is { Length: > 0 } text && !_usage.IsReported)
            {
                (_text ??= new StringBuilder()).Append(text);
            }
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("token usage", ex);
        }
    }

    /// <summary>
    /// Reports the stream's usage once, when it ends (before its span does), whatever its outcome: tokens streamed before a
    /// failure were paid for. A stream that failed before any usage or text came is no model call to count or price.
    /// </summary>
    internal readonly void Report(in OperationScope scope, bool readsUsage, bool failed)
    {
        if (failed && !_usage.IsReported && _text is null)
        {
            return;
        }

        scope.Frame?.NoteUsage(_usage);
        if (readsUsage && OperationEvents.HasUsageListeners && scope.Recorder is { } recorder && scope.Frame is not { CountsUsage: false })
        {
            TokenUsage usage = OperationEvents.OwnedBy(_usage, recorder, scope.Frame);
            OperationScope.PublishUsage(recorder, usage, scope.Frame);
            OperationEvents.Usage(recorder, _text is null ? usage : usage.WithText(_text.ToString()), scope.Frame);
        }
    }
}
