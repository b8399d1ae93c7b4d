using Maran.Examples;

// The seed's three integration examples. Each runs on its own, with no setup, and stops by itself.
return args.FirstOrDefault() switch
{
    "basic" => await BasicSetup.RunAsync(),
    "wrap" => await WrapExistingModel.RunAsync(),
    "full" => await FullIntegration.RunAsync(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run --project samples/Maran.Examples -- basic|wrap|full");
    Console.Error.WriteLine("  basic  AdvancedMonitoringSystem + MonitoringDashboard around one monitored method");
    Console.Error.WriteLine("  wrap   monitoring a model you cannot change: a monitored wrapper, and a timed block");
    Console.Error.WriteLine("  full   the whole agent: stages, errors, costs, alerts, logs, the dashboard snapshot");
    return 2;
}
