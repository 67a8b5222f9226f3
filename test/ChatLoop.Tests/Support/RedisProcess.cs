using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChatLoop.Tests.Support;

/// <summary>
/// A real redis-server on a free loopback port, started for a test, with no persistence. Redis cannot
/// bind port 0, so a free port is picked and the start retried on another should it be taken meanwhile.
/// Without redis-server (on PATH) the test fails under CI and is skipped elsewhere (<see cref="ExternalTool"/>).
/// </summary>
public sealed class RedisProcess : IDisposable
{
    private readonly string[] _args;
    private readonly string _ready;

    /// <summary>Its own working directory: a replica writes the primary's snapshot there (dump.rdb), which no other Redis may load.</summary>
    private readonly string _dir = Directory.CreateTempSubdirectory("chatloop-redis-").FullName;
    private Process? _process;

    private RedisProcess(string[] args, string ready)
    {
        _args = args;
        _ready = ready;
    }

    public int Port { get; private set; }

    /// <summary>The --redis value for a node.</summary>
    public string Config => $"127.0.0.1:{Port}";

    public static RedisProcess Start() => Start([]);

    /// <summary>A redis-server with more arguments (e.g. --replicaof HOST PORT).</summary>
    public static RedisProcess Start(string[] args) => Start(args, "Ready to accept connections");

    /// <summary>A Sentinel (redis-server FILE --sentinel); the file gets its port; ready once it monitors its primary.</summary>
    public static RedisProcess StartSentinel(string configFile) => Start([configFile, "--sentinel"], "+monitor master");

    private static RedisProcess Start(string[] args, string ready)
    {
        var path = Find();
        var redis = new RedisProcess(args, ready);
        for (int attempt = 0; attempt < 5; attempt++)
        {
            redis.Port = FreePort();
            if (redis.Launch(path))
            {
                return redis;
            }
        }

        Assert.Fail("redis-server did not start on any of 5 free ports");
        return redis;
    }

    /// <summary>Freezes Redis (SIGSTOP): connections stay open, nothing is answered.</summary>
    public void Pause() => Signal("STOP");

    public void Resume() => Signal("CONT");

    /// <summary>Stops Redis and starts it again on the same port with no data (as after a restart without persistence).</summary>
    public void RestartEmpty()
    {
        Kill();
        Wait.Until(() => Launch(Find()), "redis-server did not start again on its port", pace: TimeSpan.Zero);
    }

    /// <summary>kill -9: the process is gone with whatever it had not yet sent (a primary's last writes to its replica).</summary>
    public void KillHard() => Kill();

    public void Dispose()
    {
        Kill();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp directory; nothing reads it again.
        }
    }

    private static string Find() =>
        ExternalTool.Require("redis-server", "apt-get install redis-server", "/usr/bin/redis-server", "/usr/local/bin/redis-server");

    /// <summary>A loopback port free a moment ago (a process that cannot bind port 0 needs one named).</summary>
    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private bool Launch(string path)
    {
        var start = new ProcessStartInfo(path, Arguments())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start)!;
        _process.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow + Wait.Long;
        while (true)
        {
            // Each line waited for only until the deadline: a redis-server that hangs silent cannot hold the test.
            var line = _process.StandardOutput.ReadLineAsync();
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !line.Wait(left) || line.Result is null)
            {
                // Timed out, or it ended (the port was taken): kill what is left and let the Process go.
                Kill();
                return false;
            }

            if (line.Result.Contains(_ready, StringComparison.Ordinal))
            {
                _process.StandardOutput.ReadToEndAsync();
                return true;
            }
        }
    }

    /// <summary>A Sentinel's file comes first (the port given after it wins); a server gets no persistence, then the extra arguments.</summary>
    private string[] Arguments() => _args is [var file, "--sentinel"]
        ? [file, "--sentinel", "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", _dir]
        : ["--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", _dir, "--save", "", "--appendonly", "no", .. _args];

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process!.Id.ToString()]);
        kill.WaitForExit();
    }

    private void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }
}
