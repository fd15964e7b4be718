/*
 * mock.c: the embedded cluster, librdkafka's mock cluster in this process.
 *
 * Brokers listen on 127.0.0.1 (random ports) and keep everything in memory,
 * about 5 MB per partition (older records are dropped, the low watermark
 * moves).  The 2.0.2 mock cannot create topics through the Admin API (it
 * has no controller) nor delete them, so topics are created with
 * rd_kafka_mock_topic_create(), and deleting a topic is emulated: the
 * topic is put in error (UNKNOWN_TOPIC_OR_PART, so that every client sees
 * it gone) and its high watermarks are kept; re-creating it with the same
 * partition count clears the error, and sluice's consumers then treat the
 * old high watermarks as the beginning, so the new topic reads as empty.
 * Control requests to the mock thread are helped along (poke(), below).
 * Used by sl_kafka_t when no bootstrap.servers is set, and by sluice-kafka.
 */
#include "kafka/internal.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct mock_topic {
	char *name;
	int npart;
	int64_t *base; /* first offset of each partition after a re-creation */
	bool deleted;
} mock_topic_t;

struct sl_kafka_mock {
	rd_kafka_t *rk; /* the handle the cluster belongs to */
	rd_kafka_mock_cluster_t *mc;
	int brokers;
	int port;           /* of broker 1, for poke() */
	pthread_mutex_t mu; /* guards topics */
	mock_topic_t *topics;
	size_t ntopics;
};

/* The owning handle is no client: drop its notice that its (absent)
 * bootstrap.servers is replaced by the mock cluster's. */
static void
mock_log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	if (strcmp(fac, "CONFWARN") == 0 ||
	    (strcmp(fac, "MOCK") == 0 && strstr(buf, "Mock cluster enabled") != NULL))
		return;
	rd_kafka_log_print(rk, level, fac, buf);
}

int
sl_kafka_mock_start(int brokers, sl_kafka_mock_t **out, sl_error_t *err)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	int rc;

	sl_kafka_mock_t *m = calloc(1, sizeof(*m));
	if (m == NULL) {
		rd_kafka_conf_destroy(conf);
		return sl_error_set(err, SL_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&m->mu, NULL);
	m->brokers = brokers;
	rd_kafka_conf_set_log_cb(conf, mock_log_cb);
	if ((rc = sl_kafka_conf_set(conf, "client.id", "sluice-embedded", "client.id", err)) !=
	    SL_OK) {
		rd_kafka_conf_destroy(conf);
		goto fail;
	}
	/* The handle owns the cluster (test.mock.num.brokers) rather than
	 * rd_kafka_mock_cluster_new(): rd_kafka_mock_cluster_destroy() takes a
	 * second (its internal broker thread notices the end only at its next
	 * 1 s wake-up), while destroying the handle stops it at once. */
	char nbuf[16];
	snprintf(nbuf, sizeof(nbuf), "%d", brokers);
	if ((rc = sl_kafka_conf_set(conf, "test.mock.num.brokers", nbuf, "test.mock.num.brokers",
				    err)) != SL_OK) {
		rd_kafka_conf_destroy(conf);
		goto fail;
	}
	if ((rc = sl_kafka_handle_new(RD_KAFKA_PRODUCER, conf, "embedded cluster", &m->rk, err)) !=
	    SL_OK)
		goto fail;
	m->mc = rd_kafka_handle_mock_cluster(m->rk);
	if (m->mc == NULL) {
		rc = sl_error_set(err, SL_EIO,
				  "cannot start the embedded kafka cluster (%d "
				  "brokers): no listening socket on 127.0.0.1",
				  brokers);
		goto fail;
	}
	const char *colon = strchr(rd_kafka_mock_cluster_bootstraps(m->mc), ':');
	m->port = colon != NULL ? atoi(colon + 1) : 0;
	*out = m;
	return SL_OK;
fail:
	sl_kafka_mock_stop(m);
	return rc;
}

void
sl_kafka_mock_stop(sl_kafka_mock_t *m)
{
	if (m == NULL)
		return;
	if (m->rk != NULL)
		rd_kafka_destroy(m->rk); /* and the cluster with it */
	for (size_t i = 0; i < m->ntopics; i++) {
		free(m->topics[i].name);
		free(m->topics[i].base);
	}
	free(m->topics);
	pthread_mutex_destroy(&m->mu);
	free(m);
}

const char *
sl_kafka_mock_bootstrap(const sl_kafka_mock_t *m)
{
	return rd_kafka_mock_cluster_bootstraps(m->mc);
}

rd_kafka_mock_cluster_t *
sl_kafka_mock_handle(sl_kafka_mock_t *m)
{
	return m->mc;
}

/*
 * The 2.0.2 mock thread sometimes misses the wake-up of a control request
 * (topic create, set error) and serves it only at its next event or after
 * its 1 s poll timeout.  While such a request is pending, a helper thread
 * gives it events: a connection to broker 1, closed at once, every 3 ms.
 */
