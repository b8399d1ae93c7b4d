using System.ClientModel;
using System.ClientModel.Primitives;
using System.ComponentModel.DataAnnotations;
using System.Net;
using Maran.Instrument.Errors;
using OpenAI;
using OpenAI.Chat;

namespace Maran.Instrument.Tests.Errors;

/// <summary>
/// Categories from the exceptions agents really see: the OpenAI SDK refusing a call (a real server on 127.0.0.1
/// answering as the provider does), HttpClient timeouts, refused connections and cancellations, device memory.
/// </summary>
public class ErrorCategorizerTests
{
    private static ErrorCategory Categorize(Exception exception) =>
        ErrorCategorizer.Categorize(exception, exception.GetType().FullName!, exception.Message);

    private static async Task<Exception> OpenAIFailure(int status, string body)
    {
        using var server = new ModelServer(status, body);
        var client = new ChatClient("gpt-4o-mini", new ApiKeyCredential("sk-test"), new OpenAIClientOptions
        {
            Endpoint = server.Endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });
        return await Assert.ThrowsAnyAsync<Exception>(() => client.CompleteChatAsync([new UserChatMessage("hello")]));
    }

    private static string OpenAIError(string message, string type, string? code) =>
        System.Text.Json.JsonSerializer.Serialize(new { error = new { message, type, param = (string?)null, code } });

    [Fact]
    public async Task OpenAI_429_rate_limit_is_rate_limited()
    {
        Exception error = await OpenAIFailure(429, OpenAIError(
            "Rate limit reached for gpt-4o-mini in organization org-Xk2 on tokens per min (TPM): Limit 200000, Used 199500, Requested 1200. Please try again in 210ms.",
            "tokens",
            "rate_limit_exceeded"));

        Assert.IsType<ClientResultException>(error);
        Assert.Equal(429, ((ClientResultException)error).Status);
        Assert.Equal(ErrorCategory.RateLimited, Categorize(error));
    }

    [Fact]
    public void A_status_the_exception_names_only_in_its_message_is_read_from_the_message()
    {
        Assert.Equal(ErrorCategory.RateLimited, Categorize(new InvalidOperationException("Response status code does not indicate success: 429 (Too Many Requests).")));
        Assert.Equal(ErrorCategory.Authentication, Categorize(new InvalidOperationException("Service request failed.\nStatus: 401 (Unauthorized)")));
        Assert.Equal(ErrorCategory.ServerError, Categorize(new InvalidOperationException("HTTP 500 (server_error)")));
    }

    [Fact]
    public async Task OpenAI_context_length_exceeded_is_told_apart_from_other_bad_requests()
    {
        Exception tooLong = await OpenAIFailure(400, OpenAIError(
            "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
            "invalid_request_error",
            "context_length_exceeded"));
        Exception badParameter = await OpenAIFailure(400, OpenAIError(
            "Invalid value for 'temperature': expected a number between 0 and 2.",
            "invalid_request_error",
            "invalid_value"));

        Assert.Equal(ErrorCategory.ContextLengthExceeded, Categorize(tooLong));
        Assert.Equal(ErrorCategory.InvalidRequest, Categorize(badParameter));
    }

    [Fact]
    public async Task OpenAI_invalid_api_key_is_authentication()
    {
        Exception error = await OpenAIFailure(401, OpenAIError(
            "Incorrect API key provided: sk-test. You can find your API key at https://platform.openai.com/account/api-keys.",
            "invalid_request_error",
            "invalid_api_key"));

        Assert.Equal(ErrorCategory.Authentication, Categorize(error));
    }

    [Fact]
    public async Task Azure_OpenAI_content_filter_is_content_filtered()
    {
        Exception error = await OpenAIFailure(400, OpenAIError(
            "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.",
            "invalid_request_error",
            "content_filter"));

        Assert.Equal(ErrorCategory.ContentFiltered, Categorize(error));
    }

    [Fact]
    public async Task Provider_server_errors_are_server_errors_and_gateway_timeouts_are_timeouts()
    {
        Exception internalError = await OpenAIFailure(500, OpenAIError("The server had an error while processing your request. Sorry about that!", "server_error", null));
        Exception unavailable = await OpenAIFailure(503, OpenAIError("The server is overloaded or not ready yet.", "server_error", null));
        Exception gateway = await OpenAIFailure(504, "upstream request timeout");

        Assert.IsType<ClientResultException>(internalError);
        Assert.Equal(ErrorCategory.ServerError, Categorize(internalError));
        Assert.Equal(ErrorCategory.ServerError, Categorize(unavailable));
        Assert.Equal(ErrorCategory.Timeout, Categorize(gateway));
        Assert.Equal("server_error", EnumNames.Of(ErrorCategory.ServerError));
    }

