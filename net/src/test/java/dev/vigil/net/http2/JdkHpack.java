package dev.vigil.net.http2;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The JDK's own HPACK encoder ({@code jdk.internal.net.http.hpack.Encoder}, used by
 * {@code java.net.http.HttpClient}): an independent implementation that tests use to produce header
 * blocks. Its public policy never adds to the dynamic table, so this wrapper also drives its
 * protected {@code literalWithIndexing} and {@code indexed} writers, with the encoder's own table
 * deciding indices and evictions. Tests run with
 * {@code --add-opens java.net.http/jdk.internal.net.http.hpack=ALL-UNNAMED} (see the module's pom).
 */
final class JdkHpack {

    /** How a field is written. */
    enum Form { JDK_DEFAULT, NEVER_INDEXED, WITH_INDEXING }

    private static final Constructor<?> NEW;
    private static final Method HEADER;
    private static final Method ENCODE;
    private static final Method SIZE_UPDATE;
    private static final Method INDEX_OF;
    private static final Method INDEXED;
    private static final Method WITH_INDEXING_NAME_INDEX;
    private static final Method WITH_INDEXING_NEW_NAME;
    private static final Method HUFFMAN_BETTER;
    /** Set by the public {@code header}; set here after the protected writers, which leave it to their caller. */
    private static final java.lang.reflect.Field ENCODING;

    static {
        try {
            Class<?> e = Class.forName("jdk.internal.net.http.hpack.Encoder");
            NEW = e.getConstructor(int.class);
            HEADER = e.getMethod("header", CharSequence.class, CharSequence.class, boolean.class);
            ENCODE = e.getMethod("encode", ByteBuffer.class);
            SIZE_UPDATE = e.getDeclaredMethod("sizeUpdate", int.class);
            INDEX_OF = e.getDeclaredMethod("tableIndexOf", CharSequence.class, CharSequence.class);
            INDEXED = e.getDeclaredMethod("indexed", int.class);
            WITH_INDEXING_NAME_INDEX = e.getDeclaredMethod("literalWithIndexing", int.class, CharSequence.class,
                    boolean.class);
            WITH_INDEXING_NEW_NAME = e.getDeclaredMethod("literalWithIndexing", CharSequence.class, boolean.class,
                    CharSequence.class, boolean.class);
            HUFFMAN_BETTER = e.getDeclaredMethod("isHuffmanBetterFor", CharSequence.class);
            ENCODING = e.getDeclaredField("encoding");
            ENCODING.setAccessible(true);
            for (Method m : List.of(SIZE_UPDATE, INDEX_OF, INDEXED, WITH_INDEXING_NAME_INDEX, WITH_INDEXING_NEW_NAME,
                    HUFFMAN_BETTER)) {
                m.setAccessible(true);
            }
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object encoder;
    private int pendingSize = -1;

    /** An encoder whose dynamic table holds up to {@code maxCapacity} bytes (its first block announces the size). */
    JdkHpack(int maxCapacity) {
        try {
            encoder = NEW.newInstance(maxCapacity);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        capacity(maxCapacity);
    }

    /**
     * Changes the table capacity (at most the constructor's); the next block starts with a size
     * update. The JDK's own policy keeps the capacity at 0, which is why this goes through its
     * protected {@code sizeUpdate}.
     */
    void capacity(int capacity) {
        pendingSize = capacity;
    }

    /** One header block for {@code fields} (name, value pairs of ISO-8859-1 text), each written in the form {@code forms} picks. */
    byte[] block(List<String[]> fields, java.util.function.Supplier<Form> forms) {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        if (pendingSize >= 0) {
            call(SIZE_UPDATE, pendingSize);
            encoding();
            call(ENCODE, buf);
            pendingSize = -1;
        }
        for (String[] f : fields) {
            switch (forms.get()) {
                case JDK_DEFAULT -> call(HEADER, f[0], f[1], false);
                case NEVER_INDEXED -> call(HEADER, f[0], f[1], true);
                case WITH_INDEXING -> {
                    int index = (int) call(INDEX_OF, f[0], f[1]);
                    if (index > 0) {
                        call(INDEXED, index);
                    } else if (index < 0) {
                        call(WITH_INDEXING_NAME_INDEX, -index, f[1], call(HUFFMAN_BETTER, f[1]));
                    } else {
                        call(WITH_INDEXING_NEW_NAME, f[0], call(HUFFMAN_BETTER, f[0]), f[1], call(HUFFMAN_BETTER, f[1]));
                    }
                    encoding();
                }
            }
            if (!(boolean) call(ENCODE, buf)) {
                throw new IllegalStateException("header block larger than 1 MiB");
            }
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }

    /** One block, every field added to the dynamic table (or referenced from it), as browsers do. */
    byte[] block(String... nameValues) {
        List<String[]> fields = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            fields.add(new String[] {nameValues[i], nameValues[i + 1]});
        }
        return block(fields, () -> Form.WITH_INDEXING);
    }

    static java.util.function.Supplier<Form> randomForms(SplittableRandom random) {
        Form[] all = Form.values();
        return () -> all[random.nextInt(all.length)];
    }

    private void encoding() {
        try {
            ENCODING.setBoolean(encoder, true);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object call(Method m, Object... args) {
        try {
            return m.invoke(encoder, args);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
