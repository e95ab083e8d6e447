#include "vm_frame_queue.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct slot {
    AVFrame *frame;
    double t;
} slot;

struct vm_frame_queue {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    slot *ring;
    int capacity, head, count;
    bool finished, stopped;
};

int vm_frame_queue_new(vm_frame_queue **out, int capacity)
{
    int rc = -1;
    vm_frame_queue *q = calloc(1, sizeof(*q));
    *out = NULL;
    if (!q || capacity < 1)
        goto out;
    q->capacity = capacity;
    q->ring = calloc((size_t)capacity, sizeof(*q->ring));
    if (!q->ring)
        goto out;
    for (int i = 0; i < capacity; i++)
        if (!(q->ring[i].frame = av_frame_alloc()))
            goto out;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->changed, NULL);
    *out = q;
    q = NULL;
    rc = 0;
out:
    if (q) {
        for (int i = 0; q->ring && i < q->capacity; i++)
            av_frame_free(&q->ring[i].frame);
        free(q->ring);
        free(q);
    }
    return rc;
}

void vm_frame_queue_free(vm_frame_queue *q)
{
    if (!q)
        return;
    for (int i = 0; i < q->capacity; i++)
        av_frame_free(&q->ring[i].frame);
    free(q->ring);
    pthread_cond_destroy(&q->changed);
    pthread_mutex_destroy(&q->lock);
    free(q);
}

int vm_frame_queue_push(vm_frame_queue *q, AVFrame *frame, double t)
{
    int rc = -1;
    pthread_mutex_lock(&q->lock);
    while (q->count == q->capacity && !q->stopped)
        pthread_cond_wait(&q->changed, &q->lock);
    if (!q->stopped) {
        slot *s = &q->ring[(q->head + q->count) % q->capacity];
        av_frame_move_ref(s->frame, frame);
        s->t = t;
        q->count++;
        pthread_cond_broadcast(&q->changed);
        rc = 0;
    }
    pthread_mutex_unlock(&q->lock);
    return rc;
}

void vm_frame_queue_finish(vm_frame_queue *q)
{
    pthread_mutex_lock(&q->lock);
    q->finished = true;
    pthread_cond_broadcast(&q->changed);
    pthread_mutex_unlock(&q->lock);
}

int vm_frame_queue_pop(vm_frame_queue *q, AVFrame *frame, double *t)
{
    int got = 0;
    av_frame_unref(frame);
    pthread_mutex_lock(&q->lock);
    while (q->count == 0 && !q->finished)
        pthread_cond_wait(&q->changed, &q->lock);
    if (q->count > 0) {
        slot *s = &q->ring[q->head];
        av_frame_move_ref(frame, s->frame);
        *t = s->t;
        q->head = (q->head + 1) % q->capacity;
        q->count--;
        pthread_cond_broadcast(&q->changed);
        got = 1;
    }
    pthread_mutex_unlock(&q->lock);
    return got;
}

void vm_frame_queue_stop(vm_frame_queue *q)
{
    pthread_mutex_lock(&q->lock);
    q->stopped = true;
    pthread_cond_broadcast(&q->changed);
    pthread_mutex_unlock(&q->lock);
}
