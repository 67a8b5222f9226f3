using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChatLoop.Tests.Support;

/// <summary>A ChatLoop node as its own process (the server's build beside the tests), so a test can kill -9 it.</summary>
public sealed class NodeProcess : IDisposable
{
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
            "--node-timeout-s", nodeTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--log-level", "warn"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start)!;
        try
        {
            _process.StandardOutput.ReadToEndAsync();
            _process.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (!Accepting())
            {
                Assert.That(_process.HasExited, Is.False, "the node process exited at start");
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the node process never listened");
                Thread.Sleep(50);  // poll pacing until the port accepts; bounded by the deadline
            }
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

    private bool Accepting()
    {
        try
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
