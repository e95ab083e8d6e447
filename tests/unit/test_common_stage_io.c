/* stage_download and stage_upload: what a stage does with each way a transfer ends, against
 * a small HTTP server answering like an S3 store (a thread here), in trouble
 * when asked: 5xx and 429 are transient (the worker retries with backoff), a
 * missing object and a refusal fail at once, and what a candidate reads never
 * carries the store's address. A local disk too full to hold the object is
 * the worker's trouble, not the candidate's: it is retried (KW_RETRY) rather
 * than failing the interview, as a missing object does. The full disk is a 64 KiB tmpfs mounted in a mount namespace
 * of a child process (as root, or in a user namespace where allowed); the
 * test is skipped, saying why, where neither is possible. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stage_io.h"
#include "test_support.h"

#define BODY_BYTES (1 << 20)

static char tmp[256];
static int listen_fd = -1, port;
static pthread_t server;
static char *body;

/* The status a request asks for by its key's last part: "missing" 404, a
 * number that status, anything else 200 with BODY_BYTES bytes. */
static int wanted_status(const char *req)
{
    const char *end = strstr(req, " HTTP/1.1"), *last = end;
    while (last && last > req && last[-1] != '/')
        last--;
    if (!end || !last)
        return 400;
    if (end - last == 7 && strncmp(last, "missing", 7) == 0)
        return 404;
    int n = atoi(last);
    return n >= 100 && n <= 599 ? n : 200;
}

/* Answers every request on its own connection (wanted_status). */
static void *serve(void *arg)
{
    (void)arg;
    for (;;) {
        int c = accept(listen_fd, NULL, NULL);
        if (c < 0)
            return NULL;
        char req[4096];
        size_t n = 0;
        ssize_t got;
        while (n < sizeof(req) - 1 && (got = read(c, req + n, sizeof(req) - 1 - n)) > 0) {
            n += (size_t)got;
            req[n] = '\0';
            if (strstr(req, "\r\n\r\n"))
                break;
        }
        req[n] = '\0';
        /* An upload's body is read before answering: closing on unread bytes
         * resets the connection, which the client would take for an outage. */
        const char *cl = strstr(req, "Content-Length: "), *hend = strstr(req, "\r\n\r\n");
        if (cl && hend) {
            if (strstr(req, "Expect: 100-continue")) /* curl waits a second for this otherwise */
                (void)!write(c, "HTTP/1.1 100 Continue\r\n\r\n", 25);
            long left = atol(cl + 16) - (long)(req + n - (hend + 4));
            char sink[4096];
            while (left > 0 && (got = read(c, sink, sizeof(sink))) > 0)
                left -= got;
        }
        char head[256];
        int status = wanted_status(req);
        if (status != 200) {
            const char *xml = "<Error><Code>Trouble</Code><Message>As the test asked.</Message></Error>";
            int len = snprintf(head, sizeof(head), "HTTP/1.1 %d X\r\nContent-Type: application/xml\r\n"
                               "Content-Length: %zu\r\nConnection: close\r\n\r\n", status, strlen(xml));
            (void)!write(c, head, (size_t)len);
            (void)!write(c, xml, strlen(xml));
        } else {
            int len = snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n"
                               "ETag: \"0123456789abcdef0123456789abcdef\"\r\nConnection: close\r\n\r\n", BODY_BYTES);
            (void)!write(c, head, (size_t)len);
            for (size_t off = 0; off < BODY_BYTES;) {
                ssize_t w = write(c, body + off, BODY_BYTES - off);
                if (w <= 0)
                    break;
                off += (size_t)w;
            }
        }
        close(c);
    }
}

static void setup(void)
{
    ts_dir_new("isim-stage-io", tmp, sizeof(tmp));
    body = malloc(BODY_BYTES);
    cr_assert(body);
    for (int i = 0; i < BODY_BYTES; i++)
        body[i] = (char)(i * 7);
}

static void start_server(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert(listen_fd >= 0);
    cr_assert_eq(bind(listen_fd, (struct sockaddr *)&a, sizeof(a)), 0);
    cr_assert_eq(listen(listen_fd, 8), 0);
    cr_assert_eq(getsockname(listen_fd, (struct sockaddr *)&a, &len), 0);
    port = ntohs(a.sin_port);
    cr_assert_eq(pthread_create(&server, NULL, serve, NULL), 0);
}

