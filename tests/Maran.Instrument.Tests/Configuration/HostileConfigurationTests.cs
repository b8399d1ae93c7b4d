using System.Collections;
using System.Text;
using Maran.Instrument.Configuration;
using Maran.Instrument.Costs;

namespace Maran.Instrument.Tests.Configuration;

/// <summary>
/// Attacks on the configuration, each written as real YAML to a real file and loaded as a program would: every
/// one must end in a <see cref="MonitoringConfigurationException"/> naming the file, the line and the limit, with a
/// message of bounded size. Loads run under a guard so a regression that hangs fails instead.
/// </summary>
public sealed class HostileConfigurationTests : IDisposable
{
    /// <summary>Longest message any refusal may have: 20 problems of bounded parts, with room to spare.</summary>
    private const int MaxMessageLength = 32_000;

    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(2);

    private readonly string _directory = Directory.CreateTempSubdirectory("maran-hostile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_nested_alias_bomb_is_refused_before_anything_is_expanded()
    {
        // 9 aliases of 9 aliases, nine levels deep: billions of strings once expanded.
        var yaml = new StringBuilder("lol: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char level = 'b'; level <= 'i'; level++)
        {
            string previous = ((char)(level - 1)).ToString();
            yaml.Append(level).Append(": &").Append(level).Append(" [").Append(string.Join(',', Enumerable.Repeat("*" + previous, 9))).Append("]\n");
        }

        string file = Write("alias-bomb.yaml", yaml.ToString());

        MonitoringConfigurationException error = await LoadFailsAsync(file);

        ConfigurationError problem = Assert.Single(error.Errors);
        Assert.Equal("alias-bomb.yaml line 2", problem.Origin);
        Assert.Contains("aliases (*a) are not accepted", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_alias_bomb_under_costs_prices_is_refused_naming_its_line()
    {
        string file = Write("prices-bomb.yaml", """
            costs:
              prices:
                - &p0 {model: a, input: 1, output: 1}
                - &p1 [*p0, *p0, *p0, *p0, *p0, *p0, *p0, *p0, *p0, *p0]
                - &p2 [*p1, *p1, *p1, *p1, *p1, *p1, *p1, *p1, *p1, *p1]
                - &p3 [*p2, *p2, *p2, *p2, *p2, *p2, *p2, *p2, *p2, *p2]
                - &p4 [*p3, *p3, *p3, *p3, *p3, *p3, *p3, *p3, *p3, *p3]
                - &p5 [*p4, *p4, *p4, *p4, *p4, *p4, *p4, *p4, *p4, *p4]
                - &p6 [*p5, *p5, *p5, *p5, *p5, *p5, *p5, *p5, *p5, *p5]
                - &p7 [*p6, *p6, *p6, *p6, *p6, *p6, *p6, *p6, *p6, *p6]
            """);

        ConfigurationError problem = Assert.Single((await LoadFailsAsync(file)).Errors);

        Assert.Equal("prices-bomb.yaml line 4", problem.Origin);
        Assert.Contains("aliases", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lists_nested_20000_deep_are_refused_at_the_depth_limit_without_overflowing_the_stack()
    {
        string file = Write("deep.yaml", "monitoring: " + new string('[', 20_000) + new string(']', 20_000) + "\n");

        MonitoringConfigurationException error = await LoadFailsAsync(file);

        ConfigurationError problem = Assert.Single(error.Errors);
        Assert.Equal("deep.yaml line 1", problem.Origin);
        Assert.Contains($"deeper than {ConfigurationLimits.MaxDepth} levels", problem.Message, StringComparison.Ordinal);
        Assert.Contains("ConfigurationLimits.MaxDepth", problem.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < MaxMessageLength);
    }

    [Fact]
    public async Task Empty_lists_nested_10000_deep_in_block_style_are_refused()
    {
        // "- - - ..." opens one list per dash, on one line.
        string file = Write("deep-block.yaml", "monitoring:\n  " + string.Concat(Enumerable.Repeat("- ", 10_000)) + "[]\n");

        ConfigurationError problem = Assert.Single((await LoadFailsAsync(file)).Errors);

        Assert.Equal("deep-block.yaml line 2", problem.Origin);
        Assert.Contains("deeper than 64 levels", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_nested_lists_where_a_section_belongs_are_refused()
    {
        string file = Write("empty-lists.yaml", "monitoring: [[[[]]]]\n");

        ConfigurationError problem = Assert.Single((await LoadFailsAsync(file)).Errors);

        Assert.Equal(("monitoring", "empty-lists.yaml line 1"), (problem.Key, problem.Origin));
        Assert.Contains("found a list", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_5_MiB_file_is_refused_naming_the_file_and_the_limit()
    {
        var yaml = new StringBuilder("monitoring:\n  metrics_port: 9191\n");
        while (yaml.Length < 5 * 1024 * 1024)
        {
            yaml.Append("# padding padding padding padding padding padding padding padding padding padding\n");
        }

        string file = Write("huge.yaml", yaml.ToString());

        ConfigurationError problem = Assert.Single((await LoadFailsAsync(file)).Errors);

        Assert.Equal(file, problem.Origin);
        Assert.Contains($"over the limit of {ConfigurationLimits.DefaultMaxFileBytes} bytes (ConfigurationLimits.MaxFileBytes)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_of_100000_unknown_keys_is_refused_at_the_key_limit_with_a_short_message()
    {
        var yaml = new StringBuilder("monitoring:\n");
        for (int i = 0; i < 100_000; i++)
        {
            yaml.Append("  unknown_").Append(i).Append(": 1\n");
        }

        string file = Write("many-keys.yaml", yaml.ToString());

        MonitoringConfigurationException error = await LoadFailsAsync(file);

        ConfigurationError problem = Assert.Single(error.Errors);
        Assert.Equal($"many-keys.yaml line {ConfigurationLimits.MaxKeys + 2}", problem.Origin);
        Assert.Contains($"more than {ConfigurationLimits.MaxKeys} keys", problem.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < MaxMessageLength);
    }

    [Fact]
    public async Task A_list_of_nearly_10000_items_binds_in_order()
    {
        string yaml = "errors:\n  in_app_include:\n" + string.Concat(Enumerable.Range(0, 9_990).Select(i => $"    - Company{i}\n"));
        string file = Write("long-list.yaml", yaml);

        MonitoringOptions options = await Task.Run(() => MonitoringOptions.Load(file, new Hashtable())).WaitAsync(Guard);

        Assert.Equal(Enumerable.Range(0, 9_990).Select(i => $"Company{i}"), options.Errors.InAppInclude);
    }

    [Fact]
    public async Task Thirty_problems_list_twenty_and_say_how_many_more()
    {
        string yaml = "monitoring:\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"  unknown_{i}: 1\n"));
        string file = Write("thirty.yaml", yaml);

        MonitoringConfigurationException error = await LoadFailsAsync(file);

        Assert.Equal(30, error.Errors.Count);
        Assert.Contains("(30 problems)", error.Message, StringComparison.Ordinal);
        Assert.Equal(ConfigurationLimits.MaxListedProblems, error.Message.Split(": monitoring.unknown_").Length - 1);
        Assert.EndsWith("... and 10 more problems", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_3_MB_value_in_the_file_is_cut_in_the_message()
    {
        string host = new('x', 3_000_000);
        string file = Write("long-value.yaml", $"monitoring:\n  metrics_host: {host}\n");

        MonitoringConfigurationException error = await LoadFailsAsync(file);

        Assert.Equal("long-value.yaml line 2", Assert.Single(error.Errors).Origin);
        Assert.Contains($"... ({host.Length} characters)", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 2_000);
    }

    [Fact]
    public async Task A_50_MB_value_from_the_environment_is_cut_in_the_message()
    {
        string file = Write("plain.yaml", "monitoring:\n  metrics_port: 9191\n");
        var variables = new Hashtable { ["MARAN__monitoring__metrics_port"] = new string('9', 50_000_000) };

        MonitoringConfigurationException error = await LoadFailsAsync(file, variables);

        Assert.StartsWith("Invalid monitoring configuration: environment variable MARAN__monitoring__metrics_port: monitoring.metrics_port = '999", error.Message, StringComparison.Ordinal);
        Assert.Contains("... (50000000 characters)", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 2_000);
    }

    [Fact]
    public async Task A_50_MB_file_is_refused_for_its_size_before_its_value_is_read()
    {
        string file = Write("fifty.yaml", "monitoring:\n  metrics_host: " + new string('x', 50_000_000) + "\n");

        ConfigurationError problem = Assert.Single((await LoadFailsAsync(file)).Errors);

        Assert.Equal(file, problem.Origin);
        Assert.Contains("ConfigurationLimits.MaxFileBytes", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_document_is_refused_naming_its_line_even_when_it_is_malformed()
    {
        string file = Write("two-documents.yaml", "monitoring:\n  metrics_port: 9191\n---\nmonitoring: [unclosed\n");

        ConfigurationError problem = Assert.Single((await LoadFailsAsync(file)).Errors);

        Assert.Equal("two-documents.yaml line 3", problem.Origin);
        Assert.Contains("a second YAML document starts here", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Yaml_that_breaks_the_parser_itself_is_malformed_yaml_naming_its_line()
    {
        string file = Write("parser-state.yaml", "costs:\n  budgets:\n    thresholds: [50, 80, 1|\n00]\n");

        ConfigurationError problem = Assert.Single((await LoadFailsAsync(file)).Errors);

        Assert.Equal("parser-state.yaml line 3", problem.Origin);
        Assert.StartsWith("malformed YAML", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_written_twice_in_a_section_is_refused_naming_the_second()
    {
        string file = Write("twice.yaml", "monitoring:\n  metrics_port: 9191\n  metrics_port: 9292\n");

        ConfigurationError problem = Assert.Single((await LoadFailsAsync(file)).Errors);

        Assert.Equal(("monitoring.metrics_port", "twice.yaml line 3"), (problem.Key, problem.Origin));
    }

    [SkippableFact]
    public async Task Dev_zero_named_by_MARAN_CONFIG_is_refused_at_once_naming_the_file()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "/dev/zero is a Linux device");

        MonitoringConfigurationException error = await LoadFailsAsync(path: null, new Hashtable { ["MARAN_CONFIG"] = "/dev/zero" });

        ConfigurationError problem = Assert.Single(error.Errors);
        Assert.Equal("/dev/zero", problem.Origin);
        Assert.Contains("is not a regular file (a character device)", problem.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_FIFO_is_refused_without_waiting_for_a_writer()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "mkfifo is a Unix command");
        string fifo = Path.Combine(_directory, "monitoring_config.yaml");
        Commands.Run("mkfifo", fifo);

        ConfigurationError problem = Assert.Single((await LoadFailsAsync(fifo)).Errors);

        Assert.Equal(fifo, problem.Origin);
        Assert.Contains("is not a regular file (a FIFO)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_is_refused_as_a_configuration_file()
    {
        ConfigurationError problem = Assert.Single((await LoadFailsAsync(_directory)).Errors);

        Assert.Equal(_directory, problem.Origin);
        Assert.Contains("is a directory", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_passed_by_code_names_code_as_where_the_path_came_from()
    {
        string missing = Path.Combine(_directory, "missing.yaml");

        ConfigurationError problem = Assert.Single((await LoadFailsAsync(missing)).Errors);

        Assert.Equal(("code", missing), (problem.Origin, problem.Value));
        Assert.Contains("does not exist", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_price_regex_is_a_named_error_with_its_line()
    {
        string file = Write("bad-regex.yaml", """
            costs:
              prices:
                - model: "(a+)+$["
                  match: regex
                  input: 1
                  output: 2
            """);

        ConfigurationError problem = Assert.Single((await LoadFailsAsync(file)).Errors);

        Assert.Equal(("costs.prices.0.model", "(a+)+$[", "bad-regex.yaml line 3"), (problem.Key, problem.Value, problem.Origin));
        Assert.StartsWith("not a valid regular expression", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_price_regex_lets_the_system_be_built_and_fails_Start_with_a_named_error()
    {
        var options = new MonitoringOptions();
        options.Storage.Enabled = false;
        options.Costs.Prices.Add(new ModelPrice { Model = "(a+)+$[", Match = PriceMatch.Regex, Input = 1, Output = 2 });
        using var system = new AdvancedMonitoringSystem(options);

        MonitoringConfigurationException error = Assert.Throws<MonitoringConfigurationException>(system.Start);

        Assert.Equal(("costs.prices.0.model", "code"), (error.Errors.Single().Key, error.Errors.Single().Origin));
        Assert.False(system.IsRunning);
    }

    [Fact]
    public void A_system_built_from_invalid_options_throws_nothing_until_Start_names_every_problem()
    {
        var options = new MonitoringOptions();
        options.Storage.Enabled = false;
        options.Storage.RetentionDays = 740_000;
        options.Storage.QueueCapacity = 2_000_000_000;
        options.Logging.RecentEvents = 2_000_000_000;
        options.Errors.QueueCapacity = 2_000_000_000;
        options.Costs.QueueCapacity = 2_000_000_000;
        options.Costs.EstimationEncoding = "no-such-encoding";
        options.Costs.ComputeInterval = TimeSpan.MaxValue;
        options.Costs.Prices.Add(new ModelPrice { Model = "(a+)+$[", Match = PriceMatch.Regex });
        options.Alerts.QueueCapacity = 2_000_000_000;
        options.Alerts.HistoryInMemory = 2_000_000_000;
        options.Alerts.RepeatInterval = TimeSpan.MaxValue;
        options.Monitoring.HealthCheckInterval = 1e300;
        options.Monitoring.Health.HistorySize = 2_000_000_000;
        using var system = new AdvancedMonitoringSystem(options);

        MonitoringConfigurationException error = Assert.Throws<MonitoringConfigurationException>(system.Start);

        Assert.Equal(13, error.Errors.Count);
        Assert.All(error.Errors, e => Assert.Equal("code", e.Origin));
    }

    [Fact]
    public async Task A_retention_of_740000_days_is_refused_with_its_line_and_bound()
    {
        string file = Write("retention.yaml", "storage:\n  retention_days: 740000\n");

        ConfigurationError problem = Assert.Single((await LoadFailsAsync(file)).Errors);

        Assert.Equal(("storage.retention_days", "740000", "retention.yaml line 2"), (problem.Key, problem.Value, problem.Origin));
        Assert.Contains("at most 36500", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duration_too_long_for_date_arithmetic_is_refused_rather_than_overflowing()
    {
        string file = Write("long-duration.yaml", "alerts:\n  repeat_interval: 99999999999d\n  silence_duration: 10675199.02:48:05\n");

        MonitoringConfigurationException error = await LoadFailsAsync(file);

        Assert.Equal(["alerts.repeat_interval", "alerts.silence_duration"], error.Errors.Select(e => e.Key));
        Assert.All(error.Errors, e => Assert.Contains("of at most 36500d", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Capacities_of_two_billion_are_refused_each_with_its_bound()
    {
        string file = Write("capacities.yaml", """
            storage:
              queue_capacity: 2000000000
            logging:
              recent_events: 2000000000
            errors:
              queue_capacity: 2000000000
            costs:
              queue_capacity: 2000000000
            alerts:
              queue_capacity: 2000000000
              history_in_memory: 2000000000
            """);

        MonitoringConfigurationException error = await LoadFailsAsync(file);

        Assert.Equal(
            ["storage.queue_capacity", "logging.recent_events", "alerts.queue_capacity", "alerts.history_in_memory", "errors.queue_capacity", "costs.queue_capacity"],
            error.Errors.Select(e => e.Key));
        Assert.All(error.Errors, e => Assert.Contains("and 1000000", e.Message, StringComparison.Ordinal));
        Assert.Contains("capacities.yaml line 2: storage.queue_capacity = '2000000000'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_external_url_that_is_not_http_is_refused_so_notifications_never_link_to_script()
    {
        string file = Write("link.yaml", "alerts:\n  external_url: javascript:alert(1)\n");

        ConfigurationError problem = Assert.Single((await LoadFailsAsync(file)).Errors);

        Assert.Equal(("alerts.external_url", "link.yaml line 2"), (problem.Key, problem.Origin));
        Assert.Contains("http:// or https://", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_token_from_MARAN_DASHBOARD_TOKEN_names_the_variable_and_hides_the_token()
    {
        string file = Write("plain.yaml", "monitoring:\n  metrics_port: 9191\n");

        MonitoringConfigurationException error = await LoadFailsAsync(file, new Hashtable { ["MARAN_DASHBOARD_TOKEN"] = "too-short" });

        Assert.Equal(
            "environment variable MARAN_DASHBOARD_TOKEN: dashboard.token = '(hidden)': an access token must be at least 16 characters",
            error.Errors.Single().ToString());
    }

    [Fact]
    public void A_short_token_from_the_file_names_its_line_and_one_set_in_code_names_code()
    {
        string file = Write("token.yaml", "dashboard:\n  token: too-short\n");
        MonitoringOptions fromFile = MonitoringOptions.LoadCollectingErrors(file, new Hashtable(), out IReadOnlyList<ConfigurationError> loadErrors);
        Assert.Equal("token.yaml line 2", Assert.Single(loadErrors).Origin);

        fromFile.Dashboard.Token = "also-short";
        ConfigurationError changed = Assert.Single(fromFile.Validate(new OptionsBinder(fromFile.ConfigurationRoot)));

        Assert.Equal(("code", "(hidden)"), (changed.Origin, changed.Value));
    }

    [Fact]
    public async Task A_bad_choice_lists_the_choices_in_plain_words()
    {
        string file = Write("color.yaml", "alerts:\n  channels:\n    console:\n      color: purple\n");

        ConfigurationError problem = Assert.Single((await LoadFailsAsync(file)).Errors);

        Assert.Equal("expected one of AUTO, ALWAYS, NEVER", problem.Message);
    }

    [Theory]
    [InlineData("15")]
    [InlineData("1000001")]
    public async Task Max_operations_outside_16_to_a_million_is_refused(string value)
    {
        string file = Write("operations.yaml", $"monitoring:\n  max_operations: {value}\n");

        ConfigurationError problem = Assert.Single((await LoadFailsAsync(file)).Errors);

        Assert.Equal(("monitoring.max_operations", "operations.yaml line 2"), (problem.Key, problem.Origin));
        Assert.Contains("between 16 and 1000000", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Max_operations_is_4096_by_default_and_read_from_the_file()
    {
        string file = Write("operations.yaml", "monitoring:\n  max_operations: 16\n");

        Assert.Equal(4096, new MonitoringOptions().Monitoring.MaxOperations);
        Assert.Equal(16, MonitoringOptions.Load(file, new Hashtable()).Monitoring.MaxOperations);
    }

    [Fact]
    public void The_sample_configuration_sets_max_operations_within_every_limit()
    {
        DirectoryInfo? root = new(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Maran.Instrument.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        string sample = Path.Combine(root.FullName, "samples", "Maran.Agent", MonitoringOptions.DefaultFileName);

        Assert.Equal(MonitoringSettings.DefaultMaxOperations, MonitoringOptions.Load(sample, new Hashtable()).Monitoring.MaxOperations);
    }

    private string Write(string name, string yaml)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>Loads on another thread and fails the test, rather than hanging it, if loading does not end.</summary>
    private static async Task<MonitoringConfigurationException> LoadFailsAsync(string? path, IDictionary? variables = null)
    {
        Task<MonitoringOptions> load = Task.Run(() => MonitoringOptions.Load(path, variables ?? new Hashtable()));
        return await Assert.ThrowsAsync<MonitoringConfigurationException>(() => load.WaitAsync(Guard));
    }
}
