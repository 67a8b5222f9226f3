using ChatLoop.Server;
using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Server;

/// <summary>
/// The server's command line as a newcomer types it: every mistake is one line in words and status 2, never a
/// server started with defaults; --help and --version work wherever they stand.
/// </summary>
public sealed class CommandLineTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [TestCase(new[] { "5000", "--max-lag-s" }, "--max-lag-s needs a value, e.g. --max-lag-s 10")]
    [TestCase(new[] { "5000", "--poller" }, "--poller needs a value, e.g. --poller select")]
    [TestCase(new[] { "5000", "--poller", "--bind", "127.0.0.1" }, "--poller needs a value, but the next argument is the option '--bind'")]
    [TestCase(new[] { "5000", "extra" }, "unexpected argument 'extra': PORT (5000) is the only argument without an option name")]
    [TestCase(new[] { "5000", "--poller", "epoll", "--poller", "select" }, "--poller is given more than once")]
    [TestCase(new[] { "5000", "--poller=epoll", "--poller", "select" }, "--poller is given more than once")]
    [TestCase(new[] { "5000", "--metrics-port", "abc" }, "--metrics-port must be a whole number, not 'abc'")]
    [TestCase(new[] { "5000", "--max-lag-s", "soon" }, "--max-lag-s must be a number, not 'soon'")]
    [TestCase(new[] { "abc" }, "PORT must be a number from 0 to 65535, not 'abc'")]
    [TestCase(new[] { "70000" }, "PORT must be a number from 0 to 65535, not 70000")]
    [TestCase(new[] { "--port", "5000" }, "the server takes its port without --port: start.sh 5000 [options]")]
    [TestCase(new[] { "--port=6000" }, "the server takes its port without --port: start.sh 6000 [options]")]
    [TestCase(new[] { "5000", "--bogus", "1" }, "unknown option '--bogus'")]
    [TestCase(new[] { "5000", "-x" }, "unknown option '-x'")]
    [TestCase(new string[0], "a PORT is required, e.g. start.sh 5000")]
    [TestCase(new[] { "--bind", "127.0.0.1" }, "a PORT is required, e.g. start.sh 5000")]
    public void Problem_MistakenLine_OneLineInWords(string[] args, string message)
    {
        Assert.That(ServerArguments.Problem(args), Is.EqualTo(message));
    }

    [TestCase("5000")]
    [TestCase("0", "--bind", "127.0.0.1", "--poller", "epoll")]
    [TestCase("5000", "--max-clients", "-1")]
    [TestCase("5000", "--max-lag-s=2.5", "--student-id", "abc")]
    public void Problem_WellShapedLine_None(params string[] args)
    {
        // A negative number is a value, not an option: its range is SettingsFactory's to judge.
        Assert.That(ServerArguments.Problem(args), Is.Null);
    }

    [Test]
    public void Create_PortOutOfRange_ReadsLikeThePortThatIsNoNumber()
    {
        var e = Assert.Throws<ArgumentException>(() => SettingsFactory.Create(new ServerOptions { Port = 70000 }));

        Assert.That(e!.Message, Is.EqualTo("PORT must be a number from 0 to 65535, not 70000"));
        Assert.That(ServerArguments.Problem(["abc"]), Does.StartWith("PORT must be a number from 0 to 65535, not "));
    }

    [TestCase(new[] { "0", "--max-lag-s" }, "--max-lag-s needs a value")]
    [TestCase(new[] { "0", "--poller", "--bind", "127.0.0.1" }, "--poller needs a value")]
    [TestCase(new[] { "0", "extra" }, "unexpected argument 'extra'")]
    [TestCase(new[] { "0", "--poller", "epoll", "--poller", "select" }, "--poller is given more than once")]
    [TestCase(new[] { "0", "--metrics-port", "abc" }, "--metrics-port must be a whole number, not 'abc'")]
    [TestCase(new[] { "--port", "5000" }, "the server takes its port without --port")]
    public void Program_MistakenLine_OneLineAndStatus2(string[] args, string start)
    {
        var (exitCode, errors) = ServerCommand.Run(Patience, args);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith("chatloop: " + start));
    }

    [TestCase("--version")]
    [TestCase("5000", "--version")]
    public void Program_Version_PrintedWhereverItStands(params string[] args)
    {
        var (exitCode, output, errors) = ServerCommand.RunWithOutput(Patience, args);

        Assert.That(exitCode, Is.EqualTo(0));
        Assert.That(errors, Is.Empty);
        Assert.That(output.Trim(), Does.StartWith("ChatLoop "));
    }

    [TestCase("--help")]
    [TestCase("5000", "--help")]
    public void Program_Help_ShowsTheMaxClientsDefaultAsTheReadmeDoes(params string[] args)
    {
        var (exitCode, output, errors) = ServerCommand.RunWithOutput(Patience, args);

        Assert.That(exitCode, Is.EqualTo(0));
        Assert.That(errors, Is.Empty);
        var help = string.Join(' ', output.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        Assert.That(help, Does.Contain("Usage: start.sh PORT [options]"));
        Assert.That(help, Does.Contain("--max-clients Most clients at once; past it: ERROR 9. (Default: the open-file limit - 64"));
        Assert.That(help, Does.Not.Contain("(Default: 0)"));
    }
}
