using System.Net;
using System.Net.Sockets;
using ChatLoop.Load;
using ChatLoop.Server;

namespace ChatLoop.Tests.Load;

/// <summary>
/// The load tool as a newcomer first runs it: a mistyped output path or a server that is not running is said
/// first, in one line, before any load; the summary's words fit its numbers.
/// </summary>
[NonParallelizable]
public sealed class FirstRunTests
{
    [Test]
    public void Run_NothingListens_CannotConnectFirstAndNoSummary()
    {
        int port = ClosedPort();
        var (code, output, errors) = Run("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--clients", "5", "--rooms", "1", "--messages", "2");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Is.Empty, "no summary of zeros");
        Assert.That(Lines(errors), Is.EqualTo(new[] { $"load: cannot connect to 127.0.0.1:{port}: nothing listens there (start a server: ./start.sh {port})" }));
    }

    [TestCase("--json", "run.json")]
    [TestCase("--csv", "run.csv")]
    [TestCase("--plot", "run.png")]
    public void Run_OutputFolderMissing_SaidBeforeTheRun(string option, string file)
    {
        using var server = StartServer();
        var missing = Path.Combine(Path.GetTempPath(), "chatloop-missing-" + Guid.NewGuid().ToString("N"));
        var path = Path.Combine(missing, file);

        var (code, output, errors) = Run("--port", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--clients", "2", "--rooms", "1", "--messages", "1", option, path);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Is.Empty, "the run did not start");
        Assert.That(Lines(errors), Is.EqualTo(new[] { $"load: {option} '{path}': the folder '{missing}' does not exist" }));
    }

    [Test]
    public void CheckOutput_AFolderOrAWritableFile_SaidOrNone()
    {
        var folder = Path.GetTempPath();
        Assert.That(Preflight.CheckOutput("--json", folder), Does.Contain("is a folder"));

        var file = Path.Combine(folder, "chatloop-preflight-" + Guid.NewGuid().ToString("N") + ".json");
        Assert.That(Preflight.CheckOutput("--json", file), Is.Null);
        Assert.That(File.Exists(file), Is.False, "the check leaves no file behind");
    }

    [Test]
    public void Run_OneRoomEightMessages_PluralsRightAndNoBottleneckWarning()
    {
        using var server = StartServer();
        var json = Path.Combine(Path.GetTempPath(), "chatloop-first-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            var (code, output, errors) = Run("--port", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--clients", "8", "--rooms", "1", "--messages", "1", "--json", json);

            Assert.That(code, Is.EqualTo(0), errors);
            Assert.That(output, Does.Contain("8 clients in 1 room on "));
            Assert.That(output, Does.Contain("1 message each"));
            Assert.That(output, Does.Contain("(1 loop thread)"));
            Assert.That(output, Does.Not.Contain("bottleneck"), "a send phase of milliseconds says nothing about the generator");
            Assert.That(output, Does.Contain("result  PASS"));
            Assert.That(File.Exists(json), Is.True);
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Test]
    public void GeneratorMayBeBottleneck_OnlyWhenBusyForAMeasurableSendPhase()
    {
        using var server = StartServer();
        var settings = new LoadSettings
        {
            Servers = [new IPEndPoint(IPAddress.Loopback, server.Port)],
            Clients = 2,
            Rooms = 1,
            Messages = 1,
            ShowProgress = false,
        };
        var real = new LoadRun(settings).Run(progress: null, inPlace: false);

        Assert.That(SummaryWriter.GeneratorMayBeBottleneck(real with { SendS = 0.004, CpuSendShare = 1.0 }), Is.False, "too short to tell");
        Assert.That(SummaryWriter.GeneratorMayBeBottleneck(real with { SendS = 5, CpuSendShare = 0.5 }), Is.False, "the tool was half idle");
        Assert.That(SummaryWriter.GeneratorMayBeBottleneck(real with { SendS = 5, CpuSendShare = 0.97 }), Is.True);
        Assert.That(SummaryWriter.GeneratorMayBeBottleneck(real with { SendS = 5, CpuSendShare = 0.97, Threads = 2 }), Is.False, "one of two cores");
    }

    private static (int Code, string Output, string Errors) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = ChatLoop.Load.Program.Run(args, stdout, stderr, showProgress: false);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static ChatServer StartServer()
    {
        var server = new ChatServer(new ServerSettings { Port = 0, Bind = IPAddress.Loopback });
        server.Start();
        return server;
    }

    /// <summary>A loopback port nothing listens on: bound, then released.</summary>
    private static int ClosedPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}
