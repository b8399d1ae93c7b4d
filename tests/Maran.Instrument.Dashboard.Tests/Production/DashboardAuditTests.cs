using System.Collections;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Maran.Instrument.Configuration;
using Maran.Instrument.Tool;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>With the audit trail on, the dashboard records every refused credential and every change in it.</summary>
public sealed class DashboardAuditTests : IDisposable
{
    private readonly string _operatorVariable = "MARAN_TEST_OPERATOR_" + Guid.NewGuid().ToString("N");
    private readonly string _operatorSecret = "operator-secret-" + Guid.NewGuid().ToString("N");
    private readonly string _auditFolder = Path.Combine(Path.GetTempPath(), "maran-dashboard-audit-" + Guid.NewGuid().ToString("N"));

    public DashboardAuditTests() => Environment.SetEnvironmentVariable(_operatorVariable, _operatorSecret);

    [Fact]
    public async Task A_bad_token_and_an_operator_silence_are_in_the_audit_trail_that_maran_audit_verify_finds_intact()
    {
        const string BadToken = "a-wrong-token-that-must-not-reach-the-audit";
        string file;
        await using (TestDashboard server = await StartAsync())
        {
            using HttpResponseMessage refused = await SendAsync(server, HttpMethod.Get, "api/overview", BadToken);
            using HttpResponseMessage silenced = await SendAsync(server, HttpMethod.Post, "api/alerts/silences", _operatorSecret, """{"matchers":{"alertname":"QueueBacklog"},"minutes":30}""");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal(HttpStatusCode.Created, silenced.StatusCode);
            await server.System.Audit.FlushAsync();
            await server.Dashboard.StopAsync();
            server.System.Stop();
            file = Assert.Single(Directory.GetFiles(_auditFolder, "audit-*.jsonl"));
        }

        List<JsonElement> records = [.. File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
        JsonElement failure = Assert.Single(records, r => Text(r, "type") == "auth_failure");
        JsonElement write = Assert.Single(records, r => Text(r, "type") == "dashboard_write");
        int exit = RunAuditVerify(file, out string output, out string error);

        Assert.Equal("invalid", Text(failure, "reason"));
        Assert.Equal("GET /api/overview", Text(failure, "route"));
        Assert.Equal("127.0.0.1", Text(failure, "client"));
        Assert.Equal("oncall", Text(write, "token"));
        Assert.Equal("POST /api/alerts/silences", Text(write, "route"));
        Assert.Equal("silence alertname=QueueBacklog for 30 min", Text(write, "change"));
        Assert.Equal("201", Text(write, "outcome"));
        Assert.Equal("127.0.0.1", Text(write, "client"));
        string text = File.ReadAllText(file);
        Assert.DoesNotContain(BadToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(_operatorSecret, text, StringComparison.Ordinal);
        Assert.True(exit == 0, error);
        Assert.Contains($"intact: {records.Count} records", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_viewer_asking_for_a_change_is_recorded_as_refused_with_its_reason()
    {
        string viewerVariable = "MARAN_TEST_VIEWER_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(viewerVariable, "viewer-secret-of-the-audit-test");
        string file;
        try
        {
            await using TestDashboard server = await StartAsync(o => o.Dashboard.Tokens.Add(new DashboardTokenSettings { Name = "grafana", Role = DashboardRole.Viewer, TokenEnv = viewerVariable }));
            using HttpResponseMessage refused = await SendAsync(server, HttpMethod.Post, "api/alerts/silences", "viewer-secret-of-the-audit-test", """{"matchers":{"alertname":"QueueBacklog"}}""");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            await server.System.Audit.FlushAsync();
            file = Assert.Single(Directory.GetFiles(_auditFolder, "audit-*.jsonl"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(viewerVariable, null);
        }

        List<JsonElement> records = [.. File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
        JsonElement failure = Assert.Single(records, r => Text(r, "type") == "auth_failure");

        Assert.Equal(AccessGuard.ViewerRole, Text(failure, "reason"));
        Assert.Equal("POST /api/alerts/silences", Text(failure, "route"));
        Assert.DoesNotContain(records, r => Text(r, "type") == "dashboard_write");
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_operatorVariable, null);
        try
        {
            Directory.Delete(_auditFolder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was written.
        }
    }

    private static string? Text(JsonElement record, string name) =>
        record.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int RunAuditVerify(string file, out string output, out string error)
    {
        using var standardOutput = new StringWriter();
        using var standardError = new StringWriter();
        int exit = MaranTool.Run(["audit", "verify", file], standardOutput, standardError, new Hashtable());
        output = standardOutput.ToString();
        error = standardError.ToString();
        return exit;
    }

    private static async Task<HttpResponseMessage> SendAsync(TestDashboard server, HttpMethod method, string path, string secret, string? json = null)
    {
        using var client = new HttpClient { BaseAddress = server.Url };
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    // The audit trail runs while the system does.
    private async Task<TestDashboard> StartAsync(Action<MonitoringOptions>? configure = null)
    {
        TestDashboard server = await TestDashboard.StartAsync(o =>
        {
            o.Production = new ProductionSettings();
            o.Production.Security.AuditAllOperations = true;
            o.Production.Security.AuditDirectory = _auditFolder;
            o.Dashboard.Tokens.Add(new DashboardTokenSettings { Name = "oncall", Role = DashboardRole.Operator, TokenEnv = _operatorVariable });
            configure?.Invoke(o);
        });
        server.System.StopOnProcessExit = false;
        server.System.Start();
        return server;
    }
}
