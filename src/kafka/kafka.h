/*
 * kafka.h: sluice's Kafka layer: the client context, the shared producer,
 * the assign-mode consumer, topic administration and the embedded cluster.
 *
 * Takes in properties (bootstrap.servers and kafka.*), topic names and
 * records to produce; hands on consumed records as librdkafka's own
 * rd_kafka_message_t (key, value, timestamp, headers, partition, offset) to
 * src/exec.  Without bootstrap.servers, sl_kafka_create() starts an
 * embedded, in-memory cluster (librdkafka's mock cluster) in this process;
 * see docs/kafka.md for what it can and cannot do.
 *
 * Objects and threads:
 *   sl_kafka_t           one per server; create/destroy on one thread, the
 *                        other calls are thread-safe.  Destroy it last,
 *                        after every producer and consumer made from it.
 *   sl_kafka_producer_t  one shared per server; every call but destroy is
 *                        thread-safe (librdkafka's producer is).  Delivery
 *                        reports are handled on librdkafka's background
 *                        thread: nobody has to poll.
 *   sl_kafka_consumer_t  one per persistent query, used by one thread at a
 *                        time (poll, assign, pause, resume, destroy);
 *                        position, watermarks and caught_up may be called
 *                        from any thread.
 *
 * Every fallible call returns SL_OK or a negative SL_E* code and describes
 * the failure in err (which may be NULL).
 */
#ifndef SL_KAFKA_KAFKA_H
#define SL_KAFKA_KAFKA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "util/error.h"

/* Offsets with a meaning (librdkafka's values). */
#define SL_KAFKA_OFFSET_BEGINNING RD_KAFKA_OFFSET_BEGINNING /* -2: earliest */
#define SL_KAFKA_OFFSET_END RD_KAFKA_OFFSET_END             /* -1: latest */
#define SL_KAFKA_OFFSET_INVALID RD_KAFKA_OFFSET_INVALID     /* -1001: unknown */

/* Partition "let the partitioner choose" (by key, as Java clients do). */
#define SL_KAFKA_PARTITION_ANY RD_KAFKA_PARTITION_UA

/* Defaults of the embedded cluster. */
#define SL_KAFKA_EMBEDDED_BROKERS 1
#define SL_KAFKA_TIMEOUT_MS 10000

/* ---------------------------------------------------------------------
 * The client context
 */

typedef struct sl_kafka sl_kafka_t;

/* One configuration property; both strings are borrowed. */
typedef struct sl_kafka_prop {
	const char *name;
	const char *value;
} sl_kafka_prop_t;

/*
 * Creates the client context from props (n of them, copied; the array may
 * hold the server's whole configuration, properties of other layers are
 * ignored):
 *   bootstrap.servers (or kafka.bootstrap.servers)  the Kafka cluster; when
 *       absent, an embedded cluster is started in this process
 *   kafka.NAME  passed to librdkafka as NAME, unchanged, for the producer,
 *       the consumers and the admin client (SASL, TLS, tuning...)
 *   sluice.kafka.embedded.brokers  brokers of the embedded cluster (1)
 *   sluice.kafka.timeout.ms  time limit of admin and metadata calls (10000)
 * Bad kafka.* names or values fail here with librdkafka's reason
 * (SL_EINVAL).  On success *out owns everything; sl_kafka_destroy() frees.
 */
int sl_kafka_create(const sl_kafka_prop_t *props, size_t n, sl_kafka_t **out, sl_error_t *err);

/* Stops the embedded cluster if any and frees k (NULL is fine).  Every
 * producer and consumer made from k must have been destroyed. */
void sl_kafka_destroy(sl_kafka_t *k);

/* The bootstrap address ("127.0.0.1:PORT[,...]" when embedded), owned by
 * k: what the server announces on start-up so that kcat can connect. */
const char *sl_kafka_bootstrap(const sl_kafka_t *k);

/* True when k runs the embedded (in-process, in-memory) cluster. */
bool sl_kafka_embedded(const sl_kafka_t *k);

