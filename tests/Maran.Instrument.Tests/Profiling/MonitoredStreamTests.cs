using System.Runtime.CompilerServices;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Tests.Profiling;

[Collection(RuntimeSwitches.Name)]
public class MonitoredStreamTests
{
    private static OperationRecorder NewOperation([CallerMemberName] string name = "") =>
        OperationRegistry.GetOrAdd(name, "stream_tests");

    [Fact]
    public async Task An_async_iterator_enumerated_to_the_end_is_one_successful_call_with_its_items_counted()
    {
        OperationRecorder recorder = NewOperation();

        int sum = 0;
        await foreach (int item in OperationScope.Start(recorder).Track(Numbers(5)))
        {
            sum += item;
        }

        OperationSnapshot snapshot = recorder.Snapshot();
        Assert.Equal(10, sum);
        Assert.Equal(1, snapshot.Succeeded);
        Assert.Equal(1, snapshot.Streams);
        Assert.Equal(5, snapshot.StreamItems);
        Assert.Equal(1, snapshot.FirstItems);
    }

    [Fact]
    public async Task An_async_iterator_that_throws_before_its_first_await_is_recorded_as_an_error()
    {
        OperationRecorder recorder = NewOperation();

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (int item in OperationScope.Start(recorder).Track(ThrowsAt(2)))
            {
            }
        });

        OperationSnapshot snapshot = recorder.Snapshot();
        Assert.Equal(1, snapshot.Failed);
        Assert.Equal(0, snapshot.Succeeded);
        Assert.Equal(2, snapshot.StreamItems);
        Assert.Equal(1, snapshot.ErrorTypes[typeof(InvalidOperationException).FullName!]);
    }

    [Fact]
    public async Task A_hand_written_enumerator_that_throws_from_MoveNextAsync_itself_is_recorded_as_an_error()
    {
        OperationRecorder recorder = NewOperation();

        await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (int item in OperationScope.Start(recorder).Track(new ThrowingStream(throwAfter: 3)))
            {
            }
        });

        OperationSnapshot snapshot = recorder.Snapshot();
        Assert.Equal(1, snapshot.Failed);
        Assert.Equal(0, snapshot.Succeeded);
        Assert.Equal(3, snapshot.StreamItems);
        Assert.Equal(1, snapshot.ErrorTypes[typeof(TimeoutException).FullName!]);
    }

    [Fact]
    public async Task A_stream_left_early_by_the_caller_is_a_successful_call_with_the_items_it_gave()
    {
        OperationRecorder recorder = NewOperation();

        await foreach (int item in OperationScope.Start(recorder).Track(Numbers(100)))
        {
            if (item == 2)
            {
                break;
            }
        }

        OperationSnapshot snapshot = recorder.Snapshot();
        Assert.Equal(1, snapshot.Succeeded);
        Assert.Equal(3, snapshot.StreamItems);
    }

    private static async IAsyncEnumerable<int> Numbers(int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return i;
        }

        await Task.CompletedTask;
    }

    private static async IAsyncEnumerable<int> ThrowsAt(int index)
    {
        for (int i = 0; ; i++)
        {
            if (i == index)
            {
                throw new InvalidOperationException("stream broke");
            }

            yield return i;
        }

#pragma warning disable CS0162 // the await makes this an async iterator; the loop above never ends normally
        await Task.CompletedTask;
#pragma warning restore CS0162
    }

    private sealed class ThrowingStream(int throwAfter) : IAsyncEnumerable<int>, IAsyncEnumerator<int>
    {
        public int Current { get; private set; } = -1;

        public IAsyncEnumerator<int> GetAsyncEnumerator(CancellationToken cancellationToken = default) => this;

        public ValueTask<bool> MoveNextAsync()
        {
            if (++Current == throwAfter)
            {
                throw new TimeoutException("no answer");
            }

            return new ValueTask<bool>(true);
        }

        public ValueTask DisposeAsync() => default;
    }
}
