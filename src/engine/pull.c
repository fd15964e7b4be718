/*
 * pull.c: pull queries on materialized tables, answered from SQLite.
 *
 * Stage: engine.  A table that a persistent query keeps (CREATE TABLE AS
 * SELECT, or the materializer of CREATE SOURCE TABLE) is a real SQLite
 * table in that query's database (exec/aggregate.c, exec/materialize.c).
 * A pull query reads it through a read-only connection of its own (WAL:
 * readers never block the writer), so it sees the table as of the
 * writer's last commit (commit.interval.ms), or, with
 * sluice.pull.consistency=wait, after the writer has processed
 * everything written to its input before the query came.
 *
 * The WHERE clause is evaluated by sluice on every row read, so the
 * answer follows sluice's semantics exactly; on top of that its
 * conjuncts on key columns and window bounds (=, <, <=, >, >=, IN,
 * BETWEEN with literals) are handed to SQLite, which answers them from an
 * index on the key columns (created on the table's first such query).
 * ORDER BY, OFFSET and LIMIT apply last.
 */
#define _GNU_SOURCE /* qsort_r */
#include "engine/internal.h"

#include <errno.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "exec/query.h"
#include "expr/cast.h"
#include "format/scalar.h"
#include "format/serde.h"
#include "kafka/kafka.h"
#include "state/store.h"

#define PULL_STMT_CACHE 16
#define PULL_MAX_ORDERED 1000000

/* A read-only connection to one query's database, with its statements. */
typedef struct sl_pullconn {
	char *path;
	sqlite3 *db;
	bool busy;
	char *sql[PULL_STMT_CACHE];
	sqlite3_stmt *st[PULL_STMT_CACHE];
	int nst, next_evict;
	char **indexed;              /* tables whose key index exists */
	int nindexed;
	char **shown;                /* tables with the column _shown (aggregations) */
	int nshown;
	char **plain;                /* tables without it */
	int nplain;
	struct sl_pullconn *next;
} sl_pullconn_t;

static void
conn_free(sl_pullconn_t *c)
{
	for (int i = 0; i < c->nst; i++) {
		sqlite3_finalize(c->st[i]);
		free(c->sql[i]);
	}
	for (int i = 0; i < c->nindexed; i++)
		free(c->indexed[i]);
	free(c->indexed);
	for (int i = 0; i < c->nshown; i++)
		free(c->shown[i]);
	free(c->shown);
	for (int i = 0; i < c->nplain; i++)
		free(c->plain[i]);
	free(c->plain);
	sqlite3_close(c->db);
	free(c->path);
	free(c);
}

void
sl_pull_close_all(sl_engine_t *eng)
{
	pthread_mutex_lock(&eng->pull_lock);
	while (eng->pullconns != NULL) {
		sl_pullconn_t *c = eng->pullconns;
		eng->pullconns = c->next;
		conn_free(c);
	}
	pthread_mutex_unlock(&eng->pull_lock);
}

/* A free connection to path (opened when none is free). */
static int
conn_take(sl_engine_t *eng, const char *path, sl_pullconn_t **out, sl_error_t *err)
{
	sl_pullconn_t *c;

	pthread_mutex_lock(&eng->pull_lock);
	for (c = eng->pullconns; c != NULL; c = c->next) {
		if (!c->busy && strcmp(c->path, path) == 0) {
			c->busy = true;
			pthread_mutex_unlock(&eng->pull_lock);
			*out = c;
			return SL_OK;
		}
	}
	pthread_mutex_unlock(&eng->pull_lock);
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		abort();
	c->path = strdup(path);
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		sl_error_set(err, SL_EIO, "cannot open \"%s\": %s", path,
			     c->db ? sqlite3_errmsg(c->db) : "out of memory");
		conn_free(c);
		return SL_EIO;
	}
	sqlite3_busy_timeout(c->db, 5000);
	/* pages come straight from the mapped file, not one pread each */
	sqlite3_exec(c->db, "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-16384;", NULL, NULL,
		     NULL);
	c->busy = true;
	pthread_mutex_lock(&eng->pull_lock);
	c->next = eng->pullconns;
	eng->pullconns = c;
	pthread_mutex_unlock(&eng->pull_lock);
	*out = c;
	return SL_OK;
}

static void
conn_give(sl_engine_t *eng, sl_pullconn_t *c)
{
	pthread_mutex_lock(&eng->pull_lock);
	c->busy = false;
	pthread_mutex_unlock(&eng->pull_lock);
}

