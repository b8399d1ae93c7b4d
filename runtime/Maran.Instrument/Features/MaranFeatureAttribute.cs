namespace Maran.Instrument.Features;

/// <summary>
/// Declares the feature an assembly provides. The generator finds it on the application's references and emits a
/// module initializer that registers the feature (<see cref="MaranFeatures.Register"/>), so a package is in use as
/// soon as it is referenced, with no code and no reflection at run time.
/// </summary>
/// <param name="featureType">A type deriving from <see cref="MaranFeature"/> with a public parameterless constructor.</param>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class MaranFeatureAttribute(Type featureType) : Attribute
{
    /// <summary>The feature's type.</summary>
    public Type FeatureType { get; } = featureType;
}
