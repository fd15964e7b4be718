/*
 * catalog.c: the metastore (see catalog.h).
 *
 * Stage: state.  In-memory arrays of definitions (a few hundred at most, so
 * lookups are linear), plus the statement log in catalog.db.
 */
#include "state/catalog.h"

#include <errno.h>
#include <stddef.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parse/ast.h"

typedef struct ptr_vec {
	void **items;
	int n, cap;
} ptr_vec_t;

struct sl_catalog {
	sqlite3 *db;              /* NULL for an in-memory catalog */
	char *state_dir;
	ptr_vec_t sources;        /* sl_source_t * */
	ptr_vec_t types;          /* sl_named_type_t * */
	ptr_vec_t queries;        /* sl_query_def_t * */
	int64_t next_query;
	sl_arena_t entries_arena; /* the entries handed out by open */
};

static void
vec_push(ptr_vec_t *v, void *p)
{
	if (v->n == v->cap) {
		int cap = v->cap ? v->cap * 2 : 16;
		void **items = realloc(v->items, sizeof(*items) * (size_t)cap);
		if (items == NULL)
			abort();
		v->items = items;
		v->cap = cap;
	}
	v->items[v->n++] = p;
}

static void
vec_remove_at(ptr_vec_t *v, int i)
{
	memmove(&v->items[i], &v->items[i + 1], sizeof(v->items[0]) * (size_t)(v->n - i - 1));
	v->n--;
}

