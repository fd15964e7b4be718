/*
 * stmt_query.c: statements that start, stop or feed queries: CREATE ... AS
 * SELECT, INSERT INTO ... SELECT, INSERT INTO ... VALUES, TERMINATE, PAUSE,
 * RESUME, PRINT and transient SELECT.
 *
 * Stage: engine.  Analyzes the SELECT, derives the sink's definition
 * (columns from the projection, formats and topic from the WITH clause or
 * the source), creates the sink topic, records sink and query in the
 * catalog and its log, and starts the query (query_mgr.c).
 */
#include "engine/internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "expr/cast.h"
#include "kafka/kafka.h"
#include "plan/plan.h"

/* The sink definition that the analyzed SELECT an writes as name. */
static int
sink_from_analysis(sl_stmt_ctx_t *c, const sl_analysis_t *an, const char *name, int kind,
		   const sl_with_t *w, sl_source_t **out)
{
	const sl_source_t *from = an->from;
	sl_source_t *sink = sl_source_new();
	sl_arena_t *a = &sink->arena;

	sink->name = sl_arena_strdup(a, name);
	sink->kind = kind;
	sink->sql = sl_arena_strdup(a, c->sql);
	sink->topic = sl_arena_strdup(a, w->topic ? w->topic : name);
	sink->partitions = w->partitions;
	sink->replicas = w->replicas;
	sink->value_format = sl_arena_strdup(a, w->value_format ? w->value_format :
						  from->value_format);
	if (w->key_format != NULL && an->nkeys == 0 && strcmp(w->key_format, "NONE") != 0) {
		sl_source_free(sink);
		return sl_error_at(c->err, SL_EINVAL, w->loc,
				   "key format specified for a %s without key columns",
				   kind == SL_OBJ_TABLE ? "table" : "stream");
	}
	if (w->key_format != NULL)
		sink->key_format = sl_arena_strdup(a, w->key_format);
	else if (an->nkeys == 0)
		sink->key_format = "NONE";
	else if (strcmp(from->key_format, "NONE") == 0)
		sink->key_format = sl_arena_strdup(a, sl_engine_prop(c, "ksql.persistence.default.format.key",
							       "KAFKA"));
	else
		sink->key_format = sl_arena_strdup(a, from->key_format);
	/* delimiters carry over when the format does */
	sink->key_delimiter = sl_arena_strdup(a, w->key_delimiter ? w->key_delimiter :
					      strcmp(sink->key_format, from->key_format) == 0 ?
					      from->key_delimiter : NULL);
	sink->value_delimiter = sl_arena_strdup(a, w->value_delimiter ? w->value_delimiter :
						strcmp(sink->value_format, from->value_format) == 0 ?
						from->value_delimiter : NULL);
	/* a configured default wraps or unwraps single-column values only */
	sink->wrap_single_value = w->wrap_single_value >= 0 ? w->wrap_single_value :
				  an->nout - an->nkeys == 1 ? sl_engine_default_wrap(c) : -1;
	sink->window_type = an->aggregate ? an->window.type : from->window_type;
	sink->window_size_ms = !an->aggregate ? from->window_size_ms :
			       an->window.type == SL_WIN_SESSION ? 0 : an->window.size_ms;
	sink->ncols = an->nout;
	sink->cols = sl_arena_calloc(a, sizeof(*sink->cols) * (size_t)(an->nout ? an->nout : 1));
	for (int i = 0; i < an->nout; i++) {
		sink->cols[i].name = sl_arena_strdup(a, an->out[i].name);
		sink->cols[i].type = sl_type_copy(a, an->out[i].type);
		sink->cols[i].ns = an->out[i].key ? SL_COL_KEY : SL_COL_VALUE;
	}
	if (w->timestamp != NULL) {
		int i = sl_source_column(sink, w->timestamp);
		if (i < 0 || an->out[i].key) {
			sl_source_free(sink);
			return sl_error_at(c->err, SL_EINVAL, w->loc,
					   "TIMESTAMP column \"%s\" is not a value column of the "
					   "projection", w->timestamp);
		}
		sl_tkind_t k = sink->cols[i].type->kind;
		if (k != SL_T_BIGINT && k != SL_T_TIMESTAMP &&
		    !(k == SL_T_STRING && w->timestamp_format != NULL)) {
			sl_source_free(sink);
			return sl_error_at(c->err, SL_EINVAL, w->loc,
					   "TIMESTAMP column \"%s\" must be BIGINT or TIMESTAMP, or a "
					   "STRING with TIMESTAMP_FORMAT", w->timestamp);
		}
		sink->timestamp_column = sl_arena_strdup(a, w->timestamp);
		sink->timestamp_format = sl_arena_strdup(a, w->timestamp_format);
	}
	*out = sink;
	return SL_OK;
}

