/*
 * serve.c: what the HTTP API asks of the engine besides statements and
 * queries: inserts from /inserts-stream, /info, /healthcheck, /status and
 * /metrics (engine.h).
 *
 * Stage: engine.
 */
#include "engine/internal.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "exec/query.h"
#include "format/serde.h"
#include "kafka/kafka.h"
#include "plan/plan.h"

/* ------------------------------------------------------------- inserts */

struct sl_inserter {
	sl_engine_t *eng;
	char *topic;
	int ncols, nkeys;
	sl_field_t *fields;          /* every column, for reading a row */
	sl_serde_t *row, *ks, *vs;
	sl_plan_io_t io;
	sl_arena_t arena;            /* fields and io */
	sl_arena_t scratch;          /* one row */
	sl_strbuf_t text, kb, vb;
	sl_value_t *vals, *vrow;
};

void
sl_inserter_close(sl_inserter_t *ins)
{
	if (ins == NULL)
		return;
	sl_serde_destroy(ins->row);
	sl_serde_destroy(ins->ks);
	sl_serde_destroy(ins->vs);
	sl_strbuf_free(&ins->text);
	sl_strbuf_free(&ins->kb);
	sl_strbuf_free(&ins->vb);
	sl_arena_destroy(&ins->scratch);
	sl_arena_destroy(&ins->arena);
	free(ins->topic);
	free(ins);
}

int
sl_engine_insert_open(sl_engine_t *eng, sl_session_t *s, const char *target,
		      sl_inserter_t **out, sl_error_t *err)
{
	sl_inserter_t *ins;
	int rc = SL_OK;

	(void)s;
	*out = NULL;
	pthread_mutex_lock(&eng->lock);
	const sl_source_t *src = sl_catalog_source(eng->cat, target);
	if (src == NULL) {
		/* ksqlDB upper-cases unquoted names */
		char up[256];
		size_t n = strlen(target) < sizeof(up) - 1 ? strlen(target) : sizeof(up) - 1;
		for (size_t i = 0; i < n; i++)
			up[i] = (char)toupper((unsigned char)target[i]);
		up[n] = '\0';
		src = sl_catalog_source(eng->cat, up);
	}
	if (src == NULL) {
		pthread_mutex_unlock(&eng->lock);
		return sl_error_set(err, SL_ENOTFOUND,
				    "Cannot insert values into an unknown stream/table: %s", target);
	}
	if (src->kind != SL_OBJ_STREAM || src->read_only) {
		pthread_mutex_unlock(&eng->lock);
		return sl_error_set(err, SL_EINVAL, "Cannot insert into %s %s: only into a stream "
				    "that is not read-only",
				    src->kind == SL_OBJ_TABLE ? "table" : "stream", src->name);
	}
	ins = calloc(1, sizeof(*ins));
	if (ins == NULL)
		abort();
	ins->eng = eng;
	sl_arena_init(&ins->arena, 0);
	sl_arena_init(&ins->scratch, 0);
	sl_strbuf_init(&ins->text);
	sl_strbuf_init(&ins->kb);
	sl_strbuf_init(&ins->vb);
	ins->topic = strdup(src->topic);
	sl_plan_io_from_source(&ins->arena, src, &ins->io);
	ins->ncols = src->ncols;
	ins->nkeys = sl_source_nkeys(src);
	ins->fields = sl_arena_calloc(&ins->arena, sizeof(*ins->fields) * (size_t)(src->ncols + 1));
	for (int i = 0; i < src->ncols; i++) {
		ins->fields[i].name = ins->io.cols[i].name;
		ins->fields[i].type = ins->io.cols[i].type;
	}
	ins->vals = sl_arena_calloc(&ins->arena, sizeof(*ins->vals) * (size_t)(src->ncols + 1));
	ins->vrow = sl_arena_calloc(&ins->arena, sizeof(*ins->vrow) * (size_t)(src->ncols + 1));
	pthread_mutex_unlock(&eng->lock);
	sl_serde_opts_t o = {.wrap = SL_SERDE_WRAP_DEFAULT};
	if ((rc = sl_serde_create(SL_FORMAT_JSON, ins->fields, ins->ncols, &o, &ins->row, err)) !=
		    SL_OK ||
	    (rc = sl_plan_io_serde(&ins->io, true, &ins->ks, err)) != SL_OK ||
	    (rc = sl_plan_io_serde(&ins->io, false, &ins->vs, err)) != SL_OK) {
		sl_inserter_close(ins);
		return rc;
	}
	*out = ins;
	return SL_OK;
}

