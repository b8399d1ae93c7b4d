using System.ComponentModel;
using System.Text.Json;
using Maran.Instrument.Logging;

namespace Maran.Instrument.Export;

/// <summary>
/// Writes captured model-call content in the JSON shapes of the GenAI semantic conventions: a list of messages
/// (<c>[{"role":"user","parts":[{"type":"text","content":"..."}]}]</c>) or of parts (system instructions), every text
/// through the secret redactor. Generated code walks the SDK's messages and hands their parts here.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public readonly struct GenAIContentWriter
{
    private readonly Utf8JsonWriter _writer;

    internal GenAIContentWriter(Utf8JsonWriter writer) => _writer = writer;

    /// <summary>Opens the list of messages or parts.</summary>
    public void BeginList() => _writer.WriteStartArray();

    /// <summary>Closes the list of messages or parts.</summary>
    public void EndList() => _writer.WriteEndArray();

    /// <summary>Opens one message and its parts.</summary>
    /// <param name="role">The message's role: <c>system</c>, <c>user</c>, <c>assistant</c>, <c>tool</c>.</param>
    /// <param name="name">The author's name, if the message has one.</param>
    public void BeginMessage(string role, string? name = null)
    {
        _writer.WriteStartObject();
        _writer.WriteString("role", role);
        if (name is not null)
        {
            _writer.WriteString("name", SecretRedactor.Redact(name));
        }

        _writer.WriteStartArray("parts");
    }

    /// <summary>Closes one message.</summary>
    /// <param name="finishReason">Why the model stopped (<c>stop</c>, <c>length</c>, <c>content_filter</c>, <c>tool_call</c>), for output messages.</param>
    public void EndMessage(string? finishReason = null)
    {
        _writer.WriteEndArray();
        if (finishReason is not null)
        {
            _writer.WriteString("finish_reason", finishReason);
        }

        _writer.WriteEndObject();
    }

    /// <summary>A text part (<c>type</c> <c>text</c>, or <c>reasoning</c> for a model's reasoning).</summary>
    public void Text(string? content, string type = "text")
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return;
        }

        _writer.WriteStartObject();
        _writer.WriteString("type", type);
        _writer.WriteString("content", SecretRedactor.Redact(content));
        _writer.WriteEndObject();
    }

    /// <summary>A tool call the model asked for (<c>type</c> <c>tool_call</c>).</summary>
    public void ToolCall(string? id, string name, IEnumerable<KeyValuePair<string, object?>>? arguments)
    {
        _writer.WriteStartObject();
        _writer.WriteString("type", "tool_call");
        if (id is not null)
        {
            _writer.WriteString("id", id);
        }

        _writer.WriteString("name", name);
        if (arguments is not null)
        {
            _writer.WriteStartObject("arguments");
            foreach ((string key, object? value) in arguments)
            {
                _writer.WritePropertyName(key);
                GenAIContent.WriteValue(_writer, value, redactor: null, SecretRedactor.IsSecretName(key));
            }

            _writer.WriteEndObject();
        }

        _writer.WriteEndObject();
    }

    /// <summary>The result of a tool call handed back to the model (<c>type</c> <c>tool_call_response</c>).</summary>
    public void ToolCallResponse(string? id, object? response)
    {
        _writer.WriteStartObject();
        _writer.WriteString("type", "tool_call_response");
        if (id is not null)
        {
            _writer.WriteString("id", id);
        }

        _writer.WritePropertyName("response");
        GenAIContent.WriteValue(_writer, response, redactor: null, secret: false);
        _writer.WriteEndObject();
    }
}
