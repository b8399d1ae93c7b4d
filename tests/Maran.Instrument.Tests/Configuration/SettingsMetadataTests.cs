using System.Reflection;
using Maran.Instrument.Configuration;
using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Tests.Configuration;

/// <summary>The metadata the settings generator writes describes the options tree exactly as reflection sees it.</summary>
public sealed class SettingsMetadataTests
{
    [Fact]
    public void Every_public_property_of_every_settings_class_is_a_key_with_its_configured_name_in_declaration_order()
    {
        int sections = 0;
        foreach ((Type type, SettingsType metadata) in Reachable(typeof(MonitoringOptions), SettingsMetadata.MonitoringOptions))
        {
            if (metadata.Kind != SettingsKind.Section)
            {
                continue;
            }

            sections++;
            PropertyInfo[] properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
            Assert.Equal(
                properties.Select(p => (p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? p.Name, p.Name, p.CanWrite)),
                metadata.Properties.Select(p => (p.Key, p.Name, p.Set is not null)));
        }

        Assert.True(sections >= 15, $"only {sections} settings classes were reached");
    }

    [Fact]
    public void Every_enumeration_lists_each_member_with_its_configured_name_and_value()
    {
        int enums = 0;
        foreach ((Type type, SettingsType metadata) in Reachable(typeof(MonitoringOptions), SettingsMetadata.MonitoringOptions))
        {
            Type underlying = Nullable.GetUnderlyingType(type) ?? type;
            if (!underlying.IsEnum)
            {
                Assert.Null(metadata.EnumValues);
                continue;
            }

            enums++;
            FieldInfo[] fields = underlying.GetFields(BindingFlags.Public | BindingFlags.Static);
            Assert.Equal(
                fields.Select(f => (f.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name, f.Name, f.GetValue(null))),
                metadata.EnumValues!.Select(v => (v.ConfiguredName, v.FieldName, (object?)v.Value)));
        }

        Assert.True(enums >= 4, $"only {enums} enumerations were reached");
    }

    [Fact]
    public void Getters_and_setters_reach_the_property_they_name()
    {
        var options = new MonitoringOptions();
        SettingsProperty monitoring = SettingsMetadata.MonitoringOptions.Properties.Single(p => p.Key == "monitoring");
        var settings = (MonitoringSettings)monitoring.Get(options)!;
        SettingsProperty port = monitoring.Type.Properties.Single(p => p.Key == "metrics_port");

        port.Set!(settings, 9123);

        Assert.Same(options.Monitoring, settings);
        Assert.Equal(9123, options.Monitoring.MetricsPort);
        Assert.Equal(9123, port.Get(settings));
    }

    /// <summary>Every type the options tree reaches, walked with reflection beside the metadata for it.</summary>
    private static IEnumerable<(Type Type, SettingsType Metadata)> Reachable(Type root, SettingsType metadata)
    {
        var seen = new HashSet<Type>();
        var pending = new Queue<(Type, SettingsType)>([(root, metadata)]);
        while (pending.Count > 0)
        {
            (Type type, SettingsType meta) = pending.Dequeue();
            Type underlying = Nullable.GetUnderlyingType(type) ?? type;
            Assert.Equal(underlying, meta.Type);
            if (!seen.Add(type))
            {
                continue;
            }

            yield return (type, meta);
            switch (meta.Kind)
            {
                case SettingsKind.Section:
                    foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                    {
                        pending.Enqueue((property.PropertyType, meta.Properties.Single(p => p.Name == property.Name).Type));
                    }

                    break;
                case SettingsKind.List:
                case SettingsKind.Dictionary:
                    pending.Enqueue((type.GetGenericArguments()[^1], meta.Item));
                    break;
            }
        }
    }
}