int
sl_inserter_row(sl_inserter_t *ins, const cJSON *row, sl_error_t *err)
{
	struct timespec now;
	int rc, nv = 0;

	if (!cJSON_IsObject(row))
		return sl_error_set(err, SL_EINVAL, "Invalid JSON in inserts stream: a row must be "
				    "a JSON object of column names and values");
	for (const cJSON *f = row->child; f != NULL; f = f->next) {
		if (f->string != NULL &&
		    (strcasecmp(f->string, "ROWTIME") == 0 || strcasecmp(f->string, "ROWPARTITION") == 0 ||
		     strcasecmp(f->string, "ROWOFFSET") == 0))
			return sl_error_set(err, SL_EINVAL, "Inserting into column `%s` is not allowed.",
					    f->string);
		bool known = false;
		for (int i = 0; i < ins->ncols && !known; i++)
			known = strcasecmp(ins->fields[i].name, f->string) == 0;
		if (!known)
			return sl_error_set(err, SL_EINVAL, "Column '%s' does not exist", f->string);
	}
	char *text = cJSON_PrintUnformatted(row);
	if (text == NULL)
		return sl_error_set(err, SL_ENOMEM, "out of memory");
	sl_arena_reset(&ins->scratch);
	rc = sl_serde_decode(ins->row, text, strlen(text), &ins->scratch, ins->vals, err);
	if (rc < 0) {
		free(text);
		return rc;
	}
	for (int i = 0; i < ins->ncols; i++)
		if (ins->io.cols[i].ns == SL_COL_VALUE)
			ins->vrow[nv++] = ins->vals[i];
	sl_strbuf_reset(&ins->kb);
	sl_strbuf_reset(&ins->vb);
	int krc = ins->nkeys ? sl_serde_encode(ins->ks, ins->vals, &ins->kb, err) : SL_SERDE_NULL;
	int vrc = krc < 0 ? krc : sl_serde_encode(ins->vs, ins->vrow, &ins->vb, err);
	free(text);
	if (krc < 0 || vrc < 0)
		return krc < 0 ? krc : vrc;
	clock_gettime(CLOCK_REALTIME, &now);
	sl_kafka_record_t rec = {
		.topic = ins->topic,
		.partition = SL_KAFKA_PARTITION_ANY,
		.key = krc == SL_SERDE_NULL ? NULL : ins->kb.data,
		.key_len = krc == SL_SERDE_NULL ? 0 : ins->kb.len,
		.value = vrc == SL_SERDE_NULL ? NULL : ins->vb.data,
		.value_len = vrc == SL_SERDE_NULL ? 0 : ins->vb.len,
		.timestamp = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000,
	};
	if ((rc = sl_kafka_producer_produce(ins->eng->producer, &rec, err)) != SL_OK)
		return rc;
	return sl_kafka_producer_flush(ins->eng->producer, 30000, NULL, err);
}

/* ------------------------------------------------------------- server state */

