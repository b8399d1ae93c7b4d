using System.Text.RegularExpressions;
using Serilog.Events;
using Serilog.Parsing;

namespace Maran.Instrument;

/// <summary>
/// Removes secrets from log events before any sink sees them: bearer tokens, API keys of the common providers
/// (OpenAI and Anthropic <c>sk-</c>, AWS <c>AKIA</c>, GitHub, Slack, Google <c>AIza</c>), JSON web tokens, and the
/// value of any <c>api_key=</c>, <c>password:</c>, <c>Authorization:</c>-like pair. Properties whose name says they
/// hold a secret are blanked whatever their value.
/// </summary>
internal static partial class SecretRedactor
{
    /// <summary>What a secret is replaced with.</summary>
    internal const string Mask = "[REDACTED]";

    private const string SecretName =
        @"(?:api[_-]?key|apikey|x-api-key|access[_-]?token|refresh[_-]?token|auth[_-]?token|client[_-]?secret|secret[_-]?key|secret|password|passwd|pwd|authorization|private[_-]?key)";

    private static readonly MessageTemplateParser s_parser = new();

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

    /// <summary>The event with its message, properties and exception cleared of secrets; the same event when it held none.</summary>
    internal static LogEvent Redact(LogEvent logEvent)
    {
        bool changed = false;
        MessageTemplate template = logEvent.MessageTemplate;
        string text = Redact(template.Text);
        if (!ReferenceEquals(text, template.Text) && text != template.Text)
        {
            template = s_parser.Parse(text);
            changed = true;
        }

        var properties = new List<LogEventProperty>(logEvent.Properties.Count);
        foreach ((string name, LogEventPropertyValue value) in logEvent.Properties)
        {
            LogEventPropertyValue redacted = IsSecretName(name) ? new ScalarValue(Mask) : Redact(value);
            changed |= !ReferenceEquals(redacted, value);
            properties.Add(new LogEventProperty(name, redacted));
        }

        Exception? exception = logEvent.Exception;
        if (exception is not null)
        {
            string shown = exception.ToString();
            string clean = Redact(shown);
            if (clean != shown)
            {
                exception = new RedactedException(Redact(exception.Message), clean, exception.GetType().FullName);
                changed = true;
            }
        }

        return changed
            ? new LogEvent(logEvent.Timestamp, logEvent.Level, exception, template, properties, logEvent.TraceId ?? default, logEvent.SpanId ?? default)
            : logEvent;
    }

    private static LogEventPropertyValue Redact(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string s }:
                string clean = Redact(s);
                return clean == s ? value : new ScalarValue(clean);
            case SequenceValue sequence:
                LogEventPropertyValue[] elements = [.. sequence.Elements.Select(Redact)];
                return elements.SequenceEqual(sequence.Elements) ? value : new SequenceValue(elements);
            case StructureValue structure:
                LogEventProperty[] members = [.. structure.Properties.Select(p =>
                    new LogEventProperty(p.Name, IsSecretName(p.Name) ? new ScalarValue(Mask) : Redact(p.Value)))];
                return members.Select(m => m.Value).SequenceEqual(structure.Properties.Select(p => p.Value))
                    ? value
                    : new StructureValue(members, structure.TypeTag);
            case DictionaryValue dictionary:
                var entries = dictionary.Elements.Select(e => new KeyValuePair<ScalarValue, LogEventPropertyValue>(
                    e.Key, e.Key.Value is string key && IsSecretName(key) ? new ScalarValue(Mask) : Redact(e.Value))).ToList();
                return entries.Select(e => e.Value).SequenceEqual(dictionary.Elements.Select(e => e.Value)) ? value : new DictionaryValue(entries);
            default:
                return value;
        }
    }

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
