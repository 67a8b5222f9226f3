using NLog;
using NLog.Config;

// Not in a namespace: NUnit runs a SetUpFixture outside any namespace once for the whole assembly.
[SetUpFixture]
public sealed class QuietLogging
{
    /// <summary>
    /// The server's NLog.config is copied next to the tests with the server's build output; tests run
    /// many servers and must not fill the console and a log file, so logging is configured empty here.
    /// </summary>
    [OneTimeSetUp]
    public void NoLogging() => LogManager.Configuration = new LoggingConfiguration();

    [OneTimeTearDown]
    public void Flush() => LogManager.Shutdown();
}
