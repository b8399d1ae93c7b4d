using System.Collections;
using Maran.Instrument.Configuration;
using Maran.Instrument.Export;

namespace Maran.Instrument.Tests.Export;

public sealed class ServiceIdentityTests
{
    private static ServiceIdentity Resolve(Action<MonitoringSettings>? configure = null, params (string Key, string Value)[] environment)
    {
        var settings = new MonitoringSettings();
        configure?.Invoke(settings);
        var variables = new Hashtable();
        foreach ((string key, string value) in environment)
        {
            variables[key] = value;
        }

        return ServiceIdentity.Resolve(settings, variables);
    }

    [Fact]
    public void Without_environment_or_configuration_the_identity_is_the_entry_assembly_and_host_with_process_id()
    {
        ServiceIdentity identity = Resolve();

        Assert.Equal(System.Reflection.Assembly.GetEntryAssembly()!.GetName().Name, identity.ServiceName);
        Assert.Equal($"{Environment.MachineName}:{Environment.ProcessId}", identity.InstanceId);
        Assert.Null(identity.Environment);
        Assert.DoesNotContain(identity.ResourceAttributes, a => a.Key == "deployment.environment");
    }

    [Fact]
    public void The_configuration_names_service_instance_and_environment()
    {
        ServiceIdentity identity = Resolve(s =>
        {
            s.Service = "support-agent";
            s.Instance = "replica-1";
            s.Environment = "staging";
        });

        Assert.Equal(
            [new("service.name", "support-agent"), new("service.instance.id", "replica-1"), new("deployment.environment", "staging")],
            identity.ResourceAttributes);
    }

    [Fact]
    public void The_environment_variables_win_over_the_configuration()
    {
        ServiceIdentity identity = Resolve(
            s =>
            {
                s.Service = "from-file";
                s.Instance = "file-instance";
                s.Environment = "file-env";
            },
            ("OTEL_SERVICE_NAME", "from-env"),
            ("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=pod-7,deployment.environment=production"));

        Assert.Equal("from-env", identity.ServiceName);
        Assert.Equal("pod-7", identity.InstanceId);
        Assert.Equal("production", identity.Environment);
    }

    [Fact]
    public void OTEL_SERVICE_NAME_wins_over_service_name_in_the_resource_attributes()
    {
        ServiceIdentity identity = Resolve(null, ("OTEL_SERVICE_NAME", "named"), ("OTEL_RESOURCE_ATTRIBUTES", "service.name=attributed"));

        Assert.Equal("named", identity.ServiceName);
    }

    [Fact]
    public void Resource_attributes_are_trimmed_and_percent_decoded()
    {
        IReadOnlyDictionary<string, string> attributes =
            ServiceIdentity.ParseResourceAttributes(" service.name = my%20agent , team=a%2Cb,deployment.environment.name=eu%3Dwest ");

        Assert.Equal("my agent", attributes["service.name"]);
        Assert.Equal("a,b", attributes["team"]);
        Assert.Equal("eu=west", attributes["deployment.environment.name"]);
    }

    [Fact]
    public void A_resource_attribute_without_a_key_is_left_out_and_the_rest_are_kept()
    {
        IReadOnlyDictionary<string, string> attributes = ServiceIdentity.ParseResourceAttributes("broken,=nokey,service.instance.id=i-1");

        Assert.Equal(["service.instance.id"], attributes.Keys);
    }

    [Fact]
    public void The_newer_deployment_environment_name_attribute_is_read_first()
    {
        ServiceIdentity identity = Resolve(null, ("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=old,deployment.environment.name=new"));

        Assert.Equal("new", identity.Environment);
    }

    [Fact]
    public void A_blank_configured_name_is_a_configuration_error_naming_the_key()
    {
        var options = new MonitoringOptions();
        options.Monitoring.Instance = "  ";

        ConfigurationError error = Assert.Single(options.Validate());

        Assert.Equal("monitoring.instance", error.Key.Replace(':', '.'));
    }

    [Fact]
    public void A_started_system_keeps_the_identity_it_resolved_at_start()
    {
        var options = new MonitoringOptions();
        options.Monitoring.MetricsPort = 0;
        options.Monitoring.Service = "first";
        options.Logging.Console = false;
        options.Logging.File = false;
        options.Storage.Enabled = false;
        using var system = new AdvancedMonitoringSystem(options);
        system.Start();

        options.Monitoring.Service = "changed after start";

        Assert.Equal(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") ?? "first", system.Identity.ServiceName);
    }
}
