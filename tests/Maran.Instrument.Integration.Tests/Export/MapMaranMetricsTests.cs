using Maran.Instrument.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Maran.Instrument.Integration.Tests.Export;

public class MapMaranMetricsTests
{
    [Fact]
    public async Task An_aspnet_app_serves_the_systems_metrics_on_its_own_port()
    {
        var options = new MonitoringOptions();
        options.Logging.Console = false;
        options.Logging.File = false;
        options.Storage.Enabled = false;
        using var system = new AdvancedMonitoringSystem(options);
        string operation = "mapped_" + Guid.NewGuid().ToString("N")[..8];
        system.Profiler.EndOperation(system.Profiler.StartOperation(operation, "web"));
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using WebApplication app = builder.Build();
        app.MapMaranMetrics(system: system);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        using var http = new HttpClient();
        HttpResponseMessage response = await http.GetAsync(new Uri(address, "/metrics"));
        string body = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains($"operation_calls_total{{operation=\"{operation}\",component=\"web\",kind=\"operation\",status=\"success\"}} 1", body, StringComparison.Ordinal);
    }
}
