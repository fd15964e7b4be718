/*
 * sluice_test.h: the pieces of sluice-test, the SQL regression runner.
 *
 * Private to src/bin.  sluice_test.c holds main(), option parsing and the
 * helpers every mode shares (files, script splitting, the parse round
 * trip); each mode lives in a file of its own and exposes one entry point:
 *
 *   test_parse.c    --parse-only: .sql scripts and ksqlDB QTT .json files
 *   test_regress.c  pg_regress style: sql-tests/sql/NAME.sql against
 *                   sql-tests/expected/NAME.out
 *
 * A mode adds its verdicts to an sl_test_counts_t; main() prints the closing
 * line "N passed, N failed" and turns the counts into the exit status.
 * Everything runs on the main thread.
 */
#ifndef SL_BIN_SLUICE_TEST_H
#define SL_BIN_SLUICE_TEST_H

#include <stdbool.h>
#include <stddef.h>

#include "parse/ast.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/strbuf.h"

typedef struct sl_test_counts {
	int passed;
	int failed;
} sl_test_counts_t;

typedef struct sl_test_opts {
	bool update;             /* regress: copy results over expected files */
	const char *results_dir; /* regress: where NAME.out files are written */
} sl_test_opts_t;

/*
 * One statement of a script as the runners see it.  [start, end) is the
 * statement's text without the whitespace and comments around it (its ';'
 * included when written); [gap, start) is what lies between the end of the
 * previous statement (or the start of the script) and this one: whitespace
 * and comments.
 */
typedef struct sl_test_stmt {
	size_t gap;
	size_t start;
	size_t end;
} sl_test_stmt_t;

/* --- helpers shared by the modes (sluice_test.c) --- */

/*
 * Reads the whole file at path into a malloc'd buffer (NUL-terminated, the
 * caller frees *data).  Returns SL_OK, or SL_EIO after printing
 * "sluice-test: cannot read PATH: reason" to stderr.
 */
int sl_test_file_read(const char *path, char **data, size_t *len);

/* Writes data[0..len) to path, replacing it.  Returns SL_OK, or SL_EIO
 * after printing the reason to stderr. */
int sl_test_file_write(const char *path, const char *data, size_t len);

/* Creates directory path and its missing parents (mkdir -p).  Returns SL_OK
 * or SL_EIO after printing the reason to stderr. */
int sl_test_mkdirs(const char *path);

/*
 * Splits a script into statements with sl_split() (array allocated from
 * a).  A string, quoted identifier or comment left open runs to the end of
 * the script: the statement holding it then extends to the end of text, so
 * that parsing it reports the error with its position.  Returns SL_OK, or
 * SL_ESYNTAX with err set when even that fails.
 */
int sl_test_script_split(const char *text, size_t len, sl_arena_t *a, sl_test_stmt_t **stmts,
			 int *n, sl_error_t *err);

/*
 * Checks that the canonical text of node (sl_ast_print) parses back to a
 * tree equal to node.  canon receives the canonical text (no ';').
 * Returns SL_OK when it does; otherwise SL_ERR with an indented multi-line
 * report appended to why (the canonical and the reparsed text and both
 * trees as sl_ast_dump(), or the reparse error), for the caller to print
 * after its own "round trip mismatch" line.
 */
int sl_test_roundtrip(const sl_node_t *node, sl_strbuf_t *canon, sl_strbuf_t *why);

/* --- the modes --- */

/*
 * --parse-only FILE...: parses every statement of each .sql or .json file
 * and checks the round trip, printing one report per failure.  Returns
 * SL_OK, or SL_EIO when a file could not be read (the others still run).
 */
int sl_test_parse_only(int nfiles, char **files, sl_test_counts_t *counts);

/*
 * pg_regress mode: runs each sql-tests/sql/NAME.sql found under paths (a
 * sql-tests directory, or single .sql files), writes results/NAME.out and
 * compares it with expected/NAME.out.  Returns SL_OK, or SL_EIO on a file
 * system error (the other files still run).
 */
int sl_test_regress(const sl_test_opts_t *opts, int npaths, char **paths, sl_test_counts_t *counts);

#endif
