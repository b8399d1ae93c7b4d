using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Maran.Instrument.Configuration;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Logging;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;

namespace Maran.Instrument.Export;

/// <summary>
/// Content capture, off by default: with <c>monitoring.capture_content: true</c> or
/// <c>OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true</c>, model calls record their input and output messages and
/// system instructions (<c>gen_ai.input.messages</c>, <c>gen_ai.output.messages</c>, <c>gen_ai.system_instructions</c>),
/// and tool executions their arguments and result (<c>gen_ai.tool.call.arguments</c>, <c>gen_ai.tool.call.result</c>),
/// in the JSON shapes of the GenAI semantic conventions, on the call's span and in the log store.
/// </summary>
/// <remarks>
/// Everything captured goes through redaction first: every text through the secret redactor (API keys, bearer tokens,
/// <c>password=</c>-like pairs, values of properties named like secrets), and a tool parameter or result whose
/// declaration or type carries a <see cref="DataClassificationAttribute"/> (<c>Microsoft.Extensions.Compliance</c>) is
/// written only as its classification's redactor renders it (<see cref="RedactorProvider"/>; with none set, it is
/// erased). Generated code checks <see cref="Enabled"/> before it builds anything, so capture off costs one static read.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class GenAIContent
{
    /// <summary>The environment variable of the GenAI conventions that turns capture on: <c>OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT</c>.</summary>
    public const string EnvironmentVariable = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";

    /// <summary>The largest text captured for one attribute, in characters; longer content is cut and marked.</summary>
    internal const int MaxLength = 16 * 1024;

    private static readonly ConcurrentDictionary<MethodInfo, ToolClassification> s_tools = new();
    private static volatile bool s_enabled = IsTrue(Environment.GetEnvironmentVariable(EnvironmentVariable));
    private static LogStore? s_log;

    /// <summary>Whether content is captured; read by generated code before it builds anything to capture.</summary>
    public static bool Enabled => s_enabled;

    /// <summary>
    /// The redactors of classified tool parameters and results, by classification (for example
    /// <c>services.AddRedaction()</c>'s provider); null erases every classified value.
    /// </summary>
    public static IRedactorProvider? RedactorProvider { get; set; }

    /// <summary>Turns capture on or off: on when the setting or the conventions' environment variable says so; captured content is kept in <paramref name="log"/>.</summary>
    internal static void Configure(bool captureContent, LogStore? log)
    {
        s_log = log;
        s_enabled = captureContent || IsTrue(Environment.GetEnvironmentVariable(EnvironmentVariable));
    }

    /// <summary>Stops keeping captured content in <paramref name="log"/> (a system that stops); another system's log stays.</summary>
    internal static void Detach(LogStore log) => Interlocked.CompareExchange(ref s_log, null, log);

    /// <summary>Records the arguments one tool execution received, as <c>gen_ai.tool.call.arguments</c>.</summary>
    /// <param name="scope">The tool call's scope.</param>
    /// <param name="method">The method the tool runs (<c>AIFunction.UnderlyingMethod</c>), whose parameters may be classified.</param>
    /// <param name="arguments">The arguments, by parameter name.</param>
    public static void RecordToolArguments(in OperationScope scope, MethodInfo? method, IEnumerable<KeyValuePair<string, object?>>? arguments)
    {
        if (!s_enabled || scope.Recorder is not { } recorder || arguments is null)
        {
            return;
        }

        try
        {
            ToolClassification classification = Classify(method);
            string json = Write(writer =>
            {
                writer.WriteStartObject();
                foreach ((string name, object? value) in arguments)
                {
                    writer.WritePropertyName(name);
                    WriteValue(writer, value, classification.ParameterRedactor(name), SecretRedactor.IsSecretName(name));
                }

                writer.WriteEndObject();
            });
            Publish(scope.Span, recorder, "gen_ai.tool.call.arguments", json);
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("content capture", ex);
        }
    }

    /// <summary>
    /// Records the result of one tool execution, as <c>gen_ai.tool.call.result</c>, when it completes successfully
    /// and before the call's span ends; returns a task with the same outcome.
    /// </summary>
    /// <param name="scope">The tool call's scope.</param>
    /// <param name="method">The method the tool runs, whose return value or type may be classified.</param>
    /// <param name="result">The execution, as the tool function returned it.</param>
    public static ValueTask<object?> RecordToolResult(OperationScope scope, MethodInfo? method, ValueTask<object?> result)
    {
        if (!s_enabled || scope.Recorder is null)
        {
            return result;
        }

        if (result.IsCompletedSuccessfully)
        {
            object? value = result.Result;
            RecordResult(scope, method, value);
            return new ValueTask<object?>(value);
        }

        return AwaitResult(scope, method, result);
    }

    /// <summary>Records the messages of one model call as <paramref name="attribute"/> (<c>gen_ai.input.messages</c>, <c>gen_ai.output.messages</c>, <c>gen_ai.system_instructions</c>).</summary>
    /// <param name="scope">The model call's scope.</param>
    /// <param name="attribute">The attribute the messages go to.</param>
    /// <param name="write">Writes the messages, in the conventions' JSON shape, through a <see cref="GenAIContentWriter"/>.</param>
    /// <param name="state">What <paramref name="write"/> reads the messages from.</param>
    public static void RecordMessages<TState>(in OperationScope scope, string attribute, Action<GenAIContentWriter, TState> write, TState state)
    {
        if (!s_enabled || scope.Recorder is not { } recorder || write is null)
        {
            return;
        }

        try
        {
            string json = Write(writer => write(new GenAIContentWriter(writer), state));
            if (json.Length > 2)
            {
                Publish(scope.Span, recorder, attribute, json);
            }
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("content capture", ex);
        }
    }

    /// <summary>
    /// Records the messages of a model call's response as <c>gen_ai.output.messages</c> when it completes successfully,
    /// before the call's span ends; returns a task with the same outcome.
    /// </summary>
    /// <param name="scope">The model call's scope.</param>
    /// <param name="response">The call, as the API returned it.</param>
    /// <param name="write">Writes the response's messages through a <see cref="GenAIContentWriter"/>.</param>
    public static Task<T> RecordResponse<T>(OperationScope scope, Task<T> response, Action<GenAIContentWriter, T> write)
    {
        if (!s_enabled || scope.Recorder is null || response is null)
        {
            return response!;
        }

        if (response.IsCompletedSuccessfully)
        {
            RecordMessages(scope, "gen_ai.output.messages", write, response.Result);
            return response;
        }

        return AwaitResponse(scope, response, write);
    }

    /// <summary>
    /// Records the messages of a streamed model call's response as <c>gen_ai.output.messages</c> once the stream has been
    /// read to its end, before the call's span ends: the updates read are kept (capture is on, and it is opt-in) and
    /// written as one response. A stream that fails, or that the caller stops reading, records no output.
    /// </summary>
    /// <typeparam name="T">The stream's update type.</typeparam>
    /// <param name="scope">The model call's scope.</param>
    /// <param name="stream">The call's stream, as the API returned it.</param>
    /// <param name="write">Writes the response the updates make up through a <see cref="GenAIContentWriter"/>.</param>
    /// <returns>A stream of the same updates.</returns>
    public static IAsyncEnumerable<T> RecordStream<T>(OperationScope scope, IAsyncEnumerable<T> stream, Action<GenAIContentWriter, IReadOnlyList<T>> write)
    {
        if (!s_enabled || scope.Recorder is null || stream is null || write is null)
        {
            return stream!;
        }

        return CollectStream(scope, stream, write, default);
    }

    /// <summary>Writes one value: its classification's redaction, a secret mask, a JSON document as it is with its texts redacted, a number or a redacted text.</summary>
    internal static void WriteValue(Utf8JsonWriter writer, object? value, Redactor? redactor, bool secret)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else if (redactor is not null)
        {
            writer.WriteStringValue(redactor.Redact(Text(value)));
        }
        else if (secret)
        {
            writer.WriteStringValue(SecretRedactor.Mask);
        }
        else
        {
            switch (value)
            {
                case JsonElement element:
                    WriteElement(writer, element);
                    break;
                case JsonDocument document:
                    WriteElement(writer, document.RootElement);
                    break;
                case bool flag:
                    writer.WriteBooleanValue(flag);
                    break;
                case int or long or short or byte or uint or ulong or ushort or sbyte:
                    writer.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case double or float or decimal:
                    writer.WriteNumberValue(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    writer.WriteStringValue(SecretRedactor.Redact(Text(value)));
                    break;
            }
        }
    }

    private static async Task<T> AwaitResponse<T>(OperationScope scope, Task<T> response, Action<GenAIContentWriter, T> write)
    {
        T value = await response.ConfigureAwait(false);
        RecordMessages(scope, "gen_ai.output.messages", write, value);
        return value;
    }

    private static async IAsyncEnumerable<T> CollectStream<T>(OperationScope scope, IAsyncEnumerable<T> stream, Action<GenAIContentWriter, IReadOnlyList<T>> write, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var updates = new List<T>();
        await foreach (T update in stream.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            yield return update;
        }

        RecordMessages(scope, "gen_ai.output.messages", write, (IReadOnlyList<T>)updates);
    }

    private static async ValueTask<object?> AwaitResult(OperationScope scope, MethodInfo? method, ValueTask<object?> result)
    {
        object? value = await result.ConfigureAwait(false);
        RecordResult(scope, method, value);
        return value;
    }

    private static void RecordResult(in OperationScope scope, MethodInfo? method, object? value)
    {
        if (scope.Recorder is not { } recorder)
        {
            return;
        }

        try
        {
            Redactor? redactor = Classify(method).ResultRedactor;
            string json = Write(writer => WriteValue(writer, value, redactor, secret: false));
            Publish(scope.Span, recorder, "gen_ai.tool.call.result", json);
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("content capture", ex);
        }
    }

    private static void WriteElement(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    if (SecretRedactor.IsSecretName(property.Name))
                    {
                        writer.WriteStringValue(SecretRedactor.Mask);
                    }
                    else
                    {
                        WriteElement(writer, property.Value);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (JsonElement item in element.EnumerateArray())
                {
                    WriteElement(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(SecretRedactor.Redact(element.GetString() ?? string.Empty));
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static string Text(object value) => value switch
    {
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString() ?? string.Empty,
        JsonElement element => element.GetRawText(),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        string json = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        return json.Length <= MaxLength ? json : string.Concat(json.AsSpan(0, MaxLength), "…[truncated]");
    }

    // On the call's span, and in the log store as an event of the call (its operation, trace and span come with it).
    private static void Publish(Activity? span, OperationRecorder recorder, string attribute, string json)
    {
        // A tool run inside the function invoker's own execute_tool span has none of its own: its content goes on that one.
        span ??= GenAITelemetry.InvokerToolSpan(recorder);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(attribute, json);
        }

        if (s_log is { } log)
        {
            Activity? context = span ?? Activity.Current;
            string properties = Write(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("Attribute", attribute);
                writer.WriteString("Call", recorder.Name);
                writer.WriteString("gen_ai.operation.name", recorder.GenAIOperation);
                writer.WritePropertyName(attribute);
                writer.WriteRawValue(json, skipInputValidation: true);
                writer.WriteEndObject();
            });
            log.Add(new LogEntry(
                DateTimeOffset.UtcNow,
                MonitoringLogLevel.Info,
                $"GenAI content {attribute} of {recorder.Name}",
                Exception: null,
                context?.TraceId.ToHexString(),
                context?.SpanId.ToHexString(),
                recorder.Name,
                recorder.Component,
                "Maran.Instrument.GenAI",
                properties));
        }
    }

    private static ToolClassification Classify(MethodInfo? method) =>
        method is null ? ToolClassification.None : s_tools.GetOrAdd(method, static m => ToolClassification.Of(m));

    private static bool IsTrue(string? value) => string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The redactors of one tool's classified parameters and result, read once per method from its declaration.</summary>
    private sealed class ToolClassification
    {
        internal static readonly ToolClassification None = new(new Dictionary<string, DataClassification>(StringComparer.Ordinal), null);

        private readonly Dictionary<string, DataClassification> _parameters;
        private readonly DataClassification? _result;

        private ToolClassification(Dictionary<string, DataClassification> parameters, DataClassification? result)
        {
            _parameters = parameters;
            _result = result;
        }

        internal Redactor? ResultRedactor => _result is { } classification ? RedactorFor(classification) : null;

        internal Redactor? ParameterRedactor(string name) =>
            _parameters.TryGetValue(name, out DataClassification classification) ? RedactorFor(classification) : null;

        internal static ToolClassification Of(MethodInfo method)
        {
            var parameters = new Dictionary<string, DataClassification>(StringComparer.Ordinal);
            foreach (ParameterInfo parameter in method.GetParameters())
            {
                if (parameter.Name is { } name && (ClassificationOf(parameter.GetCustomAttributes(inherit: true)) ?? ClassificationOf(parameter.ParameterType)) is { } classification)
                {
                    parameters[name] = classification;
                }
            }

            DataClassification? result = ClassificationOf(method.ReturnParameter.GetCustomAttributes(inherit: true)) ?? ClassificationOf(ResultType(method.ReturnType));
            return new ToolClassification(parameters, result);
        }

        private static Redactor RedactorFor(DataClassification classification) =>
            RedactorProvider?.GetRedactor(new DataClassificationSet(classification)) ?? Erased.Instance;

        private static DataClassification? ClassificationOf(Type type) => ClassificationOf(type.GetCustomAttributes(inherit: true));

        private static DataClassification? ClassificationOf(object[] attributes)
        {
            foreach (object attribute in attributes)
            {
                if (attribute is DataClassificationAttribute classified)
                {
                    return classified.Classification;
                }
            }

            return null;
        }

        // A classified value with no redactor configured for it is not written at all.
        private sealed class Erased : Redactor
        {
            internal static readonly Erased Instance = new();

            public override int GetRedactedLength(ReadOnlySpan<char> input) => 0;

            public override int Redact(ReadOnlySpan<char> source, Span<char> destination) => 0;
        }

        // The value a tool returns: T of Task<T> or ValueTask<T>.
        private static Type ResultType(Type type) =>
            type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>))
                ? type.GetGenericArguments()[0]
                : type;
    }
}