/* A prepared statement for sql on c (kept for the next query). */
static int
conn_prepare(sl_pullconn_t *c, const char *sql, sqlite3_stmt **out, sl_error_t *err)
{
	for (int i = 0; i < c->nst; i++) {
		if (strcmp(c->sql[i], sql) == 0) {
			sqlite3_reset(c->st[i]);
			sqlite3_clear_bindings(c->st[i]);
			*out = c->st[i];
			return SL_OK;
		}
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		return sl_error_set(err, SL_EIO, "reading the table: %s", sqlite3_errmsg(c->db));
	int slot = c->nst < PULL_STMT_CACHE ? c->nst++ : c->next_evict++ % PULL_STMT_CACHE;
	if (slot < c->nst && c->sql[slot] != NULL) {
		sqlite3_finalize(c->st[slot]);
		free(c->sql[slot]);
	}
	c->sql[slot] = strdup(sql);
	c->st[slot] = st;
	*out = st;
	return SL_OK;
}

static void
list_add(char ***v, int *n, const char *s)
{
	char **nv = realloc(*v, sizeof(*nv) * (size_t)(*n + 1));
	if (nv == NULL)
		abort();
	nv[(*n)++] = strdup(s);
	*v = nv;
}

static bool
list_has(char **v, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* Whether table keeps rows that failed HAVING (an aggregation's table,
 * whose column _shown says which rows are in the answer); asked once. */
static bool
has_shown_column(sl_pullconn_t *c, const char *table)
{
	if (list_has(c->shown, c->nshown, table))
		return true;
	if (list_has(c->plain, c->nplain, table))
		return false;
	bool yes = sqlite3_table_column_metadata(c->db, NULL, table, "_shown", NULL, NULL, NULL,
						 NULL, NULL) == SQLITE_OK;
	if (yes)
		list_add(&c->shown, &c->nshown, table);
	else
		list_add(&c->plain, &c->nplain, table);
	return yes;
}

/* ------------------------------------------------------------- pushdown */

/* One condition handed to SQLite: column op value. */
typedef struct cond {
	const char *col;     /* stored column name */
	const char *op;      /* "=", "<", ... */
	sl_value_t v;
	bool key;            /* on a key column */
} cond_t;

typedef struct pushdown {
	cond_t *c;
	int n, cap;
	/* IN lists: col IN (v...) */
	const char *in_col;
	sl_value_t *in_vals;
	int nin;
	bool in_key;
	int eq_keys;         /* key columns with an = condition */
} pushdown_t;

/* The value of a literal node usable against a column of type t, or false. */
static bool
literal_value(const sl_node_t *n, const sl_type_t *t, sl_arena_t *a, sl_value_t *out)
{
	bool neg = false;

	if (n->kind == SL_N_UNARY && n->op == SL_OP_NEG) {
		neg = true;
		n = n->kids[0];
	}
	if (n->kind != SL_N_LITERAL)
		return false;
	switch (t->kind) {
	case SL_T_INT:
	case SL_T_BIGINT:
	case SL_T_TIMESTAMP: {
		int64_t l;
		if (n->op == SL_LIT_INTEGER && sl_fmt_parse_long(n->str, strlen(n->str), &l)) {
			*out = sl_value_bigint(neg ? -l : l);
			return true;
		}
		/* window bounds and ROWTIME take timestamp strings */
		if (!neg && n->op == SL_LIT_STRING && t->kind != SL_T_INT &&
		    sl_parse_timestamp(n->str, strlen(n->str), &l) == SL_OK) {
			*out = sl_value_bigint(l);
			return true;
		}
		return false;
	}
	case SL_T_DOUBLE: {
		double d;
		if ((n->op == SL_LIT_INTEGER || n->op == SL_LIT_DECIMAL || n->op == SL_LIT_DOUBLE) &&
		    sl_fmt_parse_double(n->str, strlen(n->str), &d)) {
			*out = sl_value_double(neg ? -d : d);
			return true;
		}
		return false;
	}
	case SL_T_STRING:
		if (neg || n->op != SL_LIT_STRING)
			return false;
		*out = sl_value_string_copy(a, n->str, (int32_t)strlen(n->str));
		return true;
	default:
		return false;
	}
}

/* The stored column a COLUMN node names when SQLite can filter on it:
 * a key column of src, or a window bound; NULL otherwise. */
static const char *
pushable_column(const sl_node_t *n, const sl_source_t *src, const sl_type_t **type, bool *key)
{
	if (n->kind != SL_N_COLUMN)
		return NULL;
	if (src->window_type != SL_WIN_NONE &&
	    (strcmp(n->str, "WINDOWSTART") == 0 || strcmp(n->str, "WINDOWEND") == 0)) {
		*type = sl_type_bigint();
		*key = false;
		return strcmp(n->str, "WINDOWSTART") == 0 ? "WINDOWSTART" : "WINDOWEND";
	}
	for (int i = 0; i < src->ncols; i++) {
		if (src->cols[i].ns == SL_COL_KEY && strcmp(src->cols[i].name, n->str) == 0) {
			*type = src->cols[i].type;
			*key = true;
			return src->cols[i].name;
		}
	}
	return NULL;
}

static void
add_cond(pushdown_t *p, const char *col, const char *op, sl_value_t v, bool key)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		cond_t *nc = realloc(p->c, sizeof(*nc) * (size_t)p->cap);
		if (nc == NULL)
			abort();
		p->c = nc;
	}
	p->c[p->n++] = (cond_t){.col = col, .op = op, .v = v, .key = key};
	if (key && strcmp(op, "=") == 0)
		p->eq_keys++;
}

static const char *
flip(const char *op)
{
	if (strcmp(op, "<") == 0) return ">";
	if (strcmp(op, "<=") == 0) return ">=";
	if (strcmp(op, ">") == 0) return "<";
	if (strcmp(op, ">=") == 0) return "<=";
	return op;
}

/* Collects what SQLite can filter from the conjuncts of the WHERE
 * clause n: every condition taken is implied by n, so the rows SQLite
 * returns are a superset of the answer. */
