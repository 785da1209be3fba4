package io.github.jnic.net.app.dhcp;

/** Why a DHCP message was refused or ignored. */
public enum DhcpReject {
    /** Shorter than the fixed BOOTP header and magic cookie, or an option runs past the end. */
    TRUNCATED,
    /** The four bytes after the BOOTP header are not the DHCP magic cookie 99.130.83.99. */
    BAD_COOKIE,
    /** A hardware address length over 16, or an option whose length does not fit its type. */
    BAD_FIELD,
    /** A BOOTP message without the DHCP message type option. */
    NOT_DHCP,
    /** A reply sent to a server, or a request sent to a client. */
    WRONG_DIRECTION,
    /** A reply whose transaction id or hardware address is not this client's. */
    UNSOLICITED,
    /** A message type this engine does not expect in its present state. */
    UNEXPECTED,
    /** A message naming another server, a server id missing where it is required. */
    WRONG_SERVER,
    /** A DISCOVER the server could not offer an address for: the pool is used up. */
    POOL_EXHAUSTED
}
