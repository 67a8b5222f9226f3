using System.Net;
using System.Net.Sockets;
using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Web;

/// <summary>The gateway's command line, run as a process: one line and a non-zero exit for each way it cannot start.</summary>
[TestFixture]
[CancelAfter(30_000)]
public sealed class WebCliTests
{
    [TestCase(new[] { "8080" }, "--server HOST:PORT is required")]
    [TestCase(new[] { "--server", "127.0.0.1:5000" }, "an HTTP_PORT is required")]
    [TestCase(new[] { "web", "--server", "127.0.0.1:5000" }, "HTTP_PORT must be a number")]
    [TestCase(new[] { "70000", "--server", "127.0.0.1:5000" }, "HTTP_PORT must be a number from 0 to 65535")]
    [TestCase(new[] { "8080", "--server", "localhost" }, "--server 'localhost' is not HOST:PORT")]
    [TestCase(new[] { "8080", "--server", "127.0.0.1:5000", "--bind", "everywhere" }, "--bind 'everywhere' is not an IP address")]
    [TestCase(new[] { "8080", "--server", "127.0.0.1:5000", "--allow-origin", "evil" }, "--allow-origin 'evil' is not an origin")]
    [TestCase(new[] { "8080", "--server", "127.0.0.1:5000", "--max-message-bytes", "10" }, "--max-message-bytes must be from 1024")]
    [TestCase(new[] { "8080", "--server", "127.0.0.1:5000", "--log-level", "loud" }, "chatloop-web: --log-level must be trace, debug, info, warn, error or off")]
    [TestCase(new[] { "8080", "--server", "127.0.0.1:5000", "--colour" }, "unknown option '--colour'")]
    [TestCase(new[] { "8080", "--server", "127.0.0.1:5000", "--log-level" }, "--log-level needs a value")]
    [TestCase(new[] { "8080", "--bind", "--server", "127.0.0.1:5000" }, "--bind needs a value, but the next argument is the option '--server'")]
    [TestCase(new[] { "8080", "--server", "127.0.0.1:5000", "--send-timeout-s", "1", "--send-timeout-s", "2" }, "--send-timeout-s is given more than once")]
    [TestCase(new[] { "8080", "--server", "127.0.0.1:5000", "--max-connections", "abc" }, "--max-connections must be a whole number, not 'abc'")]
    [TestCase(new[] { "8080", "--server", "127.0.0.1:5000", "extra" }, "unexpected argument 'extra': HTTP_PORT (8080) is the only argument without an option name")]
    [TestCase(new[] { "--port", "8080", "--server", "127.0.0.1:5000" }, "the gateway takes its HTTP port without --port: tools/web.sh 8080 --server HOST:PORT")]
    public void BadOption_OneLine_Exit2(string[] args, string expected)
    {
        var (code, error) = Run(args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain(expected).And.Not.Contain('\n'));
    }

    [Test]
    public void Version_OneLine_Exit0()
    {
        using var command = new WebCommand("--version");
        Assert.That(command.WaitForExit(), Is.EqualTo(0));
        Assert.That(command.Output, Is.EqualTo("ChatLoop web gateway 1.0\n"));
    }

    [Test]
    public void ServerUnreachableAtStart_OneLine_Exit1()
    {
        var down = new TestServer();
        int port = down.Port;
        down.Dispose();
        var (code, error) = Run(["0", "--server", $"127.0.0.1:{port}"]);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Is.EqualTo($"chatloop-web: cannot reach the ChatLoop server at 127.0.0.1:{port} (--server): connection refused"));
    }

    [Test]
    public void ServersRepeatedOrListed_EachIsChecked()
    {
        using var up = new TestServer();
        var down = new TestServer();
        int port = down.Port;
        down.Dispose();
        foreach (var args in new[] { new[] { "0", "--server", $"127.0.0.1:{up.Port}", "--server", $"127.0.0.1:{port}" }, ["0", "--server", $"127.0.0.1:{up.Port},127.0.0.1:{port}"] })
        {
            var (code, error) = Run(args);
            Assert.That(code, Is.EqualTo(1));
            Assert.That(error, Is.EqualTo($"chatloop-web: cannot reach the ChatLoop server at 127.0.0.1:{port} (--server): connection refused"));
        }
    }

    [Test]
    public void PortTaken_OneLine_Exit1()
    {
        using var server = new TestServer();
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        int port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        var (code, error) = Run([port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--server", $"127.0.0.1:{server.Port}"]);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Is.EqualTo($"chatloop-web: port {port} is already in use on 127.0.0.1"));
    }

    private static (int Code, string Error) Run(string[] args) => WebCommand.Run(args);
}