/* The embedded cluster, for fault injection (rd_kafka_mock_*: broker down,
 * request errors, leader changes); NULL when k talks to a real cluster. */
rd_kafka_mock_cluster_t *sl_kafka_mock_cluster(sl_kafka_t *k);

/*
 * The timestamp of a consumed record.  With sluice.kafka.zero.timestamps
 * (test mode: ksqlDB's test cases use the timestamp 0, which librdkafka
 * cannot send) a record produced with timestamp 0 travels as -1, and this
 * reads it back as 0; otherwise it is librdkafka's timestamp.
 */
int64_t sl_kafka_message_timestamp(const sl_kafka_t *k, const rd_kafka_message_t *m);

/* Health check: asks the cluster for metadata within timeout_ms.  SL_OK
 * when a broker answers, else SL_EIO naming the cluster, the reason and
 * the last error librdkafka reported. */
int sl_kafka_ping(sl_kafka_t *k, int timeout_ms, sl_error_t *err);

/* ---------------------------------------------------------------------
 * Topics (admin); every call waits at most sluice.kafka.timeout.ms
 */

typedef struct sl_kafka_topic_info {
	char *name; /* owned by the list */
	int partitions;
	int replicas; /* replication factor (of partition 0) */
} sl_kafka_topic_info_t;

/* Creates topic name with partitions (>= 1, or -1 for the cluster default)
 * and replicas (>= 1, or -1 for the cluster default) and waits until its
 * metadata shows it.  SL_EEXISTS if it exists, SL_EINVAL for a bad name or
 * count, SL_EIO when the cluster refuses or does not answer. */
int sl_kafka_topic_create(sl_kafka_t *k, const char *name, int partitions, int replicas,
			  sl_error_t *err);

/* Deletes topic name; SL_ENOTFOUND if there is none.  The embedded cluster
 * cannot really delete: the topic is hidden instead (docs/kafka.md). */
int sl_kafka_topic_delete(sl_kafka_t *k, const char *name, sl_error_t *err);

/* Partition count and replication factor of topic name (either pointer may
 * be NULL); SL_ENOTFOUND if there is no such topic.  Never creates it. */
int sl_kafka_topic_describe(sl_kafka_t *k, const char *name, int *partitions, int *replicas,
			    sl_error_t *err);

/* Sets *exists; fails only when the cluster cannot be asked. */
int sl_kafka_topic_exists(sl_kafka_t *k, const char *name, bool *exists, sl_error_t *err);

/* Every topic of the cluster (internal ones such as __consumer_offsets
 * included), sorted by name, in a new array *topics of *n entries that the
 * caller frees with sl_kafka_topic_list_free(). */
int sl_kafka_topic_list(sl_kafka_t *k, sl_kafka_topic_info_t **topics, size_t *n, sl_error_t *err);

void sl_kafka_topic_list_free(sl_kafka_topic_info_t *topics, size_t n);

/* ---------------------------------------------------------------------
 * The producer: idempotent, batching, murmur2_random partitioner (keys land
 * on the partitions Java clients and ksqlDB choose)
 */

typedef struct sl_kafka_producer sl_kafka_producer_t;

typedef struct sl_kafka_header {
	const char *name;
	const void *value; /* NULL: a null header value */
	size_t len;
} sl_kafka_header_t;

/* A record to produce; every pointer is borrowed and copied by produce. */
typedef struct sl_kafka_record {
	const char *topic;
	int32_t partition; /* SL_KAFKA_PARTITION_ANY: by key (murmur2) */
	const void *key;   /* NULL: no key */
	size_t key_len;
	const void *value; /* NULL: a tombstone */
	size_t value_len;
	int64_t timestamp; /* ms since the epoch; <= 0: the current time
			     * (librdkafka cannot send the timestamp 0) */
	const sl_kafka_header_t *headers;
	size_t nheaders;
} sl_kafka_record_t;

