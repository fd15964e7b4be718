/*
 * materialize.c: keeps a table query's result in SQLite.
 *
 * Stage: exec.  Entry points (internal.h): sl_mat_create, sl_mat_write,
 * sl_mat_destroy.
 *
 * A query whose result is a table without aggregation (CREATE TABLE AS
 * SELECT over a table, and the materialization of a CREATE SOURCE TABLE)
 * writes each result row to a SQLite table named like the table, in its
 * query's database: the hidden primary key _k (the key's bytes), one typed
 * column per column, WINDOWSTART and WINDOWEND when the result is windowed
 * (a join of windowed tables; _k then ends with the window start), and _ts
 * (the row's timestamp).  A row upserts its
 * key, a tombstone deletes it.  The writes go into the query's open
 * transaction, which commits together with the input offsets, so the
 * table always matches the offsets stored with it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/internal.h"
#include "state/store.h"

struct sl_mat {
	char *table;               /* quoted */
	bool windowed;
	sqlite3_stmt *st_put, *st_del;
	sl_strbuf_t kb, tmp;
};

int
sl_mat_create(sl_query_t *q, const char *name, sl_error_t *err)
{
	const sl_analysis_t *an = q->an;
	sl_mat_t *m = calloc(1, sizeof(*m));
	sl_strbuf_t sql;
	char tbuf[64];
	bool recreated;
	int rc = SL_OK;

	if (m == NULL)
		abort();
	q->mat = m;
	sl_strbuf_init(&m->kb);
	sl_strbuf_init(&m->tmp);
	sl_strbuf_init(&sql);
	sl_store_quote_ident(&m->tmp, name);
	m->table = strdup(m->tmp.data);
	m->windowed = an->windowstart >= 0;
	sl_strbuf_printf(&sql, "CREATE TABLE %s (_k BLOB PRIMARY KEY", m->table);
	for (int i = 0; i < an->nout; i++) {
		sl_strbuf_puts(&sql, ", ");
		sl_store_quote_ident(&sql, an->out[i].name);
		sl_strbuf_printf(&sql, " %s", sl_store_sql_type(an->out[i].type, tbuf, sizeof(tbuf)));
	}
	if (m->windowed)
		sl_strbuf_puts(&sql, ", WINDOWSTART BIGINT, WINDOWEND BIGINT");
	sl_strbuf_puts(&sql, ", _ts BIGINT) WITHOUT ROWID");
	if ((rc = sl_store_table_ensure(q->db, name, sql.data, &recreated, err)) != SL_OK)
		goto done;
	/* rows of another shape are gone: read the input again */
	if (recreated && sqlite3_exec(q->db, "DELETE FROM offsets", NULL, NULL, NULL) != SQLITE_OK) {
		rc = sl_error_set(err, SL_EIO, "resetting offsets: %s", sqlite3_errmsg(q->db));
		goto done;
	}
	sl_strbuf_reset(&sql);
	sl_strbuf_printf(&sql, "INSERT OR REPLACE INTO %s VALUES (?", m->table);
	for (int i = 0; i < an->nout + 1 + (m->windowed ? 2 : 0); i++)
		sl_strbuf_puts(&sql, ", ?");
	sl_strbuf_puts(&sql, ")");
	if (sqlite3_prepare_v3(q->db, sql.data, -1, SQLITE_PREPARE_PERSISTENT, &m->st_put, NULL) !=
	    SQLITE_OK) {
		rc = sl_error_set(err, SL_EIO, "preparing \"%s\": %s", sql.data, sqlite3_errmsg(q->db));
		goto done;
	}
	sl_strbuf_reset(&sql);
	sl_strbuf_printf(&sql, "DELETE FROM %s WHERE _k = ?", m->table);
	if (sqlite3_prepare_v3(q->db, sql.data, -1, SQLITE_PREPARE_PERSISTENT, &m->st_del, NULL) !=
	    SQLITE_OK)
		rc = sl_error_set(err, SL_EIO, "preparing \"%s\": %s", sql.data, sqlite3_errmsg(q->db));
done:
	sl_strbuf_free(&sql);
	return rc;
}

int
sl_mat_write(sl_query_t *q, bool value_null, int64_t ts, sl_error_t *err)
{
	const sl_analysis_t *an = q->an;
	sl_mat_t *m = q->mat;
	sqlite3_stmt *st = value_null ? m->st_del : m->st_put;
	int rc;

	if ((rc = sl_exec_tx_begin(q, err)) != SL_OK)
		return rc;
	sl_strbuf_reset(&m->kb);
	for (int i = 0; i < an->nkeys; i++)
		sl_store_key_put(&m->kb, &q->out[i]);
	if (m->windowed) {
		sl_value_t ws = sl_value_bigint(q->out_wstart);
		sl_store_key_put(&m->kb, &ws);
	}
	sqlite3_bind_blob(st, 1, m->kb.data, (int)m->kb.len, SQLITE_STATIC);
	if (!value_null) {
		int i = 2;
		for (int c = 0; c < an->nout; c++)
			sl_store_bind_value(st, i++, &q->out[c], an->out[c].type, &m->tmp);
		if (m->windowed) {
			sqlite3_bind_int64(st, i++, q->out_wstart);
			sqlite3_bind_int64(st, i++, q->out_wend);
		}
		sqlite3_bind_int64(st, i, ts);
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sl_error_set(err, SL_EIO, "materializing %s: %s", m->table,
				    sqlite3_errmsg(q->db));
	return SL_OK;
}

void
sl_mat_destroy(sl_mat_t *m)
{
	if (m == NULL)
		return;
	sqlite3_finalize(m->st_put);
	sqlite3_finalize(m->st_del);
	sl_strbuf_free(&m->kb);
	sl_strbuf_free(&m->tmp);
	free(m->table);
	free(m);
}
