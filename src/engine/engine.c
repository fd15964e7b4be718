/*
 * engine.c: the engine API (see engine.h): lifecycle, sessions, and the
 * statement loop.
 *
 * Stage: engine.  Splits request text into statements, substitutes
 * ${variables}, parses each statement and hands it to the handler of its
 * kind (stmt_*.c); collects their entities.  At start-up it replays the
 * catalog's statement log so that sources, types and queries come back.
 */
#include "engine/internal.h"

#include <dirent.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "kafka/kafka.h"
#include "parse/parser.h"

void
sl_exec_error_init(sl_exec_error_t *e)
{
	sl_error_clear(&e->err);
	e->statement = NULL;
	e->stmt_offset = -1;
	e->http_status = 0;
	e->error_code = 0;
}

void
sl_exec_error_clear(sl_exec_error_t *e)
{
	free(e->statement);
	sl_exec_error_init(e);
}

const char *
sl_engine_prop(const sl_stmt_ctx_t *c, const char *key, const char *def)
{
	const char *v = c->session ? sl_props_get(&c->session->props, key) : NULL;
	if (v == NULL)
		v = sl_props_get(&c->eng->props, key);
	return v ? v : def;
}

int
sl_engine_default_wrap(const sl_stmt_ctx_t *c)
{
	const char *v = sl_engine_prop(c, "ksql.persistence.wrap.single.values", NULL);
	if (v == NULL)
		return -1;
	return strcasecmp(v, "false") == 0 ? 0 : 1;
}

/* ------------------------------------------------------------ sessions */

sl_session_t *
sl_session_create(sl_engine_t *eng)
{
	sl_session_t *s = calloc(1, sizeof(*s));
	if (s == NULL)
		abort();
	s->eng = eng;
	sl_props_init(&s->props);
	sl_props_init(&s->vars);
	return s;
}

void
sl_session_destroy(sl_session_t *s)
{
	if (s == NULL)
		return;
	sl_props_free(&s->props);
	sl_props_free(&s->vars);
	free(s);
}

sl_props_t *
sl_session_properties(sl_session_t *s)
{
	return &s->props;
}

sl_props_t *
sl_session_variables(sl_session_t *s)
{
	return &s->vars;
}

/* --------------------------------------------------------- substitution */

/*
 * Replaces each ${name} in text (strings included, as ksqlDB does) with the
 * variable's value; names match case-insensitively.  Returns a malloc'd
 * copy, or NULL when nothing was replaced.
 */
char *
sl_engine_substitute(const char *text, size_t len, const sl_props_t *vars)
{
	sl_strbuf_t out;
	bool changed = false;
	size_t i = 0, last = 0;

	if (vars == NULL || vars->n == 0)
		return NULL;
	sl_strbuf_init(&out);
	while (i + 2 < len) {
		if (text[i] == '$' && text[i + 1] == '{') {
			size_t j = i + 2;
			while (j < len && (isalnum((unsigned char)text[j]) || text[j] == '_'))
				j++;
			if (j < len && text[j] == '}' && j > i + 2) {
				char name[256];
				size_t n = j - i - 2 < sizeof(name) - 1 ? j - i - 2 : sizeof(name) - 1;
				for (size_t k = 0; k < n; k++)
					name[k] = (char)toupper((unsigned char)text[i + 2 + k]);
				name[n] = '\0';
				const char *v = sl_props_get(vars, name);
				if (v != NULL) {
					sl_strbuf_append(&out, text + last, i - last);
					sl_strbuf_puts(&out, v);
					last = i = j + 1;
					changed = true;
					continue;
				}
			}
		}
		i++;
	}
	if (!changed) {
		sl_strbuf_free(&out);
		return NULL;
	}
	sl_strbuf_append(&out, text + last, len - last);
	return sl_strbuf_steal(&out);
}

/* --------------------------------------------------------------- dispatch */

