/*
 * query.c: running a SELECT and drawing its rows.
 *
 * Stage: cli.  Takes one SELECT, opens it on the backend and draws rows as
 * they arrive.  A pull query's rows are gathered into one aligned table
 * (psql style, widths from every row) and printed when it ends.  At the
 * prompt, a push query's rows are printed as the backend hands them on,
 * under a header whose column widths come from the first rows (those that
 * were waiting, or the first to arrive), or from the names and types when
 * none came at once; a wider value later widens its column from then on.
 * In a script nobody watches the screen, and when rows happen to arrive
 * must not change the output: a push query's table is printed whole when
 * it ends, like a pull query's.  CSV, JSON and \x records go out row by
 * row in every case.  Ctrl-C ends the query (closing it on the server)
 * and returns to the prompt; so does LIMIT, or the end of a pull query.
 */
#include "cli/internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* How long one wait for rows lasts before the shell looks around. */
#define QUERY_POLL_MS 250

typedef struct qview {
	sl_shell_t *sh;
	sl_cli_query_t *q;
	bool push;
	bool expanded;        /* push query in \x: a record per row */
	bool aligned;         /* push query in the table format, not expanded */
	bool header_done;     /* aligned: the header is out */
	sl_cli_table_t table; /* pull query: its rows; aligned: the first rows */
	int *width;           /* push query: current column widths */
	bool *right;
	char **cells, **raw;
	int nrows;
	sl_strbuf_t out;
} qview_t;

/* The width a column of type starts with in a push query's header. */
static int
query_type_width(const char *type)
{
	static const struct {
		const char *type;
		int width;
	} hints[] = {
		{ "BOOLEAN", 5 }, { "INTEGER", 6 },    { "INT", 6 },     { "BIGINT", 8 },
		{ "DOUBLE", 8 },  { "DECIMAL", 8 },    { "STRING", 10 }, { "VARCHAR", 10 },
		{ "DATE", 10 },   { "TIMESTAMP", 23 }, { "TIME", 12 },
	};
	size_t n = strcspn(type, "(<");

	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strlen(hints[i].type) == n && strncasecmp(type, hints[i].type, n) == 0)
			return hints[i].width;
	return 16;
}

static void
query_row(void *ctx, const char *json, size_t len)
{
	qview_t *v = ctx;
	const sl_cli_pset_t *ps = &v->sh->ps;
	const char *const *cells = (const char *const *)v->cells;
	int n = v->q->ncols;

	if (!sl_cli_row_split(json, len, n, v->cells, v->raw))
		return;
	v->nrows++;
	if (ps->format == SL_CLI_FMT_JSON) {
		sl_cli_json_object_line(&v->out, n, (const char *const *)v->q->names,
					(const char *const *)v->raw);
	} else if (ps->format == SL_CLI_FMT_CSV) {
		sl_cli_csv_line(&v->out, n, cells);
	} else if (!v->expanded && !(v->aligned && v->header_done)) {
		sl_cli_table_add(&v->table, cells);
	} else if (v->expanded) {
		int namew = 0, valw = 0;
		for (int c = 0; c < n; c++) {
			int w = sl_cli_width(cells[c] != NULL ? cells[c] : ps->null_text);
			if (sl_cli_width(v->q->names[c]) > namew)
				namew = sl_cli_width(v->q->names[c]);
			if (w > valw)
				valw = w;
		}
		sl_cli_expanded_record(&v->out, v->nrows, n, (const char *const *)v->q->names,
				       cells, namew, valw, ps->null_text);
	} else {
		sl_cli_aligned_line(&v->out, n, cells, v->width, v->right, ps->null_text);
		for (int c = 0; c < n; c++) {
			int w = sl_cli_width(cells[c] != NULL ? cells[c] : ps->null_text);
			if (w > v->width[c])
				v->width[c] = w;
		}
	}
	sl_cli_row_free(n, v->cells);
	sl_cli_row_free(n, v->raw);
}

/* A push query's header, once the first rows are in (or none came at
 * once): the widths fit them, then those rows. */
static void
query_header(qview_t *v)
{
	const sl_cli_pset_t *ps = &v->sh->ps;
	sl_cli_table_t *t = &v->table;
	int n = v->q->ncols;

	if (!v->aligned || v->header_done)
		return;
	v->header_done = true;
	for (int c = 0; c < n; c++) {
		v->width[c] = sl_cli_width(v->q->names[c]);
		/* room for what comes later, too */
		if (query_type_width(v->q->types[c]) > v->width[c])
			v->width[c] = query_type_width(v->q->types[c]);
		for (int r = 1; r <= t->nrows; r++) {
			const char *cell = t->cells[r * n + c];
			int w = sl_cli_width(cell != NULL ? cell : ps->null_text);
			if (w > v->width[c])
				v->width[c] = w;
		}
	}
	sl_cli_aligned_line(&v->out, n, (const char *const *)v->q->names, v->width, NULL, "");
	sl_cli_aligned_rule(&v->out, n, v->width);
	for (int r = 1; r <= t->nrows; r++)
		sl_cli_aligned_line(&v->out, n, (const char *const *)t->cells + r * n, v->width,
				    v->right, ps->null_text);
	sl_cli_table_free(t);
}

