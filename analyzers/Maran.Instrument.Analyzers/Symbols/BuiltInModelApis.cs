namespace Maran.Instrument.Analyzers.Symbols;

/// <summary>
/// The inference APIs the analyzers know without any package: each a type's metadata name and the methods of it that
/// call a model. Overrides and interface implementations of these methods count too.
/// </summary>
internal static class BuiltInModelApis
{
    public static readonly (string Type, string[] Methods)[] All =
    [
        // Microsoft.Extensions.AI
        ("Microsoft.Extensions.AI.IChatClient", ["GetResponseAsync", "GetStreamingResponseAsync"]),
        ("Microsoft.Extensions.AI.ChatClientExtensions", ["GetResponseAsync", "GetStreamingResponseAsync"]),
        ("Microsoft.Extensions.AI.ChatClientStructuredOutputExtensions", ["GetResponseAsync"]),
        ("Microsoft.Extensions.AI.IEmbeddingGenerator`2", ["GenerateAsync"]),
        ("Microsoft.Extensions.AI.EmbeddingGeneratorExtensions", ["GenerateAsync", "GenerateVectorAsync", "GenerateAndZipAsync", "GenerateEmbeddingAsync", "GenerateEmbeddingVectorAsync"]),
        ("Microsoft.Extensions.AI.IImageGenerator", ["GenerateAsync"]),
        ("Microsoft.Extensions.AI.ImageGeneratorExtensions", ["GenerateImagesAsync", "EditImageAsync", "EditImagesAsync"]),
        ("Microsoft.Extensions.AI.ISpeechToTextClient", ["GetTextAsync", "GetStreamingTextAsync"]),
        ("Microsoft.Extensions.AI.SpeechToTextClientExtensions", ["GetTextAsync", "GetStreamingTextAsync"]),

        // OpenAI SDK
        ("OpenAI.Chat.ChatClient", ["CompleteChat", "CompleteChatAsync", "CompleteChatStreaming", "CompleteChatStreamingAsync"]),
        ("OpenAI.Embeddings.EmbeddingClient", ["GenerateEmbedding", "GenerateEmbeddingAsync", "GenerateEmbeddings", "GenerateEmbeddingsAsync"]),
        ("OpenAI.Responses.ResponsesClient", ["CreateResponse", "CreateResponseAsync", "CreateResponseStreaming", "CreateResponseStreamingAsync"]),
        ("OpenAI.Responses.OpenAIResponseClient", ["CreateResponse", "CreateResponseAsync", "CreateResponseStreaming", "CreateResponseStreamingAsync"]),
        ("OpenAI.Assistants.AssistantClient",
        [
            "CreateRun", "CreateRunAsync", "CreateRunStreaming", "CreateRunStreamingAsync",
            "CreateThreadAndRun", "CreateThreadAndRunAsync", "CreateThreadAndRunStreaming", "CreateThreadAndRunStreamingAsync",
            "SubmitToolOutputsToRun", "SubmitToolOutputsToRunAsync", "SubmitToolOutputsToRunStreaming", "SubmitToolOutputsToRunStreamingAsync",
        ]),
        ("OpenAI.Images.ImageClient",
        [
            "GenerateImage", "GenerateImageAsync", "GenerateImages", "GenerateImagesAsync",
            "GenerateImageEdit", "GenerateImageEditAsync", "GenerateImageEdits", "GenerateImageEditsAsync",
            "GenerateImageVariation", "GenerateImageVariationAsync", "GenerateImageVariations", "GenerateImageVariationsAsync",
        ]),
        ("OpenAI.Audio.AudioClient",
        [
            "GenerateSpeech", "GenerateSpeechAsync", "GenerateSpeechStreamingAsync",
            "TranscribeAudio", "TranscribeAudioAsync", "TranslateAudio", "TranslateAudioAsync",
        ]),

        // Semantic Kernel
        ("Microsoft.SemanticKernel.ChatCompletion.IChatCompletionService", ["GetChatMessageContentsAsync", "GetStreamingChatMessageContentsAsync"]),
        ("Microsoft.SemanticKernel.ChatCompletion.ChatCompletionServiceExtensions", ["GetChatMessageContentsAsync", "GetChatMessageContentAsync", "GetStreamingChatMessageContentsAsync"]),
        ("Microsoft.SemanticKernel.TextGeneration.ITextGenerationService", ["GetTextContentsAsync", "GetStreamingTextContentsAsync"]),
        ("Microsoft.SemanticKernel.TextGeneration.TextGenerationExtensions", ["GetTextContentAsync"]),
        ("Microsoft.SemanticKernel.Embeddings.IEmbeddingGenerationService`2", ["GenerateEmbeddingsAsync"]),
        ("Microsoft.SemanticKernel.Embeddings.EmbeddingGenerationExtensions", ["GenerateEmbeddingAsync"]),
        ("Microsoft.SemanticKernel.Kernel", ["InvokeAsync", "InvokeStreamingAsync"]),
        ("Microsoft.SemanticKernel.KernelExtensions", ["InvokePromptAsync", "InvokePromptStreamingAsync"]),

        // OllamaSharp
        ("OllamaSharp.IOllamaApiClient", ["ChatAsync", "GenerateAsync", "EmbedAsync"]),
        ("OllamaSharp.OllamaApiClientExtensions", ["GenerateAsync", "EmbedAsync"]),
        ("OllamaSharp.Chat", ["SendAsync", "SendAsAsync"]),

        // LLamaSharp
        ("LLama.Abstractions.ILLamaExecutor", ["InferAsync"]),
        ("LLama.ChatSession", ["ChatAsync", "RegenerateAssistantMessageAsync"]),
        ("LLama.LLamaEmbedder", ["GetEmbeddings"]),
        ("LLama.Batched.BatchedExecutor", ["Infer"]),

        // ONNX Runtime
        ("Microsoft.ML.OnnxRuntime.InferenceSession", ["Run", "RunAsync", "RunWithBinding", "RunWithBoundResults", "RunWithBindingAndNames"]),

        // ML.NET
        ("Microsoft.ML.PredictionEngineBase`2", ["Predict"]),
        ("Microsoft.Extensions.ML.PredictionEnginePool`2", ["Predict"]),

        // TorchSharp: modules of one to six inputs, and TorchScript modules
        ("TorchSharp.torch+nn+Module`2", ["forward", "call"]),
        ("TorchSharp.torch+nn+Module`3", ["forward", "call"]),
        ("TorchSharp.torch+nn+Module`4", ["forward", "call"]),
        ("TorchSharp.torch+nn+Module`5", ["forward", "call"]),
        ("TorchSharp.torch+nn+Module`6", ["forward", "call"]),
        ("TorchSharp.torch+nn+Module`7", ["forward", "call"]),
        ("TorchSharp.torch+nn+IModule`2", ["call"]),
        ("TorchSharp.torch+nn+IModule`3", ["call"]),
        ("TorchSharp.torch+nn+IModule`4", ["call"]),
        ("TorchSharp.torch+nn+IModule`5", ["call"]),
        ("TorchSharp.torch+nn+IModule`6", ["call"]),
        ("TorchSharp.torch+nn+IModule`7", ["call"]),
        ("TorchSharp.torch+jit+ScriptModule", ["forward", "call", "invoke"]),
        ("TorchSharp.torch+jit+ScriptModule`2", ["forward", "call"]),
        ("TorchSharp.torch+jit+ScriptModule`3", ["forward", "call"]),
    ];
}
