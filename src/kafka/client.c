/*
 * client.c: the Kafka client context (sl_kafka_t).
 *
 * Reads the properties that concern Kafka, starts the embedded cluster when
 * no bootstrap.servers is given, and builds the librdkafka configuration of
 * every handle: bootstrap.servers, sluice's defaults for the role, then the
 * user's kafka.* properties unchanged, then the few settings sluice cannot
 * work without.  Also the admin handle (metadata, topic administration),
 * the health check, and the routing of librdkafka's logs and error events.
 */
#include "kafka/internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KAFKA_PREFIX "kafka."
#define KAFKA_PREFIX_LEN (sizeof(KAFKA_PREFIX) - 1)
#define SLUICE_PREFIX "sluice.kafka."

const char *
sl_kafka_errstr(char *buf, size_t size, const char *s)
{
	snprintf(buf, size, "%s", s != NULL ? s : "unknown error");
	/* "Broker: Unknown topic" -> "broker: Unknown topic"; keep "SASL" */
	if (isupper((unsigned char)buf[0]) && !isupper((unsigned char)buf[1]))
		buf[0] = (char)tolower((unsigned char)buf[0]);
	return buf;
}

/* librdkafka's log lines, minus the warnings that come from giving every
 * handle every kafka.* property (consumer properties on the producer...). */
static void
log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	if (strcmp(fac, "CONFWARN") == 0 &&
	    (strstr(buf, "is a consumer property and will be ignored") != NULL ||
	     strstr(buf, "is a producer property and will be ignored") != NULL))
		return;
	rd_kafka_log_print(rk, level, fac, buf);
}

void
sl_kafka_note_error(sl_kafka_t *k, const char *who, rd_kafka_resp_err_t code, const char *reason,
		    bool fatal)
{
	char msg[sizeof(k->last_error)];
	char rbuf[200];
	snprintf(msg, sizeof(msg), "%s%s: %s", fatal ? "fatal error in " : "", who,
		 sl_kafka_errstr(rbuf, sizeof(rbuf),
				 reason != NULL ? reason : rd_kafka_err2str(code)));
	pthread_mutex_lock(&k->mu);
	memcpy(k->last_error, msg, sizeof(msg));
	pthread_mutex_unlock(&k->mu);
	/* connection failures are in librdkafka's own log already */
	if (code != RD_KAFKA_RESP_ERR__TRANSPORT)
		fprintf(stderr, "sluice: kafka: %s\n", msg);
}

int
sl_kafka_conf_set(rd_kafka_conf_t *conf, const char *name, const char *value, const char *shown,
		  sl_error_t *err)
{
	char errstr[512], buf[512];
	rd_kafka_conf_res_t res = rd_kafka_conf_set(conf, name, value, errstr, sizeof(errstr));
	if (res == RD_KAFKA_CONF_OK)
		return SL_OK;
	sl_kafka_errstr(buf, sizeof(buf), errstr);
	/* the value only when the name is right: a misspelt sasl.password
	 * must not end up in a log */
	if (res == RD_KAFKA_CONF_INVALID)
		return sl_error_set(err, SL_EINVAL, "invalid property \"%s\" (value \"%s\"): %s",
				    shown, value, buf);
	return sl_error_set(err, SL_EINVAL, "invalid property \"%s\": %s", shown, buf);
}

int
sl_kafka_handle_new(rd_kafka_type_t type, rd_kafka_conf_t *conf, const char *what, rd_kafka_t **out,
		    sl_error_t *err)
{
	char errstr[512], buf[512];
	rd_kafka_t *rk = rd_kafka_new(type, conf, errstr, sizeof(errstr));
	if (rk == NULL) {
		rd_kafka_conf_destroy(conf); /* rd_kafka_new() frees it only on success */
		return sl_error_set(err, SL_EINVAL, "cannot create the kafka %s: %s", what,
				    sl_kafka_errstr(buf, sizeof(buf), errstr));
	}
	*out = rk;
	return SL_OK;
}

