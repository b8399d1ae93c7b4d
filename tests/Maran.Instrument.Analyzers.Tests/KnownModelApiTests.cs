namespace Maran.Instrument.Analyzers.Tests;

/// <summary>
/// MARAN001 against the real inference libraries, compiled from the packages this project restores: the built-in list
/// names their model calls by metadata name, and their other members stay quiet.
/// </summary>
public class KnownModelApiTests
{
    private static Task VerifyAsync(string source) =>
        Verify.AnalyzerAsync<ModelCallAnalyzer>(source, new Verify.Options { Libraries = TestReferences.AllLibraries });

    [Fact]
    public async Task OpenAI_chat_embedding_and_responses_calls_are_model_calls_and_its_bookkeeping_is_not()
    {
        await VerifyAsync(
            """
            #pragma warning disable OPENAI001 // the responses client is marked for evaluation
            using System.Threading.Tasks;
            using OpenAI.Chat;
            using OpenAI.Embeddings;
            using OpenAI.Responses;

            public class Agent(ChatClient chat, EmbeddingClient embeddings, ResponsesClient responses)
            {
                public async Task RunAsync()
                {
                    await {|MARAN001:chat.CompleteChatAsync(ChatMessage.CreateUserMessage("hi"))|};
                    {|MARAN001:chat.CompleteChat(ChatMessage.CreateUserMessage("hi"))|};
                    await foreach (var update in {|MARAN001:chat.CompleteChatStreamingAsync(ChatMessage.CreateUserMessage("hi"))|})
                    {
                    }

                    await {|MARAN001:embeddings.GenerateEmbeddingAsync("text")|};
                    await {|MARAN001:responses.CreateResponseAsync(new CreateResponseOptions())|};
                    await chat.GetChatCompletionAsync("id");
                }
            }
            """);
    }

    [Fact]
    public async Task Semantic_Kernel_invocations_and_chat_completion_are_model_calls()
    {
        await VerifyAsync(
            """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            public class Agent(Kernel kernel, IChatCompletionService chat, KernelFunction function)
            {
                public async Task RunAsync()
                {
                    await {|MARAN001:kernel.InvokePromptAsync("hi")|};
                    await {|MARAN001:kernel.InvokeAsync(function)|};
                    await {|MARAN001:chat.GetChatMessageContentAsync("hi")|};
                    await {|MARAN001:chat.GetChatMessageContentsAsync(new ChatHistory())|};
                    kernel.Clone();
                }
            }
            """);
    }

    [Fact]
    public async Task OllamaSharp_generation_chat_and_its_chat_client_are_model_calls_and_model_listing_is_not()
    {
        await VerifyAsync(
            """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using OllamaSharp;

            public class Agent(OllamaApiClient ollama, Chat chat)
            {
                public async Task RunAsync()
                {
                    IOllamaApiClient api = ollama;
                    await foreach (var token in {|MARAN001:api.GenerateAsync("hi")|})
                    {
                    }

                    await foreach (var token in {|MARAN001:chat.SendAsync("hi")|})
                    {
                    }

                    IChatClient client = ollama;
                    await {|MARAN001:client.GetResponseAsync("hi")|};
                    await ollama.ListLocalModelsAsync();
                }
            }
            """);
    }

    [Fact]
    public async Task LLamaSharp_executors_are_model_calls_through_the_executor_interface_they_implement()
    {
        await VerifyAsync(
            """
            using System.Threading.Tasks;
            using LLama;
            using LLama.Common;

            public class Agent(InteractiveExecutor interactive, StatelessExecutor stateless)
            {
                public async Task RunAsync()
                {
                    await foreach (var token in {|MARAN001:interactive.InferAsync("hi", new InferenceParams())|})
                    {
                    }

                    await foreach (var token in {|MARAN001:stateless.InferAsync("hi")|})
                    {
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task Onnx_Runtime_sessions_and_MLNET_prediction_engines_are_model_calls()
    {
        await VerifyAsync(
            """
            using System.Collections.Generic;
            using Microsoft.ML;
            using Microsoft.ML.OnnxRuntime;

            public class Features
            {
                public float X { get; set; }
            }

            public class Prediction
            {
                public float Score { get; set; }
            }

            public class Scorer(InferenceSession session, PredictionEngine<Features, Prediction> engine)
            {
                public int Run(IReadOnlyCollection<NamedOnnxValue> inputs)
                {
                    using var results = {|MARAN001:session.Run(inputs)|};
                    return results.Count;
                }

                public float Score(Features features) => {|MARAN001:engine.Predict(features)|}.Score;

                public string[] Inputs() => [.. session.InputMetadata.Keys];
            }
            """);
    }

    [Fact]
    public async Task TorchSharp_module_calls_are_model_calls_but_a_modules_own_forward_is_not_reported()
    {
        await VerifyAsync(
            """
            using TorchSharp;
            using static TorchSharp.torch;

            public sealed class Net : nn.Module<Tensor, Tensor>
            {
                private readonly nn.Module<Tensor, Tensor> _layer = nn.Linear(4, 2);

                public Net() : base("net") => RegisterComponents();

                public override Tensor forward(Tensor input) => _layer.forward(input) + _layer.call(input);
            }

            public class Agent(Net net)
            {
                public Tensor Run(Tensor input) => {|MARAN001:net.forward(input)|};

                public Tensor Call(Tensor input) => {|MARAN001:net.call(input)|};
            }
            """);
    }
}
