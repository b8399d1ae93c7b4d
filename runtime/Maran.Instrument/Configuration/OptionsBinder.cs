using System.Collections;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>
/// Binds configuration onto the options tree strictly: an unknown key, a value of the wrong type or a section
/// where a value belongs is an error naming the key, the value and where it was set. Keys are matched by their
/// <see cref="ConfigurationKeyNameAttribute"/> (snake_case in YAML) or, failing that, by property name. The types are
/// known through <see cref="SettingsType"/> metadata written at compile time, so binding uses no reflection.
/// </summary>
internal sealed class OptionsBinder(IConfigurationRoot? root)
{
    private readonly List<ConfigurationError> _errors = [];

    public IReadOnlyList<ConfigurationError> Errors => _errors;

    /// <summary>Binds every key of <paramref name="configuration"/> onto <paramref name="target"/>, described by <paramref name="type"/>.</summary>
    public void Bind(IConfigurationRoot configuration, object target, SettingsType type)
    {
        foreach (ConfigurationNode child in ConfigurationNode.Build(configuration).Children)
        {
            BindMember(child, target, type);
        }
    }

    /// <summary>
    /// Records an error about <paramref name="key"/> (colon-separated), describing where it was set; a key that was
    /// not set takes the place of <paramref name="originKey"/> (the section it is missing from), when given. A
    /// <paramref name="secret"/> value decides the origin like any other but is shown as <c>(hidden)</c>.
    /// </summary>
    public void Error(string key, string? value, string message, string? originKey = null, bool secret = false)
    {
        // A value that differs from what the configuration holds was set in code after loading.
        string origin = value is not null && root?[key] is { } configured && !SameValue(configured, value)
            ? "code"
            : Origin(key);
        if (originKey is not null && root?[key] is null && origin == "code")
        {
            origin = Origin(originKey);
        }

        // A value from the configuration is shown as it was written there (30s rather than 00:00:30).
        string? shown = value is not null && origin != "code" && root?[key] is { } written ? written.Trim() : value;
        _errors.Add(new ConfigurationError(Display(key), secret && value is not null ? "(hidden)" : shown, origin, message));
    }

    /// <summary>Records an error unless <paramref name="value"/> lies between <paramref name="min"/> and <paramref name="max"/>, both included.</summary>
    public void CheckRange(string key, long value, long min, long max, string what)
    {
        if (value < min || value > max)
        {
            Error(key, value.ToString(CultureInfo.InvariantCulture), $"{what} must be between {min} and {max}");
        }
    }

    /// <summary>
    /// Records an error unless <paramref name="value"/> is a finite number above <paramref name="min"/> (or equal to it,
    /// when <paramref name="minIncluded"/>) and at most <paramref name="max"/>.
    /// </summary>
    public void CheckRange(string key, double value, double min, double max, string what, bool minIncluded = false)
    {
        if (!double.IsFinite(value) || value < min || (value == min && !minIncluded) || value > max)
        {
            string low = minIncluded ? $"at least {Format(min)}" : $"more than {Format(min)}";
            Error(key, Format(value), $"{what} must be {low} and at most {Format(max)}");
        }
    }

    /// <summary>
    /// Records an error unless <paramref name="value"/> is longer than <paramref name="min"/> (or as long, when
    /// <paramref name="minIncluded"/>) and at most <paramref name="max"/>.
    /// </summary>
    public void CheckDuration(string key, TimeSpan value, TimeSpan min, TimeSpan max, string what, bool minIncluded = false)
    {
        if (value < min || (value == min && !minIncluded) || value > max)
        {
            string low = minIncluded ? $"at least {Format(min)}" : $"longer than {Format(min)}";
            Error(key, Format(value), $"{what} must be {low} and at most {Format(max)}");
        }
    }

