using System.Linq;
using Maran.Instrument.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Maran.Instrument.Generator.Parsing;

/// <summary>
/// Decides at compile time whether a monitored method's result carries token usage, by the metadata names of the
/// model SDKs' response types (the generator references none of them). Methods returning anything else get no
/// reader, so their interceptors are exactly as before.
/// </summary>
internal static class UsageDetector
{
    public static UsageModel? Detect(IMethodSymbol method, ReturnShape shape, KnownSymbols known)
    {
        if (known.TokenUsageReader is null || method.ReturnsVoid || method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return null;
        }

        ITypeSymbol? payload = shape switch
        {
            ReturnShape.Value or ReturnShape.VectorRegisterValue => method.ReturnType,
            ReturnShape.Task or ReturnShape.ValueTask or ReturnShape.Stream or ReturnShape.AsyncCollection or ReturnShape.Collection => method.ReturnType is INamedTypeSymbol { TypeArguments.Length: 1 } generic ? generic.TypeArguments[0] : null,
            _ => null,
        };

        if (payload is null || payload.IsRefLikeType || payload is IPointerTypeSymbol or IFunctionPointerTypeSymbol)
        {
            return null;
        }

        UsageKind? kind = KindOf(payload, shape is ReturnShape.Stream or ReturnShape.AsyncCollection or ReturnShape.Collection, known);
        if (kind is null)
        {
            return null;
        }

        bool cached, reasoning;
        if (kind is UsageKind.ChatCompletion or UsageKind.ChatCompletionResult or UsageKind.StreamingChatCompletionUpdate or UsageKind.ResponseResult)
        {
            cached = HasMember(known.ChatTokenUsage, "InputTokenDetails");
            reasoning = HasMember(known.ChatTokenUsage, "OutputTokenDetails");
        }
        else
        {
            cached = HasMember(known.UsageDetails, "CachedInputTokenCount");
            reasoning = HasMember(known.UsageDetails, "ReasoningTokenCount");
        }

        return new UsageModel(kind.Value, cached, reasoning, HasOpenAIUsage: known.ChatTokenUsage is not null);
    }

    private static UsageKind? KindOf(ITypeSymbol type, bool isStreamItem, KnownSymbols known)
    {
        // A type of the program's own that implements ITokenUsage says best what it holds.
        if (Implements(type, known.TokenUsageInterface))
        {
            return UsageKind.Interface;
        }

        if (Inherits(type, known.ChatResponse))
        {
            return UsageKind.ChatResponse;
        }

        if (isStreamItem && Inherits(type, known.ChatResponseUpdate))
        {
            return UsageKind.ChatResponseUpdate;
        }

        if (Inherits(type, known.GeneratedEmbeddings))
        {
            return UsageKind.Embeddings;
        }

        if (Inherits(type, known.ChatCompletion))
        {
            return UsageKind.ChatCompletion;
        }

        if (type is INamedTypeSymbol { TypeArguments.Length: 1 } result && known.ClientResultOfT is { } clientResult && Is(result, clientResult) && Inherits(result.TypeArguments[0], known.ChatCompletion))
        {
            return UsageKind.ChatCompletionResult;
        }

        if (isStreamItem && Inherits(type, known.StreamingChatCompletionUpdate))
        {
            return UsageKind.StreamingChatCompletionUpdate;
        }

        if (type is INamedTypeSymbol { TypeArguments.Length: 1 } wrapped && known.ClientResultOfT is { } clientResultOfT && Is(wrapped, clientResultOfT))
        {
            if (Inherits(wrapped.TypeArguments[0], known.EmbeddingCollection))
            {
                return UsageKind.EmbeddingCollectionResult;
            }

            if (Inherits(wrapped.TypeArguments[0], known.ResponseResult))
            {
                return UsageKind.ResponseResult;
            }
        }

        if (Inherits(type, known.AgentResponse))
        {
            return UsageKind.AgentResponse;
        }

        if (isStreamItem && Inherits(type, known.AgentResponseUpdate))
        {
            return UsageKind.AgentResponseUpdate;
        }

        if (Inherits(type, known.KernelContent))
        {
            return UsageKind.KernelContent;
        }

        if (type is INamedTypeSymbol { TypeArguments.Length: 1 } list && known.ReadOnlyListOfT is { } readOnlyList && Is(list, readOnlyList) && Inherits(list.TypeArguments[0], known.KernelContent))
        {
            return UsageKind.KernelContents;
        }

        if (Inherits(type, known.KernelFunctionResult))
        {
            return UsageKind.KernelFunctionResult;
        }

        if (isStreamItem && Inherits(type, known.StreamingKernelContent))
        {
            return UsageKind.KernelStreamingContent;
        }

        if (isStreamItem && Inherits(type, known.OllamaChatStream))
        {
            return UsageKind.OllamaChatStream;
        }

        if (isStreamItem && Inherits(type, known.OllamaGenerateStream))
        {
            return UsageKind.OllamaGenerateStream;
        }

        if (Inherits(type, known.OllamaEmbed))
        {
            return UsageKind.OllamaEmbed;
        }

        return null;
    }

    private static bool Inherits(ITypeSymbol type, INamedTypeSymbol? target)
    {
        if (target is null)
        {
            return false;
        }

        if (type is ITypeParameterSymbol parameter)
        {
            return parameter.ConstraintTypes.Any(c => Inherits(c, target));
        }

        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (Is(current, target))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Implements(ITypeSymbol type, INamedTypeSymbol? target)
    {
        if (target is null)
        {
            return false;
        }

        if (type is ITypeParameterSymbol parameter)
        {
            return parameter.ConstraintTypes.Any(c => Is(c, target) || Implements(c, target));
        }

        return Is(type, target) || type.AllInterfaces.Any(i => Is(i, target));
    }

    private static bool Is(ITypeSymbol type, INamedTypeSymbol target) =>
        SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, target);

    private static bool HasMember(INamedTypeSymbol? type, string name) =>
        type is not null && type.GetMembers(name).OfType<IPropertySymbol>().Any();
}
