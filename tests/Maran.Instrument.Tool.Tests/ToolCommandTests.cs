using System.Collections;
using System.Diagnostics;
using Maran.Instrument.Errors;

namespace Maran.Instrument.Tool.Tests;

public class ToolCommandTests
{
    private static string Write(string folder, string name, string text)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Line(ToolRun run, string start) =>
        Assert.Single(run.Output.ReplaceLineEndings("\n").Split('\n'), l => l.StartsWith(start, StringComparison.Ordinal));

    [Fact]
    public async Task Db_check_reports_integrity_schema_versions_and_rows_of_a_database_the_sqlite_package_made()
    {
        using var test = new SecurityTestSystem();
        test.Monitoring.Start();
        test.Monitoring.ErrorTracker.TrackError("TimeoutError", ErrorSeverity.Error, "db-check", "the model timed out");
        await test.Monitoring.ErrorTracker.FlushAsync();
        test.Monitoring.Stop();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        ToolRun checkedDb = SecurityTestSystem.RunTool(null, "db", "check", test.DatabasePath);

        Assert.Equal(0, checkedDb.ExitCode);
        Assert.Contains("integrity: ok", checkedDb.Output, StringComparison.Ordinal);
        Assert.Matches(@"schema:\n(  \w+: version \d+\n)+", checkedDb.Output.ReplaceLineEndings("\n"));
        Assert.Matches(@"  errors: [1-9]\d*\n", checkedDb.Output.ReplaceLineEndings("\n"));
        Assert.Contains("  logs: ", checkedDb.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Db_check_refuses_a_file_that_is_not_a_database_and_a_path_that_does_not_exist()
    {
        using var test = new SecurityTestSystem();
        string text = Write(test.Folder, "notes.db", "these are not the tables you are looking for\n");

        ToolRun notDatabase = SecurityTestSystem.RunTool(null, "db", "check", text);
        ToolRun missing = SecurityTestSystem.RunTool(null, "db", "check", Path.Combine(test.Folder, "absent.db"));

        Assert.Equal(2, notDatabase.ExitCode);
        Assert.Contains("is not a SQLite database", notDatabase.Error, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no such file", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_check_prints_each_effective_value_with_its_file_line_variable_or_default()
    {
        using var test = new SecurityTestSystem();
        string file = Write(test.Folder, "monitoring_config.yaml", """
            monitoring:
              metrics_port: 9191
            production:
              security:
                audit_all_operations: true
                audit_directory: "{AUDIT}"
            """.Replace("{AUDIT}", test.AuditFolder, StringComparison.Ordinal));

        // Under production a secret comes from the environment or a file, never inline.
        ToolRun run = SecurityTestSystem.RunTool(new Hashtable { ["MARAN_LOG_LEVEL"] = "DEBUG", ["MARAN_DASHBOARD_TOKEN"] = "a-long-secret-token-0123456789" }, "config", "check", file);
        string[] lines = run.Output.ReplaceLineEndings("\n").Split('\n');

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^monitoring\.metrics_port = 9191 +\(monitoring_config\.yaml line 2\)$", Assert.Single(lines, l => l.StartsWith("monitoring.metrics_port ", StringComparison.Ordinal)));
        Assert.Matches(@"^monitoring\.log_level = DEBUG +\(environment variable MARAN_LOG_LEVEL\)$", Assert.Single(lines, l => l.StartsWith("monitoring.log_level ", StringComparison.Ordinal)));
        Assert.Matches(@"^monitoring\.dashboard_port = 8080 +\(default\)$", Assert.Single(lines, l => l.StartsWith("monitoring.dashboard_port ", StringComparison.Ordinal)));
        Assert.Matches(@"\(monitoring_config\.yaml line 5\)$", Assert.Single(lines, l => l.StartsWith("production.security.audit_all_operations ", StringComparison.Ordinal)));
        Assert.Matches(@"^dashboard\.token = \(hidden\) +\(environment variable MARAN_DASHBOARD_TOKEN\)$", Assert.Single(lines, l => l.StartsWith("dashboard.token ", StringComparison.Ordinal)));
        Assert.DoesNotContain("a-long-secret-token", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_check_prints_the_sampling_rate_start_applies_under_audit_with_the_configured_one_and_why()
    {
        using var test = new SecurityTestSystem();
        string audited = Write(test.Folder, "audited.yaml", """
            monitoring:
              sampling:
                rate: 16
            production:
              security:
                audit_all_operations: true
                audit_directory: "{AUDIT}"
            """.Replace("{AUDIT}", test.AuditFolder, StringComparison.Ordinal));
        string sampled = Write(test.Folder, "sampled.yaml", """
            monitoring:
              sampling:
                rate: 16
            """);

        ToolRun auditedRun = SecurityTestSystem.RunTool(new Hashtable { ["MARAN_DASHBOARD_TOKEN"] = "a-long-secret-token-0123456789" }, "config", "check", audited);
        ToolRun sampledRun = SecurityTestSystem.RunTool(null, "config", "check", sampled);
        Assert.Equal(0, auditedRun.ExitCode);
        Assert.Matches(@"^monitoring\.sampling\.rate = 1 +\(audited\.yaml line 3 sets 16; production\.security\.audit_all_operations audits, and so times, every call\)$", Line(auditedRun, "monitoring.sampling.rate "));
        Assert.Matches(@"^monitoring\.sampling\.rate = 16 +\(sampled\.yaml line 3\)$", Line(sampledRun, "monitoring.sampling.rate "));
    }

    [Fact]
    public void Config_check_names_the_key_value_and_line_of_each_bad_setting_and_exits_1()
    {
        using var test = new SecurityTestSystem();
        string file = Write(test.Folder, "bad.yaml", """
            monitoring:
              metrics_port: ninety
            production:
              security:
                encrypt_logs: true
            """);

        ToolRun run = SecurityTestSystem.RunTool(null, "config", "check", file);
        ToolRun missing = SecurityTestSystem.RunTool(null, "config", "check", Path.Combine(test.Folder, "absent.yaml"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("bad.yaml line 2: monitoring.metrics_port = 'ninety'", run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Output);
        Assert.Equal(2, missing.ExitCode);
    }

    [Fact]
    public void Config_check_fails_as_start_does_when_encrypted_logs_have_no_key()
    {
        using var test = new SecurityTestSystem();
        string file = Write(test.Folder, "keyless.yaml", """
            production:
              security:
                encrypt_logs: true
            """);

        ToolRun run = SecurityTestSystem.RunTool(null, "config", "check", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("keyless.yaml line 3: production.security.encrypt_logs: encrypt_logs is on but there is no key", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_command_or_missing_arguments_print_the_usage_and_exit_2()
    {
        ToolRun unknown = SecurityTestSystem.RunTool(null, "prometheus", "rulez");
        ToolRun noFiles = SecurityTestSystem.RunTool(null, "audit", "verify");

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown command 'prometheus rulez'", unknown.Error, StringComparison.Ordinal);
        Assert.Contains("audit verify", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(2, noFiles.ExitCode);
    }

    [Theory]
    [InlineData(new[] { "dashboard" }, "--prometheus URL is required")]
    [InlineData(new[] { "dashboard", "--prometheus", "ftp://prometheus:9090/" }, "--prometheus ftp://prometheus:9090/: the Prometheus address must use http or https, not ftp")]
    [InlineData(new[] { "dashboard", "--prometheus", "http://prometheus:9090/", "--port", "70000" }, "--port 70000: a port must be between 1 and 65535")]
    [InlineData(new[] { "dashboard", "--prometheus" }, "--prometheus needs a value")]
    [InlineData(new[] { "dashboard", "--prometheus", "http://prometheus:9090/", "--tls" }, "unknown argument '--tls'")]
    public void The_fleet_dashboard_command_names_the_argument_it_refuses_and_exits_2(string[] args, string why)
    {
        ToolRun run = SecurityTestSystem.RunTool(null, args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("maran: dashboard: " + why, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_help_lists_the_one_word_dashboard_command_with_its_arguments()
    {
        ToolRun help = SecurityTestSystem.RunTool(null, "--help");
        ToolRun usage = SecurityTestSystem.RunTool(null, "dashboard", "--help");

        Assert.Contains("dashboard --prometheus URL [--port N] [--host H]", help.Output, StringComparison.Ordinal);
        Assert.Contains("usage: maran dashboard --prometheus URL", usage.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_maran_executable_run_as_a_process_verifies_a_trail_and_exits_1_on_a_broken_one()
    {
        using var test = new SecurityTestSystem(o => o.Production!.Security.AuditAllOperations = true);
        test.Monitoring.Start();
        test.Monitoring.Audit.RecordAuthenticationFailure("192.0.2.9", "GET /api/overview", "invalid");
        await test.Monitoring.Audit.FlushAsync();
        test.Monitoring.Stop();
        string file = Assert.Single(test.AuditFiles);

        (int intactExit, string intactOutput) = await RunMaranAsync("audit", "verify", file);
        string[] lines = File.ReadAllLines(file);
        File.WriteAllLines(file, [lines[0], .. lines[2..]]);
        (int brokenExit, string brokenOutput) = await RunMaranAsync("audit", "verify", file);

        Assert.Equal(0, intactExit);
        Assert.Contains($"intact: {lines.Length} records", intactOutput, StringComparison.Ordinal);
        Assert.Equal(1, brokenExit);
        Assert.Contains("line 2:", brokenOutput, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> RunMaranAsync(params string[] args)
    {
        string tool = Path.Combine(AppContext.BaseDirectory, "Maran.Instrument.Tool.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(tool);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