/* Settings of each role that the user may override with kafka.*. */
static const sl_kafka_prop_t admin_defaults[] = {
	{ "allow.auto.create.topics", "false" },
	{ NULL, NULL },
};

static const sl_kafka_prop_t producer_defaults[] = {
	{ "enable.idempotence", "true" },
	{ "partitioner", "murmur2_random" }, /* the Java client's: same key, same partition */
	{ "linger.ms", "5" },
	{ "batch.num.messages", "10000" },
	{ "batch.size", "1000000" },
	{ "queue.buffering.max.kbytes", "65536" }, /* bounds memory; produce blocks beyond */
	{ "allow.auto.create.topics", "false" },
	{ NULL, NULL },
};

static const sl_kafka_prop_t consumer_defaults[] = {
	{ "enable.auto.commit", "false" }, /* offsets live in sluice's state */
	{ "enable.auto.offset.store", "false" },
	/* Prefetch per consumer.  librdkafka 2.0 stops fetching for a whole
	 * second once its queue passes either limit (its issue #2879), and one
	 * fetch from many partitions passes 100000 records / 16 MB: q0 over
	 * 1M records ran at 157k-428k events/s with those, 395k-460k with
	 * these (bench/q0.sh, same CPU per event).  Bounded at 128 MB. */
	{ "queued.min.messages", "1000000" },
	{ "queued.max.messages.kbytes", "131072" },
	{ "fetch.max.bytes", "52428800" },
	{ "max.partition.fetch.bytes", "1048576" },
	{ "fetch.wait.max.ms", "100" },
	{ NULL, NULL },
};

/* The embedded cluster answers an empty fetch only after the whole
 * fetch.wait.max.ms, even when records arrive meanwhile: keep it short. */
static const sl_kafka_prop_t consumer_embedded_defaults[] = {
	{ "fetch.wait.max.ms", "5" },
	{ "fetch.error.backoff.ms", "20" },
	{ NULL, NULL },
};

/* After the user's properties: sluice's consumer depends on these. */
static const sl_kafka_prop_t consumer_required[] = {
	{ "enable.partition.eof", "true" }, /* positions at the end of a partition */
	{ "auto.offset.reset", "error" },   /* sl_kafka_consumer_poll() resets, and says so */
	{ NULL, NULL },
};

static int
conf_set_list(rd_kafka_conf_t *conf, const sl_kafka_prop_t *list, sl_error_t *err)
{
	for (; list->name != NULL; list++) {
		int rc = sl_kafka_conf_set(conf, list->name, list->value, list->name, err);
		if (rc != SL_OK)
			return rc;
	}
	return SL_OK;
}

int
sl_kafka_conf_build(sl_kafka_t *k, int role, const char *group, rd_kafka_conf_t **out,
		    sl_error_t *err)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char shown[256];
	int rc;

	rd_kafka_conf_set_log_cb(conf, log_cb);
	if ((rc = sl_kafka_conf_set(conf, "bootstrap.servers", k->bootstrap, "bootstrap.servers",
				    err)) != SL_OK ||
	    (rc = sl_kafka_conf_set(conf, "client.id", "sluice", "client.id", err)) != SL_OK)
		goto fail;
	switch (role) {
	case SL_KAFKA_ROLE_ADMIN:
		rc = conf_set_list(conf, admin_defaults, err);
		break;
	case SL_KAFKA_ROLE_PRODUCER:
		rc = conf_set_list(conf, producer_defaults, err);
		break;
	default:
		rc = conf_set_list(conf, consumer_defaults, err);
		if (rc == SL_OK && k->mock != NULL)
			rc = conf_set_list(conf, consumer_embedded_defaults, err);
		if (rc == SL_OK)
			rc = sl_kafka_conf_set(conf, "group.id", group != NULL ? group : "sluice",
					       "group.id", err);
		break;
	}
	if (rc != SL_OK)
		goto fail;
	for (size_t i = 0; i < k->nprops; i++) {
		snprintf(shown, sizeof(shown), KAFKA_PREFIX "%s", k->props[i].name);
		if ((rc = sl_kafka_conf_set(conf, k->props[i].name, k->props[i].value, shown,
					    err)) != SL_OK)
			goto fail;
	}
	if (role == SL_KAFKA_ROLE_CONSUMER &&
	    (rc = conf_set_list(conf, consumer_required, err)) != SL_OK)
		goto fail;
	*out = conf;
	return SL_OK;
