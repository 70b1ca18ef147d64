package dev.vigil.net.app;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The text fields of one transaction while it is parsed (HTTP request, HTTP/2 stream, SMTP message):
 * slices of one reusable byte arena, so nothing becomes a String until the record is built.
 * Fields are numbered by the caller; each holds one value ({@link #set}) or, for fields such as
 * recipients, a list of values ({@link #add}). {@link #clear()} makes the instance reusable.
 * Callers bound what they store (line and field limits), so the arena stays bounded too.
 */
public final class TextFields {

    private byte[] arena = new byte[128];
    private int used;
    private final int[] offsets;
    private final int[] lengths;
    private int[] listField = new int[0];
    private int[] listAt = new int[0];
    private int[] listLength = new int[0];
    private int listed;
    private byte[] scratch = new byte[0];

    /** Fields numbered {@code 0} to {@code fields - 1}. */
    public TextFields(int fields) {
        offsets = new int[fields];
        lengths = new int[fields];
        Arrays.fill(lengths, -1);
    }

    /** Forgets every value. */
    public void clear() {
        used = 0;
        listed = 0;
        Arrays.fill(lengths, -1);
    }

    public boolean has(int field) {
        return lengths[field] >= 0;
    }

    /** The value's length, or -1 when unset. */
    public int length(int field) {
        return lengths[field];
    }

    /** Sets {@code field} to {@code length} bytes of {@code src}. */
    public void set(int field, byte[] src, int from, int length) {
        int at = reserve(length);
        System.arraycopy(src, from, arena, at, length);
        offsets[field] = at;
        lengths[field] = length;
    }

    /** Appends to {@code field} (setting it when unset). */
    public void append(int field, byte[] src, int from, int length) {
        if (!has(field)) {
            set(field, src, from, length);
            return;
        }
        int have = lengths[field];
        moveToEnd(field);
        int at = reserve(length);
        System.arraycopy(src, from, arena, at, length);
        lengths[field] = have + length;
    }

    /** Appends at most {@code max - length(field)} bytes of a segment to {@code field}; returns how many. */
    public int appendCapped(int field, MemorySegment bytes, long from, int length, int max) {
        int have = Math.max(0, lengths[field]);
        int n = Math.min(length, max - have);
        if (n <= 0) {
            return 0;
        }
        if (has(field)) {
            moveToEnd(field);
        } else {
            offsets[field] = used;
            lengths[field] = 0;
        }
        int at = reserve(n);
        MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, from, arena, at, n);
        lengths[field] = have + n;
        return n;
    }

    /** Sets {@code to} to the value of {@code from} (unset when {@code from} is). */
    public void copy(int from, int to) {
        if (!has(from)) {
            lengths[to] = -1;
            return;
        }
        int at = reserve(lengths[from]);
        System.arraycopy(arena, offsets[from], arena, at, lengths[from]);
        offsets[to] = at;
        lengths[to] = lengths[from];
    }

    /** Whether the last value added to the list {@code field} equals the bytes given. */
    public boolean lastIs(int field, byte[] src, int from, int length) {
        for (int i = listed - 1; i >= 0; i--) {
            if (listField[i] == field) {
                return listLength[i] == length
                        && Arrays.equals(arena, listAt[i], listAt[i] + length, src, from, from + length);
            }
        }
        return false;
    }

    /** Adds one value to the list {@code field}. */
    public void add(int field, byte[] src, int from, int length) {
        if (listed == listField.length) {
            int n = Math.max(4, listed * 2);
            listField = Arrays.copyOf(listField, n);
            listAt = Arrays.copyOf(listAt, n);
            listLength = Arrays.copyOf(listLength, n);
        }
        int at = reserve(length);
        System.arraycopy(src, from, arena, at, length);
        listField[listed] = field;
        listAt[listed] = at;
        listLength[listed++] = length;
    }

    /** Values in the list {@code field}. */
    public int count(int field) {
        int n = 0;
        for (int i = 0; i < listed; i++) {
            if (listField[i] == field) {
                n++;
            }
        }
        return n;
    }

    /** Whether the list {@code field} holds a value equal to the bytes given. */
    public boolean contains(int field, byte[] src, int from, int length) {
        for (int i = 0; i < listed; i++) {
            if (listField[i] == field && listLength[i] == length
                    && Arrays.equals(arena, listAt[i], listAt[i] + length, src, from, from + length)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code field} starts with the bytes of {@code prefix}. */
    public boolean startsWith(int field, byte[] prefix) {
        return lengths[field] >= prefix.length
                && Arrays.equals(arena, offsets[field], offsets[field] + prefix.length, prefix, 0, prefix.length);
    }

    /** The value as log text ({@link LogText}), or null when unset. */
    public String text(int field) {
        return lengths[field] < 0 ? null : LogText.of(arena, offsets[field], lengths[field]);
    }

    /** The list's values as log text, or null when it is empty. */
    public List<String> texts(int field) {
        List<String> out = null;
        for (int i = 0; i < listed; i++) {
            if (listField[i] == field) {
                if (out == null) {
                    out = new ArrayList<>(4);
                }
                out.add(LogText.of(arena, listAt[i], listLength[i]));
            }
        }
        return out;
    }

    /** A reusable work buffer of at least {@code length} bytes, for values transformed before they are set. */
    public byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        return scratch;
    }

    private void moveToEnd(int field) {
        int have = lengths[field];
        if (offsets[field] + have != used) {
            int at = reserve(have);
            System.arraycopy(arena, offsets[field], arena, at, have);
            offsets[field] = at;
        }
    }

    private int reserve(int length) {
        int at = used;
        if (at + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, at + length));
        }
        used = at + length;
        return at;
    }
}
