package dev.vigil.lab.image;

import java.util.List;

/** What to build: a repository and tag, the layers bottom-up and the runtime defaults. */
public record ImageSpec(String repository, String tag, List<LayerContent> layers, ImageConfig config) {

    public ImageSpec {
        layers = List.copyOf(layers);
    }

    /** {@code repository:tag}, as a pod spec names the image. */
    public String reference() {
        return repository + ":" + tag;
    }
}
