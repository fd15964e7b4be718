/*
 * internal.h: what the files of src/kafka share and nobody else sees.
 *
 * client.c owns sl_kafka_t and builds every librdkafka configuration;
 * mock.c runs the embedded cluster; producer.c, consumer.c and admin.c
 * build on both.
 */
#ifndef SL_KAFKA_INTERNAL_H
#define SL_KAFKA_INTERNAL_H

#include <pthread.h>

#include "kafka/kafka.h"

typedef struct sl_kafka_mock sl_kafka_mock_t;

struct sl_kafka {
	sl_kafka_prop_t *props; /* kafka.* without the prefix; strings owned */
	size_t nprops;
	char *bootstrap;
	int timeout_ms;        /* admin and metadata calls */
	bool zero_timestamps;  /* sluice.kafka.zero.timestamps (test mode) */
	sl_kafka_mock_t *mock; /* the embedded cluster, or NULL */
	rd_kafka_t *admin;     /* metadata and admin requests */
	rd_kafka_queue_t *admin_bg;

	pthread_mutex_t mu;   /* guards last_error */
	char last_error[256]; /* the last error event of any handle */
};

/* Which handle a configuration is for (its defaults differ). */
enum { SL_KAFKA_ROLE_ADMIN, SL_KAFKA_ROLE_PRODUCER, SL_KAFKA_ROLE_CONSUMER };

/* Builds the configuration of a handle: bootstrap.servers, the role's
 * defaults, then the user's kafka.* properties, then what sluice cannot do
 * without.  *out is the caller's until rd_kafka_new() takes it. */
int sl_kafka_conf_build(sl_kafka_t *k, int role, const char *group, rd_kafka_conf_t **out,
			sl_error_t *err);

/* Sets one property, naming it (as the user wrote it) in the error. */
int sl_kafka_conf_set(rd_kafka_conf_t *conf, const char *name, const char *value, const char *shown,
		      sl_error_t *err);

/* rd_kafka_new() with a readable error; conf is consumed either way. */
int sl_kafka_handle_new(rd_kafka_type_t type, rd_kafka_conf_t *conf, const char *what,
			rd_kafka_t **out, sl_error_t *err);

/* Records an error event of a handle for sl_kafka_ping() and logs it. */
void sl_kafka_note_error(sl_kafka_t *k, const char *who, rd_kafka_resp_err_t code,
			 const char *reason, bool fatal);

/* Copies a librdkafka message into buf with its first letter lower-cased
 * (our messages start lower-case); returns buf. */
const char *sl_kafka_errstr(char *buf, size_t size, const char *s);

/* Metadata of every topic (never names one: asking for a topic by name
 * makes the mock cluster create it).  Free with rd_kafka_metadata_destroy. */
int sl_kafka_metadata(sl_kafka_t *k, const struct rd_kafka_metadata **md, sl_error_t *err);

/* Finds name in md; NULL when absent or in error (a deleted topic). */
const struct rd_kafka_metadata_topic *sl_kafka_metadata_topic(const struct rd_kafka_metadata *md,
							      const char *name);

/* Checks a topic name as Kafka does (SL_EINVAL). */
int sl_kafka_topic_name_check(const char *name, sl_error_t *err);

/* The embedded cluster (mock.c). */
int sl_kafka_mock_start(int brokers, sl_kafka_mock_t **out, sl_error_t *err);
void sl_kafka_mock_stop(sl_kafka_mock_t *m);
const char *sl_kafka_mock_bootstrap(const sl_kafka_mock_t *m);
rd_kafka_mock_cluster_t *sl_kafka_mock_handle(sl_kafka_mock_t *m);

/* Creates a topic in the embedded cluster; re-creates a deleted one when
 * the partition count matches. */
int sl_kafka_mock_topic_create(sl_kafka_mock_t *m, const char *name, int partitions, int replicas,
			       sl_error_t *err);

/* Hides a topic of npart partitions; high[p] are its high watermarks,
 * which become the partitions' start should the topic be re-created. */
int sl_kafka_mock_topic_delete(sl_kafka_mock_t *m, const char *name, int npart, const int64_t *high,
			       sl_error_t *err);

/* The first offset of a partition of a re-created topic (0 otherwise). */
int64_t sl_kafka_mock_topic_base(sl_kafka_mock_t *m, const char *name, int32_t partition);

#endif
