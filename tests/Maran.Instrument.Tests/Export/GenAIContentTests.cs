using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Maran.Instrument.Export;
using Maran.Instrument.Profiling;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Maran.Instrument.Tests.Export;

[Collection(RuntimeSwitches.Name)]
public class GenAIContentTests
{
    private static readonly DataClassification s_personal = new("Tests", "Personal");

    private static readonly MethodInfo s_lookUp = typeof(GenAIContentTests).GetMethod(nameof(LookUp), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static Account LookUp([Personal] string email, string region, string apiKey, JsonElement filter) => new(email + region + apiKey + filter);

    // Runs one tool call the way the generated wrapper does, with capture on, and returns its span.
    private static Activity CaptureToolCall(Action<OperationScope> capture, bool enabled = true)
    {
        using IDisposable switches = RuntimeSwitches.Set();
        var spans = new List<Activity>();
        OperationRecorder tool = OperationRegistry.GetOrAddCall(OperationKind.Tool, "look_up_" + Guid.NewGuid().ToString("N")[..8], "tools", null, null, "execute_tool");
        GenAIContent.Configure(enabled, null);
        try
        {
            using TracerProvider provider = Sdk.CreateTracerProviderBuilder().AddMaranInstrumentation().AddInMemoryExporter(spans).Build()!;
            OperationScope scope = OperationScope.StartCall(tool, null);
            capture(scope);
            scope.Complete();
            scope.Detach();
        }
        finally
        {
            GenAIContent.Configure(false, null);
        }

        return Assert.Single(spans, s => s.GetTagItem("gen_ai.tool.name") as string == tool.Name);
    }

    private static KeyValuePair<string, object?>[] Arguments() =>
    [
        new("email", "ada@example.org"),
        new("region", "Oslo"),
        new("apiKey", "plain-looking-value"),
        new("filter", JsonDocument.Parse("""{"status":"open","password":"t0p","note":"key sk-proj-0123456789abcdefghij","limit":3}""").RootElement),
    ];

    [Fact]
    public void A_classified_argument_is_written_by_its_redactor_and_secrets_are_masked_inside_nested_json()
    {
        GenAIContent.RedactorProvider = new LengthRedactorProvider();
        try
        {
            Activity span = CaptureToolCall(scope => GenAIContent.RecordToolArguments(scope, s_lookUp, Arguments()));

            Assert.Equal(
                """{"email":"<Personal:15>","region":"Oslo","apiKey":"[REDACTED]","filter":{"status":"open","password":"[REDACTED]","note":"key [REDACTED]","limit":3}}""",
                span.GetTagItem("gen_ai.tool.call.arguments"));
        }
        finally
        {
            GenAIContent.RedactorProvider = null;
        }
    }

    [Fact]
    public void A_result_of_a_classified_type_is_erased_when_no_redactor_is_configured()
    {
        Activity span = CaptureToolCall(scope =>
            GenAIContent.RecordToolResult(scope, s_lookUp, new ValueTask<object?>(new Account("ada@example.org"))).AsTask().GetAwaiter().GetResult());

        Assert.Equal("\"\"", span.GetTagItem("gen_ai.tool.call.result"));
    }

    [Fact]
    public void A_result_that_completes_later_is_recorded_before_the_call_ends_and_handed_back_unchanged()
    {
        var pending = new TaskCompletionSource<object?>();
        object? returned = null;
        Activity span = CaptureToolCall(scope =>
        {
            ValueTask<object?> result = GenAIContent.RecordToolResult(scope, null, new ValueTask<object?>(pending.Task));
            pending.SetResult(42);
            returned = result.AsTask().GetAwaiter().GetResult();
        });

        Assert.Equal(42, returned);
        Assert.Equal("42", span.GetTagItem("gen_ai.tool.call.result"));
    }

    [Fact]
    public void With_capture_off_nothing_is_recorded()
    {
        Activity span = CaptureToolCall(scope =>
        {
            GenAIContent.RecordToolArguments(scope, s_lookUp, Arguments());
            GenAIContent.RecordToolResult(scope, s_lookUp, new ValueTask<object?>("done")).AsTask().GetAwaiter().GetResult();
        }, enabled: false);

        Assert.DoesNotContain(span.Tags, t => t.Key.StartsWith("gen_ai.tool.call.", StringComparison.Ordinal));
    }

    [Fact]
    public void Messages_are_written_in_the_conventions_shape_with_their_texts_redacted()
    {
        Activity span = CaptureToolCall(scope => GenAIContent.RecordMessages(scope, "gen_ai.input.messages", static (writer, text) =>
        {
            writer.BeginList();
            writer.BeginMessage("user");
            writer.Text(text);
            writer.ToolCall("call_1", "look_up", [new("email", "ada@example.org"), new("password", "hunter2")]);
            writer.EndMessage();
            writer.BeginMessage("tool");
            writer.ToolCallResponse("call_1", "Authorization: Bearer abc.def-123");
            writer.EndMessage();
            writer.EndList();
        }, "use api_key=abc123"));

        Assert.Equal(
            """[{"role":"user","parts":[{"type":"text","content":"use api_key=[REDACTED]"},{"type":"tool_call","id":"call_1","name":"look_up","arguments":{"email":"ada@example.org","password":"[REDACTED]"}}]},{"role":"tool","parts":[{"type":"tool_call_response","id":"call_1","response":"Authorization: Bearer [REDACTED]"}]}]""",
            span.GetTagItem("gen_ai.input.messages"));
    }

    [Personal]
    private sealed record Account(string Email);

    [AttributeUsage(AttributeTargets.Parameter | AttributeTargets.ReturnValue | AttributeTargets.Class)]
    private sealed class PersonalAttribute() : DataClassificationAttribute(s_personal);

    // Renders a classified value as its classification and length, so a test can see which redactor wrote it.
    private sealed class LengthRedactorProvider : IRedactorProvider
    {
        public Redactor GetRedactor(DataClassificationSet classifications) =>
            classifications.Equals(new DataClassificationSet(s_personal)) ? new LengthRedactor("Personal") : throw new ArgumentException("unexpected classification");
    }

    private sealed class LengthRedactor(string classification) : Redactor
    {
        public override int GetRedactedLength(ReadOnlySpan<char> input) => Render(input).Length;

        public override int Redact(ReadOnlySpan<char> source, Span<char> destination)
        {
            string text = Render(source);
            text.AsSpan().CopyTo(destination);
            return text.Length;
        }

        private string Render(ReadOnlySpan<char> input) => $"<{classification}:{input.Length}>";
    }
}
