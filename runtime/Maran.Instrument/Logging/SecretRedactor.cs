using System.Text.RegularExpressions;

namespace Maran.Instrument.Logging;

/// <summary>
/// Removes secrets from text before it is logged, stored or exported: bearer tokens, API keys of the common providers
/// (OpenAI and Anthropic <c>sk-</c>, AWS <c>AKIA</c>, GitHub, Slack, Google <c>AIza</c>), JSON web tokens, and the
/// value of any <c>api_key=</c>, <c>password:</c>, <c>Authorization:</c>-like pair. Names that say they hold a
/// secret (<see cref="IsSecretName"/>) are blanked by the callers whatever their value.
/// </summary>
internal static partial class SecretRedactor
{
    /// <summary>What a secret is replaced with.</summary>
    internal const string Mask = "[REDACTED]";

    private const string SecretName =
        @"(?:api[_-]?key|apikey|x-api-key|access[_-]?token|refresh[_-]?token|auth[_-]?token|client[_-]?secret|secret[_-]?key|secret|password|passwd|pwd|authorization|private[_-]?key)";

    /// <summary>The text with every secret it holds replaced by <see cref="Mask"/>.</summary>
    internal static string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        string result = BearerToken().Replace(text, "$1" + Mask);
        result = KnownKey().Replace(result, Mask);
        result = NamedSecret().Replace(result, "$1" + Mask);
        return result;
    }

    /// <summary>Whether a property of this name holds a secret (<c>ApiKey</c>, <c>password</c>, <c>Authorization</c>...).</summary>
    internal static bool IsSecretName(string name) => SecretPropertyName().IsMatch(name);

    // "Bearer abc.def" (either case), keeping the scheme word; a token holds a digit or punctuation, so prose stays.
    [GeneratedRegex(@"(\b[Bb]earer\s+)(?!\[REDACTED\])(?=[A-Za-z]*[0-9\-._~+/])[A-Za-z0-9\-._~+/]+=*", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex BearerToken();

    // Keys recognisable by their shape alone.
    [GeneratedRegex(
        @"\bsk-(?:proj-|ant-(?:api\d+-)?|live-|test-)?[A-Za-z0-9_\-]{16,}" +
        @"|\bAKIA[0-9A-Z]{16}\b" +
        @"|\bgh[pousr]_[A-Za-z0-9]{30,}" +
        @"|\bgithub_pat_[A-Za-z0-9_]{20,}" +
        @"|\bxox[abprs]-[A-Za-z0-9\-]{10,}" +
        @"|\bAIza[0-9A-Za-z_\-]{35}" +
        @"|\beyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex KnownKey();

    // api_key=..., OPENAI_API_KEY=..., "password": "...", Authorization: ..., ?access_token=... (the name kept, the value masked).
    [GeneratedRegex(@"((?<![A-Za-z0-9])" + SecretName + @"[""']?\s*[:=]\s*[""']?)(?!\[REDACTED\]|[Bb]earer\s)[^\s""'&,;}]+",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NamedSecret();

    [GeneratedRegex("^" + SecretName + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SecretPropertyName();
}
