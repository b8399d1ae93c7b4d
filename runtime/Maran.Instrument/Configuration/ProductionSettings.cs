using Microsoft.Extensions.Configuration;

namespace Maran.Instrument;

/// <summary>The <c>production:</c> section: what changes when the monitoring runs in production.</summary>
public sealed class ProductionSettings
{
    /// <summary>The <c>production.security:</c> section: the audit trail and encryption of logs at rest.</summary>
    [ConfigurationKeyName("security")]
    public ProductionSecuritySettings Security { get; set; } = new();

    internal void Validate(OptionsBinder binder, string prefix) => Security.Validate(binder, $"{prefix}:security");
}
