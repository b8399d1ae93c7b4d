using System.Text.Json;

namespace Maran.Instrument.Benchmarks.Nab;

/// <summary>A NAB scoring profile: the weights of a detected window, a missed window and a false positive.</summary>
/// <param name="Name">The profile's name in <c>profiles.json</c> (<c>standard</c>, <c>reward_low_FP_rate</c>, <c>reward_low_FN_rate</c>).</param>
/// <param name="TruePositiveWeight">What the earliest possible detection of a window earns.</param>
/// <param name="FalseNegativeWeight">What a missed window costs.</param>
/// <param name="FalsePositiveWeight">What a detection far from any window costs.</param>
public sealed record NabProfile(string Name, double TruePositiveWeight, double FalseNegativeWeight, double FalsePositiveWeight)
{
    /// <summary>Reads every profile of a NAB <c>profiles.json</c>, in file order.</summary>
    public static IReadOnlyList<NabProfile> Load(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        var profiles = new List<NabProfile>();
        foreach (JsonProperty profile in document.RootElement.EnumerateObject())
        {
            JsonElement costs = profile.Value.GetProperty("CostMatrix");
            profiles.Add(new NabProfile(
                profile.Name,
                costs.GetProperty("tpWeight").GetDouble(),
                costs.GetProperty("fnWeight").GetDouble(),
                costs.GetProperty("fpWeight").GetDouble()));
        }

        return profiles;
    }
}
