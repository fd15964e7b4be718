/*
 * render.h: what the shell prints: tables, rows and ksqlDB entities.
 *
 * Stage: cli (presentation).  Takes the data both backends hand on (the
 * /ksql entities as cJSON, query rows as JSON array text) and appends
 * text to a buffer, in one of three formats:
 *
 *   table  psql's aligned tables with a header and "(N rows)", or with
 *          \x one "-[ RECORD n ]" block per row (expanded display)
 *   csv    RFC 4180: a header line, then one line per row; NULL is an
 *          empty field, an empty string is ""
 *   json   query rows as one JSON object per line ({"COL": value});
 *          entities as the JSON the server sent
 *
 * A table-format entity reads as in sluice-test's transcripts (a status
 * is its message, a list an aligned table, a description "Name: value"
 * lines and a field table), so that a script run through the shell gives
 * the regression runner's output.
 */
#ifndef SL_CLI_RENDER_H
#define SL_CLI_RENDER_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

typedef enum sl_cli_fmt {
	SL_CLI_FMT_TABLE = 0,
	SL_CLI_FMT_CSV,
	SL_CLI_FMT_JSON,
} sl_cli_fmt_t;

typedef enum sl_cli_expanded {
	SL_CLI_X_OFF = 0,
	SL_CLI_X_ON,
	SL_CLI_X_AUTO, /* expanded when the aligned table is wider than the terminal */
} sl_cli_expanded_t;

/* How results print (\pset). */
typedef struct sl_cli_pset {
	sl_cli_fmt_t format;
	sl_cli_expanded_t expanded;
	char *null_text; /* how NULL shows in tables; malloc'd */
	int term_width;  /* columns of the terminal, 0 when not one */
} sl_cli_pset_t;

/* Parses "table" ("aligned", "tabular"), "csv" or "json", any case. */
bool sl_cli_fmt_parse(const char *name, sl_cli_fmt_t *out);
const char *sl_cli_fmt_name(sl_cli_fmt_t fmt);

/* ---- tables ---- */

/* Rows of ncols cells (copies), the header row first; a NULL cell is SQL
 * NULL (shown as pset's null_text). */
typedef struct sl_cli_table {
	int ncols;
	int nrows;
	int cap;
	char **cells;
	bool *right;      /* per column: right-aligned (numbers) */
	const char *note; /* in the row count: "(2 rows, NOTE)"; NULL: none */
} sl_cli_table_t;

void sl_cli_table_init(sl_cli_table_t *t, int ncols, const char *const *headers);
void sl_cli_table_add(sl_cli_table_t *t, const char *const *cells);
void sl_cli_table_free(sl_cli_table_t *t);

/* Appends t in ps's format (json prints as csv: entities print their own
 * JSON instead). */
void sl_cli_table_print(sl_strbuf_t *out, const sl_cli_table_t *t, const sl_cli_pset_t *ps);

/* "(N rows)" and a newline; note (may be NULL) goes inside: "(2 rows,
 * query stopped)". */
void sl_cli_footer(sl_strbuf_t *out, int nrows, const char *note);

/* Display width of s: UTF-8 characters. */
int sl_cli_width(const char *s);

/* One line of an aligned table: cells padded to width (right-aligned
 * where right[i]), " | " between, no trailing blanks.  right may be NULL. */
void sl_cli_aligned_line(sl_strbuf_t *out, int ncols, const char *const *cells, const int *width,
			 const bool *right, const char *null_text);

/* The line under an aligned header: "----+------". */
void sl_cli_aligned_rule(sl_strbuf_t *out, int ncols, const int *width);

/* One record of expanded display: "-[ RECORD n ]-+---" then "name | value"
 * lines; namew and valw are the widths of the two columns. */
void sl_cli_expanded_record(sl_strbuf_t *out, int recno, int ncols, const char *const *names,
			    const char *const *cells, int namew, int valw, const char *null_text);

/* One CSV line of ncols fields (NULL: an empty field). */
void sl_cli_csv_line(sl_strbuf_t *out, int ncols, const char *const *cells);

/* ---- query rows ---- */

/* True for the ksqlDB types that print right-aligned (numbers). */
bool sl_cli_type_numeric(const char *type);

/*
 * Splits a row, a JSON array of ncols values, into display cells: a
 * string's text, null as NULL, anything else (numbers as sent, booleans,
 * arrays, maps, structs) as its JSON text; raw (may be NULL) receives
 * each value's JSON text.  Cells are malloc'd (free with
 * sl_cli_row_free); missing values are NULL.  Returns false when json is
 * not an array.
 */
bool sl_cli_row_split(const char *json, size_t len, int ncols, char **cells, char **raw);
void sl_cli_row_free(int ncols, char **cells);

/* A row as a JSON object line: {"NAME":value,...}\n, from raw values. */
void sl_cli_json_object_line(sl_strbuf_t *out, int ncols, const char *const *names,
			     const char *const *raw);

/* ---- transcripts ---- */

/*
 * Appends the text between two statements of a script, text[0..n)
 * (comments and blanks), as a transcript shows it (sluice -a, and
 * sluice-test's results): line by line without trailing blanks, blank
 * lines between comments kept as one, none at either end; midline says
 * that text starts right after a statement on its line, whose first
 * fragment then loses its indent.
 */
void sl_cli_transcript_gap(sl_strbuf_t *out, const char *text, size_t n, bool midline);

/* ---- entities ---- */

/* Appends one /ksql entity in ps's format. */
void sl_cli_render_entity(sl_strbuf_t *out, const cJSON *e, const sl_cli_pset_t *ps);

#endif
