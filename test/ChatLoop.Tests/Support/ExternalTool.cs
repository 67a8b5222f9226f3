namespace ChatLoop.Tests.Support;

/// <summary>
/// Programs from outside the repository that tests run (redis-server, promtool). Found on PATH, as .ci/run
/// finds them (<c>command -v</c>). A missing one fails the test under CI and skips it elsewhere, saying how to install it.
/// </summary>
public static class ExternalTool
{
    /// <summary>Under CI: the CI variable set to anything but empty, "false" or "0" (.ci/run sets CI=true unless given).</summary>
    public static bool UnderCI => IsCI(Environment.GetEnvironmentVariable("CI"));

    public static bool IsCI(string? value) => value is { Length: > 0 } and not "false" and not "0";

    /// <summary>The program's path: the first on PATH, else the first of <paramref name="fallbacks"/> that exists; else fail (CI) or skip.</summary>
    public static string Require(string name, string install, params string[] fallbacks)
    {
        if ((FindOnPath(name) ?? fallbacks.FirstOrDefault(File.Exists)) is { } path)
        {
            return path;
        }

        string why = $"{name} not found on PATH: {install}";
        if (UnderCI)
        {
            Assert.Fail(why);
        }

        Assert.Ignore(why);
        return name;
    }

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
