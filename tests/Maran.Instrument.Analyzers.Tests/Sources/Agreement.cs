using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using Maran.Instrument;

namespace Scenarios.Agreement;

public interface IScorer
{
    int Score(string text);
}

public class Scorer : IScorer
{
    [MonitorOperation("score", "agreement")]
    public int Score(string text) => text.Length;

    [MonitorOperation("rank", "agreement")]
    public static int Rank(string text) => text.Length;
}

public interface IModel
{
    [MonitorOperation("predict", "agreement")]
    int Predict();
}

public struct Counter : IModel
{
    public int Calls;

    public int Predict() => ++Calls;
}

public class Step
{
    public virtual string Run() => "step";
}

public class Generate : Step
{
    [MonitorOperation("generate", "agreement")]
    public override string Run() => "generate";
}

public class Base
{
    [MonitorOperation("describe", "agreement")]
    public virtual string Describe() => "base";
}

public class Derived : Base
{
    public override string Describe() => "derived+" + base.Describe();
}

public interface IRetriever
{
    string[] Search(string query);
}

[MonitorComponent("retriever")]
public class Retriever : IRetriever
{
    public string[] Search(string query) => [query];

    [DoNotMonitor]
    public string Name() => "retriever";

    internal string Hidden() => "hidden";
}

public class Batch : IEnumerable<string>
{
    private readonly List<string> _items = [];

    [MonitorOperation("add", "agreement")]
    public void Add(string item) => _items.Add(item);

    public IEnumerator<string> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

public class Invalid
{
    [MonitorOperation("", "agreement")]
    public int Empty() => 0;
}

public static class Program
{
    public static string Run<T, TClass>(ref T value, TClass reference, Scorer scorer, IScorer abstracted, Step step, Generate generate, Derived derived, Retriever retriever, IRetriever abstractRetriever, IQueryable<string> texts)
        where T : IModel
        where TClass : class, IModel
    {
        int scores = scorer.Score("a") + Scorer.Rank("b") + (scorer?.Score("c") ?? 0) + abstracted.Score("d");
        string runs = step.Run() + generate.Run() + derived.Describe();
        int predictions = value.Predict() + reference.Predict();
        Func<string, int> group = scorer!.Score;
        Expression<Func<string, int>> tree = text => scorer.Score(text);
        Func<int> lambda = () => Scorer.Rank("e");
        string[] found = [.. retriever.Search("q"), .. abstractRetriever.Search("r"), retriever.Name(), retriever.Hidden()];
        var batch = new Batch { "x" };
        int empty = new Invalid().Empty();

        [MonitorOperation("local", "agreement")]
        int Local() => 1;

        return $"{scores} {runs} {predictions} {group("f")} {tree} {lambda()} {found.Length} {batch.Count()} {empty} {Local()} {texts.Select(t => Scorer.Rank(t)).Count()}";
    }
}