static void
collect(const sl_node_t *n, const sl_source_t *src, sl_arena_t *a, pushdown_t *p)
{
	const sl_type_t *t;
	bool key;
	const char *col;
	sl_value_t v, v2;

	if (n == NULL)
		return;
	if (n->kind == SL_N_BINARY && n->op == SL_OP_AND) {
		collect(n->kids[0], src, a, p);
		collect(n->kids[1], src, a, p);
		return;
	}
	if (n->kind == SL_N_BINARY && n->op >= SL_OP_EQ && n->op <= SL_OP_GE && n->op != SL_OP_NE) {
		static const char *ops[] = {"=", "!=", "<", "<=", ">", ">="};
		const char *op = ops[n->op - SL_OP_EQ];
		const sl_node_t *l = n->kids[0], *r = n->kids[1];
		if ((col = pushable_column(l, src, &t, &key)) == NULL) {
			const sl_node_t *tmp = l;
			l = r;
			r = tmp;
			op = flip(op);
			col = pushable_column(l, src, &t, &key);
		}
		if (col != NULL && literal_value(r, t, a, &v))
			add_cond(p, col, op, v, key);
		return;
	}
	if (n->kind == SL_N_BETWEEN && !(n->flags & SL_F_NOT) &&
	    (col = pushable_column(n->kids[0], src, &t, &key)) != NULL &&
	    literal_value(n->kids[1], t, a, &v) && literal_value(n->kids[2], t, a, &v2)) {
		add_cond(p, col, ">=", v, key);
		add_cond(p, col, "<=", v2, key);
		return;
	}
	if (n->kind == SL_N_IN && !(n->flags & SL_F_NOT) && p->in_col == NULL &&
	    (col = pushable_column(n->kids[0], src, &t, &key)) != NULL) {
		const sl_node_t *list = n->kids[1];
		sl_value_t *vals = sl_arena_alloc(a, sizeof(*vals) * (size_t)(list->nkids + 1));
		for (int i = 0; i < list->nkids; i++)
			if (!literal_value(list->kids[i], t, a, &vals[i]))
				return;
		p->in_col = col;
		p->in_vals = vals;
		p->nin = list->nkids;
		p->in_key = key;
	}
}

static void
bind_value(sqlite3_stmt *st, int i, const sl_value_t *v)
{
	switch (v->kind) {
	case SL_T_BIGINT:
		sqlite3_bind_int64(st, i, v->u.l);
		break;
	case SL_T_DOUBLE:
		sqlite3_bind_double(st, i, v->u.d);
		break;
	case SL_T_STRING:
		sqlite3_bind_text(st, i, v->u.s.ptr, v->u.s.len, SQLITE_STATIC);
		break;
	default:
		sqlite3_bind_null(st, i);
		break;
	}
}

/* ------------------------------------------------------------- ksqlDB's rules */

/* How ksqlDB prints a comparison in its messages: (ID = 11), (ID = '10'). */
static void
print_ksql(sl_strbuf_t *sb, const sl_node_t *n)
{
	if (n->kind == SL_N_LITERAL && n->op == SL_LIT_NULL) {
		sl_strbuf_puts(sb, "null");
	} else if (n->kind == SL_N_LITERAL && n->op == SL_LIT_STRING) {
		sl_strbuf_printf(sb, "'%s'", n->str);
	} else if (n->kind == SL_N_BINARY && n->op >= SL_OP_EQ && n->op <= SL_OP_GE) {
		static const char *ops[] = {"=", "!=", "<", "<=", ">", ">="};
		sl_strbuf_putc(sb, '(');
		print_ksql(sb, n->kids[0]);
		sl_strbuf_printf(sb, " %s ", ops[n->op - SL_OP_EQ]);
		print_ksql(sb, n->kids[1]);
		sl_strbuf_putc(sb, ')');
	} else {
		sl_ast_print(sb, n);
	}
}

static bool
refs_column(const sl_node_t *n)
{
	if (n == NULL)
		return false;
	if (n->kind == SL_N_COLUMN)
		return true;
	for (int i = 0; i < n->nkids; i++)
		if (refs_column(n->kids[i]))
			return true;
	return false;
}

static int
key_index(const sl_source_t *src, const sl_node_t *n)
{
	if (n->kind != SL_N_COLUMN)
		return -1;
	for (int i = 0; i < src->ncols; i++)
		if (src->cols[i].ns == SL_COL_KEY && strcmp(src->cols[i].name, n->str) == 0)
			return i;
	return -1;
}

static bool
refs_key(const sl_node_t *n, const sl_source_t *src)
{
	if (n == NULL)
		return false;
	if (key_index(src, n) >= 0)
		return true;
	for (int i = 0; i < n->nkids; i++)
		if (refs_key(n->kids[i], src))
			return true;
	return false;
}

/* A literal that cannot be a value of a key column of type t. */
static bool
literal_mismatch(const sl_node_t *lit, const sl_type_t *t)
{
	bool num = sl_type_is_numeric(t);
	if (lit->kind == SL_N_UNARY)
		lit = lit->kids[0];
	if (lit->kind != SL_N_LITERAL || lit->op == SL_LIT_NULL)
		return false;
	bool litnum = lit->op == SL_LIT_INTEGER || lit->op == SL_LIT_DECIMAL ||
		      lit->op == SL_LIT_DOUBLE;
	if (t->kind == SL_T_STRING)
		return litnum;
	return num && lit->op == SL_LIT_STRING;
}