fail:
	rd_kafka_conf_destroy(conf);
	return rc;
}

/* Error events of the admin handle, on librdkafka's background thread. */
static void
admin_event_cb(rd_kafka_t *rk, rd_kafka_event_t *ev, void *opaque)
{
	(void)rk;
	if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_ERROR)
		sl_kafka_note_error(opaque, "kafka admin client", rd_kafka_event_error(ev),
				    rd_kafka_event_error_string(ev),
				    rd_kafka_event_error_is_fatal(ev));
	rd_kafka_event_destroy(ev);
}

static int
parse_int(const char *name, const char *value, long lo, long hi, int *out, sl_error_t *err)
{
	char *end;
	errno = 0;
	long v = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || v < lo || v > hi)
		return sl_error_set(err, SL_EINVAL,
				    "invalid value \"%s\" for property \"%s\": expected an integer "
				    "from %ld to %ld",
				    value, name, lo, hi);
	*out = (int)v;
	return SL_OK;
}

/* Sorts props into k (bootstrap, kafka.*) and *brokers; the rest is for
 * other layers. */
static int
props_read(sl_kafka_t *k, const sl_kafka_prop_t *props, size_t n, int *brokers, sl_error_t *err)
{
	const char *bootstrap = NULL, *bootstrap_name = NULL;
	int rc;

	k->props = calloc(n > 0 ? n : 1, sizeof(*k->props));
	if (k->props == NULL)
		return sl_error_set(err, SL_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const char *name = props[i].name, *value = props[i].value;
		if (name == NULL)
			continue;
		bool is_kafka = strncmp(name, KAFKA_PREFIX, KAFKA_PREFIX_LEN) == 0;
		bool is_ours = strncmp(name, SLUICE_PREFIX, strlen(SLUICE_PREFIX)) == 0;
		bool is_bootstrap = strcmp(name, "bootstrap.servers") == 0 ||
				    strcmp(name, KAFKA_PREFIX "bootstrap.servers") == 0;
		if (!is_kafka && !is_ours && !is_bootstrap)
			continue;
		if (value == NULL)
			return sl_error_set(err, SL_EINVAL, "property \"%s\" has no value", name);
		if (is_bootstrap) {
			if (bootstrap != NULL && strcmp(bootstrap, value) != 0)
				return sl_error_set(err, SL_EINVAL,
						    "properties \"%s\" and \"%s\" disagree",
						    bootstrap_name, name);
			bootstrap = value;
			bootstrap_name = name;
		} else if (strcmp(name, SLUICE_PREFIX "embedded.brokers") == 0) {
			if ((rc = parse_int(name, value, 1, 32, brokers, err)) != SL_OK)
				return rc;
		} else if (strcmp(name, SLUICE_PREFIX "timeout.ms") == 0) {
			if ((rc = parse_int(name, value, 1, 3600000, &k->timeout_ms, err)) != SL_OK)
				return rc;
		} else if (strcmp(name, SLUICE_PREFIX "zero.timestamps") == 0) {
			k->zero_timestamps = strcmp(value, "true") == 0;
		} else if (is_ours) {
			return sl_error_set(err, SL_EINVAL, "unknown property \"%s\"", name);
		} else if (name[KAFKA_PREFIX_LEN] == '\0') {
			return sl_error_set(err, SL_EINVAL,
					    "invalid property \"%s\": no librdkafka "
					    "property name after \"kafka.\"",
					    name);
		} else {
			sl_kafka_prop_t *p = &k->props[k->nprops++];
			p->name = strdup(name + KAFKA_PREFIX_LEN);
			p->value = strdup(value);
			if (p->name == NULL || p->value == NULL)
				return sl_error_set(err, SL_ENOMEM, "out of memory");
		}
	}
	if (bootstrap != NULL && bootstrap[0] != '\0' && (k->bootstrap = strdup(bootstrap)) == NULL)
		return sl_error_set(err, SL_ENOMEM, "out of memory");
	return SL_OK;
}

