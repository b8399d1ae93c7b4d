using Maran.Instrument.CodeFixes;

namespace Maran.Instrument.Analyzers.Tests;

/// <summary>MARAN007's fixes: record the exception with the error tracker, or rethrow it.</summary>
public class SwallowedExceptionCodeFixTests
{
    private static readonly Verify.Options s_trackError = new() { EquivalenceKey = SwallowedExceptionCodeFixProvider.TrackErrorKey };

    private static readonly Verify.Options s_rethrow = new() { EquivalenceKey = SwallowedExceptionCodeFixProvider.RethrowKey };

    private static Task VerifyAsync(string source, string fixedSource, Verify.Options options) =>
        Verify.CodeFixAsync<SwallowedExceptionAnalyzer, SwallowedExceptionCodeFixProvider>(source, fixedSource, options);

    [Fact]
    public async Task The_caught_exception_is_tracked_first_as_a_handled_failure_of_the_operations_component()
    {
        await VerifyAsync(
            """
            using System.IO;
            using Maran.Instrument;

            public class Retriever
            {
                [MonitorOperation("search", "rag")]
                public string Search(string query)
                {
                    try
                    {
                        return File.ReadAllText(query);
                    }
                    {|MARAN007:catch (IOException ex)|}
                    {
                        return ex.Message;
                    }
                }
            }
            """,
            """
            using System.IO;
            using Maran.Instrument;
            using Maran.Instrument.Errors;

            public class Retriever
            {
                [MonitorOperation("search", "rag")]
                public string Search(string query)
                {
                    try
                    {
                        return File.ReadAllText(query);
                    }
                    catch (IOException ex)
                    {
                        AdvancedMonitoringSystem.Default.ErrorTracker.TrackError(ex, ErrorSeverity.Warning, "rag");
                        return ex.Message;
                    }
                }
            }
            """,
            s_trackError);
    }

    [Fact]
    public async Task A_catch_without_a_name_gets_one_that_is_free_and_an_empty_block_opens_onto_its_own_lines()
    {
        await VerifyAsync(
            """
            using System.IO;
            using Maran.Instrument;

            [MonitorComponent("files")]
            public class Cleaner
            {
                public void Clean(string ex)
                {
                    try { File.Delete(ex); }
                    {|MARAN007:catch (IOException)|} { }
                    try { File.Delete(ex + ".bak"); }
                    {|MARAN007:catch|} { }
                }
            }
            """,
            """
            using System.IO;
            using Maran.Instrument;
            using Maran.Instrument.Errors;

            [MonitorComponent("files")]
            public class Cleaner
            {
                public void Clean(string ex)
                {
                    try { File.Delete(ex); }
                    catch (IOException exception)
                    {
                        AdvancedMonitoringSystem.Default.ErrorTracker.TrackError(exception, ErrorSeverity.Warning, "files");
                    }
                    try { File.Delete(ex + ".bak"); }
                    catch (System.Exception exception)
                    {
                        AdvancedMonitoringSystem.Default.ErrorTracker.TrackError(exception, ErrorSeverity.Warning, "files");
                    }
                }
            }
            """,
            s_trackError);
    }

    [Fact]
    public async Task Rethrow_adds_throw_at_the_end_of_a_catch_whose_end_is_reachable()
    {
        await VerifyAsync(
            """
            using System;
            using System.IO;
            using Maran.Instrument;

            public class Cleaner
            {
                [MonitorOperation("clean", "files")]
                public void Clean(string path)
                {
                    try
                    {
                        File.Delete(path);
                    }
                    {|MARAN007:catch (IOException ex)|}
                    {
                        Console.WriteLine(ex.Message);
                    }
                }
            }
            """,
            """
            using System;
            using System.IO;
            using Maran.Instrument;

            public class Cleaner
            {
                [MonitorOperation("clean", "files")]
                public void Clean(string path)
                {
                    try
                    {
                        File.Delete(path);
                    }
                    catch (IOException ex)
                    {
                        Console.WriteLine(ex.Message);
                        throw;
                    }
                }
            }
            """,
            s_rethrow);
    }

    [Fact]
    public async Task Rethrow_is_not_offered_where_the_catch_returns()
    {
        await VerifyAsync(
            """
            using System.IO;
            using Maran.Instrument;

            public class Retriever
            {
                [MonitorOperation("search", "rag")]
                public string Search(string query)
                {
                    try { return File.ReadAllText(query); }
                    {|MARAN007:catch (IOException)|} { return ""; }
                }
            }
            """,
            """
            using System.IO;
            using Maran.Instrument;

            public class Retriever
            {
                [MonitorOperation("search", "rag")]
                public string Search(string query)
                {
                    try { return File.ReadAllText(query); }
                    {|MARAN007:catch (IOException)|} { return ""; }
                }
            }
            """,
            s_rethrow);
    }

    [Fact]
    public async Task Without_the_runtime_namespace_imported_the_recording_call_is_global_qualified()
    {
        await VerifyAsync(
            """
            using System;
            using System.IO;

            [Maran.Instrument.MonitorComponent("files")]
            public class Cleaner
            {
                public void Clean(string path)
                {
                    try { File.Delete(path); }
                    {|MARAN007:catch|} { }
                }
            }
            """,
            """
            using System;
            using System.IO;

            [Maran.Instrument.MonitorComponent("files")]
            public class Cleaner
            {
                public void Clean(string path)
                {
                    try { File.Delete(path); }
                    catch (Exception ex)
                    {
                        global::Maran.Instrument.AdvancedMonitoringSystem.Default.ErrorTracker.TrackError(ex, global::Maran.Instrument.Errors.ErrorSeverity.Warning, "files");
                    }
                }
            }
            """,
            s_trackError);
    }
}
