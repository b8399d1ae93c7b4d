using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Maran.Instrument.Errors;

/// <summary>Formats, on the background side, the stack of a failure and the exceptions it wraps.</summary>
internal static class StackFormatter
{
    private const int MaxInner = 10;

    /// <summary>
    /// The stack from the throw to the monitored call, with file and line numbers where symbols allow. The frames
    /// captured at the failure (no file information, to keep that path cheap) fix its extent; the exception's current
    /// stack, read now with file information, supplies the lines when it still begins with the same frames (it does,
    /// unless the exception was rethrown with <c>throw ex;</c>, which resets it).
    /// </summary>
    public static string? Format(Exception? exception, StackTrace? captured)
    {
        if (captured is null)
        {
            return exception?.StackTrace;
        }

        StackFrame[] frames = captured.GetFrames();
        if (frames.Length == 0)
        {
            return null;
        }

        StackFrame[] now = new StackTrace(exception!, fNeedFileInfo: true).GetFrames();
        if (now.Length >= frames.Length && SameMethods(frames, now))
        {
            frames = now[..frames.Length];
        }

        return new StackTrace(frames).ToString().TrimEnd();
    }

    /// <summary>A stack the loop read itself (<see cref="InterceptedTrace"/>), with file information: its text, or null when it has no frames.</summary>
    public static string? Format(StackTrace trace) => trace.FrameCount == 0 ? null : trace.ToString().TrimEnd();

    /// <summary>The exceptions <paramref name="exception"/> wraps, depth first, at most ten.</summary>
    public static List<InnerError> InnerErrors(Exception? exception)
    {
        var inner = new List<InnerError>();
        if (exception is not null)
        {
            Collect(exception, inner, isRoot: true);
        }

        return inner;
    }

    private static void Collect(Exception exception, List<InnerError> into, bool isRoot)
    {
        if (into.Count >= MaxInner)
        {
            return;
        }

        if (!isRoot)
        {
            into.Add(new InnerError(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.StackTrace));
        }

        if (exception is AggregateException aggregate)
        {
            foreach (Exception child in aggregate.InnerExceptions)
            {
                Collect(child, into, isRoot: false);
            }
        }
        else if (exception.InnerException is { } child)
        {
            Collect(child, into, isRoot: false);
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode",
        Justification = "Only compares the frames' methods for identity; a trimmed or native frame without metadata gives null for both stacks, and the captured frames are then kept as they are.")]
    private static bool SameMethods(StackFrame[] captured, StackFrame[] now)
    {
        for (int i = 0; i < captured.Length; i++)
        {
            if (captured[i].GetMethod() != now[i].GetMethod())
            {
                return false;
            }
        }

        return true;
    }
}
