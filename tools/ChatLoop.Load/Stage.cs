namespace ChatLoop.Load;

/// <summary>The phases of a run, in order. Each loop moves through them; the Await stages are barriers across loops.</summary>
internal enum Stage
{
    ConnectHealthy,
    AwaitHealthy,
    ConnectSlow,
    AwaitSlow,
    Send,
    Drain,
    Finished,
}
