using System.Security.Cryptography;
using System.Text;
using Maran.Instrument.Configuration;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// One access token the dashboard accepts: its name, its role and the SHA-256 of its secret (the secret itself is
/// not kept). Candidates are hashed and compared in constant time.
/// </summary>
internal sealed class DashboardCredential
{
    /// <summary>The name <c>dashboard.token</c> goes by: an operator token.</summary>
    internal const string SingleTokenName = "dashboard.token";

    private readonly byte[] _hash;

    public DashboardCredential(string name, DashboardRole role, string secret)
    {
        Name = name;
        Role = role;
        _hash = Hash(secret);
    }

    /// <summary>The token's name, recorded with what it changes.</summary>
    public string Name { get; }

    /// <summary>What the token may do.</summary>
    public DashboardRole Role { get; }

    /// <summary>
    /// The credentials of <paramref name="settings"/>: <c>dashboard.token</c> (or <paramref name="single"/>, a generated
    /// one) as an operator, then each of <c>dashboard.tokens</c> with its secret read from its variable or file.
    /// Problems are added to <paramref name="problems"/>, each naming its key.
    /// </summary>
    public static IReadOnlyList<DashboardCredential> Resolve(DashboardSettings settings, string? single, Func<string, string?> environment, List<string> problems)
    {
        var credentials = new List<DashboardCredential>();
        if (single is { Length: > 0 })
        {
            credentials.Add(new DashboardCredential(SingleTokenName, DashboardRole.Operator, single));
        }

        for (int i = 0; i < settings.Tokens.Count; i++)
        {
            DashboardTokenSettings token = settings.Tokens[i];
            if (token.ReadSecret(environment, out string? problem) is { } secret)
            {
                credentials.Add(new DashboardCredential(token.Name ?? $"tokens[{i}]", token.Role, secret));
            }
            else
            {
                problems.Add($"dashboard.tokens[{i}] ({token.Name}): {problem}");
            }
        }

        return credentials;
    }

    /// <summary>The credential among <paramref name="credentials"/> whose secret is <paramref name="candidate"/>; every one is compared, in constant time.</summary>
    public static DashboardCredential? Find(IReadOnlyList<DashboardCredential> credentials, string? candidate)
    {
        if (candidate is not { Length: > 0 } || credentials.Count == 0)
        {
            return null;
        }

        byte[] hash = Hash(candidate);
        DashboardCredential? found = null;
        foreach (DashboardCredential credential in credentials)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, credential._hash))
            {
                found ??= credential;
            }
        }

        return found;
    }

    internal static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
