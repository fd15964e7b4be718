/*
 * stmt_ddl.c: CREATE / DROP / ALTER of streams, tables and types.
 *
 * Stage: engine.  Takes parsed DDL statements; validates them with the
 * analyzer, makes sure the Kafka topic is there (creating it when the
 * statement gives PARTITIONS), updates the catalog and its statement log,
 * and answers with a currentStatus entity.
 */
#include "engine/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kafka/kafka.h"
#include "plan/plan.h"
#include "parse/parser.h"

static const char *
kind_word(int kind)
{
	return kind == SL_OBJ_TABLE ? "table" : "stream";
}

static const char *
kind_title(int kind)
{
	return kind == SL_OBJ_TABLE ? "Table" : "Stream";
}

/*
 * Makes sure src's topic exists: looks up its partition count, or creates
 * it when the statement gave PARTITIONS.  Fills src->partitions.
 */
int
sl_engine_ensure_topic(sl_engine_t *eng, sl_source_t *src, bool create_if_missing,
		       int default_partitions, int loc, sl_error_t *err)
{
	int parts = 0;
	int rc = sl_kafka_topic_describe(eng->kafka, src->topic, &parts, NULL, err);

	if (rc == SL_OK) {
		if (src->partitions > 0 && src->partitions != parts)
			return sl_error_at(err, SL_EINVAL, loc,
					   "topic \"%s\" already exists with %d partitions, not the "
					   "%d this statement asks for", src->topic, parts,
					   src->partitions);
		src->partitions = parts;
		return SL_OK;
	}
	if (rc != SL_ENOTFOUND)
		return rc;
	if (!create_if_missing && src->partitions <= 0)
		return sl_error_at(err, SL_ENOTFOUND, loc,
				   "topic \"%s\" does not exist: create it, or give PARTITIONS "
				   "in the WITH clause to have sluice create it", src->topic);
	if (src->partitions <= 0)
		src->partitions = default_partitions > 0 ? default_partitions : 1;
	return sl_kafka_topic_create(eng->kafka, src->topic, src->partitions,
				     src->replicas > 0 ? src->replicas : 1, err);
}

/* The offset of the KAFKA_TOPIC property of a CREATE, for errors about
 * the topic; the statement's own offset when there is none. */
static int
topic_loc(const sl_node_t *n)
{
	const sl_node_t *props = n->kids[1];
	for (int i = 0; props != NULL && i < props->nkids; i++)
		if (strcasecmp(props->kids[i]->str, "KAFKA_TOPIC") == 0)
			return props->kids[i]->loc;
	return n->loc;
}

