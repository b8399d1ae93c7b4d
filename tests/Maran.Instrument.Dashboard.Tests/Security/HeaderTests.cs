using System.Net;
using System.Text.RegularExpressions;

namespace Maran.Instrument.Dashboard.Tests;

public partial class HeaderTests
{
    [Theory]
    [InlineData("")]
    [InlineData("api/overview")]
    [InlineData("assets/js/app.js")]
    public async Task Every_response_carries_a_content_security_policy_without_unsafe_inline(string path)
    {
        await using TestDashboard server = await TestDashboard.StartAsync();

        using HttpResponseMessage response = await server.Http.GetAsync(path);

        string csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task The_page_has_no_inline_script_and_loads_nothing_from_another_site()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();

        string html = await server.Http.GetStringAsync("");

        MatchCollection scripts = ScriptTag().Matches(html);
        Assert.NotEmpty(scripts);
        Assert.All(scripts, s => Assert.Matches("src=\"assets/", s.Value));
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
    }

    [Fact]
    public async Task The_charting_library_and_its_licence_are_served_from_the_assembly()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();

        using HttpResponseMessage library = await server.Http.GetAsync("assets/vendor/uPlot.iife.min.js");
        string licence = await server.Http.GetStringAsync("assets/vendor/LICENSE");

        Assert.Equal(HttpStatusCode.OK, library.StatusCode);
        Assert.Equal("text/javascript", library.Content.Headers.ContentType!.MediaType);
        Assert.Contains("uPlot", await library.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("MIT", licence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_asset_the_browser_has_is_not_sent_again()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();
        using HttpResponseMessage first = await server.Http.GetAsync("assets/css/dashboard.css");
        using var again = new HttpRequestMessage(HttpMethod.Get, "assets/css/dashboard.css");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using HttpResponseMessage second = await server.Http.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [GeneratedRegex("<script[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();
}
