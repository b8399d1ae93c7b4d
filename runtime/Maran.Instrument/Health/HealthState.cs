using System.Text.Json.Serialization;
using Maran.Instrument.Configuration;

namespace Maran.Instrument.Health;

/// <summary>The health status word; serialised as its name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HealthState>))]
public enum HealthState
{
    /// <summary>No threshold is violated.</summary>
    Healthy,

    /// <summary>At least one threshold is violated, and the score is at or above <see cref="HealthSettings.CriticalBelow"/>.</summary>
    Degraded,

    /// <summary>The score is below <see cref="HealthSettings.CriticalBelow"/>.</summary>
    Critical,
}
