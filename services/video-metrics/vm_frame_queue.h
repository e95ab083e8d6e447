/* A bounded hand-over of decoded frames from the decoding thread to the
 * measuring thread, so that the two overlap. */
#ifndef ISIM_VM_FRAME_QUEUE_H
#define ISIM_VM_FRAME_QUEUE_H

#include <libavutil/frame.h>

typedef struct vm_frame_queue vm_frame_queue;

/* Holds at most capacity frames. Returns 0, or -1 when out of memory. */
int vm_frame_queue_new(vm_frame_queue **out, int capacity);
/* Frees the queue and any frame still in it. */
void vm_frame_queue_free(vm_frame_queue *q);

/* Moves frame's reference (frame is left blank) with its time in seconds into
 * the queue, waiting while it is full. Returns 0, or -1 if the consumer has
 * stopped (the frame is then left as it was). */
int vm_frame_queue_push(vm_frame_queue *q, AVFrame *frame, double t);
/* The producer's last word: pop returns 0 once the queue has drained. */
void vm_frame_queue_finish(vm_frame_queue *q);

/* Waits for the next frame and moves it into frame (unreferenced first).
 * Returns 1 with a frame, 0 when the producer finished and all was taken. */
int vm_frame_queue_pop(vm_frame_queue *q, AVFrame *frame, double *t);
/* The consumer's way out: every later push returns -1. */
void vm_frame_queue_stop(vm_frame_queue *q);

#endif