static int
stmt_set(sl_stmt_ctx_t *c)
{
	const sl_node_t *n = c->node;
	char msg[512];

	switch (n->kind) {
	case SL_N_SET:
		sl_props_set(&c->session->props, n->str, n->str2);
		snprintf(msg, sizeof(msg), "property '%s' set to '%s'", n->str, n->str2);
		break;
	case SL_N_UNSET:
		if (!sl_props_unset(&c->session->props, n->str))
			return sl_error_at(c->err, SL_ENOTFOUND, n->str_loc,
					   "property '%s' is not set", n->str);
		snprintf(msg, sizeof(msg), "property '%s' unset", n->str);
		break;
	case SL_N_ALTER_SYSTEM:
		sl_props_set(&c->eng->props, n->str, n->str2);
		snprintf(msg, sizeof(msg), "system property '%s' set to '%s'", n->str, n->str2);
		break;
	case SL_N_DEFINE:
		sl_props_set(&c->session->vars, n->str, n->str2);
		snprintf(msg, sizeof(msg), "variable %s defined", n->str);
		break;
	default: /* UNDEFINE */
		if (!sl_props_unset(&c->session->vars, n->str))
			return sl_error_at(c->err, SL_ENOTFOUND, n->str_loc,
					   "variable %s is not defined", n->str);
		snprintf(msg, sizeof(msg), "variable %s undefined", n->str);
		break;
	}
	cJSON_AddItemToArray(c->results, sl_entity_status(c, "session/property", msg, NULL));
	return SL_OK;
}

static int execute_text(sl_engine_t *eng, sl_session_t *s, const char *text, size_t len,
			cJSON *results, sl_exec_error_t *e, int depth);