/*
 * ksqlDB keeps aggregate state in a topic of the sink's value format, so it
 * refuses aggregates whose intermediate state (a STRUCT, ARRAY or MAP) that
 * format cannot carry.  sluice keeps state in SQLite and could run them,
 * but a statement ksqlDB rejects must not mean something else here.
 */
static int
check_intermediate_types(sl_stmt_ctx_t *c, const sl_analysis_t *an, const sl_source_t *sink)
{
	if (strcmp(sink->value_format, "DELIMITED") != 0 && strcmp(sink->value_format, "KAFKA") != 0)
		return SL_OK;
	for (int i = 0; i < an->nagg; i++) {
		const sl_type_t *t = an->aggs[i].bind.state_type ? an->aggs[i].bind.state_type :
				     an->aggs[i].bind.ret;
		if (t->kind == SL_T_STRUCT || t->kind == SL_T_ARRAY || t->kind == SL_T_MAP)
			return sl_error_at(c->err, SL_EINVAL, an->aggs[i].ast->loc,
					   "the intermediate state of %s is a %s, which the %s value "
					   "format cannot hold: remove the function or change the format",
					   an->aggs[i].bind.func->name, sl_tkind_name(t->kind),
					   sink->value_format);
	}
	return SL_OK;
}

static void
make_query_id(sl_stmt_ctx_t *c, const char *prefix, const char *sink, char *id, size_t size)
{
	if (c->replaying && c->replay_query_id != NULL) {
		snprintf(id, size, "%s", c->replay_query_id);
		return;
	}
	long long n = (long long)sl_catalog_next_query_number(c->eng->cat);
	if (sink != NULL)
		snprintf(id, size, "%s_%s_%lld", prefix, sink, n);
	else
		snprintf(id, size, "%s_%lld", prefix, n);
}

/* Records the query in the catalog; ownership of nothing moves. */
static int
add_query_def(sl_stmt_ctx_t *c, const char *id, const sl_analysis_t *an, const char *sink,
	      int64_t seq)
{
	sl_query_def_t *q = sl_query_def_new();
	q->id = sl_arena_strdup(&q->arena, id);
	q->sql = sl_arena_strdup(&q->arena, c->sql);
	q->sink = sl_arena_strdup(&q->arena, sink);
	q->nsources = an->join != NULL ? an->join->nsrc : 1;
	q->sources = sl_arena_alloc(&q->arena, sizeof(*q->sources) * (size_t)q->nsources);
	for (int i = 0; i < q->nsources; i++)
		q->sources[i] = sl_arena_strdup(&q->arena, an->join != NULL ?
							   an->join->src[i].src->name :
							   an->from->name);
	q->terminated = c->replaying && c->replay_terminated;
	q->seq = seq;
	int rc = sl_catalog_add_query(c->eng->cat, q, c->err);
	if (rc != SL_OK) {
		sl_arena_destroy(&q->arena);
		free(q);
	}
	return rc;
}

/* A stream query produces a stream; a projection or filter of a table
 * produces a table (its changelog, key by key). */
static int
check_result_kind(sl_stmt_ctx_t *c, const sl_analysis_t *an, int want)
{
	if (an->aggregate) {
		if (want != SL_OBJ_TABLE)
			return sl_error_at(c->err, SL_EINVAL, c->node->loc,
					   "an aggregation (GROUP BY) produces a TABLE: use CREATE "
					   "TABLE AS SELECT");
		return SL_OK;
	}
	if (an->from->kind == SL_OBJ_TABLE) {
		if (want != SL_OBJ_TABLE)
			return sl_error_at(c->err, SL_EINVAL, c->node->loc,
					   "your SELECT produces a TABLE: use CREATE TABLE AS SELECT");
		if (an->partitioned)
			return sl_error_at(c->err, SL_EINVAL, c->node->loc,
					   "PARTITION BY is not supported on tables: a table keeps "
					   "its primary key");
		if (an->ntf > 0)
			return sl_error_at(c->err, SL_EINVAL, c->node->loc,
					   "table functions are not supported on tables");
		return SL_OK;
	}
	if (want == SL_OBJ_TABLE)
		return sl_error_at(c->err, SL_EINVAL, c->node->loc,
				   "your SELECT produces a STREAM: use CREATE STREAM AS SELECT");
	return SL_OK;
}

