using System.Diagnostics;

namespace ChatLoop.Tests.Support;

/// <summary>The server's own program (the build beside the tests) run with a command line that must make it end by itself.</summary>
public static class ServerCommand
{
    /// <summary>Runs <c>ChatLoop.Server ARGS</c> to its end; the exit status and what it wrote to stderr, line by line.</summary>
    public static (int ExitCode, IReadOnlyList<string> Errors) Run(TimeSpan patience, params string[] args)
    {
        var (exitCode, _, errors) = RunWithOutput(patience, args);
        return (exitCode, errors);
    }

    /// <summary>As <see cref="Run"/>, with what it wrote to stdout too.</summary>
    public static (int ExitCode, string Output, IReadOnlyList<string> Errors) RunWithOutput(TimeSpan patience, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ChatLoop.Server.dll");
        var start = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(patience))
        {
            process.Kill();
            process.WaitForExit();
            Assert.Fail($"the server was still running after {patience.TotalSeconds} s: {string.Join(' ', args)}");
        }

        return (process.ExitCode, stdout.Result, stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
