package dev.vigil.lab.image;

import java.util.LinkedHashMap;
import java.util.Map;

/** An OCI content descriptor: what a blob is, its {@code sha256:} digest and its size in bytes. */
public record Descriptor(String mediaType, String digest, long size) {

    /** The descriptor as it appears in OCI JSON documents. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mediaType", mediaType);
        m.put("digest", digest);
        m.put("size", size);
        return m;
    }
}
