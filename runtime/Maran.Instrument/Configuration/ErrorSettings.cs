using Maran.Instrument.Errors;
using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>The <c>errors:</c> section of <c>monitoring_config.yaml</c>: how errors are tracked, grouped and kept.</summary>
/// <example>
/// <code>
/// errors:
///   in_app_include: [MyCompany]
///   new_group_hours: 24
/// </code>
/// </example>
public sealed class ErrorSettings
{
    /// <summary>When false, neither failures of monitored calls nor <see cref="ErrorTracker.TrackError(string, ErrorSeverity, string, string, Exception?, IReadOnlyDictionary{string, string}?)"/> are recorded.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>Errors waiting to be grouped and stored at most (default 10,000; 1 to 1,000,000); beyond that new ones are dropped and counted (<c>maran_dropped_total</c>).</summary>
    [ConfigurationKeyName("queue_capacity")]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Whether calls the caller cancelled are recorded (as <c>info</c>, category <c>cancelled</c>; never counted in error rates).</summary>
    [ConfigurationKeyName("track_cancellations")]
    public bool TrackCancellations { get; set; } = true;

    /// <summary>Namespace prefixes whose frames are always the application's own, even under an excluded prefix.</summary>
    [ConfigurationKeyName("in_app_include")]
    public List<string> InAppInclude { get; set; } = [];

    /// <summary>Namespace prefixes whose frames are not the application's, added to the built-in ones (System, Microsoft, OpenAI, Azure, ...).</summary>
    [ConfigurationKeyName("in_app_exclude")]
    public List<string> InAppExclude { get; set; } = [];

    /// <summary>How many hours after its first occurrence a group is reported as <c>new</c> rather than <c>ongoing</c> (default 24; 0 to 876,000).</summary>
    [ConfigurationKeyName("new_group_hours")]
    public double NewGroupHours { get; set; } = 24;

    /// <summary>Distinct groups kept at most (default 10,000; 1 to 1,000,000); errors of further groups are counted under one overflow group.</summary>
    [ConfigurationKeyName("max_groups")]
    public int MaxGroups { get; set; } = 10_000;

    internal InAppFilter CreateInAppFilter() =>
        new(InAppInclude, [.. InAppFilter.DefaultExclude, .. InAppExclude]);

    internal void Validate(OptionsBinder binder, string prefix)
    {
        binder.CheckRange($"{prefix}:queue_capacity", QueueCapacity, 1, 1_000_000, "the errors the queue holds");
        binder.CheckRange($"{prefix}:new_group_hours", NewGroupHours, 0, 876_000, "the hours a group is new", minIncluded: true);
        binder.CheckRange($"{prefix}:max_groups", MaxGroups, 1, 1_000_000, "the groups kept");

        CheckPrefixes(binder, $"{prefix}:in_app_include", InAppInclude);
        CheckPrefixes(binder, $"{prefix}:in_app_exclude", InAppExclude);
    }

    private static void CheckPrefixes(OptionsBinder binder, string key, List<string> prefixes)
    {
        for (int i = 0; i < prefixes.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(prefixes[i]) || prefixes[i].Trim() != prefixes[i] || prefixes[i].EndsWith('.'))
            {
                binder.Error($"{key}:{i}", prefixes[i], "a namespace prefix is a dotted name such as MyCompany.Agents, without spaces or a trailing dot");
            }
        }
    }
}
