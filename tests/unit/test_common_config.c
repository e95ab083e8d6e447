#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "isim_config.h"
#include "isim_util.h"

Test(config, defaults_work_for_the_local_stack)
{
    char err[256];
    isim_config c;
    unsetenv("ISIM_KAFKA_BROKERS");
    unsetenv("ISIM_REDIS_PORT");
    cr_assert_eq(config_load(&c, err, sizeof(err)), 0, "%s", err);
    cr_assert_str_eq(c.kafka_brokers, "127.0.0.1:29092");
    cr_assert_eq(c.redis_port, 26379);
    cr_assert_eq(c.max_upload_bytes, 536870912LL);
    config_release(&c);
}

Test(config, environment_overrides)
{
    char err[256];
    isim_config c;
    setenv("ISIM_KAFKA_BROKERS", "kafka:9092", 1);
    setenv("ISIM_MAX_UPLOAD_BYTES", "1099511627776", 1);
    cr_assert_eq(config_load(&c, err, sizeof(err)), 0, "%s", err);
    cr_assert_str_eq(c.kafka_brokers, "kafka:9092");
    cr_assert_eq(c.max_upload_bytes, 1099511627776LL);
    config_release(&c);
}

Test(config, bad_number_is_a_clear_error)
{
    char err[256] = "";
    isim_config c;
    setenv("ISIM_REDIS_PORT", "63x79", 1);
    cr_assert_eq(config_load(&c, err, sizeof(err)), -1);
    cr_assert(strstr(err, "ISIM_REDIS_PORT") && strstr(err, "63x79"), "%s", err);
    setenv("ISIM_REDIS_PORT", "99999999999", 1);
    cr_assert_eq(config_load(&c, err, sizeof(err)), -1);
}

/* Thresholds moved to the rubric: an old deployment's setting is refused, not ignored. */
Test(config, a_retired_setting_is_refused_with_what_replaced_it)
{
    char err[256] = "";
    isim_config c;
    setenv("ISIM_VM_THRESHOLDS", "pause_min_s=0.7", 1);
    cr_assert_eq(config_load(&c, err, sizeof(err)), -1);
    cr_assert(strstr(err, "ISIM_VM_THRESHOLDS") && strstr(err, "rubric"), "%s", err);
    unsetenv("ISIM_VM_THRESHOLDS");
    cr_assert_eq(config_load(&c, err, sizeof(err)), 0, "%s", err);
    config_release(&c);
}

Test(config, markdown_table_lists_every_variable)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    config_print_markdown(f);
    fclose(f);
    cr_assert(strstr(buf, "| `ISIM_S3_PUBLIC_ENDPOINT` |"));
    cr_assert(strstr(buf, "| `ISIM_PG_DSN` |"));
    free(buf);
}

Test(util, uuid_v4_is_valid_and_random)
{
    char a[37], b[37];
    cr_assert_eq(util_uuid_v4(a), 0);
    cr_assert_eq(util_uuid_v4(b), 0);
    cr_assert(util_uuid_valid(a));
    cr_assert_eq(a[14], '4');
    cr_assert(strchr("89ab", a[19]));
    cr_assert_str_neq(a, b);
}

Test(util, uuid_validation_refuses_path_tricks)
{
    cr_assert_not(util_uuid_valid("../../etc/passwd"));
    cr_assert_not(util_uuid_valid("0b6f3b0e-8c1e-4c5e-9a55-3e1c0d5e2f1/"));
    cr_assert_not(util_uuid_valid(""));
    cr_assert_not(util_uuid_valid(NULL));
    cr_assert(util_uuid_valid("0b6f3b0e-8c1e-4c5e-9a55-3e1c0d5e2f10"));
}

Test(util, traceparent_child_keeps_trace_id)
{
    char tp[56], child[56], t1[33], t2[33];
    cr_assert_eq(util_traceparent_new(tp), 0);
    cr_assert_eq(strlen(tp), 55);
    cr_assert_eq(util_traceparent_child(tp, child), 0);
    cr_assert_eq(util_traceparent_trace_id(tp, t1), 0);
    cr_assert_eq(util_traceparent_trace_id(child, t2), 0);
    cr_assert_str_eq(t1, t2);
    cr_assert_str_neq(tp, child);
    cr_assert_eq(util_traceparent_trace_id("garbage", t1), -1);
}

/* A new temporary file holding text; its path in path[]. */
static void temp_file_with(char path[], const char *text)
{
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

/* A Secret mounted as a file: NAME_FILE holds the path, the value is the
 * file's content without its trailing line break. */
Test(config, a_setting_from_a_file)
{
    char err[256] = "", path[] = "/tmp/isim-config-XXXXXX";
    isim_config c;
    temp_file_with(path, "s3cret value\n");
    unsetenv("ISIM_S3_SECRET_KEY");
    setenv("ISIM_S3_SECRET_KEY_FILE", path, 1);
    cr_assert_eq(config_load(&c, err, sizeof(err)), 0, "%s", err);
    cr_assert_str_eq(c.s3_secret_key, "s3cret value");
    config_release(&c);

    setenv("ISIM_S3_SECRET_KEY", "also set", 1);
    cr_assert_eq(config_load(&c, err, sizeof(err)), -1);
    cr_assert(strstr(err, "both ISIM_S3_SECRET_KEY and ISIM_S3_SECRET_KEY_FILE"), "%s", err);
    unsetenv("ISIM_S3_SECRET_KEY");

    unlink(path);
    cr_assert_eq(config_load(&c, err, sizeof(err)), -1);
    cr_assert(strstr(err, "ISIM_S3_SECRET_KEY_FILE") && strstr(err, path), "%s", err);
    unsetenv("ISIM_S3_SECRET_KEY_FILE");
}

Test(config, a_number_from_a_file)
{
    char err[256] = "", path[] = "/tmp/isim-config-XXXXXX";
    isim_config c;
    temp_file_with(path, "6380\r\n");
    unsetenv("ISIM_REDIS_PORT");
    setenv("ISIM_REDIS_PORT_FILE", path, 1);
    cr_assert_eq(config_load(&c, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(c.redis_port, 6380);
    config_release(&c);
    unsetenv("ISIM_REDIS_PORT_FILE");
    unlink(path);
}
