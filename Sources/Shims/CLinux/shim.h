#ifndef CIRCLES_CLINUX_SHIM_H
#define CIRCLES_CLINUX_SHIM_H
/* Linux headers the Swift Glibc module does not export. */
#include <sys/eventfd.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

/* GNU extensions the Glibc module hides. */
extern int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);
#include <pthread.h>
extern int pthread_setname_np(pthread_t thread, const char *name);
#include <sys/syscall.h>
#include <unistd.h>
#include <sys/resource.h>
/* The calling thread's id, for per-thread scheduling priority (setpriority). */
static inline int circles_thread_id(void) { return (int)syscall(SYS_gettid); }
/* The CPUs this process may run on (its affinity mask), or 0 if the kernel does not say. */
static inline int circles_usable_cpus(void) {
    unsigned long mask[32] = {0};
    long bytes = syscall(SYS_sched_getaffinity, 0, sizeof(mask), mask);
    if (bytes <= 0) return 0;
    int count = 0;
    for (long i = 0; i < bytes / (long)sizeof(unsigned long); i++) count += __builtin_popcountl(mask[i]);
    return count;
}
#endif
