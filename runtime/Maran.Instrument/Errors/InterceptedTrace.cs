using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Errors;

/// <summary>
/// The stack of an exception an interceptor's exception filter recorded, read on the error tracker's worker after the
/// fact and cut back to what it was at the failure: from the throw to the interceptor of the monitored call.
/// </summary>
/// <remarks>
/// .NET builds an exception's stack during the first pass of its dispatch: in a filter it ends at the filter's frame;
/// every frame the exception leaves after that is appended, the catching frame included; a <c>throw;</c> appends the
/// rethrowing frame's callers; an await of the faulted task restores the stack the task captured and appends after a
/// "previous location" mark. So the stack the filter saw is always the beginning of the one read later, and a reader
/// on another thread sees a prefix of the growing stack, never a torn one (InterceptedTraceTests show each). The one
/// exception is an exception thrown again as itself (<c>throw ex;</c>) before the worker reads it: that starts a new
/// stack at the rethrowing frame, and the worker keeps it as it finds it.
/// </remarks>
internal static class InterceptedTrace
{
    /// <summary>The namespace of every interceptor the generator writes.</summary>
    internal const string GeneratedNamespace = "Maran.Instrument.Generated";

    /// <summary>The stack of <paramref name="exception"/>, with file information, as far as the interceptor of <paramref name="recorder"/>.</summary>
    public static StackTrace Read(Exception exception, OperationRecorder recorder)
    {
        StackFrame[] frames = new StackTrace(exception, fNeedFileInfo: true).GetFrames();
        int end = End(frames, recorder.Method);
        return new StackTrace(end == frames.Length ? frames : frames[..end]);
    }

    /// <summary>
    /// How many of <paramref name="frames"/> (innermost first) the failure had: up to the first generated interceptor,
    /// whose filter recorded it (the first pass runs filters innermost first, and the innermost monitored call records
    /// the failure); through a hand-written one, up to the frame that called <paramref name="method"/>; else all.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode",
        Justification = "Reads only the names and namespaces of the frames' methods and types; a frame without metadata matches nothing and is kept.")]
    internal static int End(StackFrame[] frames, string? method)
    {
        for (int i = 0; i < frames.Length; i++)
        {
            if (frames[i].GetMethod() is { DeclaringType.Namespace: GeneratedNamespace })
            {
                // An interceptor that calls its target through a local function (a floating-point result) has that
                // frame first; the interceptor's own frame follows it.
                while (i + 1 < frames.Length && IsCompilerGenerated(frames[i].GetMethod()) && frames[i + 1].GetMethod() is { DeclaringType.Namespace: GeneratedNamespace })
                {
                    i++;
                }

                return i + 1;
            }
        }

        if (MethodName(method) is { } name)
        {
            for (int i = 0; i < frames.Length; i++)
            {
                if (frames[i].GetMethod() is { } frameMethod && ErrorFingerprint.Identify(frameMethod) is { } identity && Names(identity.Name, name))
                {
                    return Math.Min(i + 2, frames.Length);
                }
            }
        }

        return frames.Length;
    }

    private static bool IsCompilerGenerated(MethodBase? method) =>
        method is not null && (method.Name.StartsWith('<') || (method.DeclaringType?.Name.StartsWith('<') ?? false));

    // "Agent.Lookup(int)" or "Repo<T>.Get<U>(T)" as the generator names a method: its type and member, without generic arguments.
    private static string? MethodName(string? method)
    {
        if (method is null)
        {
            return null;
        }

        int paren = method.IndexOf('(', StringComparison.Ordinal);
        string name = WithoutGenerics(paren >= 0 ? method[..paren] : method);
        return name.Contains('.', StringComparison.Ordinal) ? name : null;
    }

    // A frame's identity ("Namespace.Outer+Agent.Lookup", generic types with their arity) names the method when it ends with it.
    private static bool Names(string identity, string name)
    {
        string plain = WithoutArity(identity);
        return plain.Length > name.Length
            ? plain.EndsWith(name, StringComparison.Ordinal) && plain[plain.Length - name.Length - 1] is '.' or '+'
            : plain == name;
    }

    private static string WithoutGenerics(string name)
    {
        var plain = new System.Text.StringBuilder(name.Length);
        int depth = 0;
        foreach (char c in name)
        {
            if (c == '<')
            {
                depth++;
            }
            else if (c == '>')
            {
                depth--;
            }
            else if (depth == 0)
            {
                plain.Append(c);
            }
        }

        return plain.ToString();
    }

    private static string WithoutArity(string name)
    {
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick < 0)
        {
            return name;
        }

        int end = tick + 1;
        while (end < name.Length && char.IsAsciiDigit(name[end]))
        {
            end++;
        }

        return WithoutArity(name[..tick] + name[end..]);
    }
}
