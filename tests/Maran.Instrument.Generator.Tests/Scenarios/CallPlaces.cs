using System;
using System.Linq;
using Maran.Instrument;

namespace Scenarios.CallPlaces;

public class Agent
{
    [MonitorOperation("answer", "call_places")]
    public string Answer(string question) => "answer to " + question;

    [MonitorOperation("fib", "call_places")]
    public static int Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);
}

public static class Program
{
    public static string Run()
    {
        Agent? maybe = new Agent();
        Agent? missing = null;
        string? viaConditional = maybe?.Answer("q1");
        string? skipped = missing?.Answer("q2");

        Func<string, string> lambda = q => new Agent().Answer(q);
        string fromLambda = lambda("q3");
        string fromLinq = string.Join("+", new[] { "q4", "q5" }.Select(q => maybe!.Answer(q)));

        string Local(string q) => maybe!.Answer(q);
        string fromLocal = Local("q6");

        int fib = Agent.Fib(10);
        return $"{viaConditional}|{skipped ?? "none"}|{fromLambda}|{fromLinq}|{fromLocal}|{fib}";
    }
}
