namespace ChatLoop.Server.Reactor;

/// <summary>What a request may ask of the server as a whole.</summary>
internal interface IServerControl
{
    /// <summary>Stop accepting, close every connection and end the reactor after this tick.</summary>
    void RequestShutdown(string reason);
}
