/* SIGTERM/SIGINT set a flag that every loop polls (librdkafka example style). */
#ifndef ISIM_SIGNAL_H
#define ISIM_SIGNAL_H

void signal_install(void);
int signal_stop_requested(void);

#endif
