namespace Maran.Instrument.Errors;

/// <summary>
/// Decides which stack frames are the application's own, by namespace prefix: a frame is in-app unless its
/// namespace starts with an excluded prefix (the framework and common SDKs by default), and always when it starts
/// with an included one.
/// </summary>
internal sealed class InAppFilter(IReadOnlyList<string> include, IReadOnlyList<string> exclude)
{
    /// <summary>Namespaces of the runtime, the framework and the model SDKs an agent typically calls.</summary>
    public static readonly IReadOnlyList<string> DefaultExclude =
    [
        "System", "Microsoft", "Windows", "Internal", "Mono", "FSharp", "Newtonsoft", "Polly", "Grpc", "Google",
        "Azure", "OpenAI", "Anthropic", "Amazon", "Mistral", "OllamaSharp", "LLama", "TorchSharp", "Serilog",
        "Npgsql", "StackExchange", "Xunit", "NUnit",
    ];

    public bool IsInApp(string ns)
    {
        foreach (string prefix in include)
        {
            if (HasPrefix(ns, prefix))
            {
                return true;
            }
        }

        foreach (string prefix in exclude)
        {
            if (HasPrefix(ns, prefix))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasPrefix(string ns, string prefix) =>
        ns.StartsWith(prefix, StringComparison.Ordinal) && (ns.Length == prefix.Length || ns[prefix.Length] == '.');
}
