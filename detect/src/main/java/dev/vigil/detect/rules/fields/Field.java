package dev.vigil.detect.rules.fields;

/**
 * A field resolved for one source, ready to be read from an event context without any lookup.
 * {@link #name()} is the field as written in rules ({@code proc.aname[2]}); {@link #bucket()} names
 * the only bucket (event type or network log) whose events can have the field, or is null when any
 * event can; the rule set uses it to skip rules that cannot match an event.
 */
public sealed interface Field<C> permits Field.Str, Field.Num, Field.MultiStr {

    String name();

    String bucket();

    /** The value for outputs: a String, Long or Boolean, or null when absent. */
    Object value(C ctx);

    /** A string field. */
    record Str<C>(String name, StrAccessor<C> accessor, String bucket) implements Field<C> {
        @Override
        public Object value(C ctx) {
            CharSequence v = accessor.get(ctx);
            return v == null ? null : v.toString();
        }
    }

    /** A number field, or a boolean one ({@code bool}) read as 0/1. */
    record Num<C>(String name, NumAccessor<C> accessor, boolean bool, String bucket) implements Field<C> {
        @Override
        public Object value(C ctx) {
            long v = accessor.get(ctx);
            if (v == NumAccessor.ABSENT) {
                return null;
            }
            return bool ? (Object) (v != 0) : (Object) v;
        }
    }

    /**
     * A field with several string values per event; checks hold when they hold for any value, and
     * outputs show the first value ({@code %proc.aname} is the parent's name).
     */
    record MultiStr<C>(String name, MultiStrAccessor<C> accessor, String bucket) implements Field<C> {
        @Override
        public Object value(C ctx) {
            CharSequence v = accessor.count(ctx) == 0 ? null : accessor.get(ctx, 0);
            return v == null ? null : v.toString();
        }
    }
}
