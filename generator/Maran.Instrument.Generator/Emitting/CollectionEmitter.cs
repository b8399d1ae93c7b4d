namespace Maran.Instrument.Generator.Emitting;

/// <summary>
/// Writes the wrappers interceptors return for System.ClientModel collections (the OpenAI SDK's streams,
/// <c>CompleteChatStreamingAsync</c> and <c>CompleteChatStreaming</c>). Such a result is lazy: the request is sent when
/// its first page is read, and its values are read page by page by the base class's enumerator, which cannot be
/// overridden. The wrapper therefore overrides the two steps that enumerator takes: its pages are the SDK's own (a
/// failure fetching one ends the call as failed), and the values of its first page are the runtime's measured stream,
/// created when the call was made, so the call ends when its enumeration does, with its time to the first chunk and
/// the usage of its last update. The SDK's values are read through its protected method by an
/// <c>[UnsafeAccessor]</c>, so the generator writes these wrappers only where generic accessors exist (.NET 9 and later).
/// </summary>
internal static class CollectionEmitter
{
    /// <summary>The file-local wrapper of <c>AsyncCollectionResult&lt;T&gt;</c>.</summary>
    public const string AsyncCollection = "MeasuredAsyncCollectionResult";

    /// <summary>The file-local wrapper of <c>CollectionResult&lt;T&gt;</c>.</summary>
    public const string Collection = "MeasuredCollectionResult";

    /// <summary>The helper whose overloads interceptors return an SDK stream through.</summary>
    public const string Wrap = "Wrap";

    /// <summary>Writes the <see cref="Wrap"/> overloads for the collections the compilation's interceptors return.</summary>
    public static void WriteWrappers(SourceWriter writer, bool async, bool sync)
    {
        writer.Line("// Wraps an SDK stream; a call that is not measured (monitoring off) returns the SDK's result itself.");
        if (async)
        {
            writer.Lines($$"""
                internal static global::System.ClientModel.AsyncCollectionResult<T> {{Wrap}}<T>(global::System.ClientModel.AsyncCollectionResult<T> inner, global::Maran.Instrument.Profiling.OperationScope scope, global::Maran.Instrument.Telemetry.TokenUsageReader<T>? reader) =>
                    inner is null || !scope.IsTimed ? inner! : new {{AsyncCollection}}<T>(inner, scope, reader);
                """);
        }

        if (async && sync)
        {
            writer.Line();
        }

        if (sync)
        {
            writer.Lines($$"""
                internal static global::System.ClientModel.CollectionResult<T> {{Wrap}}<T>(global::System.ClientModel.CollectionResult<T> inner, global::Maran.Instrument.Profiling.OperationScope scope, global::Maran.Instrument.Telemetry.TokenUsageReader<T>? reader) =>
                    inner is null || !scope.IsTimed ? inner! : new {{Collection}}<T>(inner, scope, reader);
                """);
        }
    }

    public static void WriteAsyncCollection(SourceWriter writer) => writer.Lines($$"""
        // An SDK stream measured as one call: its pages are the SDK's, the values of its first page the measured stream.
        file sealed class {{AsyncCollection}}<T> : global::System.ClientModel.AsyncCollectionResult<T>
        {
            private readonly global::System.ClientModel.AsyncCollectionResult<T> _inner;
            private readonly global::System.Collections.Generic.IAsyncEnumerable<T> _measured;
            private global::System.ClientModel.ClientResult? _firstPage;
            private global::System.Runtime.ExceptionServices.ExceptionDispatchInfo? _pageFailure;
            private int _valuesStarted;

            public {{AsyncCollection}}(global::System.ClientModel.AsyncCollectionResult<T> inner, global::Maran.Instrument.Profiling.OperationScope scope, global::Maran.Instrument.Telemetry.TokenUsageReader<T>? reader)
            {
                _inner = inner;
                _measured = reader is null ? scope.Track(FirstPageValues()) : scope.Track(FirstPageValues(), reader);
            }

            public override global::System.Collections.Generic.IAsyncEnumerable<global::System.ClientModel.ClientResult> GetRawPagesAsync() => Pages();

            public override global::System.ClientModel.ContinuationToken? GetContinuationToken(global::System.ClientModel.ClientResult page) => _inner.GetContinuationToken(page);

            protected override global::System.Collections.Generic.IAsyncEnumerable<T> GetValuesFromPageAsync(global::System.ClientModel.ClientResult page)
            {
                if (global::System.Threading.Interlocked.Exchange(ref _valuesStarted, 1) == 0)
                {
                    _firstPage = page;
                    return _measured;
                }

                return ValuesOf(_inner, page);
            }

            [global::System.Runtime.CompilerServices.UnsafeAccessor(global::System.Runtime.CompilerServices.UnsafeAccessorKind.Method, Name = "GetValuesFromPageAsync")]
            private static extern global::System.Collections.Generic.IAsyncEnumerable<T> ValuesOf(global::System.ClientModel.AsyncCollectionResult<T> collection, global::System.ClientModel.ClientResult page);

            private async global::System.Collections.Generic.IAsyncEnumerable<global::System.ClientModel.ClientResult> Pages([global::System.Runtime.CompilerServices.EnumeratorCancellation] global::System.Threading.CancellationToken cancellationToken = default)
            {
                global::System.Collections.Generic.IAsyncEnumerator<global::System.ClientModel.ClientResult> pages = _inner.GetRawPagesAsync().GetAsyncEnumerator(cancellationToken);
                try
                {
                    while (true)
                    {
                        bool more;
                        try
                        {
                            more = await pages.MoveNextAsync().ConfigureAwait(false);
                        }
                        catch (global::System.Exception exception)
                        {
                            await EndAsFailedAsync(exception).ConfigureAwait(false);
                            throw;
                        }

                        if (!more)
                        {
                            yield break;
                        }

                        yield return pages.Current;
                    }
                }
                finally
                {
                    await pages.DisposeAsync().ConfigureAwait(false);
                }
            }

            // A page that fails before any value was read (the request failed: 429, 500, a timeout) ends the call as
            // failed: the failure is raised inside the measured stream, which records it as any stream failure.
            private async global::System.Threading.Tasks.Task EndAsFailedAsync(global::System.Exception exception)
            {
                if (global::System.Threading.Interlocked.Exchange(ref _valuesStarted, 1) != 0)
                {
                    return;
                }

                _pageFailure = global::System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(exception);
                global::System.Collections.Generic.IAsyncEnumerator<T> measured = _measured.GetAsyncEnumerator();
                try
                {
                    await measured.MoveNextAsync().ConfigureAwait(false);
                }
                catch (global::System.Exception raised) when (ReferenceEquals(raised, exception))
                {
                }
                finally
                {
                    await measured.DisposeAsync().ConfigureAwait(false);
                }
            }

            private async global::System.Collections.Generic.IAsyncEnumerable<T> FirstPageValues([global::System.Runtime.CompilerServices.EnumeratorCancellation] global::System.Threading.CancellationToken cancellationToken = default)
            {
                _pageFailure?.Throw();
                await foreach (T value in global::System.Threading.Tasks.TaskAsyncEnumerableExtensions.WithCancellation(ValuesOf(_inner, _firstPage!), cancellationToken).ConfigureAwait(false))
                {
                    yield return value;
                }
            }
        }
        """);