int
sl_stmt_create_as(sl_stmt_ctx_t *c)
{
	const sl_node_t *n = c->node;
	const sl_source_t *existing = sl_catalog_source(c->eng->cat, n->str);
	sl_source_t *sink = NULL;
	sl_analysis_t *an;
	sl_arena_t a;
	sl_with_t w;
	char id[512], cmd[300], msg[600];
	int64_t seq = 0;
	int rc;

	sl_arena_init(&a, 0);
	if (existing != NULL && !c->replaying) {
		if (n->flags & SL_F_IF_NOT_EXISTS) {
			snprintf(cmd, sizeof(cmd), "%s/`%s`/create",
				 n->op == SL_OBJ_TABLE ? "table" : "stream", n->str);
			snprintf(msg, sizeof(msg), "Cannot add %s '%s': A %s with the same name "
				 "already exists.", n->op == SL_OBJ_TABLE ? "table" : "stream",
				 n->str, existing->kind == SL_OBJ_TABLE ? "table" : "stream");
			cJSON_AddItemToArray(c->results, sl_entity_status(c, cmd, msg, NULL));
			sl_arena_destroy(&a);
			return SL_OK;
		}
		if (!(n->flags & SL_F_OR_REPLACE)) {
			rc = sl_error_at(c->err, SL_EEXISTS, n->str_loc,
					 "cannot add %s \"%s\": a %s with the same name already exists",
					 n->op == SL_OBJ_TABLE ? "table" : "stream", n->str,
					 existing->kind == SL_OBJ_TABLE ? "table" : "stream");
			goto done;
		}
		if (existing->query_id == NULL || existing->kind != n->op) {
			rc = sl_error_at(c->err, SL_EINVAL, n->str_loc,
					 "\"%s\" was not created by CREATE %s AS SELECT and cannot "
					 "be replaced by one", n->str,
					 n->op == SL_OBJ_TABLE ? "TABLE" : "STREAM");
			goto done;
		}
	}
	if ((rc = sl_analyze_with(n->kids[0], &a, &w, c->err)) != SL_OK)
		goto done;
	rc = sl_analyze_query(n->kids[1], c->eng->cat, c->eng->reg, n->str, &a, &an, c->err);
	if (rc != SL_OK)
		goto done;
	if ((rc = check_result_kind(c, an, n->op)) != SL_OK)
		goto done;
	if (an->limit >= 0) {
		rc = sl_error_at(c->err, SL_EINVAL, n->kids[1]->kids[7]->loc,
				 "CREATE %s AS SELECT statements don't support LIMIT clause.",
				 n->op == SL_OBJ_TABLE ? "TABLE" : "STREAM");
		goto done;
	}
	if ((rc = sink_from_analysis(c, an, n->str, n->op, &w, &sink)) != SL_OK)
		goto done;
	if ((rc = check_intermediate_types(c, an, sink)) != SL_OK)
		goto done;
	if ((rc = sl_plan_check_formats(sink, c->err)) != SL_OK) {
		if (c->err->offset < 0)
			c->err->offset = n->loc;
		goto done;
	}
	if (existing != NULL && !c->replaying) {
		snprintf(id, sizeof(id), "%s", existing->query_id);
	} else {
		make_query_id(c, n->op == SL_OBJ_TABLE ? "CTAS" : "CSAS", sink->name, id,
			      sizeof(id));
	}
	sink->query_id = sl_arena_strdup(&sink->arena, id);
	if (!c->replaying) {
		int parts = an->from->partitions;
		if ((rc = sl_engine_ensure_topic(c->eng, sink, true, parts, n->loc, c->err)) != SL_OK)
			goto done;
		if (existing != NULL) {
			/* replacing: the old query stops; its offsets carry over */
			sl_engine_stop_query(c->eng, id);
			sl_catalog_unlog(c->eng->cat, existing->seq, NULL);
			sl_catalog_remove_query(c->eng->cat, id);
		}
		if ((rc = sl_catalog_log(c->eng->cat, c->sql, id, &seq, c->err)) != SL_OK)
			goto done;
	} else {
		seq = c->replay_seq;
		rc = sl_engine_ensure_topic(c->eng, sink, sl_kafka_embedded(c->eng->kafka),
					    an->from->partitions, n->loc, c->err);
		if (rc != SL_OK)
			goto done;
	}
	sink->seq = seq;
	if ((rc = add_query_def(c, id, an, sink->name, seq)) != SL_OK)
		goto done;
	const char *sink_name = sl_arena_strdup(&a, sink->name);
	if ((rc = sl_catalog_add_source(c->eng->cat, sink, existing != NULL, c->err)) != SL_OK)
		goto done;
	const sl_source_t *added = sl_catalog_source(c->eng->cat, sink_name);
	sink = NULL;
	if (!(c->replaying && c->replay_terminated)) {
		rc = sl_engine_start_query(c->eng, id, n->kids[1], &c->session->props, added,
					   c->err);
		if (rc != SL_OK)
			goto done;
	}
	snprintf(cmd, sizeof(cmd), "%s/`%s`/create", n->op == SL_OBJ_TABLE ? "table" : "stream",
		 n->str);
	snprintf(msg, sizeof(msg), "Created query with ID %s", id);
	cJSON_AddItemToArray(c->results, sl_entity_status(c, cmd, msg, id));
done:
	sl_source_free(sink);
	sl_arena_destroy(&a);
	return rc;
}

