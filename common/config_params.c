#include "config_params.h"

s3_params config_s3_params(const isim_config *cfg)
{
    return (s3_params){.endpoint = cfg->s3_endpoint,
                       .public_endpoint = cfg->s3_public_endpoint,
                       .region = cfg->s3_region,
                       .bucket = cfg->s3_bucket,
                       .access_key = cfg->s3_access_key,
                       .secret_key = cfg->s3_secret_key,
                       .ca_file = cfg->s3_ca_file};
}

redis_params config_redis_params(const isim_config *cfg)
{
    return (redis_params){.host = cfg->redis_host,
                          .port = cfg->redis_port,
                          .username = cfg->redis_username,
                          .password = cfg->redis_password,
                          .tls = cfg->redis_tls,
                          .ca_file = cfg->redis_ca_file};
}
