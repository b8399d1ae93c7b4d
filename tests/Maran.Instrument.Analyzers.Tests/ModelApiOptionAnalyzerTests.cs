using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Maran.Instrument.Analyzers.Tests;

/// <summary>MARAN009: entries of maran_instrument.model_apis that declare no model API, and values the generator never reads.</summary>
public class ModelApiOptionAnalyzerTests
{
    private const string Source = """
        namespace Vendor
        {
            public class Client
            {
                public string Send(string prompt) => prompt;

                public class Inner
                {
                    public string Call() => "";
                }
            }

            public class Generic<T>
            {
                public T Echo(T value) => value;
            }
        }
        """;

    private static DiagnosticResult Entry(string entry, string problem) =>
        new DiagnosticResult("MARAN009", DiagnosticSeverity.Warning).WithArguments(entry, problem);

    [Fact]
    public async Task Entries_that_name_a_method_of_the_compilation_are_not_reported()
    {
        await Verify.AnalyzerAsync<ModelApiOptionAnalyzer>(
            Source,
            new Verify.Options { GlobalConfig = "maran_instrument.model_apis = M:Vendor.Client.Send, Vendor.Client+Inner.Call, Vendor.Generic`1.Echo Vendor.Client.*" });
    }

    [Fact]
    public async Task A_malformed_entry_an_unknown_type_and_an_unknown_method_are_each_reported_with_the_entry()
    {
        await Verify.AnalyzerAsync<ModelApiOptionAnalyzer>(
            Source,
            new Verify.Options { GlobalConfig = "maran_instrument.model_apis = Send, Vendor.Client.Send, Vendor.Nope.Call, Vendor.Client.Receive, Vendor.Client.Inner.Call" },
            Entry("Send", "it is not of the form Namespace.Type.Method (or Namespace.Type.* for every method of the type)"),
            Entry("Vendor.Nope.Call", "no type 'Vendor.Nope' is in this compilation or its references (nested types are written Outer+Inner, generic ones Client`1)"),
            Entry("Vendor.Client.Receive", "'Vendor.Client' has no method 'Receive'"),
            Entry("Vendor.Client.Inner.Call", "no type 'Vendor.Client.Inner' is in this compilation or its references (nested types are written Outer+Inner, generic ones Client`1)"));
    }

    [Fact]
    public async Task A_value_set_in_an_editorconfig_section_is_reported_because_it_is_not_read()
    {
        await Verify.AnalyzerAsync<ModelApiOptionAnalyzer>(
            Source,
            new Verify.Options { EditorConfig = "maran_instrument.model_apis = Vendor.Client.Send" },
            Entry("Vendor.Client.Send", "it is set for 'Test0.cs' by an .editorconfig section, and the option is read only from the project's global analyzer config (.globalconfig, or an .editorconfig with is_global = true): move it there"));
    }

    [Fact]
    public async Task Without_the_option_nothing_is_reported()
    {
        await Verify.AnalyzerAsync<ModelApiOptionAnalyzer>(Source);
    }
}
