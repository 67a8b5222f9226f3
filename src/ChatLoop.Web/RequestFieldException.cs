using ChatLoop.Protocol;

namespace ChatLoop.Web;

/// <summary>A field of a page's request that cannot make a request: the error code and words to answer with.</summary>
public sealed class RequestFieldException(ErrorCode code, string message) : Exception(message)
{
    public ErrorCode Code { get; } = code;
}
