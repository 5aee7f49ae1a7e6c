#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <sys/types.h>

/* The layout of struct ucred (unix(7)), which <sys/socket.h> declares only under _GNU_SOURCE,
   a macro Swift's Glibc module is not built with. Used to read SO_PEERCRED. */
struct csystemd_ucred {
    pid_t pid;
    uid_t uid;
    gid_t gid;
};