static int
stmt_run_script(sl_stmt_ctx_t *c, int depth, sl_exec_error_t *e)
{
	const char *path = c->node->str;
	FILE *f;
	char *buf = NULL;
	size_t cap = 0, len = 0;
	int rc;

	if (depth > 16)
		return sl_error_at(c->err, SL_EINVAL, c->node->loc,
				   "RUN SCRIPT nested more than 16 deep");
	f = fopen(path, "r");
	if (f == NULL)
		return sl_error_at(c->err, SL_ENOTFOUND, c->node->str_loc,
				   "cannot read script \"%s\": %s", path, strerror(errno));
	for (;;) {
		if (len + 4096 > cap) {
			cap = cap ? cap * 2 : 8192;
			char *nb = realloc(buf, cap);
			if (nb == NULL)
				abort();
			buf = nb;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	rc = execute_text(c->eng, c->session, buf ? buf : "", len, c->results, e, depth + 1);
	free(buf);
	return rc;
}

static int
dispatch(sl_stmt_ctx_t *c)
{
	switch (c->node->kind) {
	case SL_N_CREATE_SOURCE: return sl_stmt_create_source(c);
	case SL_N_CREATE_TYPE: return sl_stmt_create_type(c);
	case SL_N_DROP: return sl_stmt_drop(c);
	case SL_N_ALTER_SOURCE: return sl_stmt_alter_source(c);
	case SL_N_CREATE_AS: return sl_stmt_create_as(c);
	case SL_N_INSERT_SELECT: return sl_stmt_insert_select(c);
	case SL_N_INSERT_VALUES: return sl_stmt_insert_values(c);
	case SL_N_TERMINATE:
	case SL_N_PAUSE:
	case SL_N_RESUME: return sl_stmt_query_control(c);
	case SL_N_SHOW: return sl_stmt_show(c);
	case SL_N_DESCRIBE: return sl_stmt_describe(c);
	case SL_N_EXPLAIN: return sl_stmt_explain(c);
	case SL_N_PRINT: return sl_stmt_print(c);
	case SL_N_SELECT: return sl_stmt_select(c);
	case SL_N_SET:
	case SL_N_UNSET:
	case SL_N_ALTER_SYSTEM:
	case SL_N_DEFINE:
	case SL_N_UNDEFINE: return stmt_set(c);
	case SL_N_ASSERT_TOPIC:
	case SL_N_ASSERT_SCHEMA:
	case SL_N_ASSERT_VALUES:
	case SL_N_ASSERT_TOMBSTONE:
	case SL_N_ASSERT_SOURCE:
		return sl_error_at(c->err, SL_EINVAL, c->node->loc,
				   "ASSERT statements run only in sluice-test scripts");
	default:
		return sl_error_at(c->err, SL_EINVAL, c->node->loc, "unexpected statement");
	}
}

/* Fills e for a failure of the statement at text[off..off+len). */
static void
fail_statement(sl_exec_error_t *e, const sl_error_t *err, const char *text, size_t tlen,
	       int off, int len, const char *stmt, bool substituted, int status, int code)
{
	e->err = *err;
	e->error_code = code;
	if (e->err.offset >= 0) {
		if (substituted) {
			sl_error_locate(&e->err, stmt, strlen(stmt));
		} else {
			e->err.offset += off;
			sl_error_locate(&e->err, text, tlen);
		}
	}
	free(e->statement);
	e->statement = strndup(text + off, (size_t)len);
	e->stmt_offset = off;
	e->http_status = status ? status :
			 err->code == SL_ENOTFOUND ? 404 :
			 (err->code == SL_EIO || err->code == SL_ENOMEM || err->code == SL_ERR) ? 500 : 400;
}

static int
execute_text(sl_engine_t *eng, sl_session_t *s, const char *text, size_t len, cJSON *results,
	     sl_exec_error_t *e, int depth)
{
	sl_arena_t a;
	sl_span_t *spans;
	sl_error_t err;
	int n, rc;

	sl_arena_init(&a, 0);
	sl_error_clear(&err);
	rc = sl_split(text, len, &a, &spans, &n, &err);
	if (rc != SL_OK) {
		e->err = err;
		e->http_status = 400;
		sl_arena_destroy(&a);
		return rc;
	}
	for (int i = 0; i < n; i++) {
		const char *stmt = text + spans[i].offset;
		size_t slen = (size_t)spans[i].len;
		char *sub = sl_engine_substitute(stmt, slen, &s->vars);
		char *sql = sub ? sub : strndup(stmt, slen);
		sl_node_t *node;

		sl_error_clear(&err);
		rc = sl_parse_one(sql, strlen(sql), &a, &node, &err);
		if (rc == SL_OK) {
			sl_stmt_ctx_t c = {
				.eng = eng, .session = s, .node = node, .sql = sql,
				.results = results, .err = &err,
			};
			if (node->kind == SL_N_RUN_SCRIPT) {
				rc = stmt_run_script(&c, depth, e);
				if (rc != SL_OK && e->statement != NULL) {
					free(sql);
					break; /* the error inside the script is reported */
				}
			} else {
				rc = dispatch(&c);
			}
			if (rc != SL_OK)
				fail_statement(e, &err, text, len, spans[i].offset, spans[i].len,
					       sql, sub != NULL, c.http_status, c.error_code);
		} else {
			fail_statement(e, &err, text, len, spans[i].offset, spans[i].len, sql,
				       sub != NULL, 400, 0);
		}
		free(sql);
		if (rc != SL_OK)
			break;
	}
	sl_arena_destroy(&a);
	return rc;
}

int
sl_engine_execute(sl_engine_t *eng, sl_session_t *s, const char *text, size_t len,
		  cJSON *results, sl_exec_error_t *e)
{
	int rc;

	pthread_mutex_lock(&eng->lock);
	pthread_rwlock_wrlock(&eng->catalog_lock);
	rc = execute_text(eng, s, text, len, results, e, 0);
	pthread_rwlock_unlock(&eng->catalog_lock);
	pthread_mutex_unlock(&eng->lock);
	return rc;
}

/* ------------------------------------------------------------- lifecycle */

/* Removes a temporary state directory and the files in it. */
static void
remove_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char buf[4096];

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(buf, sizeof(buf), "%s/%s", path, de->d_name);
		unlink(buf);
	}
	closedir(d);
	rmdir(path);
}

/* Replays the catalog's statement log: sources, types and queries come
 * back as they were, without touching Kafka topics. */
