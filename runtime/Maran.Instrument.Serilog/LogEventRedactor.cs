using Maran.Instrument.Logging;
using Serilog.Events;
using Serilog.Parsing;

namespace Maran.Instrument;

/// <summary>
/// Removes secrets from Serilog events before any sink sees them, with <see cref="SecretRedactor"/>: the message,
/// every property (a property whose name says it holds a secret is blanked whatever its value) and the exception.
/// </summary>
internal static class LogEventRedactor
{
    private static readonly MessageTemplateParser s_parser = new();

    /// <summary>The event with its message, properties and exception cleared of secrets; the same event when it held none.</summary>
    internal static LogEvent Redact(LogEvent logEvent)
    {
        bool changed = false;
        MessageTemplate template = logEvent.MessageTemplate;
        string text = SecretRedactor.Redact(template.Text);
        if (!ReferenceEquals(text, template.Text) && text != template.Text)
        {
            template = s_parser.Parse(text);
            changed = true;
        }

        var properties = new List<LogEventProperty>(logEvent.Properties.Count);
        foreach ((string name, LogEventPropertyValue value) in logEvent.Properties)
        {
            LogEventPropertyValue redacted = SecretRedactor.IsSecretName(name) ? new ScalarValue(SecretRedactor.Mask) : Redact(value);
            changed |= !ReferenceEquals(redacted, value);
            properties.Add(new LogEventProperty(name, redacted));
        }

        Exception? exception = logEvent.Exception;
        if (exception is not null)
        {
            string shown = exception.ToString();
            string clean = SecretRedactor.Redact(shown);
            if (clean != shown)
            {
                exception = new RedactedException(SecretRedactor.Redact(exception.Message), clean, exception.GetType().FullName);
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
                string clean = SecretRedactor.Redact(s);
                return clean == s ? value : new ScalarValue(clean);
            case SequenceValue sequence:
                LogEventPropertyValue[] elements = [.. sequence.Elements.Select(Redact)];
                return elements.SequenceEqual(sequence.Elements) ? value : new SequenceValue(elements);
            case StructureValue structure:
                LogEventProperty[] members = [.. structure.Properties.Select(p =>
                    new LogEventProperty(p.Name, SecretRedactor.IsSecretName(p.Name) ? new ScalarValue(SecretRedactor.Mask) : Redact(p.Value)))];
                return members.Select(m => m.Value).SequenceEqual(structure.Properties.Select(p => p.Value))
                    ? value
                    : new StructureValue(members, structure.TypeTag);
            case DictionaryValue dictionary:
                var entries = dictionary.Elements.Select(e => new KeyValuePair<ScalarValue, LogEventPropertyValue>(
                    e.Key, e.Key.Value is string key && SecretRedactor.IsSecretName(key) ? new ScalarValue(SecretRedactor.Mask) : Redact(e.Value))).ToList();
                return entries.Select(e => e.Value).SequenceEqual(dictionary.Elements.Select(e => e.Value)) ? value : new DictionaryValue(entries);
            default:
                return value;
        }
    }
}