static const char *
op_name(int op)
{
	static const char *names[] = {"EQUAL", "NOT_EQUAL", "LESS_THAN", "LESS_THAN_OR_EQUAL",
				      "GREATER_THAN", "GREATER_THAN_OR_EQUAL"};
	return names[op - SL_OP_EQ];
}

typedef struct where_check {
	const sl_source_t *src;
	bool scan, range;            /* table scans, range scans allowed */
	sl_error_t *err;
	int loc;
} where_check_t;

static void
flatten(const sl_node_t *n, int op, const sl_node_t **out, int *k, int max)
{
	if (n->kind == SL_N_BINARY && n->op == op) {
		flatten(n->kids[0], op, out, k, max);
		flatten(n->kids[1], op, out, k, max);
	} else if (*k < max) {
		out[(*k)++] = n;
	}
}

/* One disjunct (a conjunction) of a pull query's WHERE, by ksqlDB's rules
 * (its messages).  Returns SL_OK or an error. */
static int
check_disjunct(where_check_t *w, const sl_node_t *d)
{
	const sl_source_t *src = w->src;
	const sl_node_t *conj[64];
	int nconj = 0, nkeys = sl_source_nkeys(src);
	int bound[64] = {0}, nbound = 0;
	bool keyed = false;
	sl_strbuf_t sb;

	flatten(d, SL_OP_AND, conj, &nconj, 64);
	for (int i = 0; i < nconj; i++) {
		const sl_node_t *c = conj[i];
		if (c->kind == SL_N_BINARY && c->op >= SL_OP_EQ && c->op <= SL_OP_GE) {
			const sl_node_t *l = c->kids[0], *r = c->kids[1];
			int ki = key_index(src, l), kr = key_index(src, r);
			if (ki < 0 && kr >= 0) {
				const sl_node_t *t = l;
				l = r;
				r = t;
				ki = kr;
			}
			if (ki >= 0) {
				const sl_type_t *kt = src->cols[ki].type;
				if (r->kind == SL_N_LITERAL && r->op == SL_LIT_NULL) {
					char tb[64];
					sl_strbuf_init(&sb);
					print_ksql(&sb, c);
					sl_error_at(w->err, SL_EINVAL, c->loc,
						    "Error in WHERE expression: Comparison with NULL "
						    "not supported: %s = NULL\nUse 'IS NULL' or 'IS NOT "
						    "NULL' instead.\nStatement: %s",
						    sl_type_str(kt, tb, sizeof(tb)), sb.data);
					sl_strbuf_free(&sb);
					return SL_EINVAL;
				}
				if (literal_mismatch(r, kt)) {
					char tb[64], lt[64];
					sl_strbuf_init(&sb);
					print_ksql(&sb, c);
					const sl_node_t *lit = r->kind == SL_N_UNARY ? r->kids[0] : r;
					snprintf(lt, sizeof(lt), "%s", lit->op == SL_LIT_STRING ? "STRING" :
						 lit->op == SL_LIT_INTEGER ? "INTEGER" : "DOUBLE");
					sl_strbuf_t lv;
					sl_strbuf_init(&lv);
					print_ksql(&lv, r);
					sl_error_at(w->err, SL_EINVAL, c->loc,
						    "Error in WHERE expression: Cannot compare %s (%s) to "
						    "%s (%s) with %s.\nStatement: %s",
						    src->cols[ki].name, sl_type_str(kt, tb, sizeof(tb)),
						    lv.data, lt, op_name(c->op), sb.data);
					sl_strbuf_free(&lv);
					sl_strbuf_free(&sb);
					return SL_EINVAL;
				}
				if (refs_column(r)) {
					if (!w->scan)
						return sl_error_at(w->err, SL_EINVAL, c->loc,
							"A comparison must be between a key column and "
							"a resolvable expression.");
					continue;
				}
				if (bound[ki]++ > 0 && !w->scan)
					return sl_error_at(w->err, SL_EINVAL, c->loc,
						"A comparison condition on the key column cannot be "
						"combined with other comparisons such as an IN "
						"predicate");
				/* a range on the key: a range scan, when those are on and
				 * the table is not windowed */
				if (!w->scan && c->op != SL_OP_EQ && c->op != SL_OP_NE &&
				    (!w->range || src->window_type != SL_WIN_NONE))
					return sl_error_at(w->err, SL_EINVAL, c->loc,
						"Query requires table scan to be enabled. Table "
						"scans can be enabled by setting "
						"ksql.query.pull.table.scan.enabled=true");
				if (!w->scan && c->op == SL_OP_NE) {
					char tb[64];
					return sl_error_at(w->err, SL_EINVAL, c->loc,
						"Bound on key columns '[`%s` %s KEY]' must currently be "
						"'='. ", src->cols[ki].name,
						sl_type_str(src->cols[ki].type, tb, sizeof(tb)));
				}
				nbound += bound[ki] == 1;
				keyed = true;
				continue;
			}
			if (!w->scan && (refs_key(l, src) || refs_key(r, src)))
				return sl_error_at(w->err, SL_EINVAL, c->loc,
						   "A comparison must directly reference a key column.");
			continue;
		}
		if (c->kind == SL_N_IN && !(c->flags & SL_F_NOT)) {
			int ki = key_index(src, c->kids[0]);
			if (ki < 0)
				continue;
			const sl_node_t *list = c->kids[1];
			for (int j = 0; j < list->nkids; j++) {
				const sl_node_t *e = list->kids[j];
				if (literal_mismatch(e, src->cols[ki].type)) {
					char tb[64];
					sl_strbuf_init(&sb);
					print_ksql(&sb, e);
					sl_error_at(w->err, SL_EINVAL, e->loc,
						    "%s can not be converted to the type of the key "
						    "column: %s %s KEY", sb.data, src->cols[ki].name,
						    sl_type_str(src->cols[ki].type, tb, sizeof(tb)));
					sl_strbuf_free(&sb);
					return SL_EINVAL;
				}
				if (refs_column(e) && !w->scan)
					return sl_error_at(w->err, SL_EINVAL, e->loc,
							   "A comparison must be between a key column "
							   "and a resolvable expression.");
			}
			if (bound[ki]++ > 0 && !w->scan)
				return sl_error_at(w->err, SL_EINVAL, c->loc,
						   "A comparison condition on the key column cannot be "
						   "combined with other comparisons such as an IN "
						   "predicate");
			nbound += bound[ki] == 1;
			keyed = true;
		}
	}
	if (w->scan)
		return SL_OK;
	if (!keyed) {
		sl_strbuf_init(&sb);
		print_ksql(&sb, d);
		sl_error_at(w->err, SL_EINVAL, d->loc, "WHERE clause missing key column for "
			    "disjunct: %s", sb.data);
		sl_strbuf_free(&sb);
		return SL_EINVAL;
	}
	if (nbound < nkeys)
		return sl_error_at(w->err, SL_EINVAL, d->loc,
				   "Multi-column sources must specify every key in the WHERE clause");
	return SL_OK;
}

