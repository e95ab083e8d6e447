/* Demuxes and decodes the main video stream of a file, one frame at a time. */
#ifndef ISIM_VM_SOURCE_H
#define ISIM_VM_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <libavutil/frame.h>

typedef struct vm_source vm_source;

/* Opens path and, if it has one, the video stream's decoder (frame threads).
 * sample_fps is how many frames a second the caller looks at: when the stream
 * has at least twice as many, frames that no other frame refers to (most
 * B-frames) are not decoded, as the frames around them serve as well.
 * Returns 0 or -1 with err. */
int vm_source_open(vm_source **out, const char *path, double sample_fps, char *err, size_t errlen);
void vm_source_close(vm_source *src);

bool vm_source_has_video(const vm_source *src);
/* Duration from the stream or container header, or a negative value if the
 * header has none (e.g. a MediaRecorder WebM). */
double vm_source_header_duration(const vm_source *src);
/* End time (s, from stream start) of the last video packet read so far. */
double vm_source_packets_end(const vm_source *src);

/* Decodes the next frame into frame (unreferenced first) and sets *t to its
 * presentation time in seconds from the stream's start.
 * Returns 1 with a frame, 0 at the end of the stream, -1 with err. */
int vm_source_next(vm_source *src, AVFrame *frame, double *t, char *err, size_t errlen);

#endif