/* Creates a producer on k.  kafka.* properties override the defaults
 * (docs/kafka.md); an inconsistent combination fails with librdkafka's
 * reason (SL_EINVAL). */
int sl_kafka_producer_create(sl_kafka_t *k, sl_kafka_producer_t **out, sl_error_t *err);

/* Waits up to 1 s for records in flight, drops the rest and frees p (NULL
 * is fine).  Call sl_kafka_producer_flush() first to learn of failures. */
void sl_kafka_producer_destroy(sl_kafka_producer_t *p);

/* Queues rec for delivery.  Blocks while the local queue is full
 * (queue.buffering.max.*), which is the producer's back-pressure.  Fails
 * at once (SL_EIO, SL_EINVAL for an oversized record or unknown partition)
 * when librdkafka refuses the record; later failures are delivery
 * failures, reported by flush and poll.  Thread-safe. */
int sl_kafka_producer_produce(sl_kafka_producer_t *p, const sl_kafka_record_t *rec,
			      sl_error_t *err);

/*
 * Delivery failures.  Every record that could not be delivered is counted
 * and remembered, never dropped silently.  seen is the caller's cursor: the
 * number of failures it already knows of (start it at 0, or at
 * sl_kafka_producer_failures() to ignore the past); poll and flush report
 * the failures after it, then move it.  Several threads sharing the
 * producer each keep their own cursor, so that each learns of every
 * failure (a failure of another thread's record makes it fail too, which
 * costs a retry, never a loss).  seen == NULL uses the producer's own
 * cursor: for a single user.
 */

/* Reports delivery failures after *seen without waiting: SL_EIO naming
 * the count and the first failure (topic, partition, reason), SL_ERR after
 * a fatal error (the producer must be re-created).  Thread-safe. */
int sl_kafka_producer_poll(sl_kafka_producer_t *p, uint64_t *seen, sl_error_t *err);

/* Waits up to timeout_ms until every record queued so far (by any thread)
 * is delivered or failed, then reports as sl_kafka_producer_poll(); SL_EIO
 * as well when the time ran out first.  Thread-safe. */
int sl_kafka_producer_flush(sl_kafka_producer_t *p, int timeout_ms, uint64_t *seen,
			    sl_error_t *err);

/* Failed deliveries since p was created (a counter for metrics). */
uint64_t sl_kafka_producer_failures(sl_kafka_producer_t *p);

/* ---------------------------------------------------------------------
 * The consumer: partitions assigned explicitly (no consumer-group join)
 */

typedef struct sl_kafka_consumer sl_kafka_consumer_t;

/* A topic partition and an offset; topic is borrowed. */
typedef struct sl_kafka_tp {
	const char *topic;
	int32_t partition;
	int64_t offset;
} sl_kafka_tp_t;

/*
 * Creates a consumer on k.  group (NULL: "sluice") is its group.id, used
 * for nothing but naming: partitions are assigned by the caller, no group
 * is joined and no offset is committed to Kafka.  reset is where to go
 * when there is no start offset (SL_KAFKA_OFFSET_INVALID in an
 * assignment) or when a start offset is no longer available (retention):
 * SL_KAFKA_OFFSET_BEGINNING ("earliest") or SL_KAFKA_OFFSET_END
 * ("latest").  The latter case is also reported by poll, never silent.
 */
int sl_kafka_consumer_create(sl_kafka_t *k, const char *group, int64_t reset,
			     sl_kafka_consumer_t **out, sl_error_t *err);

/* Frees c (NULL is fine).  Every message c returned must have been
 * destroyed first (librdkafka's rule). */
void sl_kafka_consumer_destroy(sl_kafka_consumer_t *c);

/* Replaces the assignment with tps[0..n): each partition starts at offset
 * (>= 0: the next record to read, as kept in sluice's state), at
 * SL_KAFKA_OFFSET_BEGINNING or _END, or with SL_KAFKA_OFFSET_INVALID at
 * the consumer's reset.  Every topic and partition must exist
 * (SL_ENOTFOUND, SL_EINVAL); n == 0 unassigns everything. */