/* WINDOWSTART or WINDOWEND under n, or NULL. */
static const sl_node_t *
find_window_bound(const sl_node_t *n)
{
	if (n == NULL)
		return NULL;
	if (n->kind == SL_N_COLUMN &&
	    (strcmp(n->str, "WINDOWSTART") == 0 || strcmp(n->str, "WINDOWEND") == 0))
		return n;
	for (int i = 0; i < n->nkids; i++) {
		const sl_node_t *f = find_window_bound(n->kids[i]);
		if (f != NULL)
			return f;
	}
	return NULL;
}

/* ksqlDB's checks of a pull query's WHERE on a table: its messages, and,
 * with ksql.query.pull.table.scan.enabled=false, its rules for what
 * must be a key lookup. */
static int
check_where(const sl_node_t *where, const sl_source_t *src, bool scan, bool range,
	    sl_error_t *err)
{
	const sl_node_t *dis[64];
	int n = 0;
	where_check_t w = {.src = src, .scan = scan, .range = range, .err = err};

	if (where == NULL) {
		if (!scan)
			return sl_error_at(err, SL_EINVAL, 0, "WHERE clause missing key column for "
					   "disjunct");
		return SL_OK;
	}
	const sl_node_t *wb = find_window_bound(where);
	if (wb != NULL && src->window_type == SL_WIN_NONE)
		return sl_error_at(err, SL_EINVAL, wb->loc, "WHERE column '%s' cannot be resolved",
				   wb->str);
	flatten(where, SL_OP_OR, dis, &n, 64);
	for (int i = 0; i < n; i++) {
		int rc = check_disjunct(&w, dis[i]);
		if (rc != SL_OK)
			return rc;
	}
	return SL_OK;
}

/* ------------------------------------------------------------- reading */

/* Reads stored column i of st, of type t, into *out (strings copied into
 * a); complex values are JSON, read with their serde. */
static int
column_value(sqlite3_stmt *st, int i, const sl_type_t *t, sl_serde_t *json, sl_arena_t *a,
	     sl_value_t *out, sl_error_t *err)
{
	int ct = sqlite3_column_type(st, i);

	if (ct == SQLITE_NULL) {
		*out = sl_value_null();
		return SL_OK;
	}
	switch (t->kind) {
	case SL_T_BOOLEAN:
		*out = sl_value_bool(sqlite3_column_int(st, i) != 0);
		return SL_OK;
	case SL_T_INT:
		*out = sl_value_int(sqlite3_column_int(st, i));
		return SL_OK;
	case SL_T_DATE:
		*out = sl_value_date(sqlite3_column_int(st, i));
		return SL_OK;
	case SL_T_BIGINT:
		*out = sl_value_bigint(sqlite3_column_int64(st, i));
		return SL_OK;
	case SL_T_TIMESTAMP:
		*out = sl_value_timestamp(sqlite3_column_int64(st, i));
		return SL_OK;
	case SL_T_TIME:
		*out = sl_value_time(sqlite3_column_int64(st, i));
		return SL_OK;
	case SL_T_DOUBLE:
		*out = sl_value_double(sqlite3_column_double(st, i));
		return SL_OK;
	case SL_T_STRING:
		*out = sl_value_string_copy(a, (const char *)sqlite3_column_text(st, i),
					    sqlite3_column_bytes(st, i));
		return SL_OK;
	case SL_T_BYTES: {
		const void *b = sqlite3_column_blob(st, i);
		int n = sqlite3_column_bytes(st, i);
		char *p = sl_arena_alloc(a, (size_t)n + 1);
		if (n > 0)
			memcpy(p, b, (size_t)n);
		*out = sl_value_bytes(p, n);
		return SL_OK;
	}
	default: {
		/* DECIMAL (text, or a number SQLite's affinity made of it) and
		 * complex values: JSON text */
		const char *txt = (const char *)sqlite3_column_text(st, i);
		int n = sqlite3_column_bytes(st, i);
		char *copy = sl_arena_strndup(a, txt, (size_t)n);
		if (json == NULL)
			return sl_error_set(err, SL_ERR, "no reader for a stored column");
		int rc = sl_serde_decode(json, copy, (size_t)n, a, out, err);
		return rc == SL_SERDE_NULL ? (*out = sl_value_null(), SL_OK) : rc;
	}
	}
}

