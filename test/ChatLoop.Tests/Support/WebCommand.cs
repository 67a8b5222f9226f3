using System.Diagnostics;
using System.Reflection;

namespace ChatLoop.Tests.Support;

/// <summary>
/// The web gateway as people run it (tools/web.sh execs this): <c>dotnet ChatLoop.Web.dll ARGS</c>, the build
/// of src/ChatLoop.Web in this configuration, its stderr collected line by line.
/// </summary>
public sealed class WebCommand : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Task<string> _stdout;

    public WebCommand(params string[] args)
    {
        var dll = typeof(WebCommand).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ChatLoopWebDll").Value!;
        Assert.That(File.Exists(dll), $"the gateway's build is missing: {dll}");
        var start = new ProcessStartInfo("dotnet", [dll, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        _process = new Process { StartInfo = start };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_lines)
                {
                    _lines.Add(e.Data);
                    Monitor.PulseAll(_lines);
                }
            }
        };
        _process.Start();
        _process.BeginErrorReadLine();
        _stdout = _process.StandardOutput.ReadToEndAsync();
    }

    /// <summary>What it wrote to stderr so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Runs to its end (bounded) and returns its exit code and stderr.</summary>
    public static (int Code, string Error) Run(params string[] args)
    {
        using var command = new WebCommand(args);
        int code = command.WaitForExit();
        return (code, string.Join('\n', command.Lines));
    }

    /// <summary>What it wrote to stdout, once it has ended (<see cref="WaitForExit"/>).</summary>
    public string Output => _stdout.GetAwaiter().GetResult();

    /// <summary>Waits (bounded) for it to end, and for its output to be read; returns its exit code.</summary>
    public int WaitForExit()
    {
        Assert.That(_process.WaitForExit(TimeSpan.FromSeconds(30)), "the gateway did not exit");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits (bounded) for a stderr line matching <paramref name="predicate"/>; fails if the process ends first.</summary>
    public string WaitForLine(Func<string, bool> predicate, TimeSpan bound)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(bound.TotalSeconds * Stopwatch.Frequency);
        lock (_lines)
        {
            while (true)
            {
                if (_lines.FirstOrDefault(predicate) is { } line)
                {
                    return line;
                }

                var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                if (left <= TimeSpan.Zero || _process.HasExited)
                {
                    Assert.Fail($"the gateway {(_process.HasExited ? $"exited ({_process.ExitCode})" : $"said nothing expected within {bound.TotalSeconds} s")}: {string.Join(" / ", _lines)}");
                }

                Monitor.Wait(_lines, left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100));
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
