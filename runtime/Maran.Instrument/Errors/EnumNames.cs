using System.Collections.Concurrent;
using System.Text;

namespace Maran.Instrument.Errors;

/// <summary>snake_case names of enum values, as the configuration, the database and JSON consumers see them (<c>rate_limited</c>).</summary>
internal static class EnumNames
{
    private static readonly ConcurrentDictionary<Enum, string> s_names = new();

    public static string Of(Enum value) => s_names.GetOrAdd(value, static v =>
    {
        string name = v.ToString();
        var text = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    });

    public static T Parse<T>(string? name, T fallback)
        where T : struct, Enum
    {
        foreach (T value in Enum.GetValues<T>())
        {
            if (string.Equals(Of(value), name, StringComparison.Ordinal))
            {
                return value;
            }
        }

        return fallback;
    }
}
