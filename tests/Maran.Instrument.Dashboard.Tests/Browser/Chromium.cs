using Microsoft.Playwright;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>
/// Debian's Chromium, driven by Playwright (never a browser Playwright downloads). Where it is missing, the browser
/// tests fail in CI (the <c>CI</c> variable is <c>true</c> or <c>1</c>, as CI services set it) and are skipped, saying
/// how to install it, on a developer's machine.
/// </summary>
internal static class Chromium
{
    /// <summary>Where Debian installs it; <c>MARAN_CHROMIUM</c> names another.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("MARAN_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static bool IsCi => Environment.GetEnvironmentVariable("CI") is { } ci
        && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    public static string Missing =>
        $"Chromium is not installed at {ExecutablePath}: the dashboard's browser tests need it " +
        "(Debian: apt-get install -y chromium fonts-dejavu-core; elsewhere set MARAN_CHROMIUM to a Chromium or Chrome binary).";

    /// <summary>Skips the test on a developer's machine without Chromium; fails it in CI.</summary>
    public static void Require()
    {
        if (File.Exists(ExecutablePath))
        {
            return;
        }

        if (IsCi)
        {
            throw new InvalidOperationException(Missing);
        }

        Skip.If(true, Missing + " Skipped on this machine; CI fails instead.");
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
}