int
sl_stmt_create_source(sl_stmt_ctx_t *c)
{
	const sl_node_t *n = c->node;
	sl_source_t *src = NULL, *old;
	char id[300], msg[300];
	int rc;

	sl_analyze_defaults_t defs = {
		.key_format = sl_engine_prop(c, "ksql.persistence.default.format.key", NULL),
		.value_format = sl_engine_prop(c, "ksql.persistence.default.format.value", NULL),
		.wrap_single_value = sl_engine_default_wrap(c),
	};
	rc = sl_analyze_create_source(n, c->eng->cat, &defs, c->sql, &src, c->err);
	if (rc != SL_OK)
		return rc;
	old = sl_catalog_source(c->eng->cat, src->name);
	if (old != NULL && !c->replaying) {
		if (n->flags & SL_F_IF_NOT_EXISTS) {
			snprintf(msg, sizeof(msg), "Cannot add %s '%s': A %s with the same name "
				 "already exists.", kind_word(src->kind), src->name,
				 kind_word(old->kind));
			snprintf(id, sizeof(id), "%s/`%s`/create", kind_word(src->kind), src->name);
			cJSON_AddItemToArray(c->results, sl_entity_status(c, id, msg, NULL));
			sl_source_free(src);
			return SL_OK;
		}
		if (!(n->flags & SL_F_OR_REPLACE) || old->kind != src->kind) {
			rc = sl_error_at(c->err, SL_EEXISTS, n->str_loc,
					 "cannot add %s \"%s\": a %s with the same name already exists",
					 kind_word(src->kind), src->name, kind_word(old->kind));
			goto fail;
		}
		if (old->read_only) {
			rc = sl_error_at(c->err, SL_EINVAL, n->loc,
					 "cannot replace source %s \"%s\"", kind_word(old->kind),
					 old->name);
			goto fail;
		}
	}
	if ((rc = sl_plan_check_formats(src, c->err)) != SL_OK) {
		if (c->err->offset < 0)
			c->err->offset = n->loc;
		goto fail;
	}
	if (!c->replaying) {
		if ((rc = sl_engine_ensure_topic(c->eng, src, false, 1, topic_loc(n), c->err)) != SL_OK)
			goto fail;
		if (old != NULL)
			sl_catalog_unlog(c->eng->cat, old->seq, NULL);
		if ((rc = sl_catalog_log(c->eng->cat, c->sql, NULL, &src->seq, c->err)) != SL_OK)
			goto fail;
	} else {
		/* the embedded Kafka forgets its topics on exit: recreate them */
		src->seq = c->replay_seq;
		rc = sl_engine_ensure_topic(c->eng, src, sl_kafka_embedded(c->eng->kafka), 1, n->loc,
					    c->err);
		if (rc != SL_OK)
			goto fail;
	}
	if ((rc = sl_catalog_add_source(c->eng->cat, src, old != NULL, c->err)) != SL_OK)
		goto fail;
	/* a source table is materialized in SQLite, like ksqlDB's */
	if (src->read_only && src->kind == SL_OBJ_TABLE && src->window_type == SL_WIN_NONE &&
	    (rc = sl_engine_start_materializer(c->eng, src, c->err)) != SL_OK) {
		if (c->err->offset < 0)
			c->err->offset = n->loc;
		return rc;
	}
	snprintf(id, sizeof(id), "%s/`%s`/create", kind_word(src->kind), src->name);
	snprintf(msg, sizeof(msg), "%s created", kind_title(src->kind));
	cJSON_AddItemToArray(c->results, sl_entity_status(c, id, msg, NULL));
	return SL_OK;
fail:
	sl_source_free(src);
	return rc;
}

int
sl_stmt_create_type(sl_stmt_ctx_t *c)
{
	const sl_node_t *n = c->node;
	sl_named_type_t *t = NULL;
	sl_strbuf_t sb;
	char id[300];
	int rc;

	if (sl_catalog_type(c->eng->cat, n->str) != NULL && !c->replaying) {
		if (n->flags & SL_F_IF_NOT_EXISTS) {
			snprintf(id, sizeof(id), "type/`%s`/create", n->str);
			cJSON_AddItemToArray(c->results,
					     sl_entity_status(c, id, "Type already exists", NULL));
			return SL_OK;
		}
		return sl_error_at(c->err, SL_EEXISTS, n->str_loc, "type \"%s\" already exists",
				   n->str);
	}
	if ((rc = sl_analyze_create_type(n, c->eng->cat, c->sql, &t, c->err)) != SL_OK)
		return rc;
	if (!c->replaying)
		rc = sl_catalog_log(c->eng->cat, c->sql, NULL, &t->seq, c->err);
	else
		t->seq = c->replay_seq;
	if (rc == SL_OK)
		rc = sl_catalog_add_type(c->eng->cat, t, c->err);
	if (rc != SL_OK) {
		sl_arena_destroy(&t->arena);
		free(t);
		return rc;
	}
	sl_strbuf_init(&sb);
	sl_strbuf_printf(&sb, "Registered custom type with name '%s' and SQL type ", t->name);
	sl_type_format(&sb, t->type);
	snprintf(id, sizeof(id), "type/`%s`/create", t->name);
	cJSON_AddItemToArray(c->results, sl_entity_status(c, id, sb.data, NULL));
	sl_strbuf_free(&sb);
	return SL_OK;
}

