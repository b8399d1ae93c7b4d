using System.Text;

namespace Maran.Instrument.Analyzers.Naming;

/// <summary>
/// The rules for operation names and components, which become metric labels, and the names the code fixes propose.
/// </summary>
internal static class OperationNames
{
    /// <summary>The characters allowed, as the attribute's documentation states them.</summary>
    public const string AllowedDescription = "ASCII letters, digits, '_', '.', '-' or '/'";

    public static bool IsAllowed(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '.' or '-' or '/';

    /// <summary>The index of the first character metric labels would mangle, or -1.</summary>
    public static int FirstInvalid(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (!IsAllowed(value[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary><paramref name="value"/> with every disallowed character replaced by '_'.</summary>
    public static string Sanitize(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            builder.Append(IsAllowed(c) ? c : '_');
        }

        return builder.ToString();
    }

    /// <summary>An operation name for a method: snake case without the <c>Async</c> suffix (<c>GetResponseAsync</c> becomes <c>get_response</c>).</summary>
    public static string FromMethodName(string methodName)
    {
        string name = methodName.Length > "Async".Length && methodName.EndsWith("Async", System.StringComparison.Ordinal)
            ? methodName.Substring(0, methodName.Length - "Async".Length)
            : methodName;
        return ToSnakeCase(name, "operation");
    }

    /// <summary>A component for a type: its name in snake case (<c>ChatAgent</c> becomes <c>chat_agent</c>).</summary>
    public static string FromTypeName(string typeName) => ToSnakeCase(typeName, "component");

    /// <summary>
    /// <paramref name="name"/> in snake case: a word starts at an upper-case letter after a lower-case letter or digit, and
    /// at the last capital of an acronym (<c>LLMClient</c> becomes <c>llm_client</c>); other characters become '_'.
    /// </summary>
    public static string ToSnakeCase(string name, string fallback)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (IsUpper(c))
            {
                bool afterLowerOrDigit = i > 0 && (IsLower(name[i - 1]) || IsDigit(name[i - 1]));
                bool endsAcronym = i > 0 && IsUpper(name[i - 1]) && i + 1 < name.Length && IsLower(name[i + 1]);
                if ((afterLowerOrDigit || endsAcronym) && builder.Length > 0 && builder[builder.Length - 1] != '_')
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else if (IsLower(c) || IsDigit(c))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[builder.Length - 1] != '_')
            {
                builder.Append('_');
            }
        }

        string result = builder.ToString().Trim('_');
        return result.Length == 0 ? fallback : result;
    }

    private static bool IsUpper(char c) => c is >= 'A' and <= 'Z';

    private static bool IsLower(char c) => c is >= 'a' and <= 'z';

    private static bool IsDigit(char c) => c is >= '0' and <= '9';
}
