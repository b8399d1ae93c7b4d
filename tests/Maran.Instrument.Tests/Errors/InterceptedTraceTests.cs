using System.Diagnostics;
using System.Runtime.CompilerServices;
using Maran.Instrument.Errors;
using Maran.Instrument.Generated;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Tests.Errors;

/// <summary>
/// How .NET builds an exception's stack while it propagates, which the error tracker's worker relies on when it reads
/// the stack after the fact, and the cut it makes back to the stack at the monitored call.
/// </summary>
[Collection(TrackerCollection.Name)]
public class InterceptedTraceTests
{
    private static volatile Exception? s_published;
    private static string[]? s_inFilter;

    [Fact]
    public void In_a_filter_the_stack_ends_at_the_filters_frame_and_the_frames_the_exception_leaves_are_appended_to_it()
    {
        string[] caught = Methods(CatchThroughFilter());

        Assert.Equal([nameof(Throw), nameof(Body), nameof(Filtered)], Assert.IsType<string[]>(s_inFilter));
        Assert.Equal([nameof(Throw), nameof(Body), nameof(Filtered), nameof(CatchThroughFilter)], caught);
    }

    [Fact]
    public void A_rethrow_appends_its_frames_to_the_stack_the_filter_saw()
    {
        Exception rethrown = CatchRethrown();

        Assert.Equal([nameof(Throw), nameof(Body), nameof(Filtered), nameof(Rethrow), nameof(CatchRethrown)], Methods(rethrown));
    }

    [Fact]
    public async Task An_await_of_the_faulted_task_keeps_the_stack_the_task_captured_at_its_start()
    {
        Task faulted = ThrowAsync();
        await Task.WhenAny(faulted);
        string[] captured = Methods(faulted.Exception!.InnerException!);

        Exception awaited = await Assert.ThrowsAsync<InvalidOperationException>(() => faulted);

        string[] after = Methods(awaited);
        Assert.True(after.Length > captured.Length, "the await appended no frame");
        Assert.Equal(captured, after[..captured.Length]);
    }

    [Fact]
    public void A_reader_on_another_thread_sees_the_stack_the_filter_saw_and_then_only_longer_stacks_that_begin_with_it()
    {
        using var published = new SemaphoreSlim(0);
        using var read = new SemaphoreSlim(0);
        var seen = new List<(Exception Exception, string[] Methods)>();
        using var stop = new CancellationTokenSource();
        var reader = new Thread(() =>
        {
            while (published.Wait(Timeout.Infinite, CancellationToken.None) && s_published is { } exception)
            {
                seen.Add((exception, Methods(exception)));
                read.Release();

                // Then read again while the exception leaves the frames above the filter.
                for (int reads = 0; reads < 20 && !stop.IsCancellationRequested && ReferenceEquals(s_published, exception); reads++)
                {
                    seen.Add((exception, Methods(exception)));
                }
            }
        });
        reader.Start();

        var final = new Dictionary<Exception, string[]>();
        for (int round = 0; round < 50; round++)
        {
            Exception caught = DeepCaller(6, published, read);
            s_published = null;
            final[caught] = Methods(caught);
        }

        stop.Cancel();
        published.Release();
        reader.Join();

        string[] atFilter = [nameof(Throw), nameof(Body), nameof(PublishingFilter)];
        Assert.All(final, f => Assert.Contains(seen, s => ReferenceEquals(s.Exception, f.Key) && s.Methods.SequenceEqual(atFilter)));
        Assert.All(seen, s => Assert.Equal(s.Methods, final[s.Exception][..s.Methods.Length]));
    }

    [Fact]
    public void The_stack_read_after_the_caller_caught_is_cut_after_the_generated_interceptor()
    {
        Exception caught = Assert.Throws<KeyNotFoundException>(() => GeneratedInterceptors.Fetch2(1));

        string[] cut = Methods(InterceptedTrace.Read(caught, GeneratedInterceptors.Fetch));

        Assert.Equal([nameof(TracedAgent.TracedStore.Load), nameof(TracedAgent.Fetch), nameof(GeneratedInterceptors.Fetch2)], cut);
        Assert.True(Methods(caught).Length > cut.Length, "the caller's frames never reached the exception's stack: nothing was cut");
    }

