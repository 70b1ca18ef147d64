package dev.vigil.lab.attack;

/**
 * An HTTP reply as curl printed it with {@code -w} {@link #WRITE_STATUS}: the body, then the status
 * code on a line of its own.
 */
record CurlReply(int status, String body) {

    /** curl's {@code -w} format that appends the status code on its own line. */
    static final String WRITE_STATUS = "\n%{http_code}";

    static CurlReply of(AttackRun.Ran ran) {
        String out = ran.stdout();
        int nl = out.lastIndexOf('\n');
        String code = out.substring(nl + 1).strip();
        return new CurlReply(code.matches("\\d{3}") ? Integer.parseInt(code) : 0, nl < 0 ? "" : out.substring(0, nl));
    }
}
