using System.Net;
using ChatLoop.Server;
using NUnit.Framework.Internal;

namespace ChatLoop.Tests.Support;

/// <summary>
/// A real <see cref="ChatServer"/> on 127.0.0.1 and a free port, for one test. Disposing it stops the
/// server (a no-op if KILL_SERVICE already did). Started from a <see cref="PollerFixture"/>, it uses that
/// fixture's poller; elsewhere the settings' own.
/// </summary>
public sealed class TestServer : IDisposable
{
    /// <param name="time">The server's clock: a fake one lets a test move time on (timeouts); the system clock if none is given.</param>
    public TestServer(ServerSettings? settings = null, TimeProvider? time = null)
    {
        settings ??= new ServerSettings();
        var poller = TestExecutionContext.CurrentContext.TestObject is PollerFixture fixture ? fixture.Poller : settings.Poller;
        Settings = settings with { Port = 0, Bind = IPAddress.Loopback, Poller = poller };
        Server = new ChatServer(Settings, time);
        Server.Start();
    }

    public ServerSettings Settings { get; }

    public ChatServer Server { get; }

    public int Port => Server.Port;

    /// <summary>A new client connected to this server; <paramref name="configure"/> runs on the socket before it connects.</summary>
    public TestClient Connect(Action<System.Net.Sockets.Socket>? configure = null) => TestClient.Connect(Port, configure);

    public void Dispose() => Server.Dispose();
}
