#ifndef CFASTCGI_SHIM_H
#define CFASTCGI_SHIM_H
#include <fcgiapp.h>
#include <sys/socket.h>
#include <signal.h>
#include <pthread.h>

/* Swift cannot build a sigset_t portably; these keep signal masking in C. */
static inline int CFastCGI_blockTerminationSignals(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    return pthread_sigmask(SIG_BLOCK, &set, NULL);
}

/* Waits for SIGTERM, SIGINT or SIGHUP (which must be blocked) and returns its number. */
static inline int CFastCGI_waitForTerminationSignal(void) {
    sigset_t set;
    int sig = 0;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    if (sigwait(&set, &sig) != 0) return -1;
    return sig;
}

static inline void CFastCGI_ignoreSIGPIPE(void) { signal(SIGPIPE, SIG_IGN); }
#endif
