package dev.vigil.detect.rules;

import dev.vigil.detect.rules.expr.CharSeqSet;
import dev.vigil.detect.rules.expr.Cond;
import dev.vigil.detect.rules.fields.FieldSource;
import dev.vigil.detect.rules.fields.StrAccessor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The enabled, evaluable rules of one source, indexed by bucket key as Falco's
 * {@code evttype_index_ruleset}: for every event type (or network log) any rule names, the rules
 * that can match it, each with its condition folded for that type; one more list serves events of
 * types no rule names. Evaluating an event reads its type, picks the list with one hash probe, and
 * runs only those conditions; nothing is allocated unless a rule matches. Immutable and
 * thread-safe as long as each thread evaluates its own event contexts.
 */
public final class SourceRules<C> {

    /** One rule as held in a bucket: its condition specialized for that bucket. */
    private record Entry<C>(Rule rule, Cond<C> cond, OutputFormat<C> output) {
        Match match(C ctx) {
            return new Match(rule, output.render(ctx), output.fields(ctx));
        }
    }

    /** A compiled rule before indexing. */
    record Compiled<C>(Rule rule, Cond<C> cond, OutputFormat<C> output) {
    }

    private final FieldSource<C> source;
    private final StrAccessor<C> bucketKey;
    private final CharSeqSet buckets;
    private final List<String> bucketNames;
    private final Entry<C>[][] perBucket;
    private final Entry<C>[] other;
    private final boolean firstOnly;
    private final int ruleCount;

    SourceRules(FieldSource<C> source, List<Compiled<C>> rules, RuleMatching matching) {
        this.source = source;
        this.bucketKey = source.bucketKey().accessor();
        this.firstOnly = matching == RuleMatching.FIRST;
        this.ruleCount = rules.size();
        Set<String> names = new LinkedHashSet<>();
        for (Compiled<C> r : rules) {
            r.cond().collectBuckets(names);
        }
        this.bucketNames = List.copyOf(names);
        this.buckets = new CharSeqSet(bucketNames);
        this.perBucket = newTable(bucketNames.size());
        for (int i = 0; i < bucketNames.size(); i++) {
            perBucket[i] = entries(rules, bucketNames.get(i));
        }
        this.other = entries(rules, null);
    }

    private static <C> Entry<C>[] entries(List<Compiled<C>> rules, String bucket) {
        List<Entry<C>> out = new ArrayList<>();
        for (Compiled<C> r : rules) {
            Cond<C> c = r.cond().specialize(bucket);
            if (!c.isFalse()) {
                out.add(new Entry<>(r.rule(), c, r.output()));
            }
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        Entry<C>[] array = out.toArray(new Entry[0]);
        return array;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <C> Entry<C>[][] newTable(int n) {
        return new Entry[n][];
    }

    public FieldSource<C> source() {
        return source;
    }

    /** How many rules this source runs. */
    public int ruleCount() {
        return ruleCount;
    }

    /** The rules that can match an event whose bucket key is {@code bucket}, in load order. */
    public List<Rule> rulesFor(String bucket) {
        int i = buckets.indexOf(bucket);
        Entry<C>[] entries = i >= 0 ? perBucket[i] : other;
        List<Rule> out = new ArrayList<>(entries.length);
        for (Entry<C> e : entries) {
            out.add(e.rule());
        }
        return out;
    }

    /** Whether some rule can match events of a bucket that no rule names. */
    boolean matchesUnnamedBuckets(String ruleName) {
        for (Entry<C> e : other) {
            if (e.rule().name().equals(ruleName)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Evaluates the event bound to {@code ctx} and hands each match to {@code sink} (only the first
     * under {@link RuleMatching#FIRST}).
     *
     * @return the number of matches
     */
    public int evaluate(C ctx, Consumer<Match> sink) {
        Entry<C>[] entries = other;
        CharSequence key = bucketKey.get(ctx);
        if (key != null) {
            int i = buckets.indexOf(key);
            if (i >= 0) {
                entries = perBucket[i];
            }
        }
        int matches = 0;
        for (Entry<C> e : entries) {
            if (e.cond().test(ctx)) {
                matches++;
                sink.accept(e.match(ctx));
                if (firstOnly) {
                    break;
                }
            }
        }
        return matches;
    }
}