/* ------------------------------------------------------------- consistency */

static int64_t
mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* sluice.pull.consistency=wait: waits until query id (and, first, the
 * queries writing its inputs) has processed everything written to its
 * inputs so far and committed it. */
static int
wait_caught_up(sl_engine_t *eng, const char *id, int depth, int64_t deadline, sl_error_t *err)
{
	sl_query_def_t *def = sl_catalog_query(eng->cat, id);
	sl_running_t *r = sl_engine_find_running(eng, id);
	int rc;

	if (r == NULL || depth > 16)
		return SL_OK;
	/* upstream first: what the inputs' writers still hold is not there yet */
	for (int i = 0; def != NULL && i < def->nsources; i++) {
		const sl_source_t *in = sl_catalog_source(eng->cat, def->sources[i]);
		if (in != NULL && in->query_id != NULL && strcmp(in->query_id, id) != 0 &&
		    (rc = wait_caught_up(eng, in->query_id, depth + 1, deadline, err)) != SL_OK)
			return rc;
	}
	if ((rc = sl_kafka_producer_flush(eng->producer, 5000, NULL, err)) != SL_OK)
		return rc;
	if (!r->has_thread) {
		/* test mode: nobody else runs the query */
		for (;;) {
			bool done = false;
			size_t n;
			if ((rc = sl_query_caught_up(r->q, &done, err)) != SL_OK)
				return rc;
			if (done)
				break;
			if ((rc = sl_query_run_once(r->q, 20, &n, err)) != SL_OK)
				return rc;
			if (mono_ms() > deadline)
				return sl_error_set(err, SL_EIO, "query %s did not catch up in time", id);
		}
		return sl_query_commit(r->q, 5000, err);
	}
	/* the query's thread commits when asked (query_mgr.c) */
	int64_t ticket = atomic_fetch_add(&r->sync_requested, 1) + 1;
	while (atomic_load(&r->sync_done) < ticket) {
		if (atomic_load(&r->failed) || atomic_load(&r->stop))
			return sl_error_set(err, SL_EIO, "query %s stopped", id);
		if (mono_ms() > deadline)
			return sl_error_set(err, SL_EIO,
					    "query %s did not catch up with its input within the "
					    "time allowed (sluice.pull.wait.timeout.ms)", id);
		usleep(1000);
	}
	return SL_OK;
}

/* ------------------------------------------------------------- the query */

typedef struct pulled {
	sl_value_t *keys;       /* ORDER BY values */
	char *json;
	size_t len;
} pulled_t;

static int
cmp_pulled(const void *x, const void *y, void *arg)
{
	const sl_analysis_t *sort_an = arg;
	const pulled_t *a = x, *b = y;
	for (int i = 0; i < sort_an->norder; i++) {
		const sl_value_t *va = &a->keys[i], *vb = &b->keys[i];
		int c;
		/* NULLs last, as in PostgreSQL's ascending order */
		if (sl_value_is_null(va) || sl_value_is_null(vb))
			c = sl_value_is_null(va) - sl_value_is_null(vb);
		else
			c = sl_value_compare(va, vb);
		if (c != 0)
			return sort_an->order_desc[i] ? -c : c;
	}
	return 0;
}

/* Creates the index on the key columns (and window start) that key
 * predicates use, once per table, from a connection that may write. */
