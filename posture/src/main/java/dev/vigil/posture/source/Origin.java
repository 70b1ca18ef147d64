package dev.vigil.posture.source;

/**
 * Where an object was read: the input file (null for a live cluster), the 1-based document within
 * a multi-document stream, the 0-based item within a {@code List} (-1 when not from a list) and the
 * 1-based line where the object starts (0 when unknown). Reports cite it as {@code file:line}.
 */
public record Origin(String file, int document, int item, int line) {

    /** The origin of objects read from a live cluster. */
    public static final Origin CLUSTER = new Origin(null, 0, -1, 0);

    public boolean fromFile() {
        return file != null;
    }

    /** {@code file:line (document d, item i)}, or {@code cluster}. */
    public String display() {
        if (file == null) {
            return "cluster";
        }
        StringBuilder b = new StringBuilder(file);
        if (line > 0) {
            b.append(':').append(line);
        }
        if (document > 0) {
            b.append(" (document ").append(document);
            if (item >= 0) {
                b.append(", item ").append(item);
            }
            b.append(')');
        }
        return b.toString();
    }
}
