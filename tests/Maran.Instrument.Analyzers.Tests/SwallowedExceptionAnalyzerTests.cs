using Microsoft.CodeAnalysis.Testing;

namespace Maran.Instrument.Analyzers.Tests;

/// <summary>MARAN007: a catch in a monitored method that neither rethrows nor records what it caught.</summary>
public class SwallowedExceptionAnalyzerTests
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Threading.Tasks;
        using Maran.Instrument;
        using Maran.Instrument.Errors;
        using Maran.Instrument.Profiling;
        using Microsoft.Extensions.Logging;

        """;

    private static readonly Verify.Options s_withLogging = new()
    {
        Libraries = [.. TestReferences.ExtensionsAI, "Microsoft.Extensions.Logging.Abstractions.dll"],
    };

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        Verify.AnalyzerAsync<SwallowedExceptionAnalyzer>(Usings + source, s_withLogging, expected);

    [Fact]
    public async Task A_catch_that_returns_a_fallback_in_a_monitored_method_is_reported_with_the_method()
    {
        await VerifyAsync(
            """
            public class Retriever
            {
                [MonitorOperation("search", "rag")]
                public string Search(string query)
                {
                    try
                    {
                        return File.ReadAllText(query);
                    }
                    {|#0:catch (IOException ex)|}
                    {
                        Console.WriteLine(ex.Message);
                        return "";
                    }
                }
            }
            """,
            new DiagnosticResult(MaranDiagnostics.SwallowedException).WithLocation(0).WithArguments("Retriever.Search"));
    }

    [Fact]
    public async Task Catches_without_a_declaration_or_with_a_filter_are_reported_over_their_header()
    {
        await VerifyAsync(
            """
            public class Retriever
            {
                [MonitorOperation("search", "rag")]
                public async Task<string> SearchAsync(string query)
                {
                    try
                    {
                        return await File.ReadAllTextAsync(query);
                    }
                    {|MARAN007:catch (IOException ex) when (ex.HResult != 0)|}
                    {
                        return "io";
                    }
                    {|MARAN007:catch|}
                    {
                        return "";
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task A_public_method_of_a_component_is_checked_and_its_private_helpers_are_not()
    {
        await VerifyAsync(
            """
            [MonitorComponent("rag")]
            public class Retriever
            {
                public string Search(string query)
                {
                    try { return File.ReadAllText(query); }
                    {|MARAN007:catch (IOException)|} { return Fallback(); }
                }

                private static string Fallback()
                {
                    try { return File.ReadAllText("fallback.txt"); }
                    catch (IOException) { return ""; }
                }
            }
            """);
    }

    [Fact]
    public async Task Rethrowing_throwing_the_caught_exception_or_a_new_one_is_not_reported()
    {
        await VerifyAsync(
            """
            public class Retriever
            {
                [MonitorOperation("search", "rag")]
                public string Search(string query)
                {
                    try { return File.ReadAllText(query); }
                    catch (FileNotFoundException) { throw; }
                    catch (DirectoryNotFoundException ex) { throw ex; }
                    catch (IOException ex) when (ex.HResult == 1) { throw new InvalidOperationException("search failed", ex); }
                    catch (IOException ex) { return ex.Message.Length > 0 ? throw new InvalidOperationException("no source") : ""; }
                }
            }
            """);
    }

    [Fact]
    public async Task Recording_with_the_error_tracker_or_failing_the_operation_handle_is_not_reported()
    {
        await VerifyAsync(
            """
            public class Retriever(ErrorTracker errors, PerformanceProfiler profiler)
            {
                [MonitorOperation("search", "rag")]
                public string Search(string query)
                {
                    try { return File.ReadAllText(query); }
                    catch (FileNotFoundException ex) { errors.TrackError(ex, ErrorSeverity.Warning, "rag"); return ""; }
                    catch (DirectoryNotFoundException ex) { AdvancedMonitoringSystem.Default.ErrorTracker.TrackError("Missing", ErrorSeverity.Error, "rag", ex.Message); return ""; }
                    catch (IOException ex)
                    {
                        using var operation = profiler.Operation("fallback", "rag");
                        operation.Fail(ex);
                        return "";
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task Logging_the_exception_at_warning_or_above_counts_and_below_it_or_without_the_exception_does_not()
    {
        await VerifyAsync(
            """
            public class Retriever(ILogger<Retriever> logger)
            {
                [MonitorOperation("search", "rag")]
                public string Search(string query)
                {
                    try { return File.ReadAllText(query); }
                    catch (FileNotFoundException ex) { logger.LogError(ex, "No file {Query}", query); return ""; }
                    catch (DirectoryNotFoundException ex) { logger.Log(LogLevel.Critical, ex, "No folder"); return ""; }
                    catch (PathTooLongException ex) { logger.LogWarning(ex, "Too long"); return ""; }
                    {|MARAN007:catch (EndOfStreamException ex)|} { logger.LogDebug(ex, "Short read"); return ""; }
                    {|MARAN007:catch (InvalidDataException ex)|} { logger.Log(LogLevel.Information, ex, "Bad data"); return ""; }
                    {|MARAN007:catch (IOException ex)|} { logger.LogError("Failed: {Message}", ex.Message); return ""; }
                }
            }
            """);
    }

    [Fact]
    public async Task Logging_through_a_LoggerMessage_method_that_receives_the_exception_counts()
    {
        await VerifyAsync(
            """
            public static partial class Log
            {
                [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Search failed")]
                public static partial void SearchFailed(ILogger logger, Exception exception);
            }

            public static partial class Log
            {
                public static partial void SearchFailed(ILogger logger, Exception exception) => logger.LogError(exception, "Search failed");
            }

            public class Retriever(ILogger<Retriever> logger)
            {
                [MonitorOperation("search", "rag")]
                public string Search(string query)
                {
                    try { return File.ReadAllText(query); }
                    catch (IOException ex) { Log.SearchFailed(logger, ex); return ""; }
                }
            }
            """);
    }

    [Fact]
    public async Task Catching_cancellation_and_catches_in_unmonitored_methods_lambdas_and_local_functions_are_not_reported()
    {
        await VerifyAsync(
            """
            public class Worker
            {
                [MonitorOperation("run", "worker")]
                public async Task RunAsync(Func<Task> step)
                {
                    try { await step(); }
                    catch (OperationCanceledException) { }

                    Action later = () =>
                    {
                        try { File.Delete("a"); }
                        catch (IOException) { }
                    };
                    later();
                    Local();

                    static void Local()
                    {
                        try { File.Delete("b"); }
                        catch (IOException) { }
                    }
                }

                public void Plain()
                {
                    try { File.Delete("c"); }
                    catch (IOException) { }
                }
            }
            """);
    }

    [Fact]
    public async Task A_throw_inside_a_lambda_in_the_catch_does_not_count_as_rethrowing()
    {
        await VerifyAsync(
            """
            public class Worker
            {
                [MonitorOperation("run", "worker")]
                public Func<int> Run()
                {
                    try { return () => File.ReadAllText("a").Length; }
                    {|MARAN007:catch (IOException ex)|} { return () => throw ex; }
                }
            }
            """);
    }
}
