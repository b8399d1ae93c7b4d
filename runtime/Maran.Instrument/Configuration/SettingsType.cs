namespace Maran.Instrument.Configuration;

/// <summary>What shape a configuration value takes: one value, a section of keys, a list or a map of named values.</summary>
internal enum SettingsKind
{
    /// <summary>One value: a number, text, true/false, a duration, an address or a name from a fixed set.</summary>
    Scalar,

    /// <summary>A section whose keys are the properties of a settings class.</summary>
    Section,

    /// <summary>A list of items (<c>- ...</c> in YAML).</summary>
    List,

    /// <summary>A map of names the user chooses to values.</summary>
    Dictionary,
}

/// <summary>One name of an enumeration as configuration writes it.</summary>
/// <param name="ConfiguredName">The name given by <c>[ConfigurationKeyName]</c>, or null.</param>
/// <param name="FieldName">The name of the enumeration member.</param>
/// <param name="Value">The member's value, boxed.</param>
internal sealed record SettingsEnumValue(string? ConfiguredName, string FieldName, object Value);

/// <summary>One key of a settings class: its configured name, the property behind it and how to read and write it.</summary>
/// <param name="Key">The key as configuration writes it (the <c>[ConfigurationKeyName]</c>, else the property name).</param>
/// <param name="Name">The property's name; a key is matched against it when no configured name matches.</param>
/// <param name="Type">The shape of the property's value.</param>
/// <param name="Get">Reads the property.</param>
/// <param name="Set">Writes the property, or null when it cannot be written.</param>
internal sealed record SettingsProperty(string Key, string Name, SettingsType Type, Func<object, object?> Get, Action<object, object?>? Set);

/// <summary>
/// What the binder knows of a type it binds configuration onto, written at compile time by the settings generator
/// (see <see cref="GenerateSettingsMetadataAttribute"/>), so binding needs no reflection and is safe under trimming
/// and NativeAOT.
/// </summary>
internal sealed class SettingsType
{
    private readonly Func<IReadOnlyList<SettingsProperty>>? _properties;
    private readonly Func<SettingsType>? _item;
    private IReadOnlyList<SettingsProperty>? _resolvedProperties;
    private SettingsType? _resolvedItem;

    private SettingsType(Type type, SettingsKind kind, Func<object>? create, Func<IReadOnlyList<SettingsProperty>>? properties, Func<SettingsType>? item, IReadOnlyList<SettingsEnumValue>? enumValues)
    {
        Type = type;
        Kind = kind;
        Create = create;
        _properties = properties;
        _item = item;
        EnumValues = enumValues;
    }

    /// <summary>The type of the value (for a nullable value type, the type inside).</summary>
    public Type Type { get; }

    /// <summary>The shape of the value.</summary>
    public SettingsKind Kind { get; }

    /// <summary>Makes an empty value (a section, list or dictionary), or null when the type has no public parameterless constructor.</summary>
    public Func<object>? Create { get; }

    /// <summary>The names of an enumeration, in declaration order; null for any other type.</summary>
    public IReadOnlyList<SettingsEnumValue>? EnumValues { get; }

    /// <summary>The keys of a section, in declaration order; empty for any other shape.</summary>
    public IReadOnlyList<SettingsProperty> Properties => _resolvedProperties ??= _properties?.Invoke() ?? [];

    /// <summary>The type of a list's items or a dictionary's values.</summary>
    public SettingsType Item => _resolvedItem ??= _item?.Invoke() ?? throw new InvalidOperationException($"{Type} has no items.");

    /// <summary>A single value of <paramref name="type"/>.</summary>
    public static SettingsType Scalar(Type type) => new(type, SettingsKind.Scalar, null, null, null, null);

    /// <summary>An enumeration with <paramref name="values"/>.</summary>
    public static SettingsType Enum(Type type, IReadOnlyList<SettingsEnumValue> values) => new(type, SettingsKind.Scalar, null, null, null, values);

    /// <summary>A settings class with its keys.</summary>
    public static SettingsType Section(Type type, Func<object>? create, Func<IReadOnlyList<SettingsProperty>> properties) =>
        new(type, SettingsKind.Section, create, properties, null, null);

    /// <summary>A list of <paramref name="item"/>.</summary>
    public static SettingsType List(Type type, Func<object> create, Func<SettingsType> item) => new(type, SettingsKind.List, create, null, item, null);

    /// <summary>A dictionary from names to <paramref name="item"/>.</summary>
    public static SettingsType Dictionary(Type type, Func<object> create, Func<SettingsType> item) => new(type, SettingsKind.Dictionary, create, null, item, null);
}

/// <summary>
/// Asks the settings generator to write <see cref="SettingsType"/> metadata for <see cref="Root"/> and every type
/// reachable from its public properties, as a static property named after the root type on the partial class this
/// attribute marks.
/// </summary>
/// <param name="root">The options class configuration is bound onto.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
internal sealed class GenerateSettingsMetadataAttribute(Type root) : Attribute
{
    /// <summary>The options class configuration is bound onto.</summary>
    public Type Root { get; } = root;
}

/// <summary>The metadata of every options tree the runtime binds; the properties are written by the settings generator.</summary>
[GenerateSettingsMetadata(typeof(MonitoringOptions))]
internal static partial class SettingsMetadata;
