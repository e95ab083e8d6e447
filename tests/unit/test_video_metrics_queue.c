/* The frame hand-over between the decoding and the measuring thread. */
#include <criterion/criterion.h>

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "vm_frame_queue.h"

#define N_FRAMES 200

static AVFrame *frame_of_width(int w)
{
    AVFrame *f = av_frame_alloc();
    cr_assert_not_null(f);
    f->format = AV_PIX_FMT_GRAY8;
    f->width = w;
    f->height = 2;
    cr_assert_eq(av_frame_get_buffer(f, 0), 0);
    f->data[0][0] = (uint8_t)w;
    return f;
}

static void *produce(void *arg)
{
    vm_frame_queue *q = arg;
    for (int i = 1; i <= N_FRAMES; i++) {
        AVFrame *f = frame_of_width(i);
        cr_assert_eq(vm_frame_queue_push(q, f, i / 10.0), 0);
        cr_assert_null(f->buf[0], "push leaves the caller's frame blank");
        av_frame_free(&f);
    }
    vm_frame_queue_finish(q);
    return NULL;
}

Test(frame_queue, frames_arrive_in_order_then_the_end)
{
    vm_frame_queue *q;
    pthread_t producer;
    AVFrame *got = av_frame_alloc();
    double t;
    cr_assert_eq(vm_frame_queue_new(&q, 3), 0);
    cr_assert_eq(pthread_create(&producer, NULL, produce, q), 0);
    for (int i = 1; i <= N_FRAMES; i++) {
        cr_assert_eq(vm_frame_queue_pop(q, got, &t), 1, "frame %d", i);
        cr_assert_eq(got->width, i);
        cr_assert_eq(got->data[0][0], (uint8_t)i, "the picture travels with the frame");
        cr_assert_float_eq(t, i / 10.0, 1e-9);
    }
    cr_assert_eq(vm_frame_queue_pop(q, got, &t), 0, "the end after the last frame");
    cr_assert_null(got->buf[0]);
    pthread_join(producer, NULL);
    av_frame_free(&got);
    vm_frame_queue_free(q);
}

typedef struct pusher {
    vm_frame_queue *q;
    AVFrame *frame;
    int rc;
    atomic_int done;
} pusher;

static void *push_one(void *arg)
{
    pusher *p = arg;
    p->rc = vm_frame_queue_push(p->q, p->frame, 9);
    atomic_store(&p->done, 1);
    return NULL;
}

Test(frame_queue, a_full_queue_holds_the_producer_until_a_frame_is_taken)
{
    vm_frame_queue *q;
    pthread_t thread;
    AVFrame *a = frame_of_width(1), *b = frame_of_width(2), *got = av_frame_alloc();
    pusher p = {.frame = frame_of_width(3)};
    double t;
    cr_assert_eq(vm_frame_queue_new(&q, 2), 0);
    p.q = q;
    cr_assert_eq(vm_frame_queue_push(q, a, 1), 0);
    cr_assert_eq(vm_frame_queue_push(q, b, 2), 0);
    cr_assert_eq(pthread_create(&thread, NULL, push_one, &p), 0);
    usleep(100 * 1000);
    cr_assert_eq(atomic_load(&p.done), 0, "a push into a full queue must wait");
    cr_assert_eq(vm_frame_queue_pop(q, got, &t), 1);
    cr_assert_eq(got->width, 1);
    pthread_join(thread, NULL);
    cr_assert_eq(p.rc, 0);
    vm_frame_queue_finish(q);
    cr_assert_eq(vm_frame_queue_pop(q, got, &t), 1);
    cr_assert_eq(got->width, 2);
    cr_assert_eq(vm_frame_queue_pop(q, got, &t), 1);
    cr_assert_eq(got->width, 3);
    cr_assert_eq(vm_frame_queue_pop(q, got, &t), 0);
    av_frame_free(&a);
    av_frame_free(&b);
    av_frame_free(&p.frame);
    av_frame_free(&got);
    vm_frame_queue_free(q);
}

Test(frame_queue, a_stopped_consumer_releases_a_waiting_producer)
{
    vm_frame_queue *q;
    pthread_t thread;
    AVFrame *a = frame_of_width(1);
    pusher p = {.frame = frame_of_width(2)};
    cr_assert_eq(vm_frame_queue_new(&q, 1), 0);
    p.q = q;
    cr_assert_eq(vm_frame_queue_push(q, a, 1), 0);
    cr_assert_eq(pthread_create(&thread, NULL, push_one, &p), 0);
    vm_frame_queue_stop(q);
    pthread_join(thread, NULL);
    cr_assert_eq(p.rc, -1);
    cr_assert_eq(p.frame->width, 2, "a refused frame stays with the caller");
    cr_assert_not_null(p.frame->buf[0]);
    av_frame_free(&a);
    av_frame_free(&p.frame);
    vm_frame_queue_free(q); /* frees the frame still queued: valgrind checks */
}
