using System.Runtime.CompilerServices;
using Maran.Instrument.Profiling;
using Maran.Instrument.Tests.Errors;

namespace Maran.Instrument.Generated;

/// <summary>
/// Interceptors as the generator writes them, in the namespace it writes them into, around <see cref="TracedAgent"/>:
/// answer calls plan, plan calls fetch, and fetch fails in the store; score returns a double through a local function.
/// </summary>
internal static class GeneratedInterceptors
{
    public const string Component = "traced_agent";

    public static readonly OperationRecorder Answer = OperationRegistry.GetOrAdd("answer", Component, "TracedAgent.Answer(int)");
    public static readonly OperationRecorder Plan = OperationRegistry.GetOrAdd("plan", Component, "TracedAgent.Plan(int)");
    public static readonly OperationRecorder Fetch = OperationRegistry.GetOrAdd("fetch", Component, "TracedAgent.Fetch(int)");
    public static readonly OperationRecorder Score = OperationRegistry.GetOrAdd("score", Component, "TracedAgent.Score(int)");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Answer0(int id)
    {
        var scope = OperationScope.Start(Answer);
        try
        {
            int result = TracedAgent.Answer(id);
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
    public static int Plan1(int id)
    {
        var scope = OperationScope.Start(Plan);
        try
        {
            int result = TracedAgent.Plan(id);
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
    public static int Fetch2(int id)
    {
        var scope = OperationScope.Start(Fetch);
        try
        {
            int result = TracedAgent.Fetch(id);
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
    public static double Score3(int id)
    {
        var scope = OperationScope.Start(Score);
        try
        {
            double result = Call(id);
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

        [MethodImpl(MethodImplOptions.NoInlining)]
        static double Call(int id) => TracedAgent.Score(id);
    }
}
