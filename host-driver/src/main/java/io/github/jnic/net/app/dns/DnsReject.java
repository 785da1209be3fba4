package io.github.jnic.net.app.dns;

/** Why a DNS message or a part of one was refused. */
public enum DnsReject {
    /** The message ends before a field it announces. */
    TRUNCATED,
    /** A compression pointer that does not point strictly backwards (this catches every loop). */
    BAD_POINTER,
    /** A label longer than 63 bytes, or a label type other than plain or pointer. */
    BAD_LABEL,
    /** A name longer than 255 bytes on the wire. */
    NAME_TOO_LONG,
    /** RDATA whose length does not match its type's layout. */
    BAD_RDATA,
    /** Bytes left over after the last announced record. */
    TRAILING_BYTES,
    /** A query that is a response, has several questions, or an opcode this server does not do. */
    BAD_QUERY,
    /** A response whose id, source or question does not match any outstanding query. */
    UNSOLICITED,
    /** A response record outside the zone of the server that sent it (RFC 2181 bailiwick). */
    OUT_OF_BAILIWICK,
    /** A TCP length prefix announcing a message too short to hold a header. */
    BAD_FRAME
}
