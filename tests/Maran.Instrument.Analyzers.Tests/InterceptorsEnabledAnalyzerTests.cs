using Microsoft.CodeAnalysis.Testing;

namespace Maran.Instrument.Analyzers.Tests;

/// <summary>MARAN005: monitored calls compiled without interceptors enabled for Maran.Instrument.Generated.</summary>
public class InterceptorsEnabledAnalyzerTests
{
    private const string Source = """
        using Maran.Instrument;

        public class Agent
        {
            [MonitorOperation("answer", "agent")]
            public string Answer(string question) => question;

            public string Run() => Answer("a") + Answer("b");
        }
        """;

    [Fact]
    public async Task Monitored_calls_without_the_interceptors_namespace_are_reported_once_with_their_count()
    {
        await Verify.AnalyzerAsync<InterceptorsEnabledAnalyzer>(
            Source,
            new Verify.Options { InterceptorsEnabled = false },
            new DiagnosticResult(MaranDiagnostics.InterceptorsNotEnabled).WithArguments(2));
    }

    [Fact]
    public async Task The_namespace_the_package_targets_add_enables_them()
    {
        await Verify.AnalyzerAsync<InterceptorsEnabledAnalyzer>(Source);
    }

    [Fact]
    public async Task A_parent_namespace_in_the_preview_property_with_other_entries_enables_them_too()
    {
        await Verify.AnalyzerAsync<InterceptorsEnabledAnalyzer>(
            Source,
            new Verify.Options { Features = new() { ["InterceptorsPreviewNamespaces"] = ";Other.Generated;Maran.Instrument" } });
    }

    [Fact]
    public async Task A_look_alike_namespace_does_not_enable_them()
    {
        await Verify.AnalyzerAsync<InterceptorsEnabledAnalyzer>(
            Source,
            new Verify.Options { Features = new() { ["InterceptorsNamespaces"] = "Maran.Instrument.Gen;Maran.Instrument.Generated2" } },
            new DiagnosticResult(MaranDiagnostics.InterceptorsNotEnabled).WithArguments(2));
    }

    [Fact]
    public async Task A_project_without_monitored_calls_is_not_reported()
    {
        await Verify.AnalyzerAsync<InterceptorsEnabledAnalyzer>(
            Source.Replace("Answer(\"a\") + Answer(\"b\")", "\"none\""),
            new Verify.Options { InterceptorsEnabled = false });
    }

    [Fact]
    public async Task Turning_interception_off_with_MaranInstrumentEnabled_is_not_reported()
    {
        await Verify.AnalyzerAsync<InterceptorsEnabledAnalyzer>(
            Source,
            new Verify.Options { InterceptorsEnabled = false, GlobalConfig = "build_property.MaranInstrumentEnabled = false" });
    }
}
