using System.Diagnostics;
using System.Globalization;
using Maran.Instrument.Integration.Tests.Export;

namespace Maran.Instrument.Integration.Tests.Fleet;

/// <summary>
/// The SLO recording rules <c>maran prometheus rules</c> writes, evaluated by a real Prometheus that scrapes a real
/// process with the same SLO: the burn rate Prometheus records over each window is the one the process's own engine
/// publishes as <c>maran_slo_burn_rate</c>.
/// </summary>
public sealed class SloRulesTests : IDisposable
{
    private const string Slo = "answer_availability";
    private const double ErrorBudget = 0.1;
    private const double FailureRatio = 0.25;

    private const string Configuration = """
        alerts:
          evaluation_interval: 1s
          slos:
            - name: answer_availability
              operation: answer
              component: support
              objective: 0.9
              window: 1h
              burn_rates:
                - { burn_rate: 2, long_window: 20s, short_window: 5s, severity: critical }
        """;

    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(120);

    private readonly string _folder = Directory.CreateTempSubdirectory("maran-slo-rules-").FullName;

    [PrometheusFact]
    public async Task The_burn_rate_prometheus_records_from_the_generated_rules_is_the_processes_own_over_each_window()
    {
        string config = Path.Combine(_folder, "monitoring_config.yaml");
        File.WriteAllText(config, Configuration);
        string rules = Path.Combine(_folder, "rules.yml");
        (int exit, string output) = await RunToolAsync("prometheus", "rules", config, "--output", rules);
        Assert.True(exit == 0, output);

        using Process agent = StartAgent(config);
        try
        {
            using var ready = new CancellationTokenSource(Ready);
            Uri metrics = new(await ReadLineAsync(agent, "metrics ", ready.Token));
            using var prometheus = PrometheusServer.Start(metrics, rules);

            // Both windows full on both sides: the process published its 20s burn rate at 25 scrapes at least, so it
            // ran longer than the window, and Prometheus holds that many samples of its counters.
            string published = $"maran_slo_burn_rate{{slo=\"{Slo}\", window=\"20s\"}}";
            var warm = await prometheus.QueryUntilAsync($"count_over_time({published}[30s]) >= 25", r => r.Count == 1, Ready);
            Assert.True(warm.Count == 1, "the process's 20s burn rate was not scraped 25 times in " + Ready);

            string moment = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
            double callsPerSecond = Assert.Single(await prometheus.QueryAsync(
                "sum(rate(operation_calls_total{operation=\"answer\", status=~\"success|error\"}[20s]))", moment)).Value;
            foreach ((string window, double seconds) in ((string, double)[])[("20s", 20), ("5s", 5)])
            {
                double recorded = Assert.Single(await prometheus.QueryAsync($"slo:sli_error:ratio_rate{window}{{slo=\"{Slo}\"}} / {ErrorBudget.ToString(CultureInfo.InvariantCulture)}", moment)).Value;
                double own = Assert.Single(await prometheus.QueryAsync($"maran_slo_burn_rate{{slo=\"{Slo}\", window=\"{window}\"}}", moment)).Value;

                // Every fourth call fails, so any run of consecutive calls has a failure ratio within one call of 1/4;
                // a snapshot read while a call ends may be one call off at each end of a window. Both sides count at
                // least the calls of the window less two seconds (the process's newest bucket is partly filled, and
                // its last evaluation and Prometheus's last scrape may each be a second old), so each ratio is within
                // 2 / calls of 1/4 and the two within 4 / calls: as a burn rate, that divided by the error budget.
                double calls = callsPerSecond * (seconds - 2);
                double tolerance = 4 / calls / ErrorBudget;
                Assert.True(Math.Abs(recorded - own) <= tolerance,
                    $"over {window}: Prometheus recorded a burn rate of {recorded}, the process published {own} (tolerance {tolerance:0.####}, {calls:0} calls)");
                Assert.InRange(own, (FailureRatio / ErrorBudget) - tolerance, (FailureRatio / ErrorBudget) + tolerance);
            }

            var firing = await prometheus.QueryUntilAsync($"ALERTS{{alertname=\"{Slo}_burn_20s\", alertstate=\"firing\"}}", r => r.Count == 1, Ready);
            Assert.Equal("critical", Assert.Single(firing).Labels["severity"]);
        }
        finally
        {
            agent.Kill();
            await agent.WaitForExitAsync();
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Process StartAgent(string config)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])[Path.Combine(AppContext.BaseDirectory, "Maran.Instrument.CrashWriter.dll"), Directory.CreateDirectory(Path.Combine(_folder, "agent")).FullName, "slo", config])
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<(int ExitCode, string Output)> RunToolAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Maran.Instrument.Tool.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static async Task<string> ReadLineAsync(Process process, string prefix, CancellationToken cancellationToken)
    {
        while (true)
        {
            string? line = await process.StandardOutput.ReadLineAsync(cancellationToken);
            Assert.True(line is not null, $"the process ended before printing '{prefix}'");
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line[prefix.Length..].Trim();
            }
        }
    }
}