    public static void WriteCollection(SourceWriter writer) => writer.Lines($$"""
        // An SDK stream measured as one call: its pages are the SDK's, the values of its first page the measured stream.
        file sealed class {{Collection}}<T> : global::System.ClientModel.CollectionResult<T>
        {
            private readonly global::System.ClientModel.CollectionResult<T> _inner;
            private readonly global::System.Collections.Generic.IEnumerable<T> _measured;
            private global::System.ClientModel.ClientResult? _firstPage;
            private global::System.Runtime.ExceptionServices.ExceptionDispatchInfo? _pageFailure;
            private int _valuesStarted;

            public {{Collection}}(global::System.ClientModel.CollectionResult<T> inner, global::Maran.Instrument.Profiling.OperationScope scope, global::Maran.Instrument.Telemetry.TokenUsageReader<T>? reader)
            {
                _inner = inner;
                _measured = reader is null ? scope.TrackItems(FirstPageValues()) : scope.TrackItems(FirstPageValues(), reader);
            }

            public override global::System.Collections.Generic.IEnumerable<global::System.ClientModel.ClientResult> GetRawPages() => Pages();

            public override global::System.ClientModel.ContinuationToken? GetContinuationToken(global::System.ClientModel.ClientResult page) => _inner.GetContinuationToken(page);

            protected override global::System.Collections.Generic.IEnumerable<T> GetValuesFromPage(global::System.ClientModel.ClientResult page)
            {
                if (global::System.Threading.Interlocked.Exchange(ref _valuesStarted, 1) == 0)
                {
                    _firstPage = page;
                    return _measured;
                }

                return ValuesOf(_inner, page);
            }

            [global::System.Runtime.CompilerServices.UnsafeAccessor(global::System.Runtime.CompilerServices.UnsafeAccessorKind.Method, Name = "GetValuesFromPage")]
            private static extern global::System.Collections.Generic.IEnumerable<T> ValuesOf(global::System.ClientModel.CollectionResult<T> collection, global::System.ClientModel.ClientResult page);

            private global::System.Collections.Generic.IEnumerable<global::System.ClientModel.ClientResult> Pages()
            {
                using global::System.Collections.Generic.IEnumerator<global::System.ClientModel.ClientResult> pages = _inner.GetRawPages().GetEnumerator();
                while (true)
                {
                    bool more;
                    try
                    {
                        more = pages.MoveNext();
                    }
                    catch (global::System.Exception exception) when (EndAsFailed(exception))
                    {
                        throw;
                    }

                    if (!more)
                    {
                        yield break;
                    }

                    yield return pages.Current;
                }
            }

            // A page that fails before any value was read (the request failed: 429, 500, a timeout) ends the call as
            // failed: the failure is raised inside the measured stream, which records it as any stream failure.
            private bool EndAsFailed(global::System.Exception exception)
            {
                if (global::System.Threading.Interlocked.Exchange(ref _valuesStarted, 1) != 0)
                {
                    return false;
                }

                _pageFailure = global::System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(exception);
                using global::System.Collections.Generic.IEnumerator<T> measured = _measured.GetEnumerator();
                try
                {
                    measured.MoveNext();
                }
                catch (global::System.Exception raised) when (ReferenceEquals(raised, exception))
                {
                }

                return false;
            }

            private global::System.Collections.Generic.IEnumerable<T> FirstPageValues()
            {
                _pageFailure?.Throw();
                foreach (T value in ValuesOf(_inner, _firstPage!))
                {
                    yield return value;
                }
            }
        }
        """);
}