static int
drop_type(sl_stmt_ctx_t *c)
{
	const sl_node_t *n = c->node;
	sl_named_type_t *t = sl_catalog_type(c->eng->cat, n->str);
	char id[300], msg[300];

	if (t == NULL) {
		if (n->flags & SL_F_IF_EXISTS) {
			snprintf(msg, sizeof(msg), "Type %s does not exist.", n->str);
		} else {
			return sl_error_at(c->err, SL_ENOTFOUND, n->str_loc,
					   "type \"%s\" does not exist", n->str);
		}
	} else {
		sl_catalog_unlog(c->eng->cat, t->seq, NULL);
		sl_catalog_drop_type(c->eng->cat, n->str, NULL);
		snprintf(msg, sizeof(msg), "Dropped type '%s'", n->str);
	}
	snprintf(id, sizeof(id), "type/`%s`/drop", n->str);
	cJSON_AddItemToArray(c->results, sl_entity_status(c, id, msg, NULL));
	return SL_OK;
}

int
sl_stmt_drop(sl_stmt_ctx_t *c)
{
	const sl_node_t *n = c->node;
	sl_source_t *src;
	const char *ids[64];
	char id[300], msg[600], topic[256];
	int nq, rc;

	if (n->op == SL_OBJ_TYPE)
		return drop_type(c);
	src = sl_catalog_source(c->eng->cat, n->str);
	snprintf(id, sizeof(id), "%s/`%s`/drop", kind_word(n->op), n->str);
	if (src == NULL) {
		if (n->flags & SL_F_IF_EXISTS) {
			snprintf(msg, sizeof(msg), "Source `%s` does not exist.", n->str);
			cJSON_AddItemToArray(c->results, sl_entity_status(c, id, msg, NULL));
			return SL_OK;
		}
		return sl_error_at(c->err, SL_ENOTFOUND, n->str_loc, "%s \"%s\" does not exist",
				   kind_word(n->op), n->str);
	}
	if (src->kind != n->op)
		return sl_error_at(c->err, SL_EINVAL, n->str_loc,
				   "\"%s\" is a %s, not a %s: use DROP %s", n->str,
				   kind_word(src->kind), kind_word(n->op),
				   src->kind == SL_OBJ_TABLE ? "TABLE" : "STREAM");
	if ((n->flags & SL_F_DELETE_TOPIC) && src->read_only)
		return sl_error_at(c->err, SL_EINVAL, n->loc,
				   "cannot delete the topic of read-only source \"%s\"", n->str);
	nq = sl_engine_queries_using(c->eng, src->name, false, ids, 64);
	if (nq > 0) {
		sl_strbuf_t sb;
		sl_strbuf_init(&sb);
		for (int i = 0; i < nq; i++)
			sl_strbuf_printf(&sb, "%s%s", i ? ", " : "", ids[i]);
		rc = sl_error_at(c->err, SL_EINVAL, n->str_loc,
				 "cannot drop \"%s\": the queries %s read from it; terminate them "
				 "first", n->str, sb.data);
		sl_strbuf_free(&sb);
		return rc;
	}
	/* so does a source table's materialization, and the query that
	 * created the source (CSAS/CTAS) */
	{
		char mid[300];
		sl_engine_stop_query(c->eng, sl_engine_materializer_id(src, mid, sizeof(mid)));
	}
	nq = sl_engine_queries_using(c->eng, src->name, true, ids, 64);
	for (int i = 0; i < nq; i++) {
		char qid[256];
		snprintf(qid, sizeof(qid), "%s", ids[i]);
		sl_query_def_t *q = sl_catalog_query(c->eng->cat, qid);
		sl_engine_stop_query(c->eng, qid);
		if (q != NULL && q->seq != src->seq)
			sl_catalog_unlog(c->eng->cat, q->seq, NULL);
		sl_catalog_remove_query(c->eng->cat, qid);
	}
	snprintf(topic, sizeof(topic), "%s", src->topic);
	if ((rc = sl_catalog_unlog(c->eng->cat, src->seq, c->err)) != SL_OK)
		return rc;
	sl_engine_stop_taps(c->eng, n->str);
	sl_catalog_drop_source(c->eng->cat, n->str, NULL);
	if (n->flags & SL_F_DELETE_TOPIC) {
		if ((rc = sl_kafka_topic_delete(c->eng->kafka, topic, c->err)) != SL_OK)
			return rc;
	}
	snprintf(msg, sizeof(msg), "Source `%s` (topic: %s) was dropped.", n->str, topic);
	cJSON_AddItemToArray(c->results, sl_entity_status(c, id, msg, NULL));
	return SL_OK;
}

