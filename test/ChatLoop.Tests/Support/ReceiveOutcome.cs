namespace ChatLoop.Tests.Support;

/// <summary>What one bounded receive of <see cref="ReceivedBytes"/> saw.</summary>
internal enum ReceiveOutcome
{
    Data,
    Eof,
    Reset,
    Timeout,
}
