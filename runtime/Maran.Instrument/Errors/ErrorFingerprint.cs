using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Maran.Instrument.Errors;

/// <summary>
/// The grouping key of an error, after Sentry's: the error type, the application's own stack frames (method
/// identities, never line numbers, with compiler-generated suffixes removed) and the message with its variable
/// parts normalised. The same bug from different requests gives the same fingerprint; a different bug, a
/// different one.
/// </summary>
internal static class ErrorFingerprint
{
    private const int MaxFrames = 50;

    /// <summary>The fingerprint (32 hexadecimal digits) of <paramref name="type"/>, <paramref name="frames"/> and the normalised message.</summary>
    public static string Compute(string type, IReadOnlyList<string> frames, string normalizedMessage, string? component = null)
    {
        var text = new StringBuilder();
        text.Append(type).Append('\n');
        if (frames.Count == 0 && component is not null)
        {
            // Without a stack the component tells apart two places that report the same words.
            text.Append("component:").Append(component).Append('\n');
        }

        foreach (string frame in frames)
        {
            text.Append(frame).Append('\n');
        }

        text.Append(normalizedMessage);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()), hash);
        return Convert.ToHexString(hash[..16]).ToLowerInvariant();
    }

    /// <summary>
    /// The frames of <paramref name="trace"/> that belong to the application (see <see cref="InAppFilter"/>), innermost
    /// first, as stable method identities. Frames of Maran.Instrument itself are never included; when no frame is
    /// the application's, every other frame is used, as Sentry does.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode",
        Justification = "Reads only the name and declaring type of each frame's method; a frame whose metadata was trimmed or that native code gives without a method is skipped, so the fingerprint rests on the frames that remain and on the error's type.")]
    public static List<string> Frames(StackTrace? trace, InAppFilter filter)
    {
        var inApp = new List<string>();
        var all = new List<string>();
        if (trace is null)
        {
            return inApp;
        }

        foreach (StackFrame frame in trace.GetFrames())
        {
            if (frame.GetMethod() is not { } method || Identify(method) is not { } identity)
            {
                continue;
            }

            // The runtime (namespace Maran.Instrument) and the generated interceptors are never the application's frames.
            if (identity.Namespace is "Maran.Instrument" or "Maran.Instrument.Generated")
            {
                continue;
            }

            if (all.Count < MaxFrames)
            {
                all.Add(identity.Name);
            }

            if (inApp.Count < MaxFrames && filter.IsInApp(identity.Namespace))
            {
                inApp.Add(identity.Name);
            }
        }

        return inApp.Count > 0 ? inApp : all;
    }

    /// <summary>
    /// The namespace and a stable name of <paramref name="method"/>: the user-visible method behind async state
    /// machines, iterators, lambdas and local functions, without the ordinals the compiler numbers them with
    /// (<c>&lt;Run&gt;b__0_1</c>, <c>d__5</c>), which move with every edit.
    /// </summary>
    internal static (string Namespace, string Name)? Identify(MethodBase method)
    {
        Type? type = method.DeclaringType;
        if (type is null)
        {
            return null;
        }

        string member = method.Name;
        while (type.DeclaringType is { } outer && type.Name.StartsWith('<'))
        {
            // <GenerateAsync>d__5.MoveNext is GenerateAsync; <>c__DisplayClass3_0.<Run>b__0 keeps the lambda's own name.
            string original = OriginalName(type.Name);
            if (original.Length > 0 && (member is "MoveNext" or "SetStateMachine"))
            {
                member = original;
            }

            type = outer;
        }

        if (type.IsGenericType)
        {
            type = type.GetGenericTypeDefinition();
        }

        return (type.Namespace ?? string.Empty, (type.FullName ?? type.Name) + "." + CleanMember(member));
    }

    private static string CleanMember(string member)
    {
        if (!member.StartsWith('<'))
        {
            return member;
        }

        if (member.EndsWith('$'))
        {
            return OriginalName(member);
        }

        // <Run>b__0_1 is a lambda in Run; <Run>g__Local|0_0 is the local function Local in Run.
        string original = OriginalName(member);
        int local = member.IndexOf(">g__", StringComparison.Ordinal);
        if (local >= 0)
        {
            string name = member[(local + 4)..];
            int bar = name.IndexOf('|', StringComparison.Ordinal);
            return original + "." + (bar >= 0 ? name[..bar] : name);
        }

        return original + ".lambda";
    }

    private static string OriginalName(string generated)
    {
        int close = generated.IndexOf('>', StringComparison.Ordinal);
        return close > 1 ? generated[1..close] : string.Empty;
    }
}