int
sl_stmt_insert_select(sl_stmt_ctx_t *c)
{
	const sl_node_t *n = c->node;
	const sl_source_t *target = sl_catalog_source(c->eng->cat, n->str);
	sl_analysis_t *an;
	sl_arena_t a;
	char id[512], cmd[300], msg[600];
	int64_t seq = 0;
	int rc;

	if (target == NULL)
		return sl_error_at(c->err, SL_ENOTFOUND, n->str_loc, "stream \"%s\" does not exist",
				   n->str);
	if (target->kind != SL_OBJ_STREAM)
		return sl_error_at(c->err, SL_EINVAL, n->str_loc,
				   "INSERT INTO needs a stream; \"%s\" is a table", n->str);
	if (target->read_only)
		return sl_error_at(c->err, SL_EINVAL, n->str_loc,
				   "cannot insert into read-only stream \"%s\"", n->str);
	for (int i = 0; i < target->ncols; i++)
		if (target->cols[i].ns == SL_COL_HEADERS || target->cols[i].ns == SL_COL_HEADER)
			return sl_error_at(c->err, SL_EINVAL, n->str_loc,
					   "cannot insert into \"%s\": it has header columns", n->str);
	sl_arena_init(&a, 0);
	rc = sl_analyze_query(n->kids[1], c->eng->cat, c->eng->reg, n->str, &a, &an, c->err);
	if (rc == SL_OK)
		rc = check_result_kind(c, an, SL_OBJ_STREAM);
	if (rc != SL_OK)
		goto done;
	/* the result must have the target's schema */
	bool same = an->nout == target->ncols;
	for (int i = 0; same && i < an->nout; i++)
		same = strcmp(an->out[i].name, target->cols[i].name) == 0 &&
		       sl_type_equal(an->out[i].type, target->cols[i].type) &&
		       an->out[i].key == (target->cols[i].ns == SL_COL_KEY);
	if (!same) {
		sl_strbuf_t want, got;
		sl_strbuf_init(&want);
		sl_strbuf_init(&got);
		sl_entity_schema_string(&want, target);
		for (int i = 0; i < an->nout; i++) {
			sl_strbuf_printf(&got, "%s`%s` ", i ? ", " : "", an->out[i].name);
			sl_type_format(&got, an->out[i].type);
			if (an->out[i].key)
				sl_strbuf_puts(&got, " KEY");
		}
		rc = sl_error_at(c->err, SL_EINVAL, n->kids[1]->loc,
				 "incompatible schema between the results and \"%s\": the results "
				 "have [%s], \"%s\" has [%s]", n->str, got.data, n->str, want.data);
		sl_strbuf_free(&want);
		sl_strbuf_free(&got);
		goto done;
	}
	make_query_id(c, "INSERTQUERY", NULL, id, sizeof(id));
	if (!c->replaying) {
		if ((rc = sl_catalog_log(c->eng->cat, c->sql, id, &seq, c->err)) != SL_OK)
			goto done;
	} else {
		seq = c->replay_seq;
	}
	if ((rc = add_query_def(c, id, an, target->name, seq)) != SL_OK)
		goto done;
	if (!(c->replaying && c->replay_terminated)) {
		rc = sl_engine_start_query(c->eng, id, n->kids[1], &c->session->props, target,
					   c->err);
		if (rc != SL_OK)
			goto done;
	}
	snprintf(cmd, sizeof(cmd), "stream/`%s`/create", n->str);
	snprintf(msg, sizeof(msg), "Created query with ID %s", id);
	cJSON_AddItemToArray(c->results, sl_entity_status(c, cmd, msg, id));
done:
	sl_arena_destroy(&a);
	return rc;
}

