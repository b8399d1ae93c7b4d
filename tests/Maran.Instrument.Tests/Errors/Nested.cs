using System.Runtime.CompilerServices;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Tests.Errors;

/// <summary>
/// A monitored "answer" that calls a monitored "model" call, with interceptors shaped as the generator writes them:
/// the model call fails, and the failure passes up through the answer (as itself, wrapped, or in an aggregate).
/// </summary>
internal static class Nested
{
    public const string Component = "nested_agent";

    public static readonly OperationRecorder Answer = OperationRegistry.GetOrAdd("answer", Component, "Agent.Answer()");
    public static readonly OperationRecorder Model = OperationRegistry.GetOrAdd("model", Component, "Agent.CallModel()");
    public static readonly OperationRecorder AnswerAsync = OperationRegistry.GetOrAdd("answer_async", Component, "Agent.AnswerAsync()");
    public static readonly OperationRecorder ModelAsync = OperationRegistry.GetOrAdd("model_async", Component, "Agent.CallModelAsync()");

    /// <summary>The answer, with <paramref name="body"/> as what it does around the model call.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void CallAnswer(Action body)
    {
        var scope = OperationScope.Start(Answer);
        try
        {
            body();
            scope.Complete();
        }
        catch (Exception exception) when (scope.Fail(exception))
        {
            throw;
        }
        finally
        {
            scope.Detach();
        }
    }

    /// <summary>The model call, failing with <paramref name="failure"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void CallModel(Exception failure)
    {
        var scope = OperationScope.Start(Model);
        try
        {
            throw failure;
        }
        catch (Exception exception) when (scope.Fail(exception))
        {
            throw;
        }
        finally
        {
            scope.Detach();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Task CallAnswerAsync(Func<Task> body)
    {
        var scope = OperationScope.Start(AnswerAsync);
        Task task;
        try
        {
            task = body();
        }
        catch (Exception exception) when (scope.Fail(exception))
        {
            throw;
        }
        finally
        {
            scope.Detach();
        }

        return scope.Track(task);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Task CallModelAsync(string message)
    {
        var scope = OperationScope.Start(ModelAsync);
        Task task;
        try
        {
            task = ModelAsyncBody(message);
        }
        catch (Exception exception) when (scope.Fail(exception))
        {
            throw;
        }
        finally
        {
            scope.Detach();
        }

        return scope.Track(task);
    }

    private static async Task ModelAsyncBody(string message)
    {
        await Task.Yield();
        throw new HttpRequestException(message, null, System.Net.HttpStatusCode.InternalServerError);
    }
}