    /// <summary>A number as the configuration writes it.</summary>
    internal static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A duration as the configuration writes it, in its largest whole unit: 10m, 1d, 250ms, 1.5s.</summary>
    internal static string Format(TimeSpan value)
    {
        (double size, string unit)[] units = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1_000, "s")];
        double ms = value.TotalMilliseconds;
        foreach ((double size, string unit) in units)
        {
            if (ms != 0 && ms % size == 0)
            {
                return Format(ms / size) + unit;
            }
        }

        return Math.Abs(ms) >= 1_000 || ms == 0 ? Format(value.TotalSeconds) + "s" : Format(ms) + "ms";
    }

    /// <summary>Whether the value of <paramref name="key"/> (colon-separated) was last set by a configuration file rather than a variable or code.</summary>
    public bool IsSetInFile(string key)
    {
        if (root is null)
        {
            return false;
        }

        foreach (IConfigurationProvider provider in root.Providers.Reverse())
        {
            if (provider.TryGet(key, out _))
            {
                return provider is YamlConfigurationProvider;
            }
        }

        return false;
    }

    /// <summary>The value <paramref name="key"/> (colon-separated) holds in the configuration as written, or null when it was not set there.</summary>
    public string? ValueAt(string key) => root?[key];

    /// <summary>The dotted form of a configuration key, as users write it in YAML.</summary>
    internal static string Display(string key) => key.Replace(ConfigurationPath.KeyDelimiter, ".", StringComparison.Ordinal);

    /// <summary>Where <paramref name="key"/> was last set: the last provider that knows it wins.</summary>
    internal string Origin(string key)
    {
        if (root is not null)
        {
            foreach (IConfigurationProvider provider in root.Providers.Reverse())
            {
                if (provider is IConfigurationOrigin origin && origin.Describe(key) is { } where)
                {
                    return where;
                }
            }
        }

        return "code";
    }

    /// <summary>Whether <paramref name="configured"/> (as written) and <paramref name="value"/> (as checked) are the same value: the same text, number or duration.</summary>
    private static bool SameValue(string configured, string value)
    {
        string written = configured.Trim();
        CultureInfo invariant = CultureInfo.InvariantCulture;
        return string.Equals(written, value, StringComparison.OrdinalIgnoreCase)
               || (double.TryParse(written, NumberStyles.Float, invariant, out double a) && double.TryParse(value, NumberStyles.Float, invariant, out double b) && a == b)
               || (TryParseDuration(written, out TimeSpan c) && TryParseDuration(value, out TimeSpan d) && c == d);
    }

    private void BindMember(ConfigurationNode section, object target, SettingsType type)
    {
        SettingsProperty? property = FindProperty(type, section.Key);
        if (property is null)
        {
            string known = string.Join(", ", type.Properties.Select(static p => p.Key));
            Error(section.Path, null, $"unknown key '{ConfigurationLimits.Clip(section.Key)}' (known keys here: {known})");
            return;
        }

        object? current = property.Get(target);
        if (TryBindValue(section, property.Type, current, out object? value) && property.Set is { } set)
        {
            set(target, value);
        }
    }

    private bool TryBindValue(ConfigurationNode section, SettingsType type, object? current, out object? value)
    {
        value = current;
        bool hasChildren = section.HasChildren;

        if (type.Kind == SettingsKind.Scalar)
        {
            if (hasChildren)
            {
                Error(section.Path, null, $"expected {Describe(type)}, found a section");
                return false;
            }

            if (section.Value is null or "")
            {
                return false;
            }

            if (TryParse(section.Value, type, out value, out string? problem))
            {
                return true;
            }

            Error(section.Path, section.Value, problem!);
            return false;
        }

        if (!hasChildren)
        {
            if (!string.IsNullOrEmpty(section.Value))
            {
                Error(section.Path, section.Value, "expected a section of keys, found a single value");
            }

            return false;
        }

        if (type.Kind == SettingsKind.Dictionary)
        {
            var dictionary = (IDictionary)(current ?? type.Create!());
            SettingsType valueType = type.Item;
            foreach (ConfigurationNode child in section.Children)
            {
                object? existing = dictionary.Contains(child.Key) ? dictionary[child.Key] : null;
                if (valueType.Kind != SettingsKind.Scalar)
                {
                    existing ??= valueType.Create?.Invoke();
                }

                if (TryBindValue(child, valueType, existing, out object? item))
                {
                    dictionary[child.Key] = item;
                }
            }

            value = dictionary;
            return true;
        }

        if (type.Kind == SettingsKind.List)
        {
            var list = (IList)type.Create!();
            SettingsType itemType = type.Item;
            foreach (ConfigurationNode child in section.Children)
            {
                if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    Error(child.Path, null, "expected a list item (- ...), found a key");
                    continue;
                }

                object? seed = itemType.Kind == SettingsKind.Scalar ? null : itemType.Create?.Invoke();
                if (TryBindValue(child, itemType, seed, out object? item))
                {
                    list.Add(item);
                }
            }

            value = list;
            return true;
        }

        if (section.Children.All(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            Error(section.Path, null, "expected a section of keys (key: value), found a list");
            return false;
        }

        if ((current ?? type.Create?.Invoke()) is not { } instance)
        {
            Error(section.Path, null, "this section cannot be set from configuration");
            return false;
        }

        foreach (ConfigurationNode child in section.Children)
        {
            BindMember(child, instance, type);
        }

        value = instance;
        return true;
    }

    private static SettingsProperty? FindProperty(SettingsType type, string key) =>
        type.Properties.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase))
        ?? type.Properties.FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>What a value of <paramref name="type"/> is, with its article: "a whole number", "one of A, B".</summary>
    private static string Describe(SettingsType type) => type.Type switch
    {
        _ when type.EnumValues is { } names => "one of " + string.Join(", ", names.Select(static n => n.ConfiguredName ?? n.FieldName.ToUpperInvariant())),
        Type t when t == typeof(int) || t == typeof(long) => "a whole number",
        Type t when t == typeof(double) || t == typeof(decimal) || t == typeof(float) => "a number",
        Type t when t == typeof(bool) => "true or false",
        Type t when t == typeof(TimeSpan) => $"a duration (seconds, or 500ms, 30s, 5m, 2h, 1d) of at most {ConfigurationLimits.MaxDuration.TotalDays:0}d",
        Type t when t == typeof(Uri) => "an absolute address such as http://127.0.0.1:9093",
        _ => "a value",
    };

    internal static bool TryParse(string text, SettingsType settingsType, out object? value, out string? problem)
    {
        Type type = settingsType.Type;
        value = null;
        problem = null;
        string trimmed = text.Trim();
        CultureInfo invariant = CultureInfo.InvariantCulture;
        if (type == typeof(string))
        {
            value = text;
            return true;
        }

        if (type == typeof(int) && int.TryParse(trimmed, NumberStyles.Integer, invariant, out int i))
        {
            value = i;
            return true;
        }

        if (type == typeof(long) && long.TryParse(trimmed, NumberStyles.Integer, invariant, out long l))
        {
            value = l;
            return true;
        }

        if (type == typeof(double) && double.TryParse(trimmed, NumberStyles.Float, invariant, out double d) && double.IsFinite(d))
        {
            value = d;
            return true;
        }

        if (type == typeof(decimal) && decimal.TryParse(trimmed, NumberStyles.Float, invariant, out decimal m))
        {
            value = m;
            return true;
        }

        if (type == typeof(bool) && bool.TryParse(trimmed, out bool b))
        {
            value = b;
            return true;
        }

        if (type == typeof(TimeSpan) && TryParseDuration(trimmed, out TimeSpan span))
        {
            value = span;
            return true;
        }

        if (type == typeof(Uri) && Uri.TryCreate(trimmed, UriKind.Absolute, out Uri? uri))
        {
            value = uri;
            return true;
        }

        foreach (SettingsEnumValue named in settingsType.EnumValues ?? [])
        {
            if (string.Equals(named.ConfiguredName ?? named.FieldName, trimmed, StringComparison.OrdinalIgnoreCase)
                || string.Equals(named.FieldName, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                value = named.Value;
                return true;
            }
        }

        problem = $"expected {Describe(settingsType)}";
        return false;
    }

    /// <summary>
    /// Parses a duration: plain seconds (<c>30</c>, <c>0.5</c>), a number with a unit (<c>250ms</c>, <c>30s</c>, <c>5m</c>,
    /// <c>2h</c>, <c>1d</c>) or <c>hh:mm:ss</c>; one longer than <see cref="ConfigurationLimits.MaxDuration"/> either way
    /// is refused, so no date arithmetic on it can overflow.
    /// </summary>
    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        string t = text.Trim();
        double limit = ConfigurationLimits.MaxDuration.TotalSeconds;
        (string suffix, double scale)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)];
        foreach ((string suffix, double scale) in units)
        {
            if (t.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(t[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out double n))
            {
                return TryFromSeconds(n * scale, limit, out duration);
            }
        }

        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
        {
            return TryFromSeconds(seconds, limit, out duration);
        }

        return t.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out duration)
               && duration >= -ConfigurationLimits.MaxDuration && duration <= ConfigurationLimits.MaxDuration;
    }

    private static bool TryFromSeconds(double seconds, double limit, out TimeSpan duration)
    {
        bool inRange = double.IsFinite(seconds) && Math.Abs(seconds) <= limit;
        duration = inRange ? TimeSpan.FromSeconds(seconds) : default;
        return inRange;
    }
}