/* ------------------------------------------------------- INSERT VALUES */

int
sl_stmt_insert_values(sl_stmt_ctx_t *c)
{
	const sl_node_t *n = c->node;
	const sl_source_t *src = sl_catalog_source(c->eng->cat, n->str);
	const sl_node_t *cols = n->kids[0], *vals = n->kids[1];
	sl_arena_t a;
	sl_plan_io_t io;
	sl_serde_t *ks = NULL, *vs = NULL;
	sl_strbuf_t kb, vb;
	int rc, ncols, target[512];
	int64_t ts = -1;

	if (src == NULL)
		return sl_error_at(c->err, SL_ENOTFOUND, n->str_loc,
				   "stream or table \"%s\" does not exist", n->str);
	if (src->read_only)
		return sl_error_at(c->err, SL_EINVAL, n->str_loc,
				   "cannot insert values into read-only %s \"%s\"",
				   src->kind == SL_OBJ_TABLE ? "table" : "stream", n->str);
	/* the columns given: the list, or every key and value column */
	ncols = 0;
	if (cols != NULL) {
		for (int i = 0; i < cols->nkids; i++) {
			const char *name = cols->kids[i]->str;
			int ci = strcmp(name, "ROWTIME") == 0 ? -2 : sl_source_column(src, name);
			if (ci == -1 && (strcmp(name, "ROWPARTITION") == 0 ||
					 strcmp(name, "ROWOFFSET") == 0))
				return sl_error_at(c->err, SL_EINVAL, cols->kids[i]->loc,
						   "Inserting into column `%s` is not allowed.", name);
			if (ci == -1)
				return sl_error_at(c->err, SL_EINVAL, cols->kids[i]->loc,
						   "column \"%s\" does not exist in \"%s\"", name,
						   n->str);
			if (ci >= 0 && (src->cols[ci].ns == SL_COL_HEADERS ||
					src->cols[ci].ns == SL_COL_HEADER))
				return sl_error_at(c->err, SL_EINVAL, cols->kids[i]->loc,
						   "cannot insert into header column \"%s\"", name);
			if (ncols < 512)
				target[ncols++] = ci;
		}
	} else {
		for (int i = 0; i < src->ncols && ncols < 512; i++)
			if (src->cols[i].ns == SL_COL_KEY || src->cols[i].ns == SL_COL_VALUE)
				target[ncols++] = i;
	}
	if (vals->nkids != ncols)
		return sl_error_at(c->err, SL_EINVAL, vals->loc >= 0 ? vals->loc : n->loc,
				   "expected %d values, got %d", ncols, vals->nkids);

	sl_arena_init(&a, 0);
	sl_strbuf_init(&kb);
	sl_strbuf_init(&vb);
	sl_plan_io_from_source(&a, src, &io);
	sl_value_t *row = sl_arena_calloc(&a, sizeof(*row) * (size_t)(src->ncols + 1));
	for (int i = 0; i < ncols; i++) {
		const sl_type_t *t;
		sl_value_t v;
		const sl_type_t *want = target[i] == -2 ? sl_type_bigint() : src->cols[target[i]].type;
		rc = sl_expr_constant_value(vals->kids[i], c->eng->reg, &a, &t, &v, c->err);
		if (rc != SL_OK)
			goto done;
		if (!sl_type_equal(t, want) && t->kind != SL_T_NULL) {
			if (!sl_cast_allowed(t, want)) {
				sl_strbuf_t ts1, ts2;
				sl_strbuf_init(&ts1);
				sl_strbuf_init(&ts2);
				sl_type_format(&ts1, t);
				sl_type_format(&ts2, want);
				rc = sl_error_at(c->err, SL_EINVAL, vals->kids[i]->loc,
						 "expected a value of type %s, got %s", ts2.data,
						 ts1.data);
				sl_strbuf_free(&ts1);
				sl_strbuf_free(&ts2);
				goto done;
			}
			if ((rc = sl_cast_value(&v, t, want, &a, &v, c->err)) != SL_OK) {
				c->err->offset = vals->kids[i]->loc;
				goto done;
			}
		}
		if (target[i] == -2)
			ts = sl_value_is_null(&v) ? -1 : v.u.l;
		else
			row[target[i]] = v;
	}
	if ((rc = sl_plan_io_serde(&io, true, &ks, c->err)) != SL_OK ||
	    (rc = sl_plan_io_serde(&io, false, &vs, c->err)) != SL_OK)
		goto done;
	/* the key columns come first; gather the value columns */
	int nkeys = sl_source_nkeys(src), nv = 0;
	sl_value_t *vrow = sl_arena_calloc(&a, sizeof(*vrow) * (size_t)(src->ncols + 1));
	for (int i = 0; i < src->ncols; i++)
		if (src->cols[i].ns == SL_COL_VALUE)
			vrow[nv++] = row[i];
	int krc = nkeys ? sl_serde_encode(ks, row, &kb, c->err) : SL_SERDE_NULL;
	int vrc = sl_serde_encode(vs, vrow, &vb, c->err);
	if (krc < 0 || vrc < 0) {
		rc = krc < 0 ? krc : vrc;
		goto done;
	}
	if (ts < 0) {
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		ts = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
	}
	sl_kafka_record_t rec = {
		.topic = src->topic,
		.partition = SL_KAFKA_PARTITION_ANY,
		.key = krc == SL_SERDE_NULL ? NULL : kb.data,
		.key_len = krc == SL_SERDE_NULL ? 0 : kb.len,
		.value = vrc == SL_SERDE_NULL ? NULL : vb.data,
		.value_len = vrc == SL_SERDE_NULL ? 0 : vb.len,
		.timestamp = ts,
	};
	if ((rc = sl_kafka_producer_produce(c->eng->producer, &rec, c->err)) != SL_OK)
		goto done;
	if ((rc = sl_kafka_producer_flush(c->eng->producer, 30000, NULL, c->err)) != SL_OK)
		goto done;
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "%s/`%s`/insert", src->kind == SL_OBJ_TABLE ? "table" : "stream",
		 src->name);
	cJSON_AddItemToArray(c->results, sl_entity_status(c, cmd, "Inserted one row", NULL));
