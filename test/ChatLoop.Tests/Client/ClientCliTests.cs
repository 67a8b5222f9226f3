using ChatLoop.Client;

namespace ChatLoop.Tests.Client;

public sealed class ClientCliTests
{
    [Test]
    public void Parse_Help_NullExitZeroHelpOnStdout()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var settings = ClientCli.Parse(["--help"], stdout, stderr, out int exitCode);

        Assert.That(settings, Is.Null);
        Assert.That(exitCode, Is.Zero);
        Assert.That(stdout.ToString(), Does.Contain("--name").And.Contain("--port"));
        Assert.That(stderr.ToString(), Is.Empty);
    }

    [TestCase("--port", "x", "--name", "alice")]
    [TestCase("--port", "0", "--name", "alice")]
    [TestCase("--port", "70000", "--name", "alice")]
    [TestCase("--port", "5000")]
    [TestCase("--name", " ")]
    [TestCase("--name", "alice", "--bogus")]
    [TestCase("--name", "alice", "--quit-wait", "-1")]
    public void Parse_BadArguments_ExitTwoMessageOnStderr(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var settings = ClientCli.Parse(args, stdout, stderr, out int exitCode);

        Assert.That(settings, Is.Null);
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(stderr.ToString(), Is.Not.Empty);
    }

    [Test]
    public void Parse_NoName_OneLineSaysSo()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        ClientCli.Parse(["--port", "5000"], stdout, stderr, out int exitCode);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(stdout.ToString(), Is.Empty);
        Assert.That(stderr.ToString().TrimEnd().Split('\n'), Is.EqualTo(new[] { "chatloop-client: --name is required: your name in the chat, e.g. --name alice (see --help)" }));
    }

    [Test]
    public void Parse_NameTooLong_ExitTwoSaysWhy()
    {
        using var stderr = new StringWriter();

        ClientCli.Parse(["--name", new string('n', 65)], TextWriter.Null, stderr, out int exitCode);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(stderr.ToString(), Does.Contain("--name is longer than 64 bytes"));
    }

    [Test]
    public void Parse_GoodArguments_Settings()
    {
        var settings = ClientCli.Parse(["--host", "127.0.0.1", "-p", "6000", "-n", " alice "], TextWriter.Null, TextWriter.Null, out int exitCode);

        Assert.That(exitCode, Is.Zero);
        Assert.That(settings, Is.EqualTo(new ClientSettings { Host = "127.0.0.1", Port = 6000, Name = "alice" }));
    }
}
