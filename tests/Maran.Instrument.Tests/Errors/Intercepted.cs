using System.Runtime.CompilerServices;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Tests.Errors;

/// <summary>
/// Hand-written interceptors shaped exactly as the generator writes them (start, call, complete; fail as an
/// exception filter; detach), around a small monitored agent.
/// </summary>
internal static class Intercepted
{
    public static readonly OperationRecorder Lookup = OperationRegistry.GetOrAdd("lookup", "errors_agent", "Agent.Lookup(int)");
    public static readonly OperationRecorder LookupAsync = OperationRegistry.GetOrAdd("lookup_async", "errors_agent", "Agent.LookupAsync(int)");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string CallLookup(int id)
    {
        var scope = OperationScope.Start(Lookup);
        try
        {
            string result = Agent.Lookup(id);
            scope.Complete();
            return result;
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
    public static Task<string> CallLookupAsync(int id)
    {
        var scope = OperationScope.Start(LookupAsync);
        Task<string> task;
        try
        {
            task = Agent.LookupAsync(id);
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

    public static class Agent
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static string Lookup(int id)
        {
            Failures.UserStore.Find(id);
            return "found";
        }

        public static async Task<string> LookupAsync(int id)
        {
            await Task.Yield();
            Failures.UserStore.Find(id);
            return "found";
        }
    }
}
