/* The parameters of the S3 and Redis clients, taken from the configuration
 * (pointers into cfg: valid while cfg is), so that every program builds them
 * the same way. */
#ifndef ISIM_CONFIG_PARAMS_H
#define ISIM_CONFIG_PARAMS_H

#include "isim_config.h"
#include "redis_conn.h"
#include "s3_client.h"

s3_params config_s3_params(const isim_config *cfg);
redis_params config_redis_params(const isim_config *cfg);

#endif
