#include "isim_signal.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t signal_stop_flag;

static void signal_on_stop(int sig)
{
    (void)sig;
    signal_stop_flag = 1;
}

void signal_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = signal_on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int signal_stop_requested(void)
{
    return signal_stop_flag != 0;
}

