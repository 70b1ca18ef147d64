package dev.vigil.detect.rules.fields;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The fields one event source offers to rules, by Falco name: Falco's {@code syscall} source for
 * host events, {@code vigil_net} for network records. Rules are compiled against it once; every
 * field resolves to a {@link Field} holding a direct accessor, so evaluating an event never looks a
 * field up by name.
 *
 * <p>One field is the source's bucket key ({@code evt.type}): the rule set indexes rules by the
 * values their conditions allow for it, as Falco indexes rules by event type.
 *
 * @param <C> the event context rules read (the event with per-event caches)
 */
public final class FieldSource<C> {

    /** Whether a field takes an argument ({@code proc.aname[2]}, {@code evt.arg.flags}). */
    public enum Arg {
        NONE, OPTIONAL, REQUIRED
    }

    /**
     * One field definition, for resolution and for documentation.
     *
     * @param type        {@code string}, {@code number}, {@code bool} or {@code strings} (several values)
     * @param dottedArg   the argument may also follow a dot ({@code evt.arg.flags}, as Falco accepts)
     * @param factory     makes the field for an argument (null when none given); throws
     *                    {@link IllegalArgumentException} for an argument it cannot take
     */
    public record Definition<C>(String name, String type, Arg arg, boolean dottedArg, String description,
                                Function<String, Field<C>> factory) {
    }

    private final String name;
    private final Map<String, Definition<C>> definitions;
    private final Field.Str<C> bucketKey;
    private final Set<String> producedBuckets;
    private final boolean caseInsensitive;

    private FieldSource(String name, Map<String, Definition<C>> definitions, String bucketKey, Set<String> produced,
                        boolean caseInsensitive) {
        this.name = name;
        this.producedBuckets = produced == null ? null : Set.copyOf(produced);
        this.caseInsensitive = caseInsensitive;
        this.definitions = Collections.unmodifiableMap(new LinkedHashMap<>(definitions));
        Definition<C> key = definitions.get(key(bucketKey));
        if (key == null || !(key.factory().apply(null) instanceof Field.Str<C> str)) {
            throw new IllegalArgumentException("source " + name + ": bucket key " + bucketKey
                    + " must be a defined string field without argument");
        }
        this.bucketKey = str;
    }

    public static <C> Builder<C> builder(String name, String bucketKey) {
        return new Builder<>(name, bucketKey);
    }

    /** The source's name as rules give it in {@code source:} ({@code syscall}, {@code vigil_net}). */
    public String name() {
        return name;
    }

    /** The field that buckets events ({@code evt.type}). */
    public Field.Str<C> bucketKey() {
        return bucketKey;
    }

    /**
     * The bucket key values Vigil's sensors produce for this source (event types, network logs),
     * or null when not declared; the load report flags rules that can only match others.
     */
    public Set<String> producedBuckets() {
        return producedBuckets;
    }

    /** Every definition, in registration order. */
    public List<Definition<C>> definitions() {
        return List.copyOf(definitions.values());
    }

    /**
     * The field {@code fieldName} with {@code arg} (null when none was written), or null when this
     * source has no such field. Names with a dotted argument ({@code evt.arg.flags}) resolve to the
     * longest defined prefix that takes one.
     *
     * @throws IllegalArgumentException when the field exists but cannot take {@code arg}
     */
    public Field<C> resolve(String fieldName, String arg) {
        Definition<C> d = definitions.get(key(fieldName));
        if (d != null) {
            if (arg == null && d.arg() == Arg.REQUIRED) {
                throw new IllegalArgumentException("field " + fieldName + " requires an argument");
            }
            if (arg != null && d.arg() == Arg.NONE) {
                throw new IllegalArgumentException("field " + fieldName + " does not take an argument");
            }
            return d.factory().apply(arg);
        }
        if (arg != null) {
            return null;
        }
        for (int dot = fieldName.lastIndexOf('.'); dot > 0; dot = fieldName.lastIndexOf('.', dot - 1)) {
            Definition<C> prefix = definitions.get(key(fieldName.substring(0, dot)));
            if (prefix != null && prefix.dottedArg()) {
                return prefix.factory().apply(fieldName.substring(dot + 1));
            }
        }
        return null;
    }

    private String key(String fieldName) {
        return caseInsensitive ? fieldName.toLowerCase(Locale.ROOT) : fieldName;
    }

    /** Collects definitions; fields are registered in the order documentation lists them. */
    public static final class Builder<C> {
        private final String name;
        private final String bucketKey;
        private final Map<String, Definition<C>> definitions = new LinkedHashMap<>();
        private final List<String> duplicates = new ArrayList<>();
        private Set<String> produced;
        private boolean caseInsensitive;

        private Builder(String name, String bucketKey) {
            this.name = Objects.requireNonNull(name);
            this.bucketKey = Objects.requireNonNull(bucketKey);
        }

        /** A string field present on every event (when known). */
        public Builder<C> str(String field, String description, StrAccessor<C> accessor) {
            return str(field, null, description, accessor);
        }

        /** A string field present only on events of {@code bucket}. */
        public Builder<C> str(String field, String bucket, String description, StrAccessor<C> accessor) {
            Field<C> f = new Field.Str<>(field, accessor, bucket);
            return define(new Definition<>(field, "string", Arg.NONE, false, description, a -> f));
        }

        /** A number field present on every event (when known). */
        public Builder<C> num(String field, String description, NumAccessor<C> accessor) {
            return num(field, null, description, accessor);
        }

        /** A number field present only on events of {@code bucket}. */
        public Builder<C> num(String field, String bucket, String description, NumAccessor<C> accessor) {
            Field<C> f = new Field.Num<>(field, accessor, false, bucket);
            return define(new Definition<>(field, "number", Arg.NONE, false, description, a -> f));
        }

        /** A boolean field read as 0/1 ({@link NumAccessor#ABSENT} when unknown). */
        public Builder<C> bool(String field, String description, NumAccessor<C> accessor) {
            return bool(field, null, description, accessor);
        }

        /** A boolean field present only on events of {@code bucket}. */
        public Builder<C> bool(String field, String bucket, String description, NumAccessor<C> accessor) {
            Field<C> f = new Field.Num<>(field, accessor, true, bucket);
            return define(new Definition<>(field, "bool", Arg.NONE, false, description, a -> f));
        }

        /** Field names resolve regardless of case (Zeek's {@code dns.AA} as {@code dns.aa}). */
        public Builder<C> caseInsensitive() {
            this.caseInsensitive = true;
            return this;
        }

        /** Declares the bucket key values (event types, logs) Vigil's sensors produce. */
        public Builder<C> produces(Set<String> buckets) {
            this.produced = Set.copyOf(buckets);
            return this;
        }

        /** Any definition, including fields with arguments. */
        public Builder<C> define(Definition<C> definition) {
            String k = caseInsensitive ? definition.name().toLowerCase(Locale.ROOT) : definition.name();
            if (definitions.putIfAbsent(k, definition) != null) {
                duplicates.add(definition.name());
            }
            return this;
        }

        public FieldSource<C> build() {
            if (!duplicates.isEmpty()) {
                throw new IllegalArgumentException("source " + name + ": fields defined twice: " + duplicates);
            }
            return new FieldSource<>(name, definitions, bucketKey, produced, caseInsensitive);
        }
    }
}