static int
replay(sl_engine_t *eng, sl_catalog_entry_t *entries, int n, sl_error_t *err)
{
	sl_session_t *s = sl_session_create(eng);
	cJSON *results = cJSON_CreateArray();
	sl_arena_t a;
	int rc = SL_OK;

	sl_arena_init(&a, 0);
	for (int i = 0; i < n && rc == SL_OK; i++) {
		sl_node_t *node;
		rc = sl_parse_one(entries[i].sql, strlen(entries[i].sql), &a, &node, err);
		if (rc != SL_OK)
			break;
		sl_stmt_ctx_t c = {
			.eng = eng, .session = s, .node = node, .sql = entries[i].sql,
			.results = results, .err = err, .replaying = true,
			.replay_query_id = entries[i].query_id,
			.replay_terminated = entries[i].terminated,
			.replay_seq = entries[i].seq,
		};
		rc = dispatch(&c);
		if (rc != SL_OK) {
			char why[SL_ERROR_MSG_MAX];
			snprintf(why, sizeof(why), "%s", err->msg);
			sl_error_set(err, rc, "cannot restore \"%s\" from the catalog: %s",
				     entries[i].sql, why);
		}
	}
	sl_arena_destroy(&a);
	cJSON_Delete(results);
	sl_session_destroy(s);
	return rc;
}

/*
 * The processing log: a topic (processing.log.topic, default
 * SLUICE_PROCESSING_LOG) and a stream over it, so that bad records can be
 * queried like anything else.  The stream is defined at every start and
 * never written to the catalog log.
 */
static int
processing_log_create(sl_engine_t *eng, sl_error_t *err)
{
	const char *topic = sl_props_get_or(&eng->props, "processing.log.topic",
					    "SLUICE_PROCESSING_LOG");
	bool exists = false;
	char sql[1024];
	int rc;

	if (strcmp(topic, "") == 0 || strcmp(topic, "none") == 0)
		return SL_OK;
	if ((rc = sl_kafka_topic_exists(eng->kafka, topic, &exists, err)) != SL_OK)
		return rc;
	if (!exists && (rc = sl_kafka_topic_create(eng->kafka, topic, 1, -1, err)) != SL_OK &&
	    rc != SL_EEXISTS) {
		/* bad records are still counted and written to stderr */
		fprintf(stderr, "sluiced: no processing-log topic: %s\n", err->msg);
		sl_error_clear(err);
		return SL_OK;
	}
	eng->processing_log_topic = sl_props_get(&eng->props, "processing.log.topic");
	if (eng->processing_log_topic == NULL) {
		sl_props_set(&eng->props, "processing.log.topic", topic);
		eng->processing_log_topic = sl_props_get(&eng->props, "processing.log.topic");
	}
	if (sl_catalog_source(eng->cat, "SLUICE_PROCESSING_LOG") != NULL)
		return SL_OK;
	snprintf(sql, sizeof(sql),
		 "CREATE SOURCE STREAM SLUICE_PROCESSING_LOG (LEVEL STRING, LOGGER STRING, "
		 "`TIME` BIGINT, MESSAGE STRUCT<`TYPE` STRING, ERRORMESSAGE STRING, `TOPIC` STRING, "
		 "`PARTITION` INT, `OFFSET` BIGINT>) WITH (KAFKA_TOPIC='%s', VALUE_FORMAT='JSON');",
		 topic);
	sl_catalog_entry_t entry = {.seq = 0, .sql = sql};
	return replay(eng, &entry, 1, err);
}

