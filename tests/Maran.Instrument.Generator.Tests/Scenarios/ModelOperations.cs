using Maran.Instrument;

namespace Scenarios.ModelOperations;

public class Assistant
{
    [MonitorOperation("answer", "model_operations", Model = "gpt-4o-mini", Provider = "openai", GenAIOperation = "chat")]
    public string Answer(string question) => "42: " + question;

    [MonitorOperation("embed", "model_operations", GenAIOperation = "embeddings")]
    public int Embed(string text) => text.Length;

    [MonitorOperation("plain", "model_operations")]
    public int Plain() => 1;
}

public static class Program
{
    public static string Run()
    {
        var assistant = new Assistant();
        return assistant.Answer("why") + " " + assistant.Embed("abc") + " " + assistant.Plain();
    }
}