/* What comes before the first row: a header, or nothing. */
static void
query_begin(qview_t *v)
{
	const sl_cli_pset_t *ps = &v->sh->ps;
	sl_cli_query_t *q = v->q;
	int n = q->ncols, total = 0;

	v->cells = calloc((size_t)n + 1, sizeof(*v->cells));
	v->raw = calloc((size_t)n + 1, sizeof(*v->raw));
	v->width = calloc((size_t)n + 1, sizeof(*v->width));
	v->right = calloc((size_t)n + 1, sizeof(*v->right));
	if (v->cells == NULL || v->raw == NULL || v->width == NULL || v->right == NULL)
		abort();
	for (int c = 0; c < n; c++) {
		int w = sl_cli_width(q->names[c]), hint = query_type_width(q->types[c]);
		v->width[c] = w > hint ? w : hint;
		v->right[c] = sl_cli_type_numeric(q->types[c]);
		total += v->width[c] + 3;
	}
	if (ps->format == SL_CLI_FMT_CSV) {
		sl_cli_csv_line(&v->out, n, (const char *const *)q->names);
	} else if (ps->format == SL_CLI_FMT_TABLE) {
		v->expanded = v->push && (ps->expanded == SL_CLI_X_ON ||
					  (ps->expanded == SL_CLI_X_AUTO && ps->term_width > 0 &&
					   total > ps->term_width));
		v->aligned = v->push && !v->expanded && v->sh->interactive;
		if (!v->expanded) {
			sl_cli_table_init(&v->table, n, (const char *const *)q->names);
			memcpy(v->table.right, v->right, (size_t)n * sizeof(*v->right));
		}
	}
}

/* What comes after the last row: the table, or the row count. */
static void
query_end(qview_t *v, bool stopped)
{
	if (v->sh->ps.format != SL_CLI_FMT_TABLE)
		return;
	if (!v->expanded && !v->aligned) {
		v->table.note = stopped ? "query stopped" : NULL;
		sl_cli_table_print(&v->out, &v->table, &v->sh->ps);
		sl_cli_table_free(&v->table);
	} else {
		query_header(v);
		sl_cli_footer(&v->out, v->nrows, stopped ? "query stopped" : NULL);
	}
}

int
sl_shell_query(sl_shell_t *sh, const char *sql, size_t len, bool push)
{
	sl_backend_t *b = sh->b;
	qview_t v = { .sh = sh, .push = push };
	sl_cli_qstate_t state = SL_CLI_Q_RUNNING;
	bool stopped = false;
	sl_error_t err;
	int rc = SL_OK;

	sl_error_clear(&err);
	sl_shell_interrupted(); /* forget a Ctrl-C from before */
	sl_shell_intr_arm(true);
	if (b->ops->query_open(b, sql, len, &v.q, &err) != SL_OK) {
		sl_shell_intr_arm(sh->interactive);
		sl_shell_interrupted();
		sl_shell_error(sh, sql, len, &err);
		return err.code != SL_OK ? err.code : SL_ERR;
	}
	sl_strbuf_init(&v.out);
	if (push && sh->interactive) {
		fputs("Press Ctrl-C to stop the query.\n", stderr);
		fflush(stderr);
	}
	query_begin(&v);
	sl_shell_emit(sh, &v.out);
	while (state == SL_CLI_Q_RUNNING) {
		state = b->ops->query_poll(v.q, QUERY_POLL_MS, query_row, &v);
		query_header(&v); /* the first rows, or none at once */
		sl_shell_emit(sh, &v.out);
		if (state == SL_CLI_Q_RUNNING && (sl_shell_interrupted() || sh->quit)) {
			stopped = true;
			break;
		}
	}
	sl_shell_intr_arm(sh->interactive);
	if (stopped && sh->interactive) {
		fputc('\n', stdout); /* after the ^C the terminal echoed */
		fflush(stdout);
	}
	query_end(&v, stopped);
	sl_shell_emit(sh, &v.out);
	if (state == SL_CLI_Q_FAILED) {
		sl_error_t qerr = v.q->err;
		if (qerr.code == SL_OK)
			qerr.code = SL_ERR;
		qerr.line = qerr.col = 0;
		qerr.offset = -1;
		sl_shell_error(sh, NULL, 0, &qerr);
		rc = qerr.code;
	}
	b->ops->query_close(v.q);
	sl_cli_row_free(0, v.cells);
	free(v.cells);
	free(v.raw);
	free(v.width);
	free(v.right);
	sl_strbuf_free(&v.out);
	return rc;
}
