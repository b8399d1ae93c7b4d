namespace Maran.Instrument.Features;

/// <summary>
/// The features registered in this process, in registration order; each systems built afterwards uses them all. The
/// generated module initializer of an application registers those its references declare; a program may also
/// register one itself before the first system is built.
/// </summary>
public static class MaranFeatures
{
    private static readonly object s_gate = new();
    private static readonly List<MaranFeature> s_features = [];

    /// <summary>Registers <paramref name="feature"/>; a second feature of the same type is ignored.</summary>
    public static void Register(MaranFeature feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        lock (s_gate)
        {
            if (!s_features.Exists(f => f.GetType() == feature.GetType()))
            {
                s_features.Add(feature);
            }
        }
    }

    /// <summary>The names of the registered features, in registration order.</summary>
    public static IReadOnlyList<string> Names
    {
        get
        {
            lock (s_gate)
            {
                return [.. s_features.Select(static f => f.Name)];
            }
        }
    }

    internal static IReadOnlyList<MaranFeature> Registered
    {
        get
        {
            lock (s_gate)
            {
                return [.. s_features];
            }
        }
    }
}
