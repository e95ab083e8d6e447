/* Streams the audio track of a file as mono float samples at a chosen rate
 * (libavformat, libavcodec, libswresample). */
#ifndef ISIM_VM_AUDIO_H
#define ISIM_VM_AUDIO_H

#include <stddef.h>

/* Called with each chunk; a non-zero return stops reading (and is returned). */
typedef int (*vm_audio_cb)(const float *x, int n, void *user);

/* Returns 0 (also for a file without audio: *has_audio false), or -1 with err. */
int vm_audio_read(const char *path, int rate, vm_audio_cb cb, void *user, int *has_audio,
                  char *err, size_t errlen);

#endif
