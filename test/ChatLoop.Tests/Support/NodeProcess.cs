using System.Diagnostics;

namespace ChatLoop.Tests.Support;

/// <summary>A ChatLoop node as its own process (the server's build beside the tests), so a test can kill -9 it.</summary>
public sealed class NodeProcess : IDisposable
{
    /// <summary>How long a node may take to start: a process of its own, and it connects to Redis first.</summary>
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(20);

    private readonly Process _process;

    public NodeProcess(RedisProcess redis, TimeSpan nodeTimeout)
        : this(redis.Config, nodeTimeout)
    {
    }

    /// <summary>A node on any --redis configuration (a Sentinel's, say), as a user would type it.</summary>
    public NodeProcess(string redisConfig, TimeSpan nodeTimeout)
    {
        Port = RedisProcess.FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "ChatLoop.Server.dll");
        var start = new ProcessStartInfo("dotnet", [dll, Port.ToString(), "--bind", "127.0.0.1", "--redis", redisConfig,
            "--node-timeout-s", nodeTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--log-level", "info"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start)!;
        try
        {
            _process.StandardOutput.ReadToEndAsync();
            WaitForListening();
            _process.StandardError.ReadToEndAsync();
        }
        catch
        {
            // A failed start (an assertion is an exception too) leaves no node running behind the test.
            Dispose();
            throw;
        }
    }

    public int Port { get; }

    public TestClient Connect() => TestClient.Connect(Port);

    /// <summary>kill -9: no leaving, no unregistering; the survivors must find out.</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>Freezes the node (SIGSTOP), as a stalled machine would.</summary>
    public void Freeze() => Signal("STOP");

    public void Thaw() => Signal("CONT");

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            KillHard();
        }

        _process.Dispose();
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString()]);
        kill.WaitForExit();
    }

    /// <summary>
    /// Reads the node's log (stderr) until its reactor says it is listening, as <see cref="RedisProcess"/> waits
    /// for "Ready to accept connections"; each line is waited for only until the deadline, so a node that
    /// hangs silent cannot hold the test.
    /// </summary>
    private void WaitForListening()
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var seen = new List<string>();
        while (true)
        {
            var line = _process.StandardError.ReadLineAsync();
            var left = StartBound - System.Diagnostics.Stopwatch.GetElapsedTime(start);
            Assert.That(left > TimeSpan.Zero && line.Wait(left), Is.True, $"the node process never said it was listening; it wrote:\n{string.Join('\n', seen)}");
            Assert.That(line.Result, Is.Not.Null, $"the node process exited at start; it wrote:\n{string.Join('\n', seen)}");
            if (line.Result!.Contains("ChatLoop listening on", StringComparison.Ordinal))
            {
                return;
            }

            seen.Add(line.Result);
        }
    }
}