static int
db_exec(sl_catalog_t *cat, const char *sql, sl_error_t *err)
{
	char *msg = NULL;
	if (sqlite3_exec(cat->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		sl_error_set(err, SL_EIO, "catalog: %s", msg ? msg : "error");
		sqlite3_free(msg);
		return SL_EIO;
	}
	return SL_OK;
}

static int
load_entries(sl_catalog_t *cat, sl_catalog_entry_t **entries, int *n, sl_error_t *err)
{
	sqlite3_stmt *st = NULL;
	int cap = 16, count = 0, rc;
	sl_catalog_entry_t *v = sl_arena_alloc(&cat->entries_arena, sizeof(*v) * (size_t)cap);

	if (sqlite3_prepare_v2(cat->db,
			       "SELECT seq, sql, query_id, terminated FROM statements ORDER BY seq",
			       -1, &st, NULL) != SQLITE_OK)
		return sl_error_set(err, SL_EIO, "catalog: %s", sqlite3_errmsg(cat->db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap) {
			sl_catalog_entry_t *nv =
				sl_arena_alloc(&cat->entries_arena, sizeof(*nv) * (size_t)cap * 2);
			memcpy(nv, v, sizeof(*v) * (size_t)count);
			v = nv;
			cap *= 2;
		}
		v[count].seq = sqlite3_column_int64(st, 0);
		v[count].sql = sl_arena_strdup(&cat->entries_arena,
					       (const char *)sqlite3_column_text(st, 1));
		v[count].query_id = sl_arena_strdup(&cat->entries_arena,
						    (const char *)sqlite3_column_text(st, 2));
		v[count].terminated = sqlite3_column_int(st, 3) != 0;
		count++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sl_error_set(err, SL_EIO, "catalog: %s", sqlite3_errmsg(cat->db));
	*entries = v;
	*n = count;
	return SL_OK;
}

int
sl_catalog_open(const char *state_dir, sl_catalog_t **out, sl_catalog_entry_t **entries,
		int *nentries, sl_error_t *err)
{
	sl_catalog_t *cat = calloc(1, sizeof(*cat));
	char path[4096];
	sqlite3_stmt *st = NULL;

	if (cat == NULL)
		return sl_error_set(err, SL_ENOMEM, "out of memory");
	sl_arena_init(&cat->entries_arena, 0);
	*out = NULL;
	*entries = NULL;
	*nentries = 0;
	if (state_dir == NULL) {
		*out = cat;
		return SL_OK;
	}
	if (mkdir(state_dir, 0755) != 0 && errno != EEXIST) {
		sl_error_set(err, SL_EIO, "cannot create state directory \"%s\": %s", state_dir,
			     strerror(errno));
		goto fail;
	}
	cat->state_dir = strdup(state_dir);
	snprintf(path, sizeof(path), "%s/catalog.db", state_dir);
	if (sqlite3_open(path, &cat->db) != SQLITE_OK) {
		sl_error_set(err, SL_EIO, "cannot open \"%s\": %s", path,
			     cat->db ? sqlite3_errmsg(cat->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(cat->db, 5000);
	if (db_exec(cat, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			 "CREATE TABLE IF NOT EXISTS statements ("
			 "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
			 "  sql TEXT NOT NULL,"
			 "  query_id TEXT,"
			 "  terminated INTEGER NOT NULL DEFAULT 0);"
			 "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER);",
		    err) != SL_OK)
		goto fail;
	if (sqlite3_prepare_v2(cat->db, "SELECT value FROM meta WHERE key='next_query'", -1,
			       &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			cat->next_query = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	if (load_entries(cat, entries, nentries, err) != SL_OK)
		goto fail;
	*out = cat;
	return SL_OK;
fail:
	sl_catalog_close(cat);
	return err ? err->code : SL_EIO;
}

void
sl_catalog_close(sl_catalog_t *cat)
{
	if (cat == NULL)
		return;
	for (int i = 0; i < cat->sources.n; i++)
		sl_source_free(cat->sources.items[i]);
	for (int i = 0; i < cat->types.n; i++) {
		sl_named_type_t *t = cat->types.items[i];
		sl_arena_destroy(&t->arena);
		free(t);
	}
	for (int i = 0; i < cat->queries.n; i++) {
		sl_query_def_t *q = cat->queries.items[i];
		sl_arena_destroy(&q->arena);
		free(q);
	}
	free(cat->sources.items);
	free(cat->types.items);
	free(cat->queries.items);
	if (cat->db != NULL)
		sqlite3_close(cat->db);
	sl_arena_destroy(&cat->entries_arena);
	free(cat->state_dir);
	free(cat);
}

const char *
sl_catalog_state_dir(const sl_catalog_t *cat)
{
	return cat->state_dir;
}

sl_source_t *
sl_source_new(void)
{
	sl_source_t *src = calloc(1, sizeof(*src));
	if (src == NULL)
		abort();
	sl_arena_init(&src->arena, 0);
	src->wrap_single_value = -1;
	return src;
}

void
sl_source_free(sl_source_t *src)
{
	if (src == NULL)
		return;
	sl_arena_destroy(&src->arena);
	free(src);
}

int
sl_source_column(const sl_source_t *src, const char *name)
{
	for (int i = 0; i < src->ncols; i++)
		if (strcmp(src->cols[i].name, name) == 0)
			return i;
	return -1;
}

int
sl_source_nkeys(const sl_source_t *src)
{
	int n = 0;
	while (n < src->ncols && src->cols[n].ns == SL_COL_KEY)
		n++;
	return n;
}

static int
find(const ptr_vec_t *v, const char *name, size_t name_offset)
{
	for (int i = 0; i < v->n; i++) {
		const char *n = *(const char **)((const char *)v->items[i] + name_offset);
		if (strcmp(n, name) == 0)
			return i;
	}
	return -1;
}

int
sl_catalog_add_source(sl_catalog_t *cat, sl_source_t *src, bool replace, sl_error_t *err)
{
	int i = find(&cat->sources, src->name, offsetof(sl_source_t, name));
	if (i >= 0) {
		if (!replace)
			return sl_error_set(err, SL_EEXISTS, "a %s named \"%s\" already exists",
					    ((sl_source_t *)cat->sources.items[i])->kind == SL_OBJ_TABLE ?
					    "table" : "stream", src->name);
		sl_source_free(cat->sources.items[i]);
		cat->sources.items[i] = src;
		return SL_OK;
	}
	vec_push(&cat->sources, src);
	return SL_OK;
}

int
sl_catalog_drop_source(sl_catalog_t *cat, const char *name, sl_error_t *err)
{
	int i = find(&cat->sources, name, offsetof(sl_source_t, name));
	if (i < 0)
		return sl_error_set(err, SL_ENOTFOUND, "source \"%s\" does not exist", name);
	sl_source_free(cat->sources.items[i]);
	vec_remove_at(&cat->sources, i);
	return SL_OK;
}

sl_source_t *
sl_catalog_source(const sl_catalog_t *cat, const char *name)
{
	int i = find(&cat->sources, name, offsetof(sl_source_t, name));
	return i < 0 ? NULL : cat->sources.items[i];
}

sl_source_t **
sl_catalog_sources(const sl_catalog_t *cat, int *n)
{
	*n = cat->sources.n;
	return (sl_source_t **)cat->sources.items;
}

sl_named_type_t *
sl_named_type_new(void)
{
	sl_named_type_t *t = calloc(1, sizeof(*t));
	if (t == NULL)
		abort();
	sl_arena_init(&t->arena, 0);
	return t;
}

int
sl_catalog_add_type(sl_catalog_t *cat, sl_named_type_t *t, sl_error_t *err)
{
	if (find(&cat->types, t->name, offsetof(sl_named_type_t, name)) >= 0)
		return sl_error_set(err, SL_EEXISTS, "type \"%s\" already exists", t->name);
	vec_push(&cat->types, t);
	return SL_OK;
}

int
sl_catalog_drop_type(sl_catalog_t *cat, const char *name, sl_error_t *err)
{
	int i = find(&cat->types, name, offsetof(sl_named_type_t, name));
	if (i < 0)
		return sl_error_set(err, SL_ENOTFOUND, "type \"%s\" does not exist", name);
	sl_named_type_t *t = cat->types.items[i];
	sl_arena_destroy(&t->arena);
	free(t);
	vec_remove_at(&cat->types, i);
	return SL_OK;
}

sl_named_type_t *
sl_catalog_type(const sl_catalog_t *cat, const char *name)
{
	int i = find(&cat->types, name, offsetof(sl_named_type_t, name));
	return i < 0 ? NULL : cat->types.items[i];
}

sl_named_type_t **
sl_catalog_types(const sl_catalog_t *cat, int *n)
{
	*n = cat->types.n;
	return (sl_named_type_t **)cat->types.items;
}

sl_query_def_t *
sl_query_def_new(void)
{
	sl_query_def_t *q = calloc(1, sizeof(*q));
	if (q == NULL)
		abort();
	sl_arena_init(&q->arena, 0);
	return q;
}

int
sl_catalog_add_query(sl_catalog_t *cat, sl_query_def_t *q, sl_error_t *err)
{
	if (find(&cat->queries, q->id, offsetof(sl_query_def_t, id)) >= 0)
		return sl_error_set(err, SL_EEXISTS, "query \"%s\" already exists", q->id);
	vec_push(&cat->queries, q);
	return SL_OK;
}

void
sl_catalog_remove_query(sl_catalog_t *cat, const char *id)
{
	int i = find(&cat->queries, id, offsetof(sl_query_def_t, id));
	if (i < 0)
		return;
	sl_query_def_t *q = cat->queries.items[i];
	sl_arena_destroy(&q->arena);
	free(q);
	vec_remove_at(&cat->queries, i);
}

sl_query_def_t *
sl_catalog_query(const sl_catalog_t *cat, const char *id)
{
	int i = find(&cat->queries, id, offsetof(sl_query_def_t, id));
	return i < 0 ? NULL : cat->queries.items[i];
}

sl_query_def_t **
sl_catalog_queries(const sl_catalog_t *cat, int *n)
{
	*n = cat->queries.n;
	return (sl_query_def_t **)cat->queries.items;
}

int
sl_catalog_log(sl_catalog_t *cat, const char *sql, const char *query_id, int64_t *seq,
	       sl_error_t *err)
{
	sqlite3_stmt *st = NULL;

	*seq = 0;
	if (cat->db == NULL)
		return SL_OK;
	if (sqlite3_prepare_v2(cat->db, "INSERT INTO statements (sql, query_id) VALUES (?, ?)",
			       -1, &st, NULL) != SQLITE_OK)
		return sl_error_set(err, SL_EIO, "catalog: %s", sqlite3_errmsg(cat->db));
	sqlite3_bind_text(st, 1, sql, -1, SQLITE_STATIC);
	if (query_id != NULL)
		sqlite3_bind_text(st, 2, query_id, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sl_error_set(err, SL_EIO, "catalog: %s", sqlite3_errmsg(cat->db));
	*seq = sqlite3_last_insert_rowid(cat->db);
	return SL_OK;
}

static int
exec_seq(sl_catalog_t *cat, const char *sql, int64_t seq, sl_error_t *err)
{
	sqlite3_stmt *st = NULL;

	if (cat->db == NULL || seq <= 0)
		return SL_OK;
	if (sqlite3_prepare_v2(cat->db, sql, -1, &st, NULL) != SQLITE_OK)
		return sl_error_set(err, SL_EIO, "catalog: %s", sqlite3_errmsg(cat->db));
	sqlite3_bind_int64(st, 1, seq);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sl_error_set(err, SL_EIO, "catalog: %s", sqlite3_errmsg(cat->db));
	return SL_OK;
}

int
sl_catalog_unlog(sl_catalog_t *cat, int64_t seq, sl_error_t *err)
{
	return exec_seq(cat, "DELETE FROM statements WHERE seq = ?", seq, err);
}

int
sl_catalog_log_terminated(sl_catalog_t *cat, int64_t seq, sl_error_t *err)
{
	return exec_seq(cat, "UPDATE statements SET terminated = 1 WHERE seq = ?", seq, err);
}

int64_t
sl_catalog_next_query_number(sl_catalog_t *cat)
{
	int64_t n = cat->next_query++;
	if (cat->db != NULL) {
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(cat->db,
				       "INSERT INTO meta (key, value) VALUES ('next_query', ?) "
				       "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
				       -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_int64(st, 1, cat->next_query);
			sqlite3_step(st);
			sqlite3_finalize(st);
		}
	}
	return n;
}
