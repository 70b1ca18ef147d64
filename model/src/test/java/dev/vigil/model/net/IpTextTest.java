package dev.vigil.model.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpTextTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "10.244.0.5|10.244.0.5",
            "0.0.0.0|0.0.0.0",
            "255.255.255.255|255.255.255.255",
            "010.001.000.9|10.1.0.9",
            // RFC 5952 section 4: lower case, no leading zeros, longest zero run compressed, first on a tie
            "2001:DB8::1|2001:db8::1",
            "2001:0db8:0000:0000:0000:0000:0000:0001|2001:db8::1",
            "2001:db8:0:0:1:0:0:1|2001:db8::1:0:0:1",
            "2001:db8:0:1:1:1:1:1|2001:db8:0:1:1:1:1:1",
            "2001:db8:0:0:0:1:0:0|2001:db8::1:0:0",
            "0:0:0:0:0:0:0:0|::",
            "0:0:0:0:0:0:0:1|::1",
            "fd00:10:244:0:0:0:0:5|fd00:10:244::5",
            "[fd00::5]|fd00::5",
            "fe80::1%eth0|fe80::1",
            // an IPv4 peer seen on a dual-stack socket is the IPv4 address
            "::ffff:10.244.0.5|10.244.0.5",
            "::FFFF:0a00:0001|10.0.0.1",
    })
    void canonicalForms(String text, String canonical) {
        assertThat(IpText.canonical(text)).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0", "10.0.0.256", "10.0.0.0.1", "1.2.3.4a", "a.b.c.d", "10..0.1", "1234.1.1.1",
            "2001:db8::1::1", "2001:db8:g::1", "12345::1", "pod-a", "10.0.0.1 "})
    void rejectsWhatIsNoAddress(String text) {
        assertThat(IpText.canonical(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.244.0.5", "2001:db8::1", "::", "::1", "fd00:10:244::5"})
    void canonicalTextStaysTheSame(String text) {
        assertThat(IpText.canonical(text)).isEqualTo(text);
    }

    @Test
    void formatsEveryOctetValueOfIpv4LikeTheJdk() throws Exception {
        for (int octet = 0; octet < 256; octet++) {
            int address = octet << 24 | (255 - octet) << 16 | (octet * 7 & 0xff) << 8 | octet;
            byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
            assertThat(IpText.format(0, 0xffff_0000_0000L | (address & 0xffff_ffffL)))
                    .isEqualTo(java.net.InetAddress.getByAddress(bytes).getHostAddress());
        }
    }

    @Test
    void formatsTwoLongsAsTheCanonicalText() {
        assertThat(IpText.format(0, 0xffff_0af4_0005L)).isEqualTo("10.244.0.5");
        assertThat(IpText.format(0x2001_0db8_0000_0000L, 1)).isEqualTo("2001:db8::1");
        assertThat(IpText.format(0, 0)).isEqualTo("::");
        assertThat(IpText.format(0x2001_0db8_0000_0000L, 0x0001_0000_0000_0001L)).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpText.format(0xfd00_0010_0244_0000L, 0xdL)).isEqualTo(IpText.canonical("fd00:10:244::d"));
    }
}
