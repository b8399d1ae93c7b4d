using System.Reflection;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Generator.Tests;

/// <summary>
/// Every call shape the generator supports, each checked twice: the generated source against its baseline, and
/// the compiled scenario run in this process, with the recorder's counts read back.
/// </summary>
public class ShapeTests
{
    private static OperationSnapshot Snapshot(string name, string component) =>
        OperationRegistry.Find(name, component)?.Snapshot()
        ?? throw new Xunit.Sdk.XunitException($"operation {component}/{name} was never registered");

    private static Assembly Prepare(string scenario, params (string Name, byte[] Image)[] libraries)
    {
        var (run, assembly) = GeneratorHarness.CompileAndLoad(scenario, libraries);
        Baseline.Verify(scenario, run);
        return assembly;
    }

    private static async Task<object?> InvokeAsync(Assembly assembly, string type)
    {
        var task = (Task)GeneratorHarness.Invoke(assembly, type, "RunAsync")!;
        await task;
        return task.GetType().GetProperty("Result")!.GetValue(task);
    }

    [Fact]
    public void Static_and_instance_calls_are_counted_and_return_their_results()
    {
        Assembly assembly = Prepare("StaticAndInstance");

        Assert.Equal(3 + 10 + 20, GeneratorHarness.Invoke(assembly, "Scenarios.StaticAndInstance.Program", "Run"));
        Assert.Equal(1, Snapshot("add", "static_instance").Succeeded);
        Assert.Equal(2, Snapshot("scale", "static_instance").Succeeded);
    }

    [Fact]
    public void Extension_methods_are_intercepted_in_both_call_forms_and_when_generic()
    {
        Assembly assembly = Prepare("Extensions");

        Assert.Equal("HI! HO! 7 none", GeneratorHarness.Invoke(assembly, "Scenarios.Extensions.Program", "Run"));
        Assert.Equal(2, Snapshot("shout", "extensions").Succeeded);
        Assert.Equal(2, Snapshot("first_or", "extensions").Succeeded);
    }

    [Fact]
    public void Virtual_abstract_and_interface_methods_keep_dynamic_dispatch()
    {
        Assembly assembly = Prepare("Virtuals");

        Assert.Equal("tuned:a,tuned:b,3,predict:c", GeneratorHarness.Invoke(assembly, "Scenarios.Virtuals.Program", "Run"));
        Assert.Equal(2, Snapshot("generate", "virtuals").Succeeded);
        Assert.Equal(1, Snapshot("score", "virtuals").Succeeded);
        Assert.Equal(1, Snapshot("predict", "virtuals").Succeeded);
    }

    [Fact]
    public void Generic_methods_and_methods_of_generic_types_keep_their_type_arguments_and_constraints()
    {
        Assembly assembly = Prepare("Generics");

        Assert.Equal("one null 9 0", GeneratorHarness.Invoke(assembly, "Scenarios.Generics.Program", "Run"));
        Assert.Equal(2, Snapshot("put", "generics").Succeeded);
        Assert.Equal(1, Snapshot("max", "generics").Succeeded);
        Assert.Equal(1, Snapshot("make", "generics").Succeeded);
    }

    [Fact]
    public void Struct_receivers_are_passed_by_reference_so_mutation_lands_on_the_callers_variable()
    {
        Assembly assembly = Prepare("Structs");

        Assert.Equal("2 1 1 2 40 25", GeneratorHarness.Invoke(assembly, "Scenarios.Structs.Program", "Run"));
        Assert.Equal(4, Snapshot("increment", "structs").Succeeded);
        Assert.Equal(2, Snapshot("peek", "structs").Succeeded);
        Assert.Equal(1, Snapshot("length_squared", "structs").Succeeded);
    }

    [Fact]
    public void Results_returned_in_vector_registers_pass_through_a_frame_the_jit_does_not_inline_with_receivers_refs_and_failures_intact()
    {
        Assembly assembly = Prepare("VectorRegisterResults");

        Assert.Equal("4 6 2 7 10 4 True True", GeneratorHarness.Invoke(assembly, "Scenarios.VectorRegisterResults.Program", "Run"));
        Assert.Equal(2, Snapshot("accumulate", "vector_results").Succeeded);
        Assert.Equal(1, Snapshot("scale", "vector_results").Succeeded);
        Assert.Equal(1, Snapshot("mean", "vector_results").Succeeded);
        Assert.Equal(1, Snapshot("convert", "vector_results").Succeeded);
        Assert.Equal(1, Snapshot("sum2", "vector_results").Succeeded);
        Assert.Equal(1, Snapshot("root", "vector_results").Succeeded);
        Assert.Equal(1, Snapshot("root", "vector_results").Failed);
    }