typedef struct poke {
	int port;
	atomic_bool done;
	pthread_t thread;
	bool running;
} poke_t;

static void *
poke_main(void *arg)
{
	poke_t *pk = arg;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	sa.sin_port = htons((uint16_t)pk->port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (;;) {
		struct timespec pause = { 0, 3 * 1000000 };
		nanosleep(&pause, NULL);
		if (atomic_load(&pk->done))
			break;
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			continue;
		(void)connect(fd, (struct sockaddr *)&sa, sizeof(sa));
		close(fd);
	}
	return NULL;
}

static void
poke_start(sl_kafka_mock_t *m, poke_t *pk)
{
	pk->port = m->port;
	atomic_init(&pk->done, false);
	pk->running = m->port > 0 && pthread_create(&pk->thread, NULL, poke_main, pk) == 0;
}

static void
poke_stop(poke_t *pk)
{
	atomic_store(&pk->done, true);
	if (pk->running)
		pthread_join(pk->thread, NULL);
}

/* Caller holds m->mu. */
static mock_topic_t *
topic_find(sl_kafka_mock_t *m, const char *name)
{
	for (size_t i = 0; i < m->ntopics; i++)
		if (strcmp(m->topics[i].name, name) == 0)
			return &m->topics[i];
	return NULL;
}

int
sl_kafka_mock_topic_create(sl_kafka_mock_t *m, const char *name, int partitions, int replicas,
			   sl_error_t *err)
{
	char buf[200];
	int rc = SL_OK;

	if (partitions == -1)
		partitions = 1;
	if (replicas == -1)
		replicas = 1;
	if (replicas > m->brokers)
		return sl_error_set(
			err, SL_EINVAL,
			"cannot create topic \"%s\" with %d replicas: the embedded cluster "
			"has %d broker%s",
			name, replicas, m->brokers, m->brokers == 1 ? "" : "s");
	poke_t pk;
	pthread_mutex_lock(&m->mu);
	poke_start(m, &pk);
	rd_kafka_resp_err_t code = rd_kafka_mock_topic_create(m->mc, name, partitions, replicas);
	if (code == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
		mock_topic_t *t = topic_find(m, name);
		if (t == NULL || !t->deleted) {
			rc = sl_error_set(err, SL_EEXISTS, "topic \"%s\" already exists", name);
		} else if (t->npart != partitions) {
			rc = sl_error_set(
				err, SL_EINVAL,
				"the embedded cluster cannot re-create deleted topic \"%s\" "
				"with %d partitions, only with its former %d",
				name, partitions, t->npart);
		} else {
			rd_kafka_mock_topic_set_error(m->mc, name, RD_KAFKA_RESP_ERR_NO_ERROR);
			t->deleted = false;
		}
	} else if (code != RD_KAFKA_RESP_ERR_NO_ERROR) {
		rc = sl_error_set(err, SL_EIO, "cannot create topic \"%s\": %s", name,
				  sl_kafka_errstr(buf, sizeof(buf), rd_kafka_err2str(code)));
	}
	poke_stop(&pk);
	pthread_mutex_unlock(&m->mu);
	return rc;
}

int
sl_kafka_mock_topic_delete(sl_kafka_mock_t *m, const char *name, int npart, const int64_t *high,
			   sl_error_t *err)
{
	int rc = SL_OK;
	pthread_mutex_lock(&m->mu);
	mock_topic_t *t = topic_find(m, name);
	if (t == NULL) {
		mock_topic_t *grown = realloc(m->topics, (m->ntopics + 1) * sizeof(*grown));
		if (grown == NULL) {
			rc = sl_error_set(err, SL_ENOMEM, "out of memory");
			goto out;
		}
		m->topics = grown;
		t = &m->topics[m->ntopics];
		memset(t, 0, sizeof(*t));
		if ((t->name = strdup(name)) == NULL) {
			rc = sl_error_set(err, SL_ENOMEM, "out of memory");
			goto out;
		}
		m->ntopics++;
	}
	int64_t *base = realloc(t->base, (size_t)npart * sizeof(*base));
	if (base == NULL) {
		rc = sl_error_set(err, SL_ENOMEM, "out of memory");
		goto out;
	}
	memcpy(base, high, (size_t)npart * sizeof(*base));
	t->base = base;
	t->npart = npart;
	t->deleted = true;
	poke_t pk;
	poke_start(m, &pk);
	rd_kafka_mock_topic_set_error(m->mc, name, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
	poke_stop(&pk);
out:
	pthread_mutex_unlock(&m->mu);
	return rc;
}

int64_t
sl_kafka_mock_topic_base(sl_kafka_mock_t *m, const char *name, int32_t partition)
{
	int64_t base = 0;
	pthread_mutex_lock(&m->mu);
	mock_topic_t *t = topic_find(m, name);
	if (t != NULL && !t->deleted && partition >= 0 && partition < t->npart)
		base = t->base[partition];
	pthread_mutex_unlock(&m->mu);
	return base;
}
