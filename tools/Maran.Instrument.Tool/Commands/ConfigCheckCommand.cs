using System.Globalization;
using Maran.Instrument.Configuration;
using Maran.Instrument.Health;

namespace Maran.Instrument.Tool.Commands;

/// <summary>
/// <c>maran config check [FILE]</c>: loads a configuration as <c>AdvancedMonitoringSystem.Start()</c> would (the file,
/// else <c>MARAN_CONFIG</c>, else <c>monitoring_config.yaml</c>; then the <c>MARAN_*</c> variables), runs the same
/// checks, and prints every effective value with where it came from: file and line, environment variable, or default.
/// A value <c>Start()</c> overrides (<c>monitoring.sampling.rate</c> under <c>audit_all_operations</c>) is printed as
/// applied, with the configured value and why.
/// </summary>
internal sealed class ConfigCheckCommand : IToolCommand
{
    private const string SampleRateKey = "monitoring.sampling.rate";

    public string Group => "config";

    public string Name => "check";

    public string Arguments => "[FILE]";

    public string Summary => "validate a configuration as Start() does; print effective values and their sources";

    public int Run(IReadOnlyList<string> arguments, ToolContext context)
    {
        if (arguments.Count > 1)
        {
            return context.Fail(ExitCodes.BadInput, "config check takes at most one file (monitoring_config.yaml)");
        }

        string? path = arguments.Count == 1 ? arguments[0] : null;
        if (path is not null && !File.Exists(path))
        {
            return context.Fail(ExitCodes.BadInput, $"no such file: {path}");
        }

        MonitoringOptions options = MonitoringOptions.LoadCollectingErrors(path, context.Environment, out IReadOnlyList<ConfigurationError> loadErrors);
        var health = new SystemHealthMonitor(options.Monitoring);
        IReadOnlyList<ConfigurationError> errors = AdvancedMonitoringSystem.Check(options, loadErrors, health, context.Variable, out _);
        if (errors.Count > 0)
        {
            context.Error.WriteLine($"maran: the configuration is invalid ({errors.Count} problem{(errors.Count == 1 ? string.Empty : "s")}):");
            foreach (ConfigurationError error in errors)
            {
                context.Error.WriteLine($"  {error}");
            }

            return ExitCodes.CheckFailed;
        }

        IReadOnlyList<EffectiveSetting> settings = EffectiveConfiguration.Of(options);
        IReadOnlyList<string> sources = EffectiveConfiguration.Sources(settings);
        context.Out.WriteLine($"valid: read from {(sources.Count == 0 ? "defaults only" : string.Join(", ", sources))}");
        int width = settings.Max(static s => s.Key.Length + s.Value.Length) + 3;
        foreach (EffectiveSetting setting in settings)
        {
            EffectiveSetting applied = AsApplied(setting, options);
            context.Out.WriteLine($"{applied.Key} = {applied.Value}".PadRight(width) + $"({applied.Source})");
        }

        return ExitCodes.Success;
    }

    // A setting Start() overrides shows the value it applies, with the configured one and why in its source.
    private static EffectiveSetting AsApplied(EffectiveSetting setting, MonitoringOptions options) =>
        setting.Key == SampleRateKey && options.SampleIntervalOverride is { } overridden
            ? setting with
            {
                Value = options.EffectiveSampleInterval.ToString(CultureInfo.InvariantCulture),
                Source = $"{setting.Source} sets {setting.Value}; {overridden}",
            }
            : setting;
}