done:
	sl_serde_destroy(ks);
	sl_serde_destroy(vs);
	sl_strbuf_free(&kb);
	sl_strbuf_free(&vb);
	sl_arena_destroy(&a);
	return rc;
}

/* ------------------------------------------------- TERMINATE / PAUSE / RESUME */

static int
control_one(sl_stmt_ctx_t *c, sl_query_def_t *q)
{
	sl_running_t *r = sl_engine_find_running(c->eng, q->id);

	switch (c->node->kind) {
	case SL_N_TERMINATE:
		sl_engine_stop_query(c->eng, q->id);
		q->terminated = true;
		return sl_catalog_log_terminated(c->eng->cat, q->seq, c->err);
	case SL_N_PAUSE:
		if (r != NULL)
			atomic_store(&r->paused, true);
		return SL_OK;
	default:
		if (r != NULL)
			atomic_store(&r->paused, false);
		return SL_OK;
	}
}

int
sl_stmt_query_control(sl_stmt_ctx_t *c)
{
	const sl_node_t *n = c->node;
	const char *verb = n->kind == SL_N_TERMINATE ? "terminated" :
			   n->kind == SL_N_PAUSE ? "paused" : "resumed";
	char msg[300];
	int rc;

	if (n->flags & SL_F_ALL) {
		int cnt;
		sl_query_def_t **qs = sl_catalog_queries(c->eng->cat, &cnt);
		for (int i = 0; i < cnt; i++)
			if (!qs[i]->terminated && (rc = control_one(c, qs[i])) != SL_OK)
				return rc;
		snprintf(msg, sizeof(msg), "All queries %s.", verb);
	} else {
		sl_query_def_t *q = sl_catalog_query(c->eng->cat, n->str);
		if (q == NULL) {
			/* query ids are case-insensitive, as in ksqlDB */
			int cnt;
			sl_query_def_t **qs = sl_catalog_queries(c->eng->cat, &cnt);
			for (int i = 0; i < cnt && q == NULL; i++)
				if (strcasecmp(qs[i]->id, n->str) == 0)
					q = qs[i];
		}
		if (q == NULL || q->terminated)
			return sl_error_at(c->err, SL_ENOTFOUND, n->str_loc,
					   "query \"%s\" does not exist", n->str);
		if ((rc = control_one(c, q)) != SL_OK)
			return rc;
		snprintf(msg, sizeof(msg), "Query %s.", verb);
	}
	cJSON_AddItemToArray(c->results, sl_entity_status(c, "query/control", msg, NULL));
	return SL_OK;
}

/* ---------------------------------------------------------------- PRINT */

