package dev.vigil.detect.rules.fields;

/**
 * A reusable window on another character sequence, so derived field values (a path's directory, an
 * argument inside {@code evt.args}) are read without copying. Valid until it is pointed elsewhere.
 */
final class CharSlice implements CharSequence {

    private CharSequence base = "";
    private int from;
    private int to;

    CharSlice set(CharSequence base, int from, int to) {
        this.base = base;
        this.from = from;
        this.to = to;
        return this;
    }

    @Override
    public int length() {
        return to - from;
    }

    @Override
    public char charAt(int index) {
        return base.charAt(from + index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return base.subSequence(from + start, from + end);
    }

    @Override
    public String toString() {
        return base.subSequence(from, to).toString();
    }
}
