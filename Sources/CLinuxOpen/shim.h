#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

// O_PATH is hidden behind _GNU_SOURCE in <fcntl.h>, which the Glibc module is built without.
static const int akhbar_O_PATH = __O_PATH;

// Glibc has no wrapper for openat2(2), and Swift cannot call the variadic syscall(2) itself.
static inline int akhbar_openat2(int directory, const char *path, unsigned long long flags,
                                 unsigned long long resolve) {
    struct open_how how = {.flags = flags, .mode = 0, .resolve = resolve};
    return (int)syscall(SYS_openat2, directory, path, &how, sizeof how);
}
