package dev.vigil.lab.image;

import java.util.List;

/**
 * An image in the lab's OCI layout: its reference, the manifest digest that identifies it (the
 * value a signature covers and Kubernetes reports as {@code imageID}), its config and layers.
 */
public record BuiltImage(String repository, String tag, Descriptor manifest, Descriptor config,
                         List<Descriptor> layers, ImageConfig imageConfig) {

    public BuiltImage {
        layers = List.copyOf(layers);
    }

    /** {@code repository:tag}. */
    public String reference() {
        return repository + ":" + tag;
    }

    /** {@code sha256:…} of the manifest. */
    public String digest() {
        return manifest.digest();
    }

    /** {@code repository@sha256:…}, the form of a pod's {@code containerStatuses[].imageID}. */
    public String imageId() {
        return repository + "@" + manifest.digest();
    }
}
