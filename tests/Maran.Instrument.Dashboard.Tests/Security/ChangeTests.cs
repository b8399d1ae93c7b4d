using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>Silencing is the dashboard's only change: it must come from the dashboard's own page (CSRF), and pass the access rules.</summary>
public class ChangeTests
{
    private const string Token = "correct-horse-battery-staple";
    private const string Body = """{"matchers":{"alertname":"QueueBacklog"}}""";

    [Fact]
    public async Task A_change_without_the_csrf_token_is_refused()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();
        using var request = Post(server, Body);

        using HttpResponseMessage response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("CSRF", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(server.System.Alerts.GetSilences());
    }

    [Fact]
    public async Task A_change_with_a_wrong_csrf_token_is_refused()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();
        using var request = Post(server, Body);
        request.Headers.Add("X-Maran-Csrf", "not-the-token");

        using HttpResponseMessage response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(server.System.Alerts.GetSilences());
    }

    [Fact]
    public async Task A_change_from_another_origin_is_refused_even_with_the_csrf_token()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();
        using var request = Post(server, Body);
        request.Headers.Add("X-Maran-Csrf", await CsrfAsync(server));
        request.Headers.Add("Origin", "http://evil.example");

        using HttpResponseMessage response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(server.System.Alerts.GetSilences());
    }

    [Fact]
    public async Task A_change_a_browser_marks_cross_site_is_refused()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();
        using var request = Post(server, Body);
        request.Headers.Add("X-Maran-Csrf", await CsrfAsync(server));
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        using HttpResponseMessage response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task A_change_in_a_form_a_plain_html_page_can_send_is_refused(string contentType)
    {
        await using TestDashboard server = await TestDashboard.StartAsync();
        using var request = Post(server, Body);
        request.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Maran-Csrf", await CsrfAsync(server));

        using HttpResponseMessage response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(server.System.Alerts.GetSilences());
    }

    [Fact]
    public async Task With_a_token_set_a_change_without_it_is_refused_and_so_is_the_csrf_token()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o => o.Dashboard.Token = Token);
        using var anonymous = new HttpClient { BaseAddress = server.Url };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/alerts/silences") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };

        using HttpResponseMessage change = await anonymous.SendAsync(request);
        using HttpResponseMessage session = await anonymous.GetAsync("api/session");

        Assert.Equal(HttpStatusCode.Unauthorized, change.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, session.StatusCode);
    }

    [Fact]
    public async Task With_a_token_set_the_cookie_alone_is_not_enough_but_the_bearer_token_is()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o => o.Dashboard.Token = Token);
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server.Url };
        (await browser.GetAsync("?t=" + Token)).Dispose();
        using var fromCookie = new HttpRequestMessage(HttpMethod.Post, "api/alerts/silences") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };

        using HttpResponseMessage cookieOnly = await browser.SendAsync(fromCookie);
        using HttpResponseMessage bearer = await server.Http.SendAsync(Post(server, Body));

        Assert.Equal(HttpStatusCode.Forbidden, cookieOnly.StatusCode);
        Assert.Equal(HttpStatusCode.Created, bearer.StatusCode);
    }

    [Fact]
    public async Task A_get_cannot_change_anything()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();

        using HttpResponseMessage response = await server.Http.GetAsync("api/alerts/silences");

        Assert.NotEqual(HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.IsSuccessStatusCode);
        Assert.Empty(server.System.Alerts.GetSilences());
    }

    private static HttpRequestMessage Post(TestDashboard server, string body) =>
        new(HttpMethod.Post, new Uri(server.Url, "api/alerts/silences")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static async Task<string> CsrfAsync(TestDashboard server) =>
        (await server.GetJsonAsync("api/session")).GetProperty("csrf").GetString()!;
}
