using ChatLoop.Server;
using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Server;

/// <summary>
/// The duration options: out of range (huge, infinite, not a number) is one clear line naming the option,
/// never an overflow in TimeSpan or in the Redis client's millisecond arithmetic.
/// </summary>
public sealed class DurationOptionsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [TestCase("--request-timeout-s", "1e20")]
    [TestCase("--request-timeout-s", "Infinity")]
    [TestCase("--join-timeout-s", "1e20")]
    [TestCase("--join-timeout-s", "86400.5")]
    [TestCase("--node-timeout-s", "1e20")]
    [TestCase("--node-timeout-s", "Infinity")]
    [TestCase("--node-timeout-s", "NaN")]
    [TestCase("--max-lag-s", "Infinity")]
    [TestCase("--redis-timeout-ms", "2147483600")]
    [TestCase("--redis-timeout-ms", "60001")]
    public void Create_DurationOutOfRange_OneLineNamingTheOption(string option, string value)
    {
        var e = Assert.Throws<ArgumentException>(() => SettingsFactory.Create(Parse("5000", option, value)));

        Assert.That(e!.Message, Does.StartWith($"{option} must be more than 0 and at most "));
    }

    [TestCase("--request-timeout-s", "86400")]
    [TestCase("--join-timeout-s", "86400")]
    [TestCase("--node-timeout-s", "86400")]
    [TestCase("--redis-timeout-ms", "60000")]
    public void Create_DurationAtItsBound_Accepted(string option, string value)
    {
        Assert.That(() => SettingsFactory.Create(Parse("5000", option, value)), Throws.Nothing);
    }

    [TestCase("--node-timeout-s", "1e20")]
    [TestCase("--redis-timeout-ms", "2147483647")]
    public void Program_DurationOutOfRange_OneLineAndStatus2(string option, string value)
    {
        var (exitCode, errors) = ServerCommand.Run(Patience, "0", "--bind", "127.0.0.1", "--redis", "127.0.0.1:1", option, value);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith($"chatloop: {option} must be more than 0 and at most "));
    }

    /// <summary>The command line as the program reads it: the same parser and settings.</summary>
    private static ServerOptions Parse(params string[] args)
    {
        using var parser = new CommandLine.Parser(s => s.HelpWriter = null);
        var parsed = parser.ParseArguments<ServerOptions>(args);
        Assert.That(parsed.Tag, Is.EqualTo(CommandLine.ParserResultType.Parsed), string.Join(' ', args));
        return parsed.Value;
    }
}
