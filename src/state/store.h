/*
 * store.h: SQLite tables that hold materialized results.
 *
 * Stage: state.  A materialized table is a real SQLite table in its
 * query's database: a hidden primary key _k (the key's bytes, see
 * sl_store_key_put(), then the window start), one typed column per output
 * column, WINDOWSTART/WINDOWEND when windowed, then hidden columns of its
 * writer.  These helpers give the pieces every writer shares: the key
 * encoding, the column types, binding a value, and creating the table
 * (again, when its shape changed).
 */
#ifndef SL_STATE_STORE_H
#define SL_STATE_STORE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "expr/type.h"
#include "expr/value.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/strbuf.h"

/* Appends v's key bytes: a tagged binary form, equal exactly when the
 * values are. */
void sl_store_key_put(sl_strbuf_t *sb, const sl_value_t *v);

/* Reads one value written by sl_store_key_put() at p into *v (strings
 * point into p, lists go in a); returns the position after it. */
const char *sl_store_key_get(const char *p, sl_arena_t *a, sl_value_t *v);

/* Appends a window start as 8 bytes that sort like the number. */
void sl_store_time_put(sl_strbuf_t *sb, int64_t t);

/* Binds v (of type t) to parameter i: numbers and strings as themselves,
 * DECIMAL as its exact text, ARRAY/MAP/STRUCT as JSON; sb is scratch. */
void sl_store_bind_value(sqlite3_stmt *st, int i, const sl_value_t *v, const sl_type_t *t,
			 sl_strbuf_t *sb);

/* The declared SQLite type of a column of type t (its affinity follows the
 * name: INT, BIGINT integers, DOUBLE real, VARCHAR text, DECIMAL numeric,
 * complex types JSON text); buf holds DECIMAL(p,s). */
const char *sl_store_sql_type(const sl_type_t *t, char *buf, size_t size);

/* Appends name as a quoted SQL identifier. */
void sl_store_quote_ident(sl_strbuf_t *sb, const char *name);

/* Creates table name with create_sql unless it exists with exactly that
 * statement; one of another shape is dropped first (*recreated: its rows,
 * and whatever the caller kept with them, are gone). */
int sl_store_table_ensure(sqlite3 *db, const char *name, const char *create_sql,
			  bool *recreated, sl_error_t *err);

#endif
