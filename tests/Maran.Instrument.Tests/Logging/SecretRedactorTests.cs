using Maran.Instrument.Logging;
using Serilog.Events;
using Serilog.Parsing;

namespace Maran.Instrument.Tests.Logging;

public class SecretRedactorTests
{
    [Theory]
    [InlineData("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "eyJhbGci")]
    [InlineData("calling with bearer abcDEF123456789_token", "abcDEF123456789_token")]
    [InlineData("key sk-proj-4f9aB2cD3eF4gH5iJ6kL7mN8oP9qR0sT1uV2wX3yZ used", "sk-proj-4f9a")]
    [InlineData("anthropic sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 here", "AbCdEfGhIjKlMnOp")]
    [InlineData("aws AKIAIOSFODNN7EXAMPLE in config", "AKIAIOSFODNN7EXAMPLE")]
    [InlineData("token ghp_0123456789abcdefghijABCDEFGHIJ012345 leaked", "ghp_0123456789")]
    [InlineData("google AIzaSyA-1234567890abcdefghijklmnopqrstu", "AIzaSyA-1234567890")]
    [InlineData("slack xoxb-1234567890-abcdefghij", "xoxb-1234567890")]
    [InlineData("url https://api.example.com/v1?api_key=s3cr3tValue&q=1", "s3cr3tValue")]
    [InlineData("{\"password\": \"hunter2\", \"user\": \"ann\"}", "hunter2")]
    [InlineData("OPENAI_API_KEY=abc123def456", "abc123def456")]
    [InlineData("client_secret: 9f8e7d6c5b4a", "9f8e7d6c5b4a")]
    public void A_secret_in_text_is_masked(string text, string secret)
    {
        string redacted = SecretRedactor.Redact(text);

        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains(SecretRedactor.Mask, redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("the task-management skeleton answered in 12 ms")]
    [InlineData("used 120 tokens for model gpt-4o")]
    [InlineData("bearer of bad news")]
    public void Ordinary_text_is_left_as_it_is(string text)
    {
        Assert.Equal(text, SecretRedactor.Redact(text));
    }

    [Fact]
    public void The_scheme_and_the_key_name_stay_readable()
    {
        Assert.Equal("Authorization: Bearer [REDACTED]", SecretRedactor.Redact("Authorization: Bearer abc.def.ghi"));
        Assert.Equal("api_key=[REDACTED]&q=1", SecretRedactor.Redact("api_key=abcdef&q=1"));
    }

    [Fact]
    public void A_property_named_like_a_secret_is_blanked_and_other_properties_are_cleaned()
    {
        var logEvent = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null,
            new MessageTemplateParser().Parse("calling {Endpoint} with {ApiKey}"),
            [
                new LogEventProperty("Endpoint", new ScalarValue("https://x.test/?access_token=tok123456")),
                new LogEventProperty("ApiKey", new ScalarValue("plain-looking-value")),
                new LogEventProperty("Headers", new StructureValue([new LogEventProperty("Authorization", new ScalarValue("Basic dXNlcjpwYXNz"))])),
            ]);

        LogEvent clean = LogEventRedactor.Redact(logEvent);

        string rendered = clean.RenderMessage();
        Assert.DoesNotContain("tok123456", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("plain-looking-value", rendered, StringComparison.Ordinal);
        var headers = (StructureValue)clean.Properties["Headers"];
        Assert.Equal(SecretRedactor.Mask, ((ScalarValue)headers.Properties[0].Value).Value);
    }

    [Fact]
    public void A_secret_in_an_exception_message_is_masked_and_the_type_and_stack_stay()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("request failed for key sk-live-0123456789abcdefghijkl");
        }
        catch (InvalidOperationException ex)
        {
            thrown = ex;
        }

        var logEvent = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Error, thrown, new MessageTemplateParser().Parse("failed"), []);

        string shown = LogEventRedactor.Redact(logEvent).Exception!.ToString();

        Assert.DoesNotContain("sk-live-0123456789", shown, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException", shown, StringComparison.Ordinal);
        Assert.Contains(nameof(A_secret_in_an_exception_message_is_masked_and_the_type_and_stack_stay), shown, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_without_secrets_is_passed_on_unchanged()
    {
        var logEvent = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null,
            new MessageTemplateParser().Parse("answered {Count} questions"), [new LogEventProperty("Count", new ScalarValue(3))]);

        Assert.Same(logEvent, LogEventRedactor.Redact(logEvent));
    }
}
