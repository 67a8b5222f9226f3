namespace ChatLoop.Protocol;

/// <summary>The ERROR_CODE values of PROTOCOL.md §2.7.</summary>
public enum ErrorCode
{
    UnknownRequest = 1,
    MalformedRequest = 2,
    TooLong = 3,
    NoSuchRoom = 4,
    NotMember = 5,
    InvalidName = 6,
    LimitReached = 7,
    NotPermitted = 8,
    ServerFull = 9,
    TooSlow = 10,
    Timeout = 11,
    ClusterUnavailable = 12,
}
