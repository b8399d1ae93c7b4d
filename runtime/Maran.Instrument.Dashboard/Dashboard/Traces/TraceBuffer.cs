using System.Diagnostics;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// The spans of one kept trace, in the order they ended; at most a fixed number, the rest only counted. The last
/// place is kept for the root span, which ends after its children.
/// </summary>
internal sealed class TraceBuffer(string traceId, int maxSpans)
{
    private const int MaxTags = 16;
    private const int MaxEvents = 8;
    private const int MaxValueLength = 4096;

    private readonly object _gate = new();
    private readonly List<SpanRecord> _spans = [];
    private int _truncated;

    public string TraceId { get; } = traceId;

    /// <summary>Copies what the waterfall shows of an ended span; called on the thread that ended it.</summary>
    public void Add(Activity activity)
    {
        bool isRoot = activity.ParentSpanId == default;
        lock (_gate)
        {
            if (_spans.Count >= Limit(isRoot))
            {
                _truncated++;
                return;
            }
        }

        var record = new SpanRecord(
            activity.SpanId.ToHexString(),
            activity.ParentSpanId == default ? null : activity.ParentSpanId.ToHexString(),
            activity.DisplayName,
            activity.Source.Name,
            activity.Kind.ToString(),
            new DateTimeOffset(activity.StartTimeUtc, TimeSpan.Zero),
            activity.Duration.TotalMilliseconds,
            activity.Status.ToString(),
            Truncate(activity.StatusDescription),
            Tags(activity.TagObjects),
            Events(activity));
        lock (_gate)
        {
            if (_spans.Count < Limit(isRoot))
            {
                _spans.Add(record);
            }
            else
            {
                _truncated++;
            }
        }
    }

    private int Limit(bool isRoot) => isRoot ? maxSpans : maxSpans - 1;

    /// <summary>The row of the trace list, or null before any span has ended.</summary>
    public TraceSummary? Summarise()
    {
        lock (_gate)
        {
            if (_spans.Count == 0)
            {
                return null;
            }

            HashSet<string> ids = [.. _spans.Select(static s => s.SpanId)];
            SpanRecord? root = null;
            DateTimeOffset start = DateTimeOffset.MaxValue, end = DateTimeOffset.MinValue;
            int errors = 0;
            foreach (SpanRecord span in _spans)
            {
                if ((span.ParentSpanId is null || !ids.Contains(span.ParentSpanId)) && (root is null || span.Start < root.Start))
                {
                    root = span;
                }

                start = span.Start < start ? span.Start : start;
                DateTimeOffset spanEnd = span.Start.AddMilliseconds(span.DurationMs);
                end = spanEnd > end ? spanEnd : end;
                errors += span.Status == nameof(ActivityStatusCode.Error) ? 1 : 0;
            }

            string? component = root!.Tags.FirstOrDefault(static t => t.Key == "maran.component").Value;
            return new TraceSummary(
                TraceId,
                root.Name,
                component,
                start,
                (end - start).TotalMilliseconds,
                _spans.Count + _truncated,
                errors);
        }
    }

    /// <summary>Every kept span, earliest first.</summary>
    public TraceDetail Detail()
    {
        lock (_gate)
        {
            SpanRecord[] spans = [.. _spans.OrderBy(static s => s.Start)];
            return new TraceDetail(TraceId, spans, _truncated);
        }
    }

    private static KeyValuePair<string, string>[] Tags(IEnumerable<KeyValuePair<string, object?>> tags)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (list.Count == MaxTags)
            {
                break;
            }

            list.Add(new(Truncate(tag.Key)!, Truncate(Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture)) ?? string.Empty));
        }

        return [.. list];
    }

    private static SpanEventRecord[] Events(Activity activity)
    {
        var list = new List<SpanEventRecord>();
        foreach (ActivityEvent e in activity.Events)
        {
            if (list.Count == MaxEvents)
            {
                break;
            }

            list.Add(new SpanEventRecord(Truncate(e.Name)!, (e.Timestamp.UtcDateTime - activity.StartTimeUtc).TotalMilliseconds, Tags(e.Tags)));
        }

        return [.. list];
    }

    private static string? Truncate(string? value) =>
        value is { Length: > MaxValueLength } ? string.Concat(value.AsSpan(0, MaxValueLength), "…") : value;
}
