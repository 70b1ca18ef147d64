package dev.vigil.detect.rules.expr;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The search paths of a {@code pmatch} check as a trie of path components, as libsinsp's
 * {@code path_prefix_search}: a value matches when the components of one search path are a prefix of
 * its components ({@code /usr} matches {@code /usr} and {@code /usr/lib/x}, not {@code /usrx});
 * empty components are ignored, so {@code //etc/} is {@code /etc}, and {@code /} matches every path.
 * A component holding {@code * ? [} is a glob for that component. Matching allocates nothing.
 */
final class PathPrefixSet {

    private final Node root = new Node();
    private final List<String> paths;

    PathPrefixSet(Collection<String> searchPaths) {
        this.paths = List.copyOf(searchPaths);
        for (String p : searchPaths) {
            add(p);
        }
    }

    List<String> paths() {
        return paths;
    }

    private void add(String path) {
        Node node = root;
        int i = 0;
        int n = path.length();
        while (true) {
            if (node.terminal) {
                return;
            }
            while (i < n && path.charAt(i) == '/') {
                i++;
            }
            if (i >= n) {
                node.terminal = true;
                return;
            }
            int end = path.indexOf('/', i);
            if (end < 0) {
                end = n;
            }
            node = node.child(path.substring(i, end));
            i = end;
        }
    }

    boolean matches(CharSequence v) {
        return matches(root, v, 0);
    }

    private static boolean matches(Node node, CharSequence v, int from) {
        if (node.terminal) {
            return true;
        }
        int n = v.length();
        int i = from;
        while (i < n && v.charAt(i) == '/') {
            i++;
        }
        if (i >= n) {
            return false;
        }
        int end = i;
        while (end < n && v.charAt(end) != '/') {
            end++;
        }
        int h = Chars.hash(v, i, end);
        for (int k = 0; k < node.count; k++) {
            if (node.hashes[k] == h && Chars.regionEquals(v, i, end, node.names[k]) && matches(node.kids[k], v, end)) {
                return true;
            }
        }
        for (int k = 0; k < node.globs.size(); k++) {
            if (node.globs.get(k).matches(v, i, end) && matches(node.globKids.get(k), v, end)) {
                return true;
            }
        }
        return false;
    }

    private static final class Node {
        boolean terminal;
        int count;
        String[] names = new String[2];
        int[] hashes = new int[2];
        Node[] kids = new Node[2];
        final List<Glob> globs = new ArrayList<>();
        final List<Node> globKids = new ArrayList<>();
        final List<String> globNames = new ArrayList<>();

        Node child(String name) {
            if (name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0) {
                int at = globNames.indexOf(name);
                if (at >= 0) {
                    return globKids.get(at);
                }
                Node kid = new Node();
                globNames.add(name);
                globs.add(new Glob(name, false));
                globKids.add(kid);
                return kid;
            }
            for (int k = 0; k < count; k++) {
                if (names[k].equals(name)) {
                    return kids[k];
                }
            }
            if (count == names.length) {
                names = java.util.Arrays.copyOf(names, count * 2);
                hashes = java.util.Arrays.copyOf(hashes, count * 2);
                kids = java.util.Arrays.copyOf(kids, count * 2);
            }
            Node kid = new Node();
            names[count] = name;
            hashes[count] = name.hashCode();
            kids[count++] = kid;
            return kid;
        }
    }
}
