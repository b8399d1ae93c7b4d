using System.Globalization;
using System.Runtime.InteropServices;
using Maran.Instrument.Configuration;
using Maran.Instrument.Features;

namespace Maran.Instrument.Tool.Commands;

/// <summary>
/// <c>maran dashboard --prometheus URL [--port N] [--host H] [--config FILE]</c>: serves the fleet dashboard, every
/// number read from the Prometheus server at URL across every instance it scrapes, with the access rules and TLS of
/// the configuration (FILE, else <c>MARAN_CONFIG</c>, else <c>monitoring_config.yaml</c> when present; then the
/// <c>MARAN_*</c> variables). Runs until Ctrl+C or SIGTERM.
/// </summary>
internal sealed class DashboardCommand : IToolCommand
{
    public string Group => "dashboard";

    /// <summary>None: the command is the one word <c>maran dashboard</c>.</summary>
    public string Name => string.Empty;

    public string Arguments => "--prometheus URL [--port N] [--host H] [--config FILE]";

    public string Summary => "serve the fleet dashboard, its numbers read from a Prometheus server";

    public int Run(IReadOnlyList<string> arguments, ToolContext context)
    {
        string? url = null, host = null, config = null;
        int? port = null;
        for (int i = 0; i < arguments.Count; i++)
        {
            string argument = arguments[i];
            if (argument is not ("--prometheus" or "--port" or "--host" or "--config"))
            {
                return context.Fail(ExitCodes.BadInput, $"dashboard: unknown argument '{argument}' (usage: maran dashboard {Arguments})");
            }

            if (i + 1 >= arguments.Count)
            {
                return context.Fail(ExitCodes.BadInput, $"dashboard: {argument} needs a value");
            }

            string value = arguments[++i];
            switch (argument)
            {
                case "--prometheus":
                    url = value;
                    break;
                case "--host":
                    host = value;
                    break;
                case "--config":
                    config = value;
                    break;
                default:
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) || parsed > 65535)
                    {
                        return context.Fail(ExitCodes.BadInput, $"dashboard: --port {value}: a port must be between 1 and 65535 (0 picks a free port)");
                    }

                    port = parsed;
                    break;
            }
        }

        if (url is null)
        {
            return context.Fail(ExitCodes.BadInput, "dashboard: --prometheus URL is required: the Prometheus server to read (http://host:9090/)");
        }

        if (DashboardSettings.CheckPrometheusUrl(url) is { } problem)
        {
            return context.Fail(ExitCodes.BadInput, $"dashboard: --prometheus {url}: {problem}");
        }

        if (config is not null && !File.Exists(config))
        {
            return context.Fail(ExitCodes.BadInput, $"dashboard: no such file: {config}");
        }

        MonitoringOptions options = MonitoringOptions.LoadCollectingErrors(config, context.Environment, out IReadOnlyList<ConfigurationError> errors);
        if (errors.Count > 0)
        {
            context.Error.WriteLine("maran: dashboard: the configuration is invalid:");
            foreach (ConfigurationError error in errors)
            {
                context.Error.WriteLine($"  {error}");
            }

            return ExitCodes.CheckFailed;
        }

        options.Dashboard.Source = DashboardSource.Prometheus;
        options.Dashboard.PrometheusUrl = url;
        options.Dashboard.Host = host ?? options.Dashboard.Host;
        options.Monitoring.DashboardPort = port ?? options.Monitoring.DashboardPort;
        return Serve(options, context);
    }

    private static int Serve(MonitoringOptions options, ToolContext context)
    {
        MaranFeatures.Register(new PrometheusFeature());
        using var system = new AdvancedMonitoringSystem(options);
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using PosixSignalRegistration onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        try
        {
            var dashboard = new MonitoringDashboard(system, TimeProvider.System, context.Out);
            try
            {
                dashboard.StartAsync(stop.Token).GetAwaiter().GetResult();
                context.Out.WriteLine($"Reading Prometheus at {options.Dashboard.PrometheusUrl}; Ctrl+C stops.");
                context.Out.Flush();
                stop.Token.WaitHandle.WaitOne();
            }
            finally
            {
                dashboard.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            return ExitCodes.Success;
        }
        catch (DashboardStartException ex)
        {
            return context.Fail(ExitCodes.CheckFailed, ex.Message);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