    [Fact]
    public void Through_three_nested_interceptors_the_stack_is_cut_after_the_innermost()
    {
        Exception caught = Assert.Throws<KeyNotFoundException>(() => GeneratedInterceptors.Answer0(2));

        string[] cut = Methods(InterceptedTrace.Read(caught, GeneratedInterceptors.Fetch));

        Assert.Equal([nameof(TracedAgent.TracedStore.Load), nameof(TracedAgent.Fetch), nameof(GeneratedInterceptors.Fetch2)], cut);
    }

    [Fact]
    public void An_interceptor_that_calls_its_target_through_a_local_function_keeps_its_own_frame()
    {
        Exception caught = Assert.Throws<KeyNotFoundException>(() => GeneratedInterceptors.Score3(3));

        string[] cut = Methods(InterceptedTrace.Read(caught, GeneratedInterceptors.Score));

        Assert.Equal(nameof(GeneratedInterceptors.Score3), cut[^1]);
        Assert.Contains("g__Call", cut[^2], StringComparison.Ordinal);
    }

    [Fact]
    public void Through_a_hand_written_interceptor_the_stack_is_cut_after_the_frame_that_called_the_recorders_method()
    {
        Exception caught = Assert.Throws<KeyNotFoundException>(() => Intercepted.CallLookup(4));

        string[] cut = Methods(InterceptedTrace.Read(caught, Intercepted.Lookup));

        Assert.Equal([nameof(Failures.UserStore.Find), nameof(Intercepted.Agent.Lookup), nameof(Intercepted.CallLookup)], cut);
    }

    [Fact]
    public void A_stack_with_neither_an_interceptor_nor_the_recorders_method_is_kept_whole()
    {
        Exception caught = Failures.UserNotFound(5);
        OperationRecorder unrelated = OperationRegistry.GetOrAdd("unrelated", "trace_cut", "Elsewhere.Run()");

        Assert.Equal(Methods(caught), Methods(InterceptedTrace.Read(caught, unrelated)));
    }

    private static string[] Methods(Exception exception) => Methods(new StackTrace(exception, fNeedFileInfo: false));

    private static string[] Methods(StackTrace trace) => [.. trace.GetFrames().Select(f => f.GetMethod()?.Name ?? "?")];

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw() => throw new InvalidOperationException("the stack under test");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Body() => Throw();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Filtered()
    {
        try
        {
            Body();
        }
        catch (Exception exception) when (Remember(exception))
        {
            throw;
        }
    }

    private static bool Remember(Exception exception)
    {
        s_inFilter = Methods(exception);
        return false;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Exception CatchThroughFilter()
    {
        try
        {
            Filtered();
        }
        catch (InvalidOperationException exception)
        {
            return exception;
        }

        throw new InvalidOperationException("unreachable");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Rethrow()
    {
        try
        {
            Filtered();
        }
        catch (InvalidOperationException)
        {
            throw;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Exception CatchRethrown()
    {
        try
        {
            Rethrow();
        }
        catch (InvalidOperationException exception)
        {
            return exception;
        }

        throw new InvalidOperationException("unreachable");
    }

    private static async Task ThrowAsync()
    {
        await Task.Yield();
        Throw();
    }

    // The filter hands the exception to the reader and waits until it has read the stack once, then lets it propagate.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void PublishingFilter(SemaphoreSlim published, SemaphoreSlim read)
    {
        try
        {
            Body();
        }
        catch (Exception exception) when (Publish(exception, published, read))
        {
            throw;
        }
    }

    private static bool Publish(Exception exception, SemaphoreSlim published, SemaphoreSlim read)
    {
        s_published = exception;
        published.Release();
        read.Wait();
        return false;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Exception DeepCaller(int depth, SemaphoreSlim published, SemaphoreSlim read)
    {
        try
        {
            Deeper(depth, published, read);
        }
        catch (InvalidOperationException exception)
        {
            return exception;
        }

        throw new InvalidOperationException("unreachable");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Deeper(int depth, SemaphoreSlim published, SemaphoreSlim read)
    {
        if (depth == 0)
        {
            PublishingFilter(published, read);
        }
        else
        {
            Deeper(depth - 1, published, read);
        }

        GC.KeepAlive(published);
    }
}