    [Fact]
    public void Ref_out_in_params_optional_named_span_and_ref_return_parameters_pass_through()
    {
        Assembly assembly = Prepare("Parameters");

        Assert.Equal("21 True:42 5 16 x|y-y-y 4 7", GeneratorHarness.Invoke(assembly, "Scenarios.Parameters.Program", "Run"));
        Assert.Equal(1, Snapshot("swap", "parameters").Succeeded);
        Assert.Equal(1, Snapshot("try_parse", "parameters").Succeeded);
        Assert.Equal(1, Snapshot("distance", "parameters").Succeeded);
        Assert.Equal(3, Snapshot("sum", "parameters").Succeeded);
        Assert.Equal(2, Snapshot("format", "parameters").Succeeded);
        Assert.Equal(1, Snapshot("count_vowels", "parameters").Succeeded);
        Assert.Equal(1, Snapshot("slot", "parameters").Succeeded);
    }

    [Fact]
    public void Null_conditional_lambda_local_function_and_recursive_calls_are_intercepted()
    {
        Assembly assembly = Prepare("CallPlaces");

        Assert.Equal(
            "answer to q1|none|answer to q3|answer to q4+answer to q5|answer to q6|55",
            GeneratorHarness.Invoke(assembly, "Scenarios.CallPlaces.Program", "Run"));
        Assert.Equal(5, Snapshot("answer", "call_places").Succeeded);
        Assert.Equal(177, Snapshot("fib", "call_places").Succeeded);
    }

    [Fact]
    public void Private_and_protected_targets_are_reached_without_reflection()
    {
        Assembly assembly = Prepare("PrivateAndProtected");

        Assert.Equal(
            "2 3 10 1 base t | 2 3 10 1 custom t | custom d | 2 | 101",
            GeneratorHarness.Invoke(assembly, "Scenarios.PrivateAndProtected.Program", "Run"));
        Assert.Equal(4, Snapshot("step", "private_protected").Succeeded);
        Assert.Equal(2, Snapshot("static_step", "private_protected").Succeeded);
        Assert.Equal(2, Snapshot("wrap", "private_protected").Succeeded);
        Assert.Equal(3, Snapshot("template", "private_protected").Succeeded);
        Assert.Equal(2, Snapshot("advance", "private_protected").Succeeded);
        Assert.Equal(1, Snapshot("helper", "private_protected").Succeeded);
        Assert.DoesNotContain("GetMethod", GeneratorHarness.CompileAndLoad("PrivateAndProtected").Run.GeneratedText, StringComparison.Ordinal);
    }

    [Fact]
    public void Overloads_are_told_apart_and_nullable_annotations_compile_without_warnings()
    {
        Assembly assembly = Prepare("OverloadsAndNullability");

        Assert.Equal("n1,ta,tnull,k=2,none,y,null", GeneratorHarness.Invoke(assembly, "Scenarios.OverloadsAndNullability.Program", "Run"));
        Assert.Equal(1, Snapshot("format_number", "overloads").Succeeded);
        Assert.Equal(2, Snapshot("format_text", "overloads").Succeeded);
        Assert.Equal(1, Snapshot("format_pair", "overloads").Succeeded);
        Assert.Equal(2, Snapshot("maybe", "overloads").Succeeded);
        Assert.Equal(1, Snapshot("legacy", "overloads").Succeeded);
    }

    [Fact]
    public async Task Task_and_ValueTask_results_are_timed_at_completion_with_their_outcome()
    {
        Assembly assembly = Prepare("Async");

        Assert.Equal("40 5 6 model unavailable cancelled slow model", await InvokeAsync(assembly, "Scenarios.Async.Program"));
        Assert.Equal(1, Snapshot("task_done", "async").Succeeded);
        Assert.Equal(1, Snapshot("task_yield", "async").Succeeded);
        Assert.Equal(1, Snapshot("valuetask_done", "async").Succeeded);
        Assert.Equal(1, Snapshot("valuetask_yield", "async").Succeeded);
        Assert.Equal(1, Snapshot("valuetask_plain", "async").Succeeded);

        OperationSnapshot delayed = Snapshot("task_value", "async");
        Assert.Equal(1, delayed.Succeeded);
        Assert.True(MonitoringClock.ToMilliseconds(delayed.MaxTicks) >= 15, $"a 20 ms task was timed at {MonitoringClock.ToMilliseconds(delayed.MaxTicks)} ms: timed at return, not at completion");

        OperationSnapshot failed = Snapshot("task_fail", "async");
        Assert.Equal((0L, 1L, 0L), (failed.Succeeded, failed.Failed, failed.Cancelled));
        Assert.Equal(1, failed.ErrorTypes["System.InvalidOperationException"]);

        OperationSnapshot cancelled = Snapshot("task_cancel", "async");
        Assert.Equal((0L, 0L, 1L), (cancelled.Succeeded, cancelled.Failed, cancelled.Cancelled));

        OperationSnapshot valueFailed = Snapshot("valuetask_fail", "async");
        Assert.Equal(1, valueFailed.ErrorTypes["System.TimeoutException"]);
    }

    [Fact]
    public async Task Streams_are_timed_until_disposed_with_item_counts_and_time_to_first_item()
    {
        Assembly assembly = Prepare("Streams");

        Assert.Equal("5 3 stream broke", await InvokeAsync(assembly, "Scenarios.Streams.Program"));
        OperationSnapshot stream = Snapshot("stream", "streams");
        Assert.Equal(2, stream.Succeeded);
        Assert.Equal(2, stream.Streams);
        Assert.Equal(8, stream.StreamItems);
        Assert.Equal(2, stream.FirstItems);

        OperationSnapshot broken = Snapshot("stream_fail", "streams");
        Assert.Equal((0L, 1L), (broken.Succeeded, broken.Failed));
        Assert.Equal(1, broken.StreamItems);
    }

