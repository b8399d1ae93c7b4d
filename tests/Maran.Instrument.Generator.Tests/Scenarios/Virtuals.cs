using Maran.Instrument;

namespace Scenarios.Virtuals;

public interface IModel
{
    [MonitorOperation("predict", "virtuals")]
    string Predict(string input);
}

public abstract class Model : IModel
{
    [MonitorOperation("generate", "virtuals")]
    public virtual string Generate(string prompt) => "base:" + prompt;

    [MonitorOperation("score", "virtuals")]
    public abstract int Score(string text);

    public string Predict(string input) => "predict:" + input;
}

public sealed class Tuned : Model
{
    public override string Generate(string prompt) => "tuned:" + prompt;

    public override int Score(string text) => text.Length;
}

public static class Program
{
    public static string Run()
    {
        Model asBase = new Tuned();
        var asDerived = new Tuned();
        IModel asInterface = asDerived;
        return string.Join(",", asBase.Generate("a"), asDerived.Generate("b"), asBase.Score("abc"), asInterface.Predict("c"));
    }
}
