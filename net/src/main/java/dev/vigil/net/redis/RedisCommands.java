package dev.vigil.net.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What Vigil knows of Redis commands: which carry a key (argument 1) and a value (argument 2), as
 * Zeek's Redis analyzer logs them; which are answered out of band; and the inline-command tokenizer.
 */
final class RedisCommands {

    private static final Set<String> KEYED = Set.of("keys", "append", "bitcount", "bitfield", "bitfield_ro", "bitpos",
            "blpop", "brpop", "copy", "decr", "decrby", "del", "dump", "exists", "expire", "expireat", "expiretime",
            "get", "getbit", "getdel", "getex", "getrange", "getset", "hdel", "hget", "hset", "incr", "incrby", "mget",
            "move", "mset", "persist", "rename", "set", "strlen", "ttl", "type");

    private static final Set<String> VALUED = Set.of("set", "append", "decrby", "expire", "expireat", "getbit",
            "getset", "hdel", "hget", "incrby", "move", "mset", "rename");

    /** Answered by push messages, never by a reply of their own. */
    private static final Set<String> OUT_OF_BAND = Set.of("subscribe", "psubscribe", "ssubscribe", "unsubscribe",
            "punsubscribe", "sunsubscribe");

    /** Commands the inline form is commonly used for (redis-cli, telnet, probes); used by detection only. */
    static final String[] INLINE_PROBE = {"ping", "auth", "hello", "info", "select", "config", "client",
        "keys", "flushall", "flushdb", "monitor", "slaveof", "replicaof", "save", "dbsize", "set", "get", "del",
        "echo", "quit", "command", "exists", "scan", "ttl", "type", "incr", "module", "debug"};

    private RedisCommands() {
    }

    static boolean hasKey(String lowerName) {
        return KEYED.contains(lowerName);
    }

    static boolean hasValue(String lowerName) {
        return VALUED.contains(lowerName);
    }

    static boolean outOfBand(String lowerName) {
        return OUT_OF_BAND.contains(lowerName);
    }

    private static boolean blank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0;
    }

    /** The first {@code max} words of an inline command; double and single quotes group, {@code \"} escapes. */
    static List<String> splitInline(String line, int max) {
        List<String> words = new ArrayList<>(Math.min(max, 8));
        int i = 0;
        int n = line.length();
        while (words.size() < max) {
            while (i < n && blank(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            StringBuilder word = new StringBuilder();
            char quote = 0;
            while (i < n) {
                char c = line.charAt(i);
                if (quote != 0) {
                    if (c == '\\' && i + 1 < n && line.charAt(i + 1) == quote) {
                        word.append(quote);
                        i += 2;
                        continue;
                    }
                    if (c == quote) {
                        quote = 0;
                    } else {
                        word.append(c);
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (blank(c)) {
                    break;
                } else {
                    word.append(c);
                }
                i++;
            }
            words.add(word.toString());
        }
        return words;
    }

    /** The number of words of an inline command. */
    static long countInline(String line) {
        return splitInline(line, Integer.MAX_VALUE).size();
    }
}