int
sl_engine_create(const sl_engine_config_t *cfg, sl_engine_t **out, sl_error_t *err)
{
	sl_engine_t *eng = calloc(1, sizeof(*eng));
	sl_catalog_entry_t *entries;
	int nentries, rc;

	if (eng == NULL)
		return sl_error_set(err, SL_ENOMEM, "out of memory");
	*out = NULL;
	sl_props_init(&eng->props);
	if (cfg->props != NULL)
		sl_props_merge(&eng->props, cfg->props);
	eng->test_mode = cfg->test_mode;
	if (eng->test_mode) /* ksqlDB's test cases produce at time 0 */
		sl_props_set(&eng->props, "sluice.kafka.zero.timestamps", "true");
	pthread_mutex_init(&eng->lock, NULL);
	pthread_mutex_init(&eng->tq_lock, NULL);
	pthread_rwlock_init(&eng->catalog_lock, NULL);
	pthread_mutex_init(&eng->pull_lock, NULL);
	eng->reg = sl_func_registry_create();
	sl_func_register_all(eng->reg);
	{
		sl_kafka_prop_t *kp = calloc((size_t)eng->props.n + 1, sizeof(*kp));
		if (kp == NULL)
			abort();
		for (int i = 0; i < eng->props.n; i++) {
			kp[i].name = eng->props.items[i].key;
			kp[i].value = eng->props.items[i].value;
		}
		rc = sl_kafka_create(kp, (size_t)eng->props.n, &eng->kafka, err);
		free(kp);
		if (rc != SL_OK)
			goto fail;
	}
	if ((rc = sl_kafka_producer_create(eng->kafka, &eng->producer, err)) != SL_OK)
		goto fail;
	rc = sl_catalog_open(sl_props_get(&eng->props, "state.dir"), &eng->cat, &entries,
			     &nentries, err);
	if (rc != SL_OK)
		goto fail;
	if (sl_catalog_state_dir(eng->cat) != NULL) {
		eng->query_state_dir = strdup(sl_catalog_state_dir(eng->cat));
	} else {
		/* pull queries read the tables from their own connections: even
		 * without a state directory the databases are files */
		const char *tmp = getenv("TMPDIR");
		char path[4096];
		snprintf(path, sizeof(path), "%s/sluice-state-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (mkdtemp(path) == NULL) {
			rc = sl_error_set(err, SL_EIO, "cannot create a temporary state directory "
					  "\"%s\": %s", path, strerror(errno));
			goto fail;
		}
		eng->query_state_dir = strdup(path);
		eng->temp_state_dir = true;
	}
	if ((rc = replay(eng, entries, nentries, err)) != SL_OK)
		goto fail;
	if ((rc = processing_log_create(eng, err)) != SL_OK)
		goto fail;
	*out = eng;
	return SL_OK;
fail:
	sl_engine_destroy(eng);
	return rc;
}

void
sl_engine_destroy(sl_engine_t *eng)
{
	if (eng == NULL)
		return;
	sl_engine_end_tqueries(eng);
	sl_engine_stop_taps(eng, NULL);
	while (eng->nrunning > 0)
		sl_engine_stop_query(eng, eng->running[eng->nrunning - 1]->id);
	free(eng->running);
	sl_pull_close_all(eng);
	if (eng->temp_state_dir)
		remove_dir(eng->query_state_dir);
	free(eng->query_state_dir);
	sl_catalog_close(eng->cat);
	if (eng->producer != NULL) {
		sl_kafka_producer_flush(eng->producer, 5000, NULL, NULL);
		sl_kafka_producer_destroy(eng->producer);
	}
	if (eng->kafka != NULL)
		sl_kafka_destroy(eng->kafka);
	if (eng->reg != NULL)
		sl_func_registry_destroy(eng->reg);
	free(eng->topic_sources);
	sl_props_free(&eng->props);
	pthread_mutex_destroy(&eng->lock);
	pthread_mutex_destroy(&eng->tq_lock);
	pthread_rwlock_destroy(&eng->catalog_lock);
	pthread_mutex_destroy(&eng->pull_lock);
	free(eng);
}

const char *
sl_engine_bootstrap(const sl_engine_t *eng)
{
	return sl_kafka_bootstrap(eng->kafka);
}

bool
sl_engine_embedded_kafka(const sl_engine_t *eng)
{
	return sl_kafka_embedded(eng->kafka);
}

sl_kafka_t *
sl_engine_kafka(sl_engine_t *eng)
{
	return eng->kafka;
}

const sl_source_t *
sl_engine_source(sl_engine_t *eng, const char *name)
{
	return sl_catalog_source(eng->cat, name);
}

const sl_source_t **
sl_engine_sources_on_topic(sl_engine_t *eng, const char *topic, int *n)
{
	int count, k = 0;
	sl_source_t **all = sl_catalog_sources(eng->cat, &count);

	free(eng->topic_sources);
	eng->topic_sources = calloc((size_t)(count ? count : 1), sizeof(*eng->topic_sources));
	if (eng->topic_sources == NULL)
		abort();
	for (int i = 0; i < count; i++)
		if (strcmp(all[i]->topic, topic) == 0)
			eng->topic_sources[k++] = all[i];
	*n = k;
	return eng->topic_sources;
}

int64_t
sl_engine_processing_errors(const sl_engine_t *eng)
{
	return atomic_load(&((sl_engine_t *)eng)->processing_errors);
}