int sl_kafka_consumer_assign(sl_kafka_consumer_t *c, const sl_kafka_tp_t *tps, size_t n,
			     sl_error_t *err);

/*
 * Waits up to timeout_ms for at least one record, then takes whatever else
 * is ready without waiting, up to max, into msgs[0..*n) (0 when the time
 * ran out).  The caller owns each message and destroys it with
 * rd_kafka_message_destroy() (or sl_kafka_messages_destroy()); msg->err
 * is always 0: partition ends only move the position, and errors are
 * reported here: SL_EIO for a partition error (the records in msgs are
 * still valid and the consumer goes on), SL_ERR for a fatal one.
 */
int sl_kafka_consumer_poll(sl_kafka_consumer_t *c, rd_kafka_message_t **msgs, size_t max,
			   int timeout_ms, size_t *n, sl_error_t *err);

/* Destroys msgs[0..n). */
void sl_kafka_messages_destroy(rd_kafka_message_t **msgs, size_t n);

/*
 * A record kept for later, out of librdkafka's memory: a consumed message
 * points into the fetch response it came in, and keeping it keeps the
 * whole response (up to megabytes of other partitions' records).  The copy
 * holds its key, value, headers and timestamp (read through k) in one
 * block of its own; topic (rkt), partition and offset are the message's.
 * sl_kafka_message_timestamp(), sl_kafka_message_headers() and
 * sl_kafka_message_free() take copies and consumed messages alike; no
 * other librdkafka function may be given a copy.
 */
rd_kafka_message_t *sl_kafka_message_copy(const sl_kafka_t *k, const rd_kafka_message_t *m);
/* True when m is a copy made by sl_kafka_message_copy(). */
bool sl_kafka_message_is_copy(const rd_kafka_message_t *m);
/* rd_kafka_message_headers() for copies too. */
rd_kafka_resp_err_t sl_kafka_message_headers(const rd_kafka_message_t *m,
					     rd_kafka_headers_t **hdrs);
/* Frees a copy, or destroys a consumed message. */
void sl_kafka_message_free(rd_kafka_message_t *m);

/* The next offset the consumer will return for topic/partition (last
 * returned + 1, or where the partition was found to end), or
 * SL_KAFKA_OFFSET_INVALID while unknown or not assigned.  Thread-safe. */
int64_t sl_kafka_consumer_position(sl_kafka_consumer_t *c, const char *topic, int32_t partition);

/* Asks the partition's leader for its low and high watermarks (the first
 * offset still stored and the offset of the next record written).
 * Thread-safe; waits at most timeout_ms. */
int sl_kafka_consumer_watermarks(sl_kafka_consumer_t *c, const char *topic, int32_t partition,
				 int timeout_ms, int64_t *low, int64_t *high, sl_error_t *err);

/* The partition's high watermark as the last fetch response told it,
 * without asking the broker; -1 while unknown.  Thread-safe. */
int64_t sl_kafka_consumer_cached_end(sl_kafka_consumer_t *c, const char *topic,
				     int32_t partition);

/* The test-mode barrier: sets *done when every assigned partition's
 * position has reached its high watermark, i.e. the consumer has returned
 * every record written (and flushed) before the call.  timeout_ms bounds
 * each watermark query.  Thread-safe. */
int sl_kafka_consumer_caught_up(sl_kafka_consumer_t *c, int timeout_ms, bool *done,
				sl_error_t *err);

/* Pauses (resumes) fetching of topic's partition; partition -1 means every
 * assigned partition of topic, topic NULL every assigned partition.
 * Records already returned are not affected; none is lost or repeated. */
int sl_kafka_consumer_pause(sl_kafka_consumer_t *c, const char *topic, int32_t partition,
			    sl_error_t *err);
int sl_kafka_consumer_resume(sl_kafka_consumer_t *c, const char *topic, int32_t partition,
			     sl_error_t *err);

#endif
