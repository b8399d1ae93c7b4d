using System;
using System.Runtime.CompilerServices;
using Maran.Instrument;

namespace Scenarios.Exceptions;

public sealed class ModelException(string message) : Exception(message);

public class Model
{
    [MonitorOperation("explode", "exceptions")]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public int Explode(int code) => ThrowDeep(code);

    [MonitorOperation("cancel", "exceptions")]
    public void Cancel() => throw new OperationCanceledException("user cancelled");

    private static int ThrowDeep(int code) => throw new ModelException("code " + code);
}

public static class Program
{
    public static Exception? Explode()
    {
        try
        {
            new Model().Explode(7);
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    public static Exception? Cancel()
    {
        try
        {
            new Model().Cancel();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }
}
