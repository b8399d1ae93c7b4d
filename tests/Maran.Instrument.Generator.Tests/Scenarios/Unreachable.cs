using System;
using System.Linq;
using Maran.Instrument;

namespace Scenarios.Unreachable;

public interface IScorer
{
    int Score(string text);
}

public class Scorer : IScorer
{
    [MonitorOperation("score", "unreachable")]
    public int Score(string text) => text.Length;
}

public class Base
{
    [MonitorOperation("describe", "unreachable")]
    public virtual string Describe() => "base";
}

public class Derived : Base
{
    public override string Describe() => "derived+" + base.Describe();
}

public static class Program
{
    public static string Run()
    {
        var scorer = new Scorer();
        Func<string, int> group = scorer.Score;
        int viaGroup = group("abc");
        int viaSelect = new[] { "a", "bb" }.Select(scorer.Score).Sum();
        IScorer viaInterface = scorer;
        int interfaceScore = viaInterface.Score("abcd");
        string described = new Derived().Describe();
        return $"{viaGroup} {viaSelect} {interfaceScore} {described}";
    }
}
