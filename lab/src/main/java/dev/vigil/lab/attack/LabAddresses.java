package dev.vigil.lab.attack;

import dev.vigil.lab.topology.AddressPlan;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The guard every scenario passes its targets through: an address is attacked only when it lies
 * in one of the lab's ranges ({@link AddressPlan#ON_LINK_ROUTES}: pods, services, the simulated
 * internet). Lab namespaces have no other route anyway; this makes a mistake fail loudly first.
 */
final class LabAddresses {

    private LabAddresses() {
    }

    /** Returns {@code ip} when it is a lab address; fails the scenario otherwise. */
    static String requireLab(String ip) {
        if (!isLab(ip)) {
            throw new AttackException("refusing to attack " + ip + ": scenarios target only the lab's ranges "
                    + AddressPlan.ON_LINK_ROUTES);
        }
        return ip;
    }

    /** True when {@code ip} (IPv4 literal) lies in a lab range. */
    static boolean isLab(String ip) {
        if (!ip.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        long address = toLong(ip);
        for (String cidr : AddressPlan.ON_LINK_ROUTES) {
            int slash = cidr.indexOf('/');
            int prefix = Integer.parseInt(cidr.substring(slash + 1));
            long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
            if ((address & mask) == (toLong(cidr.substring(0, slash)) & mask)) {
                return true;
            }
        }
        return false;
    }

    private static long toLong(String ip) {
        try {
            byte[] b = InetAddress.getByName(ip).getAddress();
            return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
        } catch (UnknownHostException e) {
            throw new AttackException("not an IPv4 address: " + ip);
        }
    }
}