int
sl_stmt_alter_source(sl_stmt_ctx_t *c)
{
	const sl_node_t *n = c->node;
	sl_source_t *src = sl_catalog_source(c->eng->cat, n->str);
	sl_arena_t a;
	sl_node_t *orig;
	sl_error_t perr;
	sl_strbuf_t sql;
	char id[300], msg[300];
	int rc;

	if (src == NULL)
		return sl_error_at(c->err, SL_ENOTFOUND, n->str_loc, "%s \"%s\" does not exist",
				   kind_word(n->op), n->str);
	if (src->kind != n->op)
		return sl_error_at(c->err, SL_EINVAL, n->str_loc, "\"%s\" is a %s, not a %s",
				   n->str, kind_word(src->kind), kind_word(n->op));
	if (src->query_id != NULL)
		return sl_error_at(c->err, SL_EINVAL, n->loc,
				   "ALTER is not supported for %ss created by CREATE ... AS SELECT",
				   kind_word(src->kind));
	/* rebuild the CREATE statement with the new columns and re-analyze it,
	 * so that the catalog log keeps one statement per source */
	sl_arena_init(&a, 0);
	rc = sl_parse_one(src->sql, strlen(src->sql), &a, &orig, &perr);
	if (rc != SL_OK || orig->kind != SL_N_CREATE_SOURCE) {
		sl_arena_destroy(&a);
		return sl_error_at(c->err, SL_ERR, n->loc, "cannot re-read the definition of \"%s\"",
				   n->str);
	}
	for (int i = 0; i < n->kids[0]->nkids; i++) {
		const sl_node_t *col = n->kids[0]->kids[i];
		if (sl_source_column(src, col->str) >= 0) {
			sl_arena_destroy(&a);
			return sl_error_at(c->err, SL_EEXISTS, col->loc,
					   "cannot add column \"%s\": it already exists in \"%s\"",
					   col->str, n->str);
		}
		sl_ast_append(&a, orig->kids[0], (sl_node_t *)col);
	}
	orig->flags &= ~(unsigned)SL_F_IF_NOT_EXISTS;
	orig->flags |= SL_F_OR_REPLACE;
	sl_strbuf_init(&sql);
	sl_ast_print(&sql, orig);
	sl_strbuf_putc(&sql, ';');
	sl_source_t *nsrc = NULL;
	rc = sl_analyze_create_source(orig, c->eng->cat, NULL, sql.data, &nsrc, c->err);
	sl_arena_destroy(&a);
	if (rc == SL_OK) {
		nsrc->partitions = src->partitions;
		nsrc->read_only = src->read_only;
		rc = sl_catalog_log(c->eng->cat, sql.data, NULL, &nsrc->seq, c->err);
	}
	if (rc == SL_OK) {
		sl_catalog_unlog(c->eng->cat, src->seq, NULL);
		rc = sl_catalog_add_source(c->eng->cat, nsrc, true, c->err);
	} else {
		sl_source_free(nsrc);
	}
	sl_strbuf_free(&sql);
	if (rc != SL_OK)
		return rc;
	snprintf(id, sizeof(id), "%s/`%s`/alter", kind_word(n->op), n->str);
	snprintf(msg, sizeof(msg), "%s altered", kind_title(n->op));
	cJSON_AddItemToArray(c->results, sl_entity_status(c, id, msg, NULL));
	return SL_OK;
}
