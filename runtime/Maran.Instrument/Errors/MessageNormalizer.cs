using System.Text.RegularExpressions;

namespace Maran.Instrument.Errors;

/// <summary>
/// Replaces the parts of an error message that change from one occurrence of the same bug to the next (URLs,
/// e-mail addresses, GUIDs, quoted strings, hexadecimal and mixed identifiers, numbers) with placeholders, so
/// that "user 42 not found" and "user 7 not found" group together.
/// </summary>
internal static partial class MessageNormalizer
{
    private const int MaxLength = 512;

    public static string Normalize(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return string.Empty;
        }

        string text = message.Length > 4 * MaxLength ? message[..(4 * MaxLength)] : message;
        text = Url().Replace(text, "<url>");
        text = Email().Replace(text, "<email>");
        text = Guid().Replace(text, "<guid>");
        text = Quoted().Replace(text, "<str>");
        text = Hex().Replace(text, "<hex>");
        text = MixedIdentifier().Replace(text, "<id>");
        text = Number().Replace(text, "<num>");
        text = Whitespace().Replace(text, " ").Trim();
        return text.Length > MaxLength ? text[..MaxLength] : text;
    }

    [GeneratedRegex(@"\b[a-z][a-z0-9+.\-]*://[^\s'""<>()\[\]{}]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Url();

    [GeneratedRegex(@"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    [GeneratedRegex(@"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Guid();

    // A quote opens only where no letter or digit stands before it, so the apostrophe of "model's" is left alone.
    [GeneratedRegex(@"(?<![\w])'[^'\r\n]{0,200}'(?![\w])|""[^""\r\n]{0,200}""|`[^`\r\n]{0,200}`", RegexOptions.CultureInvariant)]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\b0x[0-9a-f]+\b|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Hex();

    // Request ids, organisation ids, keys: one word of eight or more characters mixing letters and digits.
    [GeneratedRegex(@"\b(?=\w*\d)(?=\w*[a-z])\w{8,}\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MixedIdentifier();

    [GeneratedRegex(@"\d+(?:[.,]\d+)*", RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