cJSON *
sl_engine_info(sl_engine_t *eng)
{
	cJSON *o = cJSON_CreateObject(), *info = cJSON_AddObjectToObject(o, "KsqlServerInfo");

	/* the ksqlDB version whose API sluice serves: clients check it */
	cJSON_AddStringToObject(info, "version", "0.29.0");
	cJSON_AddStringToObject(info, "kafkaClusterId", sl_kafka_bootstrap(eng->kafka));
	cJSON_AddStringToObject(info, "ksqlServiceId",
				sl_props_get_or(&eng->props, "ksql.service.id", "default_"));
	cJSON_AddStringToObject(info, "serverStatus", "RUNNING");
	cJSON_AddStringToObject(info, "sluiceVersion", PACKAGE_VERSION);
	return o;
}

static cJSON *
healthy(cJSON *details, const char *name, bool ok, const char *why)
{
	cJSON *h = cJSON_AddObjectToObject(details, name);
	cJSON_AddBoolToObject(h, "isHealthy", ok);
	if (!ok && why != NULL)
		cJSON_AddStringToObject(h, "error", why);
	return h;
}

cJSON *
sl_engine_health(sl_engine_t *eng)
{
	cJSON *o = cJSON_CreateObject(), *details;
	sl_error_t err;
	int parts = 0;
	bool kafka_ok, state_ok, runner_ok = true;
	char why[SL_ERROR_MSG_MAX + 64] = "";

	/* Kafka: the broker answers a metadata request */
	const char *topic = eng->processing_log_topic;
	int rc = topic ? sl_kafka_topic_describe(eng->kafka, topic, &parts, NULL, &err) : SL_OK;
	if (topic == NULL) {
		/* any request will do: ask about a topic that may not exist */
		rc = sl_kafka_topic_describe(eng->kafka, "__sluice_health", &parts, NULL, &err);
		if (rc == SL_ENOTFOUND)
			rc = SL_OK;
	}
	kafka_ok = rc == SL_OK;
	state_ok = access(eng->query_state_dir, W_OK) == 0;
	pthread_mutex_lock(&eng->lock);
	for (int i = 0; i < eng->nrunning; i++) {
		if (atomic_load(&eng->running[i]->failed)) {
			runner_ok = false;
			snprintf(why, sizeof(why), "query %s failed: %s", eng->running[i]->id,
				 eng->running[i]->error);
			break;
		}
	}
	pthread_mutex_unlock(&eng->lock);
	cJSON_AddBoolToObject(o, "isHealthy", kafka_ok && state_ok && runner_ok);
	details = cJSON_AddObjectToObject(o, "details");
	healthy(details, "metastore", true, NULL);
	healthy(details, "kafka", kafka_ok, kafka_ok ? NULL : err.msg);
	healthy(details, "commandRunner", runner_ok, why);
	healthy(details, "state", state_ok, "the state directory is not writable");
	return o;
}

cJSON *
sl_engine_status(sl_engine_t *eng)
{
	cJSON *o = cJSON_CreateObject(), *st = cJSON_AddObjectToObject(o, "commandStatuses");
	char key[400];
	int n;

	pthread_mutex_lock(&eng->lock);
	sl_source_t **srcs = sl_catalog_sources(eng->cat, &n);
	for (int i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "%s/`%s`/create",
			 srcs[i]->kind == SL_OBJ_TABLE ? "table" : "stream", srcs[i]->name);
		cJSON_AddStringToObject(st, key, "SUCCESS");
	}
	sl_query_def_t **qs = sl_catalog_queries(eng->cat, &n);
	for (int i = 0; i < n; i++) {
		if (!qs[i]->terminated)
			continue;
		snprintf(key, sizeof(key), "terminate/%s/execute", qs[i]->id);
		cJSON_AddStringToObject(st, key, "SUCCESS");
	}
	pthread_mutex_unlock(&eng->lock);
	return o;
}

/* Rows of a query's result table and the bytes of its database. */
static void
state_size(sl_engine_t *eng, const char *id, int64_t *bytes)
{
	char path[4096];
	struct stat stt;

	*bytes = 0;
	static const char *suffix[] = {"", "-wal"};
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s.db%s", eng->query_state_dir, id, suffix[i]);
		if (stat(path, &stt) == 0)
			*bytes += (int64_t)stt.st_size;
	}
}

