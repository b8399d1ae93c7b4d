using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>
/// One named access token of the dashboard (an item of <c>dashboard.tokens</c>): its name (shown in what it changed),
/// its role, and where its secret is read from: an environment variable (<see cref="TokenEnv"/>) or a file
/// (<see cref="TokenFile"/>). An inline <see cref="Token"/> is accepted only outside production mode.
/// </summary>
/// <example>
/// <code>
/// dashboard:
///   tokens:
///     - name: grafana
///       role: viewer
///       token_env: MARAN_VIEWER_TOKEN
///     - name: oncall
///       role: operator
///       token_file: /run/secrets/maran-operator-token
/// </code>
/// </example>
public sealed class DashboardTokenSettings
{
    /// <summary>Bytes of a token file at most.</summary>
    internal const int MaxTokenFileBytes = 4096;

    /// <summary>The token's name: letters, digits, '-', '_' and '.', unique among the tokens. Recorded with every change it makes.</summary>
    [ConfigurationKeyName("name")]
    public string? Name { get; set; }

    /// <summary>What the token may do (default <c>viewer</c>).</summary>
    [ConfigurationKeyName("role")]
    public DashboardRole Role { get; set; } = DashboardRole.Viewer;

    /// <summary>The environment variable holding the secret (at least 16 characters), read when the dashboard starts.</summary>
    [ConfigurationKeyName("token_env")]
    public string? TokenEnv { get; set; }

    /// <summary>A file holding the secret (at least 16 characters; surrounding white space and the final newline are ignored), read when the dashboard starts.</summary>
    [ConfigurationKeyName("token_file")]
    public string? TokenFile { get; set; }

    /// <summary>The secret itself, written inline: refused when the configuration has a <c>production</c> section.</summary>
    [ConfigurationKeyName("token")]
    public string? Token { get; set; }

    internal void Validate(OptionsBinder binder, string prefix, bool production)
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            binder.Error($"{prefix}:name", Name, "every dashboard token needs a name (letters, digits, '-', '_', '.')", originKey: prefix);
        }
        else if (!Name.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || Name.Length > 64)
        {
            binder.Error($"{prefix}:name", Name, "a token name holds at most 64 letters, digits, '-', '_' and '.'");
        }

        int sources = (string.IsNullOrEmpty(TokenEnv) ? 0 : 1) + (string.IsNullOrEmpty(TokenFile) ? 0 : 1) + (Token is null ? 0 : 1);
        if (sources != 1)
        {
            binder.Error(prefix, null, sources == 0
                ? "a dashboard token needs its secret: token_env (an environment variable) or token_file (a file)"
                : "give a dashboard token's secret once: token_env, token_file or token, not several", originKey: $"{prefix}:name");
        }

        if (Token is not null)
        {
            if (production)
            {
                binder.Error($"{prefix}:token", Token, "a token may not be written inline when the configuration has a production section: put it in an environment variable (token_env) or a file (token_file)", secret: true);
            }
            else if (Token.Length < DashboardSettings.MinimumTokenLength)
            {
                binder.Error($"{prefix}:token", Token, $"an access token must be at least {DashboardSettings.MinimumTokenLength} characters", secret: true);
            }
        }
    }

    /// <summary>
    /// Reads the secret from its variable, file or inline value; null with <paramref name="problem"/> saying why
    /// when it cannot be read or is too short.
    /// </summary>
    internal string? ReadSecret(Func<string, string?> environment, out string? problem)
    {
        problem = null;
        string? secret;
        if (!string.IsNullOrEmpty(TokenEnv))
        {
            secret = environment(TokenEnv);
            if (string.IsNullOrEmpty(secret))
            {
                problem = $"the environment variable {TokenEnv} (token_env) is not set";
                return null;
            }
        }
        else if (!string.IsNullOrEmpty(TokenFile))
        {
            secret = ReadFile(TokenFile, out problem);
            if (secret is null)
            {
                return null;
            }
        }
        else
        {
            secret = Token;
        }

        if (secret is null || secret.Length < DashboardSettings.MinimumTokenLength)
        {
            problem = $"the secret is {secret?.Length ?? 0} characters: an access token must be at least {DashboardSettings.MinimumTokenLength}";
            return null;
        }

        return secret;
    }

    private static string? ReadFile(string path, out string? problem)
    {
        problem = null;
        string file = Path.GetFullPath(path);
        try
        {
            if (!File.Exists(file))
            {
                problem = $"the token file {file} (token_file) does not exist";
                return null;
            }

            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            byte[] buffer = new byte[MaxTokenFileBytes + 1];
            int total = 0;
            int n;
            while (total < buffer.Length && (n = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += n;
            }

            if (total > MaxTokenFileBytes)
            {
                problem = $"the token file {file} (token_file) is over {MaxTokenFileBytes} bytes: it should hold the token alone";
                return null;
            }

            return System.Text.Encoding.UTF8.GetString(buffer, 0, total).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"the token file {file} (token_file) cannot be read: {ex.Message}";
            return null;
        }
    }
}