/* Applies every kafka.* property to a scratch configuration, so that a bad
 * name or value is reported now, naming the property. */
static int
props_check(sl_kafka_t *k, sl_error_t *err)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char shown[256];
	int rc = SL_OK;
	for (size_t i = 0; i < k->nprops && rc == SL_OK; i++) {
		snprintf(shown, sizeof(shown), KAFKA_PREFIX "%s", k->props[i].name);
		rc = sl_kafka_conf_set(conf, k->props[i].name, k->props[i].value, shown, err);
	}
	rd_kafka_conf_destroy(conf);
	return rc;
}

int
sl_kafka_create(const sl_kafka_prop_t *props, size_t n, sl_kafka_t **out, sl_error_t *err)
{
	rd_kafka_conf_t *conf = NULL;
	int brokers = SL_KAFKA_EMBEDDED_BROKERS;
	int rc;

	sl_kafka_t *k = calloc(1, sizeof(*k));
	if (k == NULL)
		return sl_error_set(err, SL_ENOMEM, "out of memory");
	pthread_mutex_init(&k->mu, NULL);
	k->timeout_ms = SL_KAFKA_TIMEOUT_MS;
	if ((rc = props_read(k, props, n, &brokers, err)) != SL_OK ||
	    (rc = props_check(k, err)) != SL_OK)
		goto fail;
	if (k->bootstrap == NULL) {
		if ((rc = sl_kafka_mock_start(brokers, &k->mock, err)) != SL_OK)
			goto fail;
		if ((k->bootstrap = strdup(sl_kafka_mock_bootstrap(k->mock))) == NULL) {
			rc = sl_error_set(err, SL_ENOMEM, "out of memory");
			goto fail;
		}
	}
	if ((rc = sl_kafka_conf_build(k, SL_KAFKA_ROLE_ADMIN, NULL, &conf, err)) != SL_OK)
		goto fail;
	rd_kafka_conf_set_opaque(conf, k);
	rd_kafka_conf_set_events(conf, RD_KAFKA_EVENT_ERROR);
	rd_kafka_conf_set_background_event_cb(conf, admin_event_cb);
	if ((rc = sl_kafka_handle_new(RD_KAFKA_PRODUCER, conf, "admin client", &k->admin, err)) !=
	    SL_OK)
		goto fail;
	/* error events go to the main queue: have the background thread serve it */
	rd_kafka_queue_t *mainq = rd_kafka_queue_get_main(k->admin);
	k->admin_bg = rd_kafka_queue_get_background(k->admin);
	rd_kafka_queue_forward(mainq, k->admin_bg);
	rd_kafka_queue_destroy(mainq);
	*out = k;
	return SL_OK;
fail:
	sl_kafka_destroy(k);
	return rc;
}

void
sl_kafka_destroy(sl_kafka_t *k)
{
	if (k == NULL)
		return;
	if (k->admin_bg != NULL)
		rd_kafka_queue_destroy(k->admin_bg);
	if (k->admin != NULL)
		rd_kafka_destroy(k->admin);
	if (k->mock != NULL)
		sl_kafka_mock_stop(k->mock);
	for (size_t i = 0; i < k->nprops; i++) {
		free((char *)k->props[i].name);
		free((char *)k->props[i].value);
	}
	free(k->props);
	free(k->bootstrap);
	pthread_mutex_destroy(&k->mu);
	free(k);
}

const char *
sl_kafka_bootstrap(const sl_kafka_t *k)
{
	return k->bootstrap;
}

bool
sl_kafka_embedded(const sl_kafka_t *k)
{
	return k->mock != NULL;
}

rd_kafka_mock_cluster_t *
sl_kafka_mock_cluster(sl_kafka_t *k)
{
	return k->mock != NULL ? sl_kafka_mock_handle(k->mock) : NULL;
}

