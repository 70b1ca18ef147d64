package dev.vigil.detect.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DnsNamesTest {

    @Test
    void namesAddressesByTheQueryThePodAsked() {
        DnsNames names = new DnsNames();
        names.answered("shop", "web-1", "Pool.Example.COM.", List.of("cdn.example.net", "203.0.113.7", "2001:db8::7",
                "TXT 11 hello:world"));
        assertThat(names.name("shop", "web-1", "203.0.113.7")).isEqualTo("pool.example.com");
        assertThat(names.name("shop", "web-1", "2001:db8::7")).isEqualTo("pool.example.com");
        assertThat(names.name("shop", "web-1", "TXT 11 hello:world")).isNull();
        assertThat(names.name("shop", "web-2", "203.0.113.7")).as("per pod").isNull();
        assertThat(names.name("ops", "web-1", "203.0.113.7")).isNull();
        names.answered("shop", "web-1", "other.example", List.of("203.0.113.7"));
        assertThat(names.name("shop", "web-1", "203.0.113.7")).as("the latest answer wins").isEqualTo("other.example");
        names.answered("shop", "web-1", null, List.of("203.0.113.9"));
        names.answered("shop", "web-1", "x.example", null);
        assertThat(names.name("shop", "web-1", "203.0.113.9")).isNull();
    }

    @Test
    void addressesPerPodAreBoundedAtLimitPlusOneLeastRecentlyUsedFirst() {
        DnsNames names = new DnsNames(2, 10);
        names.answered("a", "p", "one.example", List.of("192.0.2.1"));
        names.answered("a", "p", "two.example", List.of("192.0.2.2"));
        assertThat(names.name("a", "p", "192.0.2.1")).isEqualTo("one.example");
        names.answered("a", "p", "three.example", List.of("192.0.2.3"));
        assertThat(names.name("a", "p", "192.0.2.1")).isEqualTo("one.example");
        assertThat(names.name("a", "p", "192.0.2.2")).isNull();
        assertThat(names.name("a", "p", "192.0.2.3")).isEqualTo("three.example");
    }

    @Test
    void podsAreBoundedAtLimitPlusOneOldestFirst() {
        DnsNames names = new DnsNames(8, 2);
        names.answered("a", "p1", "one.example", List.of("192.0.2.1"));
        names.answered("b", "p2", "two.example", List.of("192.0.2.2"));
        assertThat(names.evictedPods()).isZero();
        names.answered("a", "p3", "three.example", List.of("192.0.2.3"));
        assertThat(names.evictedPods()).isEqualTo(1);
        assertThat(names.name("a", "p1", "192.0.2.1")).isNull();
        assertThat(names.name("b", "p2", "192.0.2.2")).isEqualTo("two.example");
        assertThat(names.name("a", "p3", "192.0.2.3")).isEqualTo("three.example");
        assertThatThrownBy(() -> new DnsNames(0, 1)).hasMessage("DNS names: max names per pod 0 and max pods 1 must be at least 1");
    }
}