static void
metric_head(sl_strbuf_t *out, const char *name, const char *type, const char *help)
{
	sl_strbuf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void
sl_engine_metrics(sl_engine_t *eng, sl_strbuf_t *out)
{
	static const struct {
		const char *name, *type, *help;
	} m[] = {
		{"sluice_query_records_in_total", "counter", "Records a persistent query has read."},
		{"sluice_query_records_out_total", "counter", "Records a persistent query has written."},
		{"sluice_query_consumer_lag", "gauge", "Records in a query's input not read yet."},
		{"sluice_query_late_records_total", "counter",
		 "Records dropped because their window had closed."},
		{"sluice_query_state_bytes", "gauge", "Bytes of a query's SQLite database (with its WAL)."},
		{"sluice_query_commits_total", "counter", "Commits of a query's state and offsets."},
		{"sluice_query_commit_seconds_total", "counter", "Time spent committing."},
		{"sluice_query_commit_seconds_last", "gauge", "Duration of the last commit."},
		{"sluice_query_running", "gauge", "1 while the query runs, 0 when paused or failed."},
	};
	int nq;

	pthread_mutex_lock(&eng->lock);
	nq = eng->nrunning;
	sl_query_stats_t *st = calloc((size_t)nq + 1, sizeof(*st));
	char **ids = calloc((size_t)nq + 1, sizeof(*ids));
	int *up = calloc((size_t)nq + 1, sizeof(*up));
	int64_t *bytes = calloc((size_t)nq + 1, sizeof(*bytes));
	if (st == NULL || ids == NULL || up == NULL || bytes == NULL)
		abort();
	for (int i = 0; i < nq; i++) {
		sl_running_t *r = eng->running[i];
		ids[i] = strdup(r->id);
		sl_query_stats(r->q, &st[i]);
		up[i] = !atomic_load(&r->paused) && !atomic_load(&r->failed);
		state_size(eng, r->id, &bytes[i]);
	}
	pthread_mutex_unlock(&eng->lock);
	for (size_t k = 0; k < sizeof(m) / sizeof(m[0]); k++) {
		metric_head(out, m[k].name, m[k].type, m[k].help);
		for (int i = 0; i < nq; i++) {
			sl_strbuf_printf(out, "%s{query=\"%s\"} ", m[k].name, ids[i]);
			switch (k) {
			case 0: sl_strbuf_printf(out, "%" PRIu64 "\n", st[i].records_in); break;
			case 1: sl_strbuf_printf(out, "%" PRIu64 "\n", st[i].records_out); break;
			case 2: sl_strbuf_printf(out, "%" PRId64 "\n", st[i].lag); break;
			case 3: sl_strbuf_printf(out, "%" PRIu64 "\n", st[i].late_records); break;
			case 4: sl_strbuf_printf(out, "%" PRId64 "\n", bytes[i]); break;
			case 5: sl_strbuf_printf(out, "%" PRIu64 "\n", st[i].commits); break;
			case 6: sl_strbuf_printf(out, "%.6f\n", st[i].commit_seconds_total); break;
			case 7: sl_strbuf_printf(out, "%.6f\n", st[i].commit_seconds_last); break;
			default: sl_strbuf_printf(out, "%d\n", up[i]); break;
			}
		}
	}
	metric_head(out, "sluice_processing_errors_total", "counter",
		    "Records sent to the processing log (failed to decode, evaluate or write).");
	sl_strbuf_printf(out, "sluice_processing_errors_total %lld\n",
			 (long long)atomic_load(&eng->processing_errors));
	metric_head(out, "sluice_push_queries", "gauge", "Push queries running now.");
	sl_strbuf_printf(out, "sluice_push_queries %d\n", sl_engine_push_queries(eng));
	for (int i = 0; i < nq; i++)
		free(ids[i]);
	free(ids);
	free(st);
	free(up);
	free(bytes);
}