static void teardown(void)
{
    if (listen_fd >= 0) {
        shutdown(listen_fd, SHUT_RDWR);
        close(listen_fd);
        pthread_join(server, NULL);
        listen_fd = -1;
    }
    free(body);
    ts_dir_free(tmp);
}

TestSuite(stage_io, .init = setup, .fini = teardown, .timeout = 60);

static void write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        (void)!write(fd, text, strlen(text));
        close(fd);
    }
}

/* Mounts a tmpfs of `size` at dir, visible to this process only. Returns 0,
 * or -1 with why in why. A user namespace needs a single-threaded process. */
static int small_fs(const char *dir, const char *size, char *why, size_t len)
{
    if (unshare(CLONE_NEWNS) != 0) {
        uid_t uid = getuid();
        gid_t gid = getgid();
        char map[64];
        if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
            snprintf(why, len, "no mount namespace for a small tmpfs (not root, no user namespaces: %s)",
                     strerror(errno));
            return -1;
        }
        write_file("/proc/self/setgroups", "deny");
        snprintf(map, sizeof(map), "0 %u 1", (unsigned)uid);
        write_file("/proc/self/uid_map", map);
        snprintf(map, sizeof(map), "0 %u 1", (unsigned)gid);
        write_file("/proc/self/gid_map", map);
    }
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount("isim-test", dir, "tmpfs", 0, size) != 0) {
        snprintf(why, len, "cannot mount a small tmpfs: %s", strerror(errno));
        return -1;
    }
    return 0;
}

static service_ctx ctx_for_server(void)
{
    char endpoint[64], err[256] = "";
    snprintf(endpoint, sizeof(endpoint), "http://127.0.0.1:%d", port);
    s3_params p = {.endpoint = endpoint, .region = "us-east-1", .bucket = "isim", .access_key = "test",
                   .secret_key = "test-secret"};
    service_ctx ctx = {.s3 = s3_client_new(&p, err, sizeof(err))};
    cr_assert(ctx.s3, "%s", err);
    return ctx;
}

/* In a child process (single-threaded, as a new user namespace requires;
 * the mount goes with it): mounts the small disk, serves, downloads, and
 * writes back the result and the error text. */
typedef struct full_result {
    int skipped;
    kw_result r;
    int partial_left;
    char text[512];
} full_result;

static full_result download_to_full_disk(const char *dir)
{
    full_result res = {0};
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        full_result out = {0};
        close(fds[0]);
        if (small_fs(dir, "size=64k", out.text, sizeof(out.text)) != 0) {
            out.skipped = 1;
        } else {
            start_server();
            service_ctx ctx = ctx_for_server();
            out.r = stage_download(&ctx, "raw/x/recording", ts_path(dir, "input"), 0, "recording", out.text,
                                   sizeof(out.text));
            out.partial_left = access(ts_path(dir, "input"), F_OK) == 0;
            s3_client_free(ctx.s3);
        }
        (void)!write(fds[1], &out, sizeof(out));
        _exit(0);
    }
    close(fds[1]);
    ssize_t n = read(fds[0], &res, sizeof(res));
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    cr_assert_eq(n, (ssize_t)sizeof(res), "the child died: status %d", status);
    return res;
}

Test(stage_io, a_download_to_a_full_disk_is_retried)
{
    char dir[300];
    snprintf(dir, sizeof(dir), "%s/small", tmp);
    cr_assert_eq(mkdir(dir, 0755), 0);
    full_result res = download_to_full_disk(dir);
    if (res.skipped)
        cr_skip_test("%s", res.text);
    cr_assert_eq(res.r, KW_RETRY, "a full work disk gave %d (%s), not KW_RETRY", res.r, res.text);
    cr_assert(strstr(res.text, "disk space"), "err: %s", res.text);
    cr_assert_not(res.partial_left, "a partial download was left");
}

