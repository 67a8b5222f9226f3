using NLog;
using NLog.Config;
using NLog.Targets;

// Not in a namespace: NUnit runs a SetUpFixture outside any namespace once for the whole assembly.
[SetUpFixture]
public sealed class QuietLogging
{
    /// <summary>
    /// The server's NLog.config is copied next to the tests with the server's build output; tests run
    /// many servers and must not fill the console and a log file, so logging is configured empty here.
    /// </summary>
    [OneTimeSetUp]
    public void NoLogging()
    {
        var config = new LoggingConfiguration();
        if (Environment.GetEnvironmentVariable("CHATLOOP_TEST_LOG") is { Length: > 0 } path)
        {
            var file = new FileTarget("file") { FileName = path, Layout = "${date:format=HH\\:mm\\:ss.fff} ${level:uppercase=true:padding=-5} [${threadid}] ${logger:shortName=true} ${message}${onexception:${newline}${exception:format=tostring}}" };
            config.AddRule(LogLevel.Trace, LogLevel.Fatal, file);
        }

        LogManager.Configuration = config;
    }

    [OneTimeTearDown]
    public void Flush() => LogManager.Shutdown();
}
