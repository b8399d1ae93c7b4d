using System.Collections;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Maran.Instrument.Configuration;

/// <summary>One setting as it is in effect: its dotted key, its value as configuration writes it, and where it came from.</summary>
/// <param name="Key">The key, dotted as in the YAML file (<c>monitoring.metrics_port</c>).</param>
/// <param name="Value">The value as configuration writes it; <c>(hidden)</c> for a secret, <c>(none)</c> when unset.</param>
/// <param name="Source">A file and line, an environment variable, <c>code</c>, or <c>default</c>.</param>
internal sealed record EffectiveSetting(string Key, string Value, string Source);

/// <summary>
/// Every setting of a <see cref="MonitoringOptions"/> tree with its value and origin, walked through the same
/// compile-time metadata the binder uses: what <c>maran config check</c> prints and what the audit trail's start
/// record digests.
/// </summary>
internal static class EffectiveConfiguration
{
    private const string Hidden = "(hidden)";

    /// <summary>Each scalar setting of <paramref name="options"/>, in declaration order; secrets are shown as <c>(hidden)</c>.</summary>
    internal static IReadOnlyList<EffectiveSetting> Of(MonitoringOptions options) => Walk(options, reveal: false);

    /// <summary>
    /// The SHA-256 (hex) of every effective key and value, secrets included: two runs with the same digest ran with the
    /// same configuration, and a changed token or price changes it.
    /// </summary>
    internal static string Digest(MonitoringOptions options)
    {
        var text = new StringBuilder();
        foreach (EffectiveSetting setting in Walk(options, reveal: true))
        {
            text.Append(setting.Key).Append('=').Append(setting.Value).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
    }

    /// <summary>The distinct places the settings came from (files, variables, code), without <c>default</c>.</summary>
    internal static IReadOnlyList<string> Sources(IReadOnlyList<EffectiveSetting> settings) =>
        [.. settings.Select(static s => SourceName(s.Source)).Where(static s => s != "default").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Whether the value of the key ending in <paramref name="name"/> is a secret shown as <c>(hidden)</c>.</summary>
    internal static bool IsSecret(string name) =>
        name is "token" or "password" or "secret" or "api_key"
        || name.EndsWith("_token", StringComparison.Ordinal)
        || name.EndsWith("_password", StringComparison.Ordinal)
        || name.EndsWith("_secret", StringComparison.Ordinal);

    private static List<EffectiveSetting> Walk(MonitoringOptions options, bool reveal)
    {
        var binder = new OptionsBinder(options.ConfigurationRoot);
        var settings = new List<EffectiveSetting>();
        WalkSection(options, SettingsMetadata.MonitoringOptions, prefix: null, binder, options.ConfigurationRoot is not null, reveal, settings);
        return settings;
    }

    private static void WalkSection(object section, SettingsType type, string? prefix, OptionsBinder binder, bool loaded, bool reveal, List<EffectiveSetting> into)
    {
        foreach (SettingsProperty property in type.Properties)
        {
            string key = prefix is null ? property.Key : $"{prefix}:{property.Key}";
            WalkValue(property.Get(section), property.Type, key, property.Key, binder, loaded, reveal, into);
        }
    }

    private static void WalkValue(object? value, SettingsType type, string key, string name, OptionsBinder binder, bool loaded, bool reveal, List<EffectiveSetting> into)
    {
        switch (type.Kind)
        {
            case SettingsKind.Section when value is not null:
                WalkSection(value, type, key, binder, loaded, reveal, into);
                break;
            case SettingsKind.List when value is IList list:
                for (int i = 0; i < list.Count; i++)
                {
                    WalkValue(list[i], type.Item, $"{key}:{i.ToString(CultureInfo.InvariantCulture)}", name, binder, loaded, reveal, into);
                }

                break;
            case SettingsKind.Dictionary when value is IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    string child = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                    WalkValue(entry.Value, type.Item, $"{key}:{child}", child, binder, loaded, reveal, into);
                }

                break;
            case SettingsKind.Scalar:
                string shown = value is null ? "(none)" : !reveal && IsSecret(name) ? Hidden : Format(value, type);
                into.Add(new EffectiveSetting(OptionsBinder.Display(key), shown, Origin(key, binder, loaded)));
                break;
            default:
                break;
        }
    }

    // A key no provider set holds its default; one the configuration never saw was set in code.
    private static string Origin(string key, OptionsBinder binder, bool loaded)
    {
        if (!loaded)
        {
            return "code";
        }

        return binder.ValueAt(key) is null ? "default" : binder.Origin(key);
    }

    private static string SourceName(string source)
    {
        int line = source.LastIndexOf(" line ", StringComparison.Ordinal);
        return line > 0 ? source[..line] : source;
    }

    private static string Format(object value, SettingsType type)
    {
        if (type.EnumValues is { } names)
        {
            SettingsEnumValue? named = names.FirstOrDefault(n => Equals(n.Value, value));
            return named is null ? value.ToString() ?? string.Empty : named.ConfiguredName ?? named.FieldName.ToUpperInvariant();
        }

        return value switch
        {
            bool b => b ? "true" : "false",
            double d => OptionsBinder.Format(d),
            float f => OptionsBinder.Format(f),
            TimeSpan span => OptionsBinder.Format(span),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };
    }
}
