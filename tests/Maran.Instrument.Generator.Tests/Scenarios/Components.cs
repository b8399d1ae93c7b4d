using System.Threading.Tasks;
using Maran.Instrument;

namespace Scenarios.Components;

[MonitorComponent("retriever")]
public class Retriever
{
    public string[] Search(string query) => [query + "-1", query + "-2"];

    public Task<int> CountAsync() => Task.FromResult(2);

    [DoNotMonitor]
    public string Describe() => "retriever";

    [MonitorOperation("rank_documents", "ranking")]
    public int Rank(string document) => document.Length;

    internal string Internal() => "internal";
}

public static class Program
{
    public static async Task<string> RunAsync()
    {
        var retriever = new Retriever();
        string[] found = retriever.Search("q");
        int count = await retriever.CountAsync();
        return $"{found.Length} {count} {retriever.Describe()} {retriever.Rank("doc")} {retriever.Internal()}";
    }
}
