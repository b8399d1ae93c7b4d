using Maran.Instrument.Alerts;
using Maran.Instrument.Configuration;
using Maran.Instrument.Costs;
using Maran.Instrument.Storage;

namespace Maran.Instrument.Features;

/// <summary>
/// A package that adds to the monitoring system: storage on disk, a metrics endpoint, structured logging, an alert
/// channel, a tokenizer. Each feature package declares its feature with <see cref="MaranFeatureAttribute"/>; the
/// generator registers the features an application references (<see cref="MaranFeatures.Register"/>) before
/// <see cref="AdvancedMonitoringSystem.Default"/> is built, so referencing the package is all it takes. Every
/// system built afterwards asks each registered feature, once, what it contributes; the core knows no feature by
/// name and works with none (everything then lives in memory).
/// </summary>
public abstract class MaranFeature
{
    /// <summary>Only the toolkit's feature packages derive from this class.</summary>
    internal MaranFeature()
    {
    }

    /// <summary>The feature's name, as the package says it: <c>sqlite</c>, <c>prometheus</c>, <c>serilog</c>...</summary>
    public abstract string Name { get; }

    /// <summary>Adds what the feature contributes to one system being built.</summary>
    internal abstract void Contribute(FeatureContributions contributions);
}

/// <summary>
/// What the registered features give one system, collected before the system builds its parts: the storage (at
/// most one), the token counter (at most one), alert channels, and components built from the finished core
/// (a component that runs in the background is started and stopped with the system).
/// </summary>
internal sealed class FeatureContributions
{
    private readonly List<string> _features = [];

    /// <summary>The storage of errors, costs, logs and alert history; memory only when no feature gives one.</summary>
    public Func<MonitoringOptions, TimeProvider, IMonitoringStorage>? Storage { get; private set; }

    /// <summary>Makes a token counter for an encoding, for <c>costs.estimate_tokens</c>; none when no feature gives one.</summary>
    public Func<string, ITokenCounter>? Tokenizers { get; private set; }

    /// <summary>Alert channels by the settings key they are configured under.</summary>
    public List<AlertChannelKind> AlertChannels { get; } = [];

    /// <summary>Parts built from the finished core, in registration order.</summary>
    public List<FeatureComponent> Components { get; } = [];

    /// <summary>The features that contributed, in registration order.</summary>
    public IReadOnlyList<string> Features => _features;

    public void UseStorage(Func<MonitoringOptions, TimeProvider, IMonitoringStorage> storage) => Storage = storage;

    public void UseTokenizers(Func<string, ITokenCounter> tokenizers) => Tokenizers = tokenizers;

    public void AddAlertChannel(AlertChannelKind kind) => AlertChannels.Add(kind);

    /// <summary>Adds a part built from the finished core; one that <paramref name="startsFirst"/> starts before the core's services and stops after them.</summary>
    public void AddComponent(Func<AdvancedMonitoringSystem, object> create, bool startsFirst = false) => Components.Add(new FeatureComponent(create, startsFirst));

    internal static FeatureContributions From(IEnumerable<MaranFeature> features)
    {
        var contributions = new FeatureContributions();
        foreach (MaranFeature feature in features)
        {
            feature.Contribute(contributions);
            contributions._features.Add(feature.Name);
        }

        return contributions;
    }
}

/// <summary>A part a feature builds from the finished core.</summary>
/// <param name="Create">Builds the part; a part that is a background service is started and stopped with the system, one that is disposable is disposed with it.</param>
/// <param name="StartsFirst">Whether it starts before the core's services (and stops after them): the log, which the others report to.</param>
internal sealed record FeatureComponent(Func<AdvancedMonitoringSystem, object> Create, bool StartsFirst);
