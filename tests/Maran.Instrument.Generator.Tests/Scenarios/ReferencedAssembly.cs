using Scenarios.ReferencedAssembly.Library;

namespace Scenarios.ReferencedAssembly;

public static class Program
{
    public static string Run()
    {
        float[] vector = new Embedder().Embed("hello");
        int tokens = Tokens.Count("a b c");
        return $"{vector[0]} {tokens}";
    }
}