static int
ensure_index(sl_pullconn_t *c, const char *table, const sl_source_t *src, sl_error_t *err)
{
	sl_strbuf_t sql;
	sqlite3 *w;
	int rc = SL_OK;

	if (list_has(c->indexed, c->nindexed, table))
		return SL_OK;
	sl_strbuf_init(&sql);
	sl_strbuf_printf(&sql, "CREATE INDEX IF NOT EXISTS \"%s_sluice_keys\" ON ", src->name);
	sl_store_quote_ident(&sql, table);
	sl_strbuf_puts(&sql, " (");
	bool first = true;
	for (int i = 0; i < src->ncols; i++) {
		if (src->cols[i].ns != SL_COL_KEY)
			continue;
		if (!first)
			sl_strbuf_puts(&sql, ", ");
		sl_store_quote_ident(&sql, src->cols[i].name);
		first = false;
	}
	if (src->window_type != SL_WIN_NONE)
		sl_strbuf_puts(&sql, ", WINDOWSTART");
	sl_strbuf_puts(&sql, ")");
	if (sqlite3_open_v2(c->path, &w, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		rc = sl_error_set(err, SL_EIO, "cannot open \"%s\": %s", c->path, sqlite3_errmsg(w));
	} else {
		sqlite3_busy_timeout(w, 30000);
		if (sqlite3_exec(w, sql.data, NULL, NULL, NULL) != SQLITE_OK)
			rc = sl_error_set(err, SL_EIO, "indexing the table: %s", sqlite3_errmsg(w));
	}
	sqlite3_close(w);
	sl_strbuf_free(&sql);
	if (rc == SL_OK)
		list_add(&c->indexed, &c->nindexed, table);
	return rc;
}

int
sl_pull_table(sl_engine_t *eng, sl_session_t *s, const sl_props_t *props,
	      const sl_node_t *select, const sl_source_t *src, sl_tquery_t *t, sl_error_t *err)
{
	char idbuf[300], path[4096];
	const char *id = src->query_id;
	sl_arena_t a;
	sl_analysis_t *an;
	sl_pullconn_t *conn = NULL;
	sl_serde_t **json = NULL;
	pushdown_t pd = {0};
	sl_strbuf_t sql, row;
	pulled_t *rows = NULL;
	size_t nrows = 0, caprows = 0;
	int rc;

	if (id == NULL && src->read_only)
		id = sl_engine_materializer_id(src, idbuf, sizeof(idbuf));
	sl_arena_init(&a, 0);
	sl_strbuf_init(&sql);
	sl_strbuf_init(&row);
	const char *scan = sl_tquery_prop(eng, s, props, "ksql.query.pull.table.scan.enabled");
	const char *range = sl_tquery_prop(eng, s, props, "ksql.query.pull.range.scan.enabled");
	bool scan_ok = scan == NULL || strcasecmp(scan, "false") != 0;
	bool range_ok = range == NULL || strcasecmp(range, "false") != 0;
	if ((rc = check_where(select->kids[3], src, scan_ok, range_ok, err)) != SL_OK)
		goto done;
	rc = sl_analyze_query(select, eng->cat, eng->reg, NULL, &a, &an, err);
	if (rc != SL_OK)
		goto done;
	if (id == NULL || sl_engine_find_running(eng, id) == NULL) {
		rc = sl_error_at(err, SL_EINVAL, select->kids[1]->loc,
				 "The `%s` table isn't queryable. To derive a queryable table, "
				 "you can do 'CREATE TABLE QUERYABLE_%s AS SELECT * FROM %s'. "
				 "See https://cnfl.io/queries for more info.",
				 src->name, src->name, src->name);
		goto done;
	}
	sl_tquery_set_columns(t, an);
	t->limit = an->limit;
	if (t->limit == 0) {
		sl_tquery_end(t, SL_TQ_DONE, NULL);
		goto done;
	}

	const char *consistency = sl_tquery_prop(eng, s, props, "sluice.pull.consistency");
	if (consistency != NULL && strcasecmp(consistency, "wait") == 0) {
		const char *to = sl_tquery_prop(eng, s, props, "sluice.pull.wait.timeout.ms");
		int64_t deadline = mono_ms() + (to ? atoll(to) : 30000);
		if ((rc = wait_caught_up(eng, id, 0, deadline, err)) != SL_OK)
			goto done;
	}

	collect(select->kids[3], src, &a, &pd);

	snprintf(path, sizeof(path), "%s/%s.db", eng->query_state_dir, id);
	if ((rc = conn_take(eng, path, &conn, err)) != SL_OK)
		goto done;
	bool has_shown = has_shown_column(conn, src->name);
	bool any_key = pd.in_key;
	for (int i = 0; i < pd.n; i++)
		any_key |= pd.c[i].key || strcmp(pd.c[i].col, "WINDOWSTART") == 0;
	if (any_key && (rc = ensure_index(conn, src->name, src, err)) != SL_OK)
		goto done;

	/* SELECT every column of the source, _ts, the window */
	sl_strbuf_puts(&sql, "SELECT ");
	json = calloc((size_t)src->ncols + 1, sizeof(*json));
	for (int i = 0; i < src->ncols; i++) {
		const sl_type_t *ct = src->cols[i].type;
		sl_store_quote_ident(&sql, src->cols[i].name);
		sl_strbuf_puts(&sql, ", ");
		if (ct->kind == SL_T_DECIMAL || ct->kind == SL_T_ARRAY || ct->kind == SL_T_MAP ||
		    ct->kind == SL_T_STRUCT) {
			sl_field_t f = {.name = src->cols[i].name, .type = ct};
			sl_serde_opts_t o = {.wrap = SL_SERDE_WRAP_FALSE};
			if ((rc = sl_serde_create(SL_FORMAT_JSON, &f, 1, &o, &json[i], err)) != SL_OK)
				goto done;
		}
	}
	sl_strbuf_puts(&sql, "_ts");
	if (src->window_type != SL_WIN_NONE)
		sl_strbuf_puts(&sql, ", WINDOWSTART, WINDOWEND");
	sl_strbuf_puts(&sql, " FROM ");
	sl_store_quote_ident(&sql, src->name);
	sl_strbuf_puts(&sql, has_shown ? " WHERE _shown = 1" : " WHERE 1");
	for (int i = 0; i < pd.n; i++) {
		sl_strbuf_puts(&sql, " AND ");
		sl_store_quote_ident(&sql, pd.c[i].col);
		sl_strbuf_printf(&sql, " %s ?", pd.c[i].op);
	}
	if (pd.in_col != NULL) {
		sl_strbuf_puts(&sql, " AND ");
		sl_store_quote_ident(&sql, pd.in_col);
		sl_strbuf_puts(&sql, " IN (");
		for (int i = 0; i < pd.nin; i++)
			sl_strbuf_puts(&sql, i ? ", ?" : "?");
		sl_strbuf_puts(&sql, ")");
	}
	/* without ORDER BY: in key order (then window), as ksqlDB's scans
	 * give them */
	if (an->norder == 0) {
		const char *sep = " ORDER BY ";
		for (int i = 0; i < src->ncols; i++) {
			if (src->cols[i].ns != SL_COL_KEY)
				continue;
			sl_strbuf_puts(&sql, sep);
			sl_store_quote_ident(&sql, src->cols[i].name);
			sep = ", ";
		}
		if (src->window_type != SL_WIN_NONE)
			sl_strbuf_printf(&sql, "%sWINDOWSTART", sep);
	}
	sqlite3_stmt *st = NULL;
	if ((rc = conn_prepare(conn, sql.data, &st, err)) != SL_OK)
		goto done;
	int p = 1;
	for (int i = 0; i < pd.n; i++)
		bind_value(st, p++, &pd.c[i].v);
	for (int i = 0; i < pd.nin; i++)
		bind_value(st, p++, &pd.in_vals[i]);

	sl_value_t *er = sl_arena_calloc(&a, sizeof(*er) * (size_t)(an->nrow + 1));
	sl_value_t *out = sl_arena_calloc(&a, sizeof(*out) * (size_t)(an->nout + 1));
	sl_arena_t ra;   /* one row's values */
	sl_arena_init(&ra, 0);
	long long skip = an->offset;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		sl_error_t e;
		sl_arena_reset(&ra);
		for (int i = 0; i < an->nrow; i++)
			er[i] = sl_value_null();
		for (int i = 0; i < src->ncols; i++)
			if ((rc = column_value(st, i, src->cols[i].type, json[i], &ra, &er[i], err)) !=
			    SL_OK)
				break;
		if (rc != SL_OK)
			break;
		er[an->rowtime] = sl_value_bigint(sqlite3_column_int64(st, src->ncols));
		if (an->windowstart >= 0 && src->window_type != SL_WIN_NONE) {
			er[an->windowstart] = sl_value_bigint(sqlite3_column_int64(st, src->ncols + 1));
			er[an->windowend] = sl_value_bigint(sqlite3_column_int64(st, src->ncols + 2));
		}
		sl_eval_ctx_t ctx = {.row = er, .arena = &ra, .err = &e};
		if (an->where != NULL) {
			bool pass = false;
			if (sl_expr_eval_bool(an->where, &ctx, &pass) != SL_OK || !pass)
				continue;
		}
		for (int i = 0; i < an->nout; i++)
			if (sl_expr_eval(an->out[i].expr, &ctx, &out[i]) != SL_OK)
				out[i] = sl_value_null();
		sl_strbuf_reset(&row);
		sl_tquery_render_row(t, out, &row, &ra);
		if (an->norder == 0) {
			if (skip > 0) {
				skip--;
				continue;
			}
			if (!sl_tquery_push(t, row.data, row.len, false))
				break;
			continue;
		}
		if (nrows == caprows) {
			caprows = caprows ? caprows * 2 : 64;
			if (caprows > PULL_MAX_ORDERED) {
				rc = sl_error_set(err, SL_EINVAL,
						  "ORDER BY sorts at most %d rows: narrow the WHERE "
						  "clause", PULL_MAX_ORDERED);
				break;
			}
			pulled_t *nr = realloc(rows, sizeof(*nr) * caprows);
			if (nr == NULL)
				abort();
			rows = nr;
		}
		pulled_t *pr = &rows[nrows++];
		pr->keys = sl_arena_alloc(&a, sizeof(*pr->keys) * (size_t)an->norder);
		for (int i = 0; i < an->norder; i++) {
			sl_value_t v;
			if (sl_expr_eval(an->order[i], &ctx, &v) != SL_OK)
				v = sl_value_null();
			pr->keys[i] = sl_value_copy(&a, &v);
		}
		pr->json = sl_arena_strndup(&a, row.data, row.len);
		pr->len = row.len;
	}
	sl_arena_destroy(&ra);
	if (rc == SL_OK && step != SQLITE_ROW && step != SQLITE_DONE)
		rc = sl_error_set(err, SL_EIO, "reading the table: %s", sqlite3_errmsg(conn->db));
	sqlite3_reset(st);
	if (rc == SL_OK && nrows > 0) {
		qsort_r(rows, nrows, sizeof(*rows), cmp_pulled, an);
		for (size_t i = (size_t)an->offset; i < nrows; i++)
			if (!sl_tquery_push(t, rows[i].json, rows[i].len, false))
				break;
	}
	if (rc == SL_OK)
		sl_tquery_end(t, SL_TQ_DONE, NULL);
done:
	if (conn != NULL)
		conn_give(eng, conn);
	if (json != NULL) {
		for (int i = 0; i < src->ncols; i++)
			sl_serde_destroy(json[i]);
		free(json);
	}
	free(rows);
	free(pd.c);
	sl_strbuf_free(&sql);
	sl_strbuf_free(&row);
	sl_arena_destroy(&a);
	return rc;
}
