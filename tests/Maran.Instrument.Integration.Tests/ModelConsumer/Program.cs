using Maran.Instrument;
using Microsoft.Extensions.AI;

Console.WriteLine(typeof(Agent).Name);

public sealed class Agent(IChatClient client)
{
    /*ATTRIBUTE*/
    public async Task<string> AskAsync(string question) => (await client.GetResponseAsync(question)).Text;

    [MonitorOperation("count", "agent")]
    public static int Count(string text) => text.Length;

    public static int CountTwice(string text) => Count(text) + Count(text);
}
