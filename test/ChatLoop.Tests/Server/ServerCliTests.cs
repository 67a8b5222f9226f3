using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Server;

/// <summary>The server's command line at its edges: help on request, and a clear refusal of what it does not know (DESIGN.md habit 12).</summary>
public sealed class ServerCliTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Test]
    public void Main_Help_UsageAndEveryOptionOnStdoutAndExit0()
    {
        var (exitCode, output, errors) = ServerCommand.RunWithOutput(Patience, "--help");

        Assert.That(exitCode, Is.EqualTo(0));
        Assert.That(output, Does.Contain("Usage: start.sh PORT [options]"));
        Assert.That(output, Does.Contain("--max-clients").And.Contain("--poller").And.Contain("--redis"), "the options are listed");
        Assert.That(errors, Is.Empty);
    }

    [Test]
    public void Main_UnknownOption_OneLineNamingItAndExit2()
    {
        var (exitCode, output, errors) = ServerCommand.RunWithOutput(Patience, "0", "--no-such-option");

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(errors, Has.Count.EqualTo(1), "one line");
        Assert.That(errors[0], Does.StartWith("chatloop: unknown option '").And.Contain("no-such-option").And.EndWith("(see --help)"));
        Assert.That(output, Is.Empty, "nothing started, nothing listened");
    }

    [Test]
    public void Main_NoPort_SaysAPortIsRequiredAndExit2()
    {
        var (exitCode, _, errors) = ServerCommand.RunWithOutput(Patience);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(errors, Has.Count.EqualTo(1), "one line");
        Assert.That(errors[0], Does.StartWith("chatloop: a PORT is required, e.g. start.sh 5000"));
    }
}
