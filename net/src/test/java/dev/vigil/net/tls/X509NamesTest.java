package dev.vigil.net.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.Requirements;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Distinguished names rendered as OpenSSL renders them for Zeek ({@code -nameopt RFC2253,-esc_msb}). */
class X509NamesTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
            "/C=DE/O=Vigil, Inc./CN=vigil.example",
            "/CN=a+OU=b+O=c/C=US",
            "/CN=#leading hash/OU= leading and trailing space /O=semi;colon<less>greater\"quote\\back",
            "/CN=Zürich Straße ☃/L=München",
            "/emailAddress=ops@example.com/serialNumber=12345/DC=example/DC=com/UID=u1/street=Main St 1",
            "/title=Dr/GN=Ada/SN=Lovelace/postalCode=10115/businessCategory=Private Organization"})
    void rendersLikeOpenssl(String subject) throws Exception {
        Requirements.requireCommands("openssl");
        Path der = dir.resolve("c.der");
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", dir.resolve("k.pem").toString(), "-utf8", "-multivalue-rdn", "-subj", subject,
                "-outform", "DER", "-out", der.toString(), "-days", "1");
        String expected = run("openssl", "x509", "-inform", "DER", "-in", der.toString(), "-noout", "-subject",
                "-nameopt", "RFC2253,-esc_msb").strip().substring("subject=".length());
        byte[] bytes = Files.readAllBytes(der);
        X509Names names = X509Names.parse(MemorySegment.ofArray(bytes), 0, bytes.length);
        assertThat(names).isNotNull();
        assertThat(names.subject).isEqualTo(expected);
        assertThat(names.issuer).isEqualTo(expected);
    }

    @Test
    void unknownAttributeTypesAreDottedWithHexValues() {
        // SEQUENCE { SET { SEQUENCE { OID 1.2.3.4, UTF8String "zz" } }, SET { SEQUENCE { OID 2.5.4.3, INTEGER 5 } } }
        byte[] name = HexFormat.of().parseHex("301a" + "310b3009" + "06032a0304" + "0c027a7a"
                + "310b3009" + "0603550403" + "02020005");
        String rendered = X509Names.renderName(MemorySegment.ofArray(name), 0, name.length);
        assertThat(rendered).isEqualTo("CN=#02020005,1.2.3.4=#0C027A7A");
    }

    @Test
    void attributesOverTheLimitRejectTheName() {
        byte[] atLimit = name(X509Names.MAX_ATTRIBUTES);
        byte[] overLimit = name(X509Names.MAX_ATTRIBUTES + 1);
        assertThat(X509Names.renderName(MemorySegment.ofArray(atLimit), 0, atLimit.length))
                .isEqualTo(String.join(",", java.util.Collections.nCopies(X509Names.MAX_ATTRIBUTES, "CN=x")));
        assertThat(X509Names.renderName(MemorySegment.ofArray(overLimit), 0, overLimit.length)).isNull();
    }

    @Test
    void valueAndOidLengthLimits() {
        String atLimit = X509Names.renderName(MemorySegment.ofArray(nameWithValue(X509Names.MAX_VALUE)), 0,
                nameWithValue(X509Names.MAX_VALUE).length);
        assertThat(atLimit).isEqualTo("CN=" + "v".repeat(X509Names.MAX_VALUE));
        byte[] over = nameWithValue(X509Names.MAX_VALUE + 1);
        assertThat(X509Names.renderName(MemorySegment.ofArray(over), 0, over.length))
                .isEqualTo("CN=" + "v".repeat(X509Names.MAX_VALUE));
        byte[] longOid = nameWithOid(X509Names.MAX_OID);
        byte[] longerOid = nameWithOid(X509Names.MAX_OID + 1);
        assertThat(X509Names.renderName(MemorySegment.ofArray(longOid), 0, longOid.length))
                .isEqualTo("1.2" + ".1".repeat(X509Names.MAX_OID - 1) + "=#0C0178");
        assertThat(X509Names.renderName(MemorySegment.ofArray(longerOid), 0, longerOid.length))
                .as("the type OID is cut at the limit").isEqualTo("1.2" + ".1".repeat(X509Names.MAX_OID - 1) + "=#0C0178");
    }

    /** A one-attribute Name whose CN value has {@code length} bytes. */
    private static byte[] nameWithValue(int length) {
        byte[] value = "v".repeat(length).getBytes(StandardCharsets.US_ASCII);
        byte[] atv = der(0x30, concat(HexFormat.of().parseHex("0603550403"), der(0x0c, value)));
        return der(0x30, der(0x31, atv));
    }

    /** A one-attribute Name whose type OID has {@code length} content bytes (1.2.1.1…), value UTF8String "x". */
    private static byte[] nameWithOid(int length) {
        byte[] oid = new byte[length];
        oid[0] = 42;
        java.util.Arrays.fill(oid, 1, length, (byte) 1);
        byte[] atv = der(0x30, concat(der(0x06, oid), der(0x0c, new byte[] {'x'})));
        return der(0x30, der(0x31, atv));
    }

    private static byte[] der(int tag, byte[] content) {
        var out = new java.io.ByteArrayOutputStream();
        out.write(tag);
        if (content.length < 128) {
            out.write(content.length);
        } else {
            out.write(0x82);
            out.write(content.length >> 8);
            out.write(content.length & 0xff);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** A Name of {@code attributes} RDNs, each {@code CN=x}. */
    private static byte[] name(int attributes) {
        var body = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < attributes; i++) {
            body.writeBytes(HexFormat.of().parseHex("310a3008" + "0603550403" + "0c0178"));
        }
        byte[] b = body.toByteArray();
        var out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x30, (byte) 0x82, (byte) (b.length >> 8), (byte) b.length});
        out.writeBytes(b);
        return out.toByteArray();
    }

    @RepeatedTest(500)
    void mutatedCertificatesNeverThrow(RepetitionInfo info) {
        long seed = 0x509L * info.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] valid = HexFormat.of().parseHex(TlsAnalyzerTest.SELF_SIGNED_EXAMPLE);
        byte[] mutated = dev.vigil.testkit.Mutations.mutate(random, valid);
        try {
            X509Names names = X509Names.parse(MemorySegment.ofArray(mutated), 0, mutated.length);
            if (names != null) {
                assertThat(names.subject.length()).isLessThan(64 * (X509Names.MAX_VALUE * 3 + 80));
            }
        } catch (RuntimeException e) {
            throw new AssertionError("seed " + seed, e);
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
