package dev.vigil.model.identity;

import java.time.Instant;
import java.util.Optional;

/**
 * Turns what sensors see (IP addresses, container ids) into cluster identities. Implementations
 * keep history, so that an address is resolved as it was at the time of the observation even after
 * it moved to another pod. Implementations are thread-safe and never block on the network.
 */
public interface IdentityResolver {

    /** What {@code ip} stood for at {@code at}; an {@link Endpoint.External} when nothing in the cluster held it. */
    Endpoint resolve(String ip, Instant at);

    /**
     * {@link #resolve(String, Instant)} with the time as nanoseconds since the epoch, for callers that
     * keep timestamps as numbers (packet headers, kernel events); implementations override it so a
     * lookup allocates no {@link Instant}.
     */
    default Endpoint resolveEpochNanos(String ip, long epochNanos) {
        return resolve(ip, Instant.ofEpochSecond(0, epochNanos));
    }

    /**
     * The container with this id; accepts the bare id or a {@code containerd://}, {@code cri-o://} or
     * {@code docker://} URI. Empty when unknown.
     */
    Optional<ContainerIdentity> container(String containerId);

    /** A resolver that knows nothing: every address is external, no container is known. */
    IdentityResolver NONE = new IdentityResolver() {
        @Override
        public Endpoint resolve(String ip, Instant at) {
            return new Endpoint.External(ip, null);
        }

        @Override
        public Optional<ContainerIdentity> container(String containerId) {
            return Optional.empty();
        }
    };
}
