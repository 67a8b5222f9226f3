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
    [TestCase(new[] { "--port", "5000", "--scenario", "huge" }, "--scenario must be one of fanout, bigroom, paced, slow, storm")]
    [TestCase(new[] { "--port", "5000", "--scenario", "storm", "--rooms", "6000" }, "--rooms must not exceed --clients")]
    [TestCase(new[] { "--port", "5000", "--plot", "run.svg" }, "--plot must name a .png file")]
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

    // compare.sh's args_of, scenario by scenario: -n -r -k -s -w [-R] [-x] [-c]
    [TestCase("fanout", 1000, 50, 200, 64, 16, 0, 0, 256)]
    [TestCase("bigroom", 500, 1, 10, 64, 4, 0, 0, 256)]
    [TestCase("paced", 1000, 50, 100, 64, 64, 20000, 0, 256)]
    [TestCase("slow", 1000, 50, 100, 64, 64, 20000, 10, 256)]
    [TestCase("storm", 5000, 100, 2, 64, 2, 0, 0, 1000)]
    public void TryRead_Scenario_ComparesPopulationAndRates(string name, int n, int r, int k, int size, int w, double rate, int slow, int parallel)
    {
        var s = Read("--port", "5000", "--scenario", name).Settings!;
        Assert.That((s.Clients, s.Rooms, s.Messages, s.Size, s.Window, s.Rate, s.Slow, s.ConnectParallel),
            Is.EqualTo((n, r, (int?)k, size, w, rate, slow, parallel)));
        Assert.That(s.Scenario, Is.EqualTo(name));
    }

    [Test]
    public void TryRead_ScenarioAndOptions_TheOptionsGivenOverrideTheScenario()
    {
        var s = Read("--port", "5000", "--scenario", "paced", "--clients", "200", "--rate", "5000", "--window", "8", "--slow", "3").Settings!;
        Assert.That((s.Clients, s.Rate, s.Window, s.Slow), Is.EqualTo((200, 5000.0, 8, 3)));

        // what was not given stays the scenario's
        Assert.That((s.Rooms, s.Messages, s.Size, s.ConnectParallel), Is.EqualTo((50, (int?)100, 64, 256)));

        // a duration replaces the scenario's message count rather than clashing with it
        var timed = Read("--port", "5000", "--scenario", "slow", "--duration", "3").Settings!;
        Assert.That((timed.Messages, timed.Duration, timed.Slow), Is.EqualTo(((int?)null, TimeSpan.FromSeconds(3), 10)));
    }
}
