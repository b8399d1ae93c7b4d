using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Maran.Instrument.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>Failed authentications are limited per client address (429 with Retry-After) and counted on /metrics and in the overview.</summary>
public class RateLimitTests
{
    private const string Token = "the-right-token-for-this-test";

    [Fact]
    public async Task Past_the_failure_limit_an_address_is_answered_429_even_with_the_right_token_until_the_window_lets_it_try()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using TestDashboard server = await TestDashboard.StartAsync(Limited, time);

        var wrong = new List<HttpStatusCode>();
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage failed = await GetAsync(server, "api/overview", "a-wrong-token-" + i);
            wrong.Add(failed.StatusCode);
        }

        using HttpResponseMessage limited = await GetAsync(server, "api/overview", Token);
        time.Advance(TimeSpan.FromMinutes(1));
        using HttpResponseMessage later = await GetAsync(server, "api/overview", Token);

        Assert.All(wrong, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        long retryAfter = (long)limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task Failed_and_limited_authentications_are_counted_on_metrics()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using TestDashboard server = await TestDashboard.StartAsync(Limited, time);
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage failed = await GetAsync(server, "metrics", "a-wrong-token");
        }

        using HttpResponseMessage missing = await GetAsync(server, "metrics", null);
        time.Advance(TimeSpan.FromMinutes(1));
        using HttpResponseMessage metrics = await GetAsync(server, "metrics", Token);
        string exposition = await metrics.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, missing.StatusCode);
        Assert.Contains("maran_dashboard_auth_failures_total{reason=\"invalid\"} 3", exposition, StringComparison.Ordinal);
        Assert.Contains("maran_dashboard_auth_failures_total{reason=\"rate_limited\"} 1", exposition, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_overview_shows_the_failed_authentications()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o => o.Dashboard.Token = Token);
        using HttpResponseMessage missing = await GetAsync(server, "api/overview", null);
        using HttpResponseMessage wrong = await GetAsync(server, "api/overview", "a-wrong-token");

        JsonElement overview = await server.WaitForJsonAsync("api/overview", json => json.GetProperty("clients").GetProperty("authFailures").GetInt64() == 2);

        Assert.Equal(0, overview.GetProperty("clients").GetProperty("authRateLimited").GetInt64());
    }

    [Fact]
    public void Another_address_keeps_its_own_attempts()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var limiter = new AuthFailureLimiter(2, TimeSpan.FromMinutes(1), time);
        IPAddress attacker = IPAddress.Parse("192.0.2.7");
        IPAddress other = IPAddress.Parse("192.0.2.8");

        limiter.Failed(attacker);
        limiter.Failed(attacker);

        Assert.NotNull(limiter.RetryAfter(attacker));
        Assert.Null(limiter.RetryAfter(other));
    }

    private static void Limited(MonitoringOptions options)
    {
        options.Dashboard.Token = Token;
        options.Dashboard.AuthFailureLimit = 3;
        options.Dashboard.AuthFailureWindow = TimeSpan.FromMinutes(1);
    }

    private static async Task<HttpResponseMessage> GetAsync(TestDashboard server, string path, string? token)
    {
        using var client = new HttpClient { BaseAddress = server.Url };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.GetAsync(path);
    }
}
