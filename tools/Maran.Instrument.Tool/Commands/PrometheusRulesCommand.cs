using Maran.Instrument.Configuration;
using Maran.Instrument.Tool.Prometheus;

namespace Maran.Instrument.Tool.Commands;

/// <summary>
/// <c>maran prometheus rules [CONFIG] [--output FILE]</c>: loads and checks a configuration as <c>config check</c> does,
/// then writes its alert rules as a Prometheus rules file (<see cref="PrometheusRulesWriter"/>) to standard output or
/// to FILE.
/// </summary>
internal sealed class PrometheusRulesCommand : IToolCommand
{
    public string Group => "prometheus";

    public string Name => "rules";

    public string Arguments => "[CONFIG] [--output FILE]";

    public string Summary => "write the configured alert rules and the dashboard's recording rules as a Prometheus rules file";

    public int Run(IReadOnlyList<string> arguments, ToolContext context)
    {
        string? path = null;
        string? output = null;
        for (int i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] is "--output" or "-o")
            {
                if (i + 1 >= arguments.Count)
                {
                    return context.Fail(ExitCodes.BadInput, $"{arguments[i]} needs a file name");
                }

                output = arguments[++i];
            }
            else if (arguments[i].StartsWith('-'))
            {
                return context.Fail(ExitCodes.BadInput, $"unknown option '{arguments[i]}' (prometheus rules takes --output FILE)");
            }
            else if (path is null)
            {
                path = arguments[i];
            }
            else
            {
                return context.Fail(ExitCodes.BadInput, "prometheus rules takes at most one configuration file (monitoring_config.yaml)");
            }
        }

        if (path is not null && !File.Exists(path))
        {
            return context.Fail(ExitCodes.BadInput, $"no such file: {path}");
        }

        MonitoringOptions options = MonitoringOptions.LoadCollectingErrors(path, context.Environment, out IReadOnlyList<ConfigurationError> loadErrors);
        IReadOnlyList<ConfigurationError> errors = loadErrors.Count > 0 ? loadErrors : options.Validate(new OptionsBinder(options.ConfigurationRoot));
        if (errors.Count > 0)
        {
            context.Error.WriteLine($"maran: the configuration is invalid ({errors.Count} problem{(errors.Count == 1 ? string.Empty : "s")}):");
            foreach (ConfigurationError error in errors)
            {
                context.Error.WriteLine($"  {error}");
            }

            return ExitCodes.CheckFailed;
        }

        string source = path is null ? "the default configuration" : Path.GetFileName(path);
        if (output is null)
        {
            PrometheusRulesWriter.Write(options, source, context.Out);
            return ExitCodes.Success;
        }

        using (var file = new StreamWriter(output, append: false))
        {
            PrometheusRulesWriter.Write(options, source, file);
        }

        context.Error.WriteLine($"maran: wrote {output}");
        return ExitCodes.Success;
    }
}
