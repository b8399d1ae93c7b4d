using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Maran.Instrument.Hosting.Tests;

/// <summary>
/// A real ASP.NET Core app (tests/Maran.Instrument.Hosting.TestApp) with AddMaranMonitoring and AddMaranHealthCheck,
/// configured only by the appsettings.json of the folder it starts in, called over HTTP and ended with SIGTERM.
/// </summary>
public sealed class HostProcessTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("maran-host-").FullName;
    private readonly System.Text.StringBuilder _errors = new();

    [Fact]
    public async Task Monitored_calls_are_counted_by_the_system_the_services_hold_and_on_metrics_and_SIGTERM_writes_their_errors()
    {
        WriteSettings("""{ "memory_percent": 100, "cpu_percent": 100, "disk_percent": 100 }""", criticalBelow: 0);
        using Process app = Start();
        try
        {
            using var ready = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            using var http = new HttpClient { BaseAddress = new Uri(await ReadLineAsync(app, "listening ", ready.Token)), Timeout = TimeSpan.FromSeconds(60) };

            Assert.Equal("30 10", await Post(http, "work/30"));
            Assert.Equal("30 10 True True", await http.GetStringAsync(new Uri("counts", UriKind.Relative)));
            string metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative));
            Assert.Contains("operation_calls_total{operation=\"step\",component=\"hosted_app\",kind=\"operation\",status=\"success\"} 20", metrics, StringComparison.Ordinal);
            Assert.Contains("operation_calls_total{operation=\"step\",component=\"hosted_app\",kind=\"operation\",status=\"error\"} 10", metrics, StringComparison.Ordinal);

            Send("TERM", app.Id);
            using var stopped = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await ReadLineAsync(app, "stopped", stopped.Token);
            await app.WaitForExitAsync(stopped.Token);
        }
        finally
        {
            Kill(app);
        }

        Assert.Equal(0, app.ExitCode);
        Assert.Equal(10, CountErrors());
    }

    [Theory]
    [InlineData(100, 0, "Healthy", 200)]
    [InlineData(0.001, 0, "Degraded", 200)]
    [InlineData(0.001, 100, "Unhealthy", 503)]
    public async Task Healthz_reflects_the_thresholds_set_in_appsettings_json(double memoryPercent, double criticalBelow, string expected, int status)
    {
        WriteSettings(string.Create(CultureInfo.InvariantCulture, $$"""{ "memory_percent": {{memoryPercent}}, "cpu_percent": 100, "disk_percent": 100 }"""), criticalBelow);
        using Process app = Start();
        try
        {
            using var ready = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            using var http = new HttpClient { BaseAddress = new Uri(await ReadLineAsync(app, "listening ", ready.Token)), Timeout = TimeSpan.FromSeconds(60) };

            using HttpResponseMessage answer = await http.GetAsync(new Uri("healthz", UriKind.Relative));

            Assert.Equal(expected, await answer.Content.ReadAsStringAsync());
            Assert.Equal(status, (int)answer.StatusCode);
        }
        finally
        {
            Kill(app);
        }
    }

    [Fact]
    public async Task A_bad_key_in_appsettings_json_stops_the_start_naming_the_file_the_key_and_the_value()
    {
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), """
            { "Maran": { "monitoring": { "metrics_port": 0, "health_check_intervall": 5 } } }
            """);
        using Process app = Start();
        using var ended = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string output = await app.StandardOutput.ReadToEndAsync(ended.Token);
        await app.WaitForExitAsync(ended.Token);
        string all = output + Errors();

        Assert.NotEqual(0, app.ExitCode);
        Assert.DoesNotContain("listening ", all, StringComparison.Ordinal);
        Assert.Contains("appsettings.json: monitoring.health_check_intervall: unknown key 'health_check_intervall'", all, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private void WriteSettings(string thresholds, double criticalBelow)
    {
        string data = Path.Combine(_folder, "data").Replace("\\", "\\\\", StringComparison.Ordinal);
        string logs = Path.Combine(_folder, "logs").Replace("\\", "\\\\", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "Logging": { "LogLevel": { "Default": "Warning" } },
              "Urls": "http://127.0.0.1:0",
              "Maran": {
                "monitoring": {
                  "metrics_port": 0,
                  "data_dir": "{{data}}",
                  "logs_dir": "{{logs}}",
                  "health_thresholds": {{thresholds}},
                  "health": { "critical_below": {{criticalBelow}}, "gpu": false }
                },
                "alerts": { "enabled": false }
              }
            }
            """));
    }

    private Process Start()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Maran.Instrument.Hosting.TestApp.dll"));
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        Process process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        return process;
    }

    private string Errors()
    {
        lock (_errors)
        {
            return _errors.ToString();
        }
    }

    private static async Task<string> Post(HttpClient http, string path)
    {
        using HttpResponseMessage answer = await http.PostAsync(new Uri(path, UriKind.Relative), content: null);
        answer.EnsureSuccessStatusCode();
        return await answer.Content.ReadAsStringAsync();
    }

    private async Task<string> ReadLineAsync(Process process, string prefix, CancellationToken cancellationToken)
    {
        while (true)
        {
            string? line = await process.StandardOutput.ReadLineAsync(cancellationToken);
            Assert.True(line is not null, $"the app ended before printing '{prefix}':\n{Errors()}");
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line[prefix.Length..];
            }
        }
    }

    /// <summary>Sends a real signal with kill(1); <see cref="Process.Kill()"/> would send SIGKILL, which nothing can handle.</summary>
    private static void Send(string signal, int pid)
    {
        using var kill = Process.Start("/bin/kill", ["-s", signal, pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static void Kill(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    private long CountErrors()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "data", "maran.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM errors WHERE component = 'hosted_app'";
        return (long)command.ExecuteScalar()!;
    }
}