    [Fact]
    public void Exceptions_leave_the_interceptor_with_their_own_type_message_and_stack()
    {
        Assembly assembly = Prepare("Exceptions");

        var exception = (Exception?)GeneratorHarness.Invoke(assembly, "Scenarios.Exceptions.Program", "Explode");
        Assert.NotNull(exception);
        Assert.Equal("Scenarios.Exceptions.ModelException", exception.GetType().FullName);
        Assert.Equal("code 7", exception.Message);
        string[] frames = exception.StackTrace!.Split('\n');
        Assert.Contains("ThrowDeep", frames[0], StringComparison.Ordinal);
        Assert.True(frames.Any(f => f.Contains("Model.Explode", StringComparison.Ordinal)), exception.StackTrace);
        Assert.Equal(1, Snapshot("explode", "exceptions").Failed);

        var cancellation = GeneratorHarness.Invoke(assembly, "Scenarios.Exceptions.Program", "Cancel");
        Assert.IsType<OperationCanceledException>(cancellation);
        OperationSnapshot cancelled = Snapshot("cancel", "exceptions");
        Assert.Equal((0L, 1L), (cancelled.Failed, cancelled.Cancelled));
    }

    [Fact]
    public async Task Component_types_monitor_their_public_methods_under_the_method_name()
    {
        Assembly assembly = Prepare("Components");

        Assert.Equal("2 2 retriever 3 internal", await InvokeAsync(assembly, "Scenarios.Components.Program"));
        Assert.Equal(1, Snapshot("Search", "retriever").Succeeded);
        Assert.Equal(1, Snapshot("CountAsync", "retriever").Succeeded);
        Assert.Equal(1, Snapshot("rank_documents", "ranking").Succeeded);
        Assert.Null(OperationRegistry.Find("Describe", "retriever"));
        Assert.Null(OperationRegistry.Find("Internal", "retriever"));
    }

    [Fact]
    public void Method_groups_interface_dispatch_and_base_calls_are_left_alone_without_errors()
    {
        Assembly assembly = Prepare("Unreachable");

        Assert.Equal("3 3 4 derived+base", GeneratorHarness.Invoke(assembly, "Scenarios.Unreachable.Program", "Run"));
        Assert.Null(OperationRegistry.Find("score", "unreachable"));
        Assert.Equal(1, Snapshot("describe", "unreachable").Succeeded);
    }

    [Fact]
    public void Calls_on_a_type_parameter_that_may_be_a_struct_are_left_alone_so_mutation_stays_on_the_callers_value()
    {
        Assembly assembly = Prepare("TypeParameterReceivers");

        Assert.Equal("12 12 22 22", GeneratorHarness.Invoke(assembly, "Scenarios.TypeParameterReceivers.Program", "Run"));
        Assert.Equal(2, Snapshot("bump", "type_parameters").Succeeded);
    }

    [Fact]
    public void Nothing_is_generated_when_the_interceptors_namespace_is_not_enabled()
    {
        var compilation = GeneratorHarness.CreateCompilation([("/src/StaticAndInstance.cs", GeneratorHarness.ScenarioSource("StaticAndInstance"))])
            .RemoveAllSyntaxTrees()
            .AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(
                GeneratorHarness.ScenarioSource("StaticAndInstance"), GeneratorHarness.ParseOptions(interceptorsEnabled: false), "/src/StaticAndInstance.cs"));

        GeneratorRun run = GeneratorHarness.Generate(compilation, GeneratorHarness.CreateDriver(GeneratorHarness.ParseOptions(interceptorsEnabled: false)));

        Assert.Empty(run.GeneratedTrees);
        Assert.Empty(run.Problems);
    }

    [Fact]
    public void Methods_declared_in_a_referenced_assembly_are_intercepted()
    {
        var library = GeneratorHarness.CompileLibrary("ReferencedAssembly.Library");
        Assembly assembly = Prepare("ReferencedAssembly", library);

        Assert.Equal("5 3", GeneratorHarness.Invoke(assembly, "Scenarios.ReferencedAssembly.Program", "Run"));
        Assert.Equal(1, Snapshot("embed", "referenced").Succeeded);
        Assert.Equal(1, Snapshot("Count", "referenced_component").Succeeded);
    }

    [Fact]
    public void Four_threads_making_25000_calls_each_are_counted_exactly()
    {
        Assembly assembly = Prepare("Concurrency");

        GeneratorHarness.Invoke(assembly, "Scenarios.Concurrency.Program", "Run", 4, 25_000);

        OperationSnapshot tick = Snapshot("tick", "concurrency");
        Assert.Equal(100_000, tick.Succeeded);
        Assert.Equal(100_000, tick.Started);
        Assert.Equal(100_000, tick.Timed);
        Assert.Equal(100_000, tick.Buckets.Sum());
    }
}
