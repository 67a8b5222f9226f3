using ChatLoop.Load;

namespace ChatLoop.Tests.Load;

public sealed class CommandLineReaderTests
{
    private static (bool Ok, int Exit, string Out, string Err, LoadSettings? Settings) Read(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        bool ok = CommandLineReader.TryRead(args, stdout, stderr, out var settings, out int exit);
        return (ok, exit, stdout.ToString(), stderr.ToString(), settings);
    }

    [Test]
    public void TryRead_Help_UsageOnStdoutAndExitZero()
    {
        var r = Read("--help");
        Assert.That(r.Ok, Is.False);
        Assert.That(r.Exit, Is.Zero);
        Assert.That(r.Out, Does.Contain("--window").And.Contain("--slow").And.Contain("--json"));
        Assert.That(r.Err, Is.Empty);
    }

    [TestCase(new string[0], "give --port")]
    [TestCase(new[] { "--port", "x" }, "bad value for --port")]
    [TestCase(new[] { "--port", "5000", "--bogus" }, "unknown option")]
    [TestCase(new[] { "--port", "5000", "--messages", "5", "--duration", "3" }, "not both")]
    [TestCase(new[] { "--port", "5000", "--clients", "3", "--rooms", "4" }, "--rooms")]
    [TestCase(new[] { "--port", "5000", "--window", "0" }, "--window")]
    [TestCase(new[] { "--hosts", "127.0.0.1:5000", "--port", "5001" }, "not both")]
    [TestCase(new[] { "--hosts", "127.0.0.1:5000", "--host", "localhost" }, "not both")]
    [TestCase(new[] { "--hosts", "127.0.0.1" }, "'127.0.0.1' is not host:port")]
    [TestCase(new[] { "--hosts", "127.0.0.1:5000,127.0.0.1:70000" }, "port must be 1 to 65535")]
    [TestCase(new[] { "--hosts", "127.0.0.1:5000,127.0.0.1:5000" }, "one server twice")]
    [TestCase(new[] { "--hosts", "127.0.0.1:5000,no.such.host.invalid:5001" }, "cannot resolve host 'no.such.host.invalid'")]
    public void TryRead_BadArguments_OneLineOnStderrAndExitTwo(string[] args, string expected)
    {
        var r = Read(args);
        Assert.That(r.Ok, Is.False);
        Assert.That(r.Exit, Is.EqualTo(2));
        Assert.That(r.Err, Does.Contain(expected));
        Assert.That(r.Err.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(r.Out, Is.Empty);
    }

    [Test]
    public void TryRead_DurationGiven_RunBoundedByDurationNotMessages()
    {
        var r = Read("--port", "5000", "--duration", "2.5", "--host", "localhost");
        Assert.That(r.Ok, Is.True);
        Assert.That(r.Settings!.Messages, Is.Null);
        Assert.That(r.Settings.Duration, Is.EqualTo(TimeSpan.FromSeconds(2.5)));
        Assert.That(r.Settings.Servers[0].Port, Is.EqualTo(5000));
    }

    [Test]
    public void TryRead_OnlyPort_DocumentedDefaults()
    {
        var s = Read("--port", "5000").Settings!;
        Assert.That((s.Clients, s.Rooms, s.Messages, s.Size, s.Window, s.Rate, s.Slow), Is.EqualTo((100, 10, (int?)100, 64, 16, 0.0, 0)));
        Assert.That(s.Servers.Single().Address.ToString(), Is.EqualTo("127.0.0.1"));
    }

    [Test]
    public void TryRead_Hosts_EveryNodeInOrder()
    {
        var s = Read("--hosts", "127.0.0.1:5000, localhost:5001,[::1]:5002").Settings!;
        Assert.That(s.Servers.Select(e => e.ToString()), Is.EqualTo(new[] { "127.0.0.1:5000", "127.0.0.1:5001", "[::1]:5002" }));
    }
}