/* The topic PRINT names: exact, else the one topic equal but for case. */
static int
print_topic(sl_stmt_ctx_t *c, char *out, size_t size)
{
	sl_kafka_topic_info_t *topics = NULL;
	size_t n = 0;
	int found = -1, rc;

	if ((rc = sl_kafka_topic_list(c->eng->kafka, &topics, &n, c->err)) != SL_OK)
		return rc;
	for (size_t i = 0; i < n && found < 0; i++)
		if (strcmp(topics[i].name, c->node->str) == 0)
			found = (int)i;
	for (size_t i = 0; i < n && found < 0; i++)
		if (strcasecmp(topics[i].name, c->node->str) == 0)
			found = (int)i;
	if (found >= 0)
		snprintf(out, size, "%s", topics[found].name);
	sl_kafka_topic_list_free(topics, n);
	if (found < 0)
		return sl_error_at(c->err, SL_ENOTFOUND, c->node->str_loc,
				   "topic \"%s\" does not exist", c->node->str);
	return SL_OK;
}

/* The text of one key or value as ksqlDB's PRINT shows it: JSON and
 * DELIMITED as written, a KAFKA-format value decoded (numbers are binary)
 * and shown as plain text, anything else as its bytes. */
static cJSON *
print_payload(const sl_serde_t *serde, const sl_type_t *type, const void *bytes, size_t len,
	      sl_arena_t *a, sl_value_t *vals)
{
	sl_error_t e;
	if (bytes == NULL)
		return cJSON_CreateNull();
	if (serde != NULL && type != NULL && sl_serde_format(serde) == SL_FORMAT_KAFKA &&
	    sl_serde_ncols(serde) == 1 && sl_serde_decode(serde, bytes, len, a, vals, &e) == SL_OK) {
		sl_strbuf_t sb;
		sl_strbuf_init(&sb);
		sl_value_format_text(&sb, &vals[0], type);
		cJSON *j = cJSON_CreateString(sb.data);
		sl_strbuf_free(&sb);
		return j;
	}
	char *text = strndup(bytes, len);
	cJSON *j = cJSON_CreateString(text ? text : "");
	free(text);
	return j;
}

/* The type of the first key (is_key) or value column of io, or NULL. */
static const sl_type_t *
first_type(const sl_plan_io_t *io, bool is_key)
{
	for (int i = 0; i < io->ncols; i++)
		if ((io->cols[i].ns == SL_COL_KEY) == is_key && io->cols[i].ns != SL_COL_HEADERS &&
		    io->cols[i].ns != SL_COL_HEADER)
			return io->cols[i].type;
	return NULL;
}

/* A record's key for PRINT; a windowed key as ksqlDB shows it,
 * [key@start/end]. */
static cJSON *
print_key(const sl_plan_io_t *io, const sl_serde_t *ks, const rd_kafka_message_t *m,
	  sl_arena_t *a, sl_value_t *vals)
{
	const sl_type_t *t = ks ? first_type(io, true) : NULL;
	size_t klen;
	int64_t start, end;
	if (!ks || io->window_type == SL_WIN_NONE ||
	    !sl_serde_window_get(m->key, m->key_len, io->window_type == SL_WIN_SESSION,
				 io->window_size_ms, &klen, &start, &end))
		return print_payload(ks, t, m->key, m->key_len, a, vals);
	cJSON *k = print_payload(ks, t, klen > 0 ? m->key : NULL, klen, a, vals);
	char buf[1024];
	snprintf(buf, sizeof(buf), "[%s@%lld/%lld]", cJSON_IsString(k) ? k->valuestring : "null",
		 (long long)start, (long long)end);
	cJSON_Delete(k);
	return cJSON_CreateString(buf);
}

/*
 * PRINT topic [FROM BEGINNING] [INTERVAL n] [LIMIT n]: through the engine
 * API a bounded read: the records from the start (FROM BEGINNING) or from
 * now up to LIMIT, or up to the end of the topic; every nth with INTERVAL.
 * The shell and the HTTP API keep streaming instead.
 */
