using BenchmarkDotNet.Running;
using Maran.Instrument.Benchmarks;
using Maran.Instrument.Benchmarks.Nab;
using Maran.Instrument.Benchmarks.Report;

// `nab DATA_DIR RESULTS_DIR` runs the anomaly detector over a NAB data folder; `nab-score NAB_DIR [RESULTS_DIR...]`
// scores detectors' results with the NAB scorer.
if (args is ["nab", ..])
{
    return NabCommand.Run(args[1..], Console.Out);
}

if (args is ["nab-score", ..])
{
    return NabCommand.Score(args[1..], Console.Out);
}

// `report [folder]` prints the overhead table from BenchmarkDotNet's JSON exports; anything else runs benchmarks
// (BenchmarkDotNet's own arguments: --filter, --job, --list ...) and then prints the table of what just ran.
if (args is ["report", ..])
{
    string folder = args.Length > 1 ? args[1] : OverheadReport.DefaultResultsFolder;
    return OverheadReport.Print(folder, since: null, Console.Out) ? 0 : 1;
}

// `model-call-loop LISTENING SECONDS [maran|otel]` calls ModelCallBenchmarks' Maran (or UseOpenTelemetry) case in a
// loop and prints the time per call: a process to sample with perf or dotnet-trace, where BenchmarkDotNet's are short.
if (args is ["model-call-loop", ..])
{
    return ModelCallLoop.Run(args[1..], Console.Out);
}

DateTime started = DateTime.UtcNow;
var summaries = BenchmarkSwitcher.FromAssembly(typeof(SuiteConfig).Assembly).Run(args, SuiteConfig.Create()).ToList();
string? results = summaries.Select(s => s.ResultsDirectoryPath).FirstOrDefault(Directory.Exists);
if (results is not null)
{
    Console.WriteLine();
    OverheadReport.Print(results, since: started, Console.Out);
}

return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
