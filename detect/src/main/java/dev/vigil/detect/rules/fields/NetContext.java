package dev.vigil.detect.rules.fields;

import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.record.LogRecord;
import java.util.Map;

/**
 * The event context of the {@code vigil_net} source: one network log record (conn, http, dns,
 * ssl, …) with the identities enrichment attached to its two ends, the originator (Zeek's
 * {@code orig}, the side that opened the connection) and the responder (the peer), and the labels
 * of their namespaces. Rebound for every record; not thread-safe.
 */
public final class NetContext {

    LogRecord record;
    Endpoint orig;
    Endpoint peer;
    Map<String, String> origNamespaceLabels;
    Map<String, String> peerNamespaceLabels;

    /**
     * Binds the next record.
     *
     * @param orig                the originator's identity, or null when not resolved
     * @param peer                the responder's identity, or null when not resolved
     * @param origNamespaceLabels labels of the originator pod's namespace, or null
     * @param peerNamespaceLabels labels of the responder's namespace (pod or service), or null
     */
    public NetContext bind(LogRecord record, Endpoint orig, Endpoint peer, Map<String, String> origNamespaceLabels,
                           Map<String, String> peerNamespaceLabels) {
        this.record = record;
        this.orig = orig;
        this.peer = peer;
        this.origNamespaceLabels = origNamespaceLabels;
        this.peerNamespaceLabels = peerNamespaceLabels;
        return this;
    }

    /** Binds a record without identities. */
    public NetContext bind(LogRecord record) {
        return bind(record, null, null, null, null);
    }

    public LogRecord record() {
        return record;
    }

    /** The originator's identity, or null when not resolved. */
    public Endpoint orig() {
        return orig;
    }

    /** The responder's identity, or null when not resolved. */
    public Endpoint peer() {
        return peer;
    }

    /** Labels of the originator pod's namespace, or null. */
    public Map<String, String> origNamespaceLabels() {
        return origNamespaceLabels;
    }

    /** Labels of the responder's namespace, or null. */
    public Map<String, String> peerNamespaceLabels() {
        return peerNamespaceLabels;
    }
}