int
sl_stmt_print(sl_stmt_ctx_t *c)
{
	const sl_node_t *n = c->node;
	long long limit = n->kids[1] ? atoll(n->kids[1]->str) : -1;
	long long interval = n->kids[0] ? atoll(n->kids[0]->str) : 1;
	char topic[512];
	sl_kafka_consumer_t *cons = NULL;
	sl_serde_t *ks = NULL, *vs = NULL;
	sl_arena_t a;
	sl_plan_io_t io;
	sl_value_t vals[64];
	rd_kafka_message_t *msgs[256];
	int parts = 0, rc, nsrc;
	long long seen = 0, shown = 0;

	if (interval < 1)
		return sl_error_at(c->err, SL_EINVAL, n->kids[0]->loc, "INTERVAL must be positive");
	if ((rc = print_topic(c, topic, sizeof(topic))) != SL_OK)
		return rc;
	sl_arena_init(&a, 0);
	const sl_source_t **srcs = sl_engine_sources_on_topic(c->eng, topic, &nsrc);
	if (nsrc > 0 && srcs[0]->ncols <= 64) {
		sl_plan_io_from_source(&a, srcs[0], &io);
		if (sl_plan_io_serde(&io, true, &ks, NULL) != SL_OK)
			ks = NULL;
		if (sl_plan_io_serde(&io, false, &vs, NULL) != SL_OK)
			vs = NULL;
	}
	cJSON *e = sl_entity_new(c, "print");
	cJSON *recs = cJSON_CreateArray();
	cJSON_AddStringToObject(e, "topic", topic);
	cJSON_AddStringToObject(e, "keyFormat", ks ? srcs[0]->key_format : "BYTES");
	cJSON_AddStringToObject(e, "valueFormat", vs ? srcs[0]->value_format : "BYTES");
	cJSON_AddItemToObject(e, "records", recs);

	int64_t start = (n->flags & SL_F_FROM_BEGINNING) ? SL_KAFKA_OFFSET_BEGINNING :
							   SL_KAFKA_OFFSET_END;
	if ((rc = sl_kafka_topic_describe(c->eng->kafka, topic, &parts, NULL, c->err)) != SL_OK ||
	    (rc = sl_kafka_consumer_create(c->eng->kafka, "sluice-print", start, &cons, c->err)) !=
		    SL_OK)
		goto done;
	sl_kafka_tp_t *tps = sl_arena_calloc(&a, sizeof(*tps) * (size_t)(parts + 1));
	for (int p = 0; p < parts; p++)
		tps[p] = (sl_kafka_tp_t){topic, p, start};
	if ((rc = sl_kafka_consumer_assign(cons, tps, (size_t)parts, c->err)) != SL_OK)
		goto done;
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (limit < 0 || shown < limit) {
		bool done = false;
		size_t got = 0;
		if ((rc = sl_kafka_consumer_caught_up(cons, 5000, &done, c->err)) != SL_OK)
			goto done;
		if (done)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec > 10)
			break; /* a bounded read: never hang a statement */
		rc = sl_kafka_consumer_poll(cons, msgs, 256, 100, &got, c->err);
		if (rc == SL_ERR)
			goto done;
		for (size_t i = 0; i < got; i++) {
			rd_kafka_message_t *m = msgs[i];
			if (seen++ % interval == 0 && (limit < 0 || shown < limit)) {
				cJSON *r = cJSON_CreateObject();
				cJSON_AddNumberToObject(r, "rowtime",
							(double)sl_kafka_message_timestamp(c->eng->kafka, m));
				cJSON_AddItemToObject(r, "key", print_key(&io, ks, m, &a, vals));
				cJSON_AddItemToObject(r, "value",
						      print_payload(vs, vs ? first_type(&io, false) : NULL,
								    m->payload, m->len, &a, vals));
				cJSON_AddNumberToObject(r, "partition", m->partition);
				cJSON_AddNumberToObject(r, "offset", (double)m->offset);
				cJSON_AddItemToArray(recs, r);
				shown++;
			}
			rd_kafka_message_destroy(m);
		}
	}
	rc = SL_OK;
done:
	sl_kafka_consumer_destroy(cons);
	sl_serde_destroy(ks);
	sl_serde_destroy(vs);
	sl_arena_destroy(&a);
	if (rc != SL_OK) {
		cJSON_Delete(e);
		return rc;
	}
	cJSON_AddItemToArray(c->results, e);
	return SL_OK;
}

int
sl_stmt_select(sl_stmt_ctx_t *c)
{
	/* ksqlDB's /ksql refuses queries (Errors.queryEndpoint); callers send
	 * them to sl_engine_query() (sl_engine_is_query) */
	c->http_status = 400;
	c->error_code = 40002;
	return sl_error_at(c->err, SL_EINVAL, c->node->loc,
			   "The following statement types should be issued to the websocket "
			   "endpoint '/query':\n\t* PRINT\n\t* SELECT");
}