    [Fact]
    public async Task An_HttpClient_timeout_is_a_timeout_not_a_cancellation()
    {
        using var server = ModelServer.Silent();
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(200) };

        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => http.GetAsync(server.Endpoint));

        Assert.IsType<TaskCanceledException>(error);
        Assert.Equal(ErrorCategory.Timeout, Categorize(error));
    }

    [Fact]
    public async Task A_caller_cancelling_a_request_is_cancelled()
    {
        using var server = ModelServer.Silent();
        using var http = new HttpClient();
        using var cancel = new CancellationTokenSource();
        Task<HttpResponseMessage> request = http.GetAsync(server.Endpoint, cancel.Token);
        cancel.Cancel();

        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => request);

        Assert.Equal(ErrorCategory.Cancelled, Categorize(error));
    }

    [Fact]
    public async Task A_refused_connection_is_network()
    {
        using var http = new HttpClient();

        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => http.GetAsync($"http://127.0.0.1:{ModelServer.FreePort()}/v1/models"));

        Assert.IsType<HttpRequestException>(error);
        Assert.Equal(ErrorCategory.Network, Categorize(error));
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, ErrorCategory.RateLimited)]
    [InlineData(HttpStatusCode.Unauthorized, ErrorCategory.Authentication)]
    [InlineData(HttpStatusCode.Forbidden, ErrorCategory.Authentication)]
    [InlineData(HttpStatusCode.RequestTimeout, ErrorCategory.Timeout)]
    [InlineData(HttpStatusCode.NotFound, ErrorCategory.InvalidRequest)]
    [InlineData(HttpStatusCode.UnprocessableEntity, ErrorCategory.InvalidRequest)]
    [InlineData(HttpStatusCode.GatewayTimeout, ErrorCategory.Timeout)]
    [InlineData(HttpStatusCode.BadRequest, ErrorCategory.InvalidRequest)]
    [InlineData(HttpStatusCode.InternalServerError, ErrorCategory.ServerError)]
    [InlineData(HttpStatusCode.BadGateway, ErrorCategory.ServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable, ErrorCategory.ServerError)]
    public async Task EnsureSuccessStatusCode_failures_are_categorised_by_their_status(HttpStatusCode status, ErrorCategory expected)
    {
        using var server = new ModelServer((int)status, "{}");
        using var http = new HttpClient();
        using HttpResponseMessage response = await http.GetAsync(server.Endpoint);

        Exception error = Assert.Throws<HttpRequestException>(() => response.EnsureSuccessStatusCode());

        Assert.Equal(expected, Categorize(error));
    }

    [Theory]
    [InlineData("CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.15 GiB total capacity; 75.02 GiB already allocated; 1.20 GiB free)")]
    [InlineData("ggml_backend_cuda_buffer_type_alloc_buffer: allocating 1024.00 MiB on device 0: cudaMalloc failed: out of memory")]
    [InlineData("CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`")]
    [InlineData("[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : Failed to allocate memory for requested buffer of size 536870912")]
    public void Device_memory_failures_are_out_of_memory(string message)
    {
        Assert.Equal(ErrorCategory.OutOfMemory, Categorize(new System.Runtime.InteropServices.ExternalException(message)));
    }

    [Fact]
    public void Managed_out_of_memory_is_out_of_memory()
    {
        Assert.Equal(ErrorCategory.OutOfMemory, Categorize(new InvalidOperationException("generation failed", new OutOfMemoryException())));
    }

    [Fact]
    public void Argument_and_validation_errors_are_invalid_requests()
    {
        Assert.Equal(ErrorCategory.InvalidRequest, Categorize(new ArgumentOutOfRangeException("temperature", 3.5, "must be between 0 and 2")));
        Assert.Equal(ErrorCategory.InvalidRequest, Categorize(new ValidationException("The Prompt field is required.")));
    }

    [Fact]
    public void A_plain_bug_is_unknown()
    {
        Assert.Equal(ErrorCategory.Unknown, Categorize(new InvalidOperationException("Sequence contains no elements")));
    }

    [Fact]
    public void Errors_tracked_by_hand_without_an_exception_are_categorised_from_type_and_message()
    {
        Assert.Equal(ErrorCategory.RateLimited, ErrorCategorizer.Categorize(null, "ProviderError", "HTTP 429: Too Many Requests"));
        Assert.Equal(ErrorCategory.Timeout, ErrorCategorizer.Categorize(null, "ToolTimeout", "search tool did not answer"));
        Assert.Equal(ErrorCategory.ContextLengthExceeded, ErrorCategorizer.Categorize(null, "ModelError", "prompt is too long: 215000 tokens > 200000 maximum"));
    }

    [Fact]
    public void A_ClientResultException_built_from_a_response_carries_its_status()
    {
        var response = new CannedResponse(429);

        var error = new ClientResultException(response);

        Assert.Equal(429, ErrorCategorizer.StatusOf(error));
        Assert.Equal(ErrorCategory.RateLimited, Categorize(error));
    }

    private sealed class CannedResponse(int status) : PipelineResponse
    {
        private BinaryData _content = BinaryData.FromString("{}");

        public override int Status => status;

        public override string ReasonPhrase => "Too Many Requests";

        public override Stream? ContentStream { get; set; }

        public override BinaryData Content => _content;

        protected override PipelineResponseHeaders HeadersCore => throw new NotSupportedException();

        public override BinaryData BufferContent(CancellationToken cancellationToken = default) => _content;

        public override ValueTask<BinaryData> BufferContentAsync(CancellationToken cancellationToken = default) => new(_content);

        public override void Dispose() => _content = BinaryData.Empty;
    }
}
