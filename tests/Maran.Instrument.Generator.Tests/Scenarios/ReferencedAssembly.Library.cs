using Maran.Instrument;

namespace Scenarios.ReferencedAssembly.Library;

public class Embedder
{
    [MonitorOperation("embed", "referenced")]
    public float[] Embed(string text) => [text.Length, 1f];
}

[MonitorComponent("referenced_component")]
public static class Tokens
{
    public static int Count(string text) => text.Split(' ').Length;
}
