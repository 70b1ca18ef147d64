package dev.vigil.net.smtp;

import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Direction;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * SMTP over TCP: the client greets with {@code HELO} or {@code EHLO}, or the server's first line is a
 * {@code 220} greeting that names (E)SMTP. A {@code 220} greeting without that word (FTP greets with
 * 220 too) waits for the client's first command.
 */
public final class SmtpProtocol implements AppProtocol {

    @Override
    public String name() {
        return "smtp";
    }

    @Override
    public boolean tcp() {
        return true;
    }

    @Override
    public Verdict probe(Direction direction, MemorySegment bytes, long offset, int length, int responderPort) {
        return direction == Direction.ORIG ? greeting(bytes, offset, length, "helo ", "ehlo ") : banner(bytes, offset, length);
    }

    @Override
    public AppAnalyzer create(AppContext context) {
        return new SmtpAnalyzer(context);
    }

    private static int lower(MemorySegment b, long at) {
        int c = b.get(ValueLayout.JAVA_BYTE, at) & 0xff;
        return c >= 'A' && c <= 'Z' ? c | 0x20 : c;
    }

    private static Verdict greeting(MemorySegment b, long offset, int length, String helo, String ehlo) {
        int n = Math.min(length, helo.length());
        boolean h = true;
        boolean e = true;
        for (int i = 0; i < n; i++) {
            int c = lower(b, offset + i);
            h &= c == helo.charAt(i);
            e &= c == ehlo.charAt(i);
        }
        if (!h && !e) {
            return Verdict.NO_MATCH;
        }
        return n == helo.length() ? Verdict.MATCH : Verdict.NEED_MORE;
    }

    private static Verdict banner(MemorySegment b, long offset, int length) {
        String prefix = "220";
        for (int i = 0; i < Math.min(length, 4); i++) {
            int c = b.get(ValueLayout.JAVA_BYTE, offset + i) & 0xff;
            boolean ok = i < 3 ? c == prefix.charAt(i) : c == ' ' || c == '-';
            if (!ok) {
                return Verdict.NO_MATCH;
            }
        }
        for (int i = 4; i + 3 < length; i++) {
            int c = b.get(ValueLayout.JAVA_BYTE, offset + i) & 0xff;
            if (c == '\n') {
                return Verdict.NEED_MORE;
            }
            if (lower(b, offset + i) == 's' && lower(b, offset + i + 1) == 'm' && lower(b, offset + i + 2) == 't'
                    && lower(b, offset + i + 3) == 'p') {
                return Verdict.MATCH;
            }
        }
        return Verdict.NEED_MORE;
    }
}