int
sl_kafka_ping(sl_kafka_t *k, int timeout_ms, sl_error_t *err)
{
	const struct rd_kafka_metadata *md;
	char last[sizeof(k->last_error)], buf[200];
	/* all_topics=0 without a topic: the broker list only, cheap */
	rd_kafka_resp_err_t code = rd_kafka_metadata(k->admin, 0, NULL, &md, timeout_ms);
	if (code == RD_KAFKA_RESP_ERR_NO_ERROR) {
		rd_kafka_metadata_destroy(md);
		return SL_OK;
	}
	pthread_mutex_lock(&k->mu);
	memcpy(last, k->last_error, sizeof(last));
	pthread_mutex_unlock(&k->mu);
	return sl_error_set(err, SL_EIO, "kafka at \"%s\" does not answer: %s%s%s", k->bootstrap,
			    sl_kafka_errstr(buf, sizeof(buf), rd_kafka_err2str(code)),
			    last[0] != '\0' ? "; last error: " : "", last);
}

/* A copy of a consumed record: the message, then key and value bytes. */
typedef struct msg_copy {
	rd_kafka_message_t m;          /* _private: &copy_tag */
	int64_t ts;
	rd_kafka_headers_t *hdrs;      /* or NULL */
} msg_copy_t;

static const char copy_tag = 0;

bool
sl_kafka_message_is_copy(const rd_kafka_message_t *m)
{
	return m->_private == (void *)&copy_tag;
}

rd_kafka_message_t *
sl_kafka_message_copy(const sl_kafka_t *k, const rd_kafka_message_t *m)
{
	if (sl_kafka_message_is_copy(m))
		return (rd_kafka_message_t *)m;
	size_t klen = m->key != NULL ? m->key_len : 0, vlen = m->payload != NULL ? m->len : 0;
	msg_copy_t *c = malloc(sizeof(*c) + klen + vlen);
	if (c == NULL)
		abort();
	c->m = *m;
	c->m._private = (void *)&copy_tag;
	char *bytes = (char *)(c + 1);
	if (m->key != NULL) {
		memcpy(bytes, m->key, klen);
		c->m.key = bytes;
	}
	if (m->payload != NULL) {
		memcpy(bytes + klen, m->payload, vlen);
		c->m.payload = bytes + klen;
	}
	c->ts = sl_kafka_message_timestamp(k, m);
	rd_kafka_headers_t *h = NULL;
	c->hdrs = rd_kafka_message_headers(m, &h) == RD_KAFKA_RESP_ERR_NO_ERROR ?
		  rd_kafka_headers_copy(h) : NULL;
	return &c->m;
}

rd_kafka_resp_err_t
sl_kafka_message_headers(const rd_kafka_message_t *m, rd_kafka_headers_t **hdrs)
{
	if (!sl_kafka_message_is_copy(m))
		return rd_kafka_message_headers(m, hdrs);
	const msg_copy_t *c = (const msg_copy_t *)m;
	*hdrs = c->hdrs;
	return c->hdrs != NULL ? RD_KAFKA_RESP_ERR_NO_ERROR : RD_KAFKA_RESP_ERR__NOENT;
}

void
sl_kafka_message_free(rd_kafka_message_t *m)
{
	if (!sl_kafka_message_is_copy(m)) {
		rd_kafka_message_destroy(m);
		return;
	}
	msg_copy_t *c = (msg_copy_t *)m;
	if (c->hdrs != NULL)
		rd_kafka_headers_destroy(c->hdrs);
	free(c);
}

int64_t
sl_kafka_message_timestamp(const sl_kafka_t *k, const rd_kafka_message_t *m)
{
	if (sl_kafka_message_is_copy(m))
		return ((const msg_copy_t *)m)->ts;
	rd_kafka_timestamp_type_t type;
	int64_t ts = rd_kafka_message_timestamp(m, &type);

	if (k->zero_timestamps && ts < 0)
		return 0; /* produced as -1 for 0: see sluice.kafka.zero.timestamps */
	return ts;
}