Test(stage_io, a_download_with_room_succeeds_and_a_missing_object_fails_for_good)
{
    char err[512] = "";
    start_server();
    service_ctx ctx = ctx_for_server();

    cr_assert_eq(stage_download(&ctx, "raw/x/recording", ts_path(tmp, "input"), 0, "recording", err, sizeof(err)),
                 KW_OK, "%s", err);
    struct stat sb;
    cr_assert_eq(stat(ts_path(tmp, "input"), &sb), 0);
    cr_assert_eq(sb.st_size, BODY_BYTES);

    kw_result r = stage_download(&ctx, "raw/x/missing", ts_path(tmp, "gone"), 0, "recording", err, sizeof(err));
    cr_assert_eq(r, KW_FAIL);
    cr_assert_str_eq(err, "The recording could not be found in storage; please upload it again.");

    /* Bigger than the limit: the recording's fault, failed for good. */
    r = stage_download(&ctx, "raw/x/recording", ts_path(tmp, "big"), 1000, "recording", err, sizeof(err));
    cr_assert_eq(r, KW_FAIL, "%s", err);
    s3_client_free(ctx.s3);
}

static kw_result download_status(int status, char *err, size_t errlen)
{
    char key[96];
    snprintf(key, sizeof(key), "media/0b6f3b0e-8c1e-4c5e-9a55-3e1c0d5e2f10/%d", status);
    service_ctx ctx = ctx_for_server();
    err[0] = '\0';
    kw_result r = stage_download(&ctx, key, ts_path(tmp, "status"), 0, "recording", err, errlen);
    s3_client_free(ctx.s3);
    return r;
}

Test(stage_io, a_store_answering_5xx_or_429_is_retried)
{
    const int transient[] = {500, 502, 503, 504, 429};
    start_server();
    for (size_t i = 0; i < sizeof(transient) / sizeof(transient[0]); i++) {
        char err[512];
        cr_assert_eq(download_status(transient[i], err, sizeof(err)), KW_RETRY, "HTTP %d", transient[i]);
        cr_assert(strstr(err, "could not be reached"), "%d: %s", transient[i], err);
        cr_assert_null(strstr(err, "127.0.0.1"), "no address for the candidate: %s", err);
    }
}

Test(stage_io, a_refusal_fails_at_once_in_plain_words)
{
    char err[512];
    start_server();
    cr_assert_eq(download_status(403, err, sizeof(err)), KW_FAIL);
    cr_assert_str_eq(err, "The recording could not be read from our storage; please try again later.");
}

static kw_result upload_status(int status, char *err, size_t errlen)
{
    char key[96], path[512];
    snprintf(key, sizeof(key), "media/0b6f3b0e-8c1e-4c5e-9a55-3e1c0d5e2f10/%d", status);
    snprintf(path, sizeof(path), "%s", ts_path(tmp, "video.webm"));
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    fputs("a processed recording", f);
    fclose(f);
    service_ctx ctx = ctx_for_server();
    err[0] = '\0';
    kw_result r = stage_upload(&ctx, key, path, "video/webm", err, errlen);
    s3_client_free(ctx.s3);
    return r;
}

/* A store that refuses a write (too large, credentials, no bucket) refuses it
 * again on every try: failed at once (dead-lettered for a replay), where a
 * store in trouble (5xx, 429) is waited out. */
Test(stage_io, an_upload_refused_fails_at_once_and_one_in_trouble_is_retried)
{
    const int transient[] = {500, 503, 429};
    char err[512];
    start_server();
    cr_assert_eq(upload_status(200, err, sizeof(err)), KW_OK, "%s", err);
    for (size_t i = 0; i < sizeof(transient) / sizeof(transient[0]); i++) {
        cr_assert_eq(upload_status(transient[i], err, sizeof(err)), KW_RETRY, "HTTP %d", transient[i]);
        cr_assert(strstr(err, "could not be reached"), "%d: %s", transient[i], err);
    }
    cr_assert_eq(upload_status(400, err, sizeof(err)), KW_FAIL);
    cr_assert_str_eq(err, "Our storage refused to keep the processed recording; please try again later.");
    cr_assert_eq(upload_status(403, err, sizeof(err)), KW_FAIL);
}
