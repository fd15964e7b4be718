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
 *   test_qtt.c      --qtt: ksqlDB's query-validation test files run on the
 *                   engine; -s/-i/-o: ksql-test-runner triplets
 *   test_rest.c     --qtt on ksqlDB's REST test files: each case through
 *                   the HTTP server (libcurl against src/http)
 *
 * and the engine-backed modes share three pieces:
 *
 *   test_case.c     one test case (statements, inputs, expected outputs or
 *                   error, post-conditions) run on a fresh test-mode engine
 *   test_codec.c    the test side's own serdes: test-file JSON values to
 *                   record payloads and back, as ksqlDB's runner does,
 *                   independent of the engine's src/format
 *   test_compare.c  ksqlDB's rules for matching expected and actual values
 *                   and source schemas
 *
 * and the shell's renderer (cli/render.h) shows the engine's answers in
 * regression transcripts, exactly as `sluice -a` does.
 *
 * A mode adds its verdicts to an sl_test_counts_t; main() prints the closing
 * line "N passed, N failed" ("N passed, N failed, N skipped" for --qtt) and
 * turns the counts into the exit status.  Everything runs on the main
 * thread.
 */
#ifndef SL_BIN_SLUICE_TEST_H
#define SL_BIN_SLUICE_TEST_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse/ast.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/props.h"
#include "util/strbuf.h"

struct sl_source;

typedef struct sl_test_counts {
	int passed;
	int failed;
	int skipped;
	int required_failed; /* qtt --require-passing: listed cases that did not pass */
} sl_test_counts_t;

typedef struct sl_test_opts {
	bool update;             /* regress: copy results over expected files */
	const char *results_dir; /* regress: where NAME.out files are written */
	bool verbose;            /* qtt: details for passing cases too */
	const char *filter;      /* qtt: POSIX extended regex on case names */
	const char *list_passing;    /* qtt: write the passing names here */
	const char *require_passing; /* qtt: names that must pass */
	int jobs;                /* qtt: worker processes (files run in parallel) */
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

/* Milliseconds on the monotonic clock, for timeouts and timings. */
int64_t sl_test_now_ms(void);

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

/*
 * --qtt FILE...: runs every case of ksqlDB query-validation test files on
 * the engine, printing "ok NAME", "FAIL NAME: why" or "skip NAME (reason)"
 * per case expansion.  Honours opts->filter, verbose, list_passing and
 * require_passing (a required case that did not pass counts as failed).
 * With opts->jobs > 1 the files run in that many worker processes; the
 * output is the same.  Returns SL_OK, or SL_EIO when a file could not be
 * read or written.
 */
int sl_test_qtt(const sl_test_opts_t *opts, int nfiles, char **files, sl_test_counts_t *counts);

/*
 * -s statements.sql -i input.json -o output.json: one ksql-test-runner
 * test, run as one case.  Returns SL_OK, or SL_EIO when a file could not
 * be read or is malformed.
 */
int sl_test_triplet(const sl_test_opts_t *opts, const char *sql_path, const char *in_path,
		    const char *out_path, sl_test_counts_t *counts);

/* --- one test case on the engine (test_case.c) --- */

/* A case ready to run: every {FORMAT}/{CONFIG} substituted.  The cJSON
 * parts are borrowed from the test file and may be NULL. */
typedef struct sl_test_case {
	int nstmts;
	char **stmts;              /* one statement (or script) per entry */
	const cJSON *properties;   /* object: name -> value, applied as SET */
	const cJSON *topics;       /* array of {name, partitions, ...} */
	const cJSON *inputs;       /* array of records */
	const cJSON *outputs;      /* array of records */
	const cJSON *post;         /* {sources, topics} */
	bool expect_error;         /* expectedException / expectedError */
	const char *expect_msg;    /* its message, shown in verbose mode */
	bool outputs_prefix;       /* records after the expected ones are not checked */
	/* REST cases (test_rest.c) */
	const cJSON *responses;      /* array of {"admin": {...}} / {"query": [...]} */
	const cJSON *expected_error; /* {type, message, status} */
	bool wait_push;              /* inputConditions.waitForActivePushQuery */
} sl_test_case_t;

/*
 * Runs tc on a fresh test-mode engine (embedded Kafka) and destroys it.
 * Returns true when the case passed.  why receives the first difference
 * on failure (one or more lines, no trailing newline); with verbose,
 * details on success too (e.g. the error an expected-error case got).
 */
bool sl_test_case_run(const sl_test_case_t *tc, bool verbose, sl_strbuf_t *why);

/*
 * The steps of sl_test_case_run() for a runner that sends the statements
 * itself (test_rest.c).  sl_test_env_open() starts a fresh test-mode engine
 * with server properties server (may be NULL; copied), sets tc's
 * properties on its session and creates the case's topics; NULL with why
 * set when that fails.  tc must outlive the environment.  The others: the
 * engine, producing the inputs (each followed by the quiescence barrier)
 * and checking the expected outputs, true when all went well, else false
 * with why set.  sl_test_env_close() stops the engine (NULL: nothing).
 */
typedef struct sl_test_env sl_test_env_t;
struct sl_engine;

sl_test_env_t *sl_test_env_open(const sl_test_case_t *tc, const sl_props_t *server, bool verbose,
				sl_strbuf_t *why);
struct sl_engine *sl_test_env_engine(sl_test_env_t *env);
bool sl_test_env_inputs(sl_test_env_t *env);
bool sl_test_env_outputs(sl_test_env_t *env);
void sl_test_env_close(sl_test_env_t *env);

/* --- ksqlDB's REST test cases through the HTTP server (test_rest.c) --- */

/* Whether root, the parsed test file at path, holds REST cases: it lies in
 * a rest-query-validation-tests directory or a case has "responses" or
 * "expectedError". */
bool sl_test_rest_file(const char *path, const cJSON *root);

/*
 * Keeps the text of every number of root, parsed from text[0..len), in
 * the number's valuestring (cJSON keeps only its value), so that 10 and
 * 10.0 can be told apart as ksqlDB's Java runner tells them apart.
 * cJSON_Delete() frees them.
 */
void sl_test_rest_numbers(cJSON *root, const char *text, size_t len);

/* Why the REST case tc (as in the file) cannot run, written to reason:
 * PROTOBUF query responses, or an invalid case; false when it can. */
bool sl_test_rest_skip_reason(const cJSON *tc, const sl_test_case_t *c, sl_strbuf_t *reason);

/*
 * Runs tc as ksqlDB's RestTestExecutor does, through a real HTTP server on
 * 127.0.0.1 (src/http) over a fresh test-mode engine: statements before
 * the first SELECT to POST /ksql, the inputs, the SELECTs to POST /query,
 * then the expected outputs, responses and error.  Returns true when the
 * case passed; why as for sl_test_case_run().
 */
bool sl_test_rest_case_run(const sl_test_case_t *tc, bool verbose, sl_strbuf_t *why);

/* --- the test side's serdes (test_codec.c) --- */

/* A window of a windowed key: start and end in ms, session or time. */
typedef struct sl_test_window {
	bool present;
	bool session;
	int64_t start;
	int64_t end;
} sl_test_window_t;

/*
 * Encodes v, a key (is_key) or value as a test file writes it, into the
 * payload a producer would write for src (NULL: no source reads the topic,
 * so strings go as they are and everything else as JSON).  A JSON null (or
 * v NULL) gives *null true and an empty out.  A windowed key (src has a
 * window type) needs win.  Returns SL_OK, or SL_EINVAL with the reason in
 * why (e.g. a format the runner cannot write).
 */
int sl_test_encode(const struct sl_source *src, bool is_key, const cJSON *v,
		   const sl_test_window_t *win, sl_strbuf_t *out, bool *null, sl_strbuf_t *why);

/*
 * Decodes a payload (data NULL: a null key or value) of a record read from
 * src's topic into *out (a new cJSON the caller deletes), and for a windowed
 * key its window into *win.  Returns SL_OK, or SL_EINVAL with the reason in
 * why.
 */
int sl_test_decode(const struct sl_source *src, bool is_key, const char *data, size_t len,
		   cJSON **out, sl_test_window_t *win, sl_strbuf_t *why);

/* Appends the base64 (RFC 4648, padded) of data[0..n). */
void sl_test_base64_encode(sl_strbuf_t *out, const void *data, size_t n);

/* Appends the bytes of base64 text s; false when s is not base64.  out
 * is left non-NULL (an empty string) even for no bytes. */
bool sl_test_base64_decode(sl_strbuf_t *out, const char *s);

/* --- matching (test_compare.c) --- */

/*
 * True when actual, decoded from an output record, matches expected, as
 * written in a test file, by the rules of ksqlDB's ExpectedRecordComparator:
 * objects by member (a missing actual member found by its upper-cased name),
 * with equal member counts; arrays item by item; numbers by value (1 ==
 * 1.0); an expected string also matches a number of the same value (ksqlDB
 * writes decimals either way); NULL and JSON null alike.  With lenient (the
 * payload was text, DELIMITED), an expected number or boolean also matches
 * its text.
 */
bool sl_test_json_match(const cJSON *expected, const cJSON *actual, bool lenient);

/*
 * Compares src's columns with a ksqlDB schema string ("`K` STRING KEY, V
 * INT").  Returns true when names, types, order and key/header roles agree;
 * otherwise appends to why what differs.
 */
bool sl_test_schema_match(const char *expected, const struct sl_source *src, sl_strbuf_t *why);

/* Appends src's schema as ksqlDB writes it ("`K` STRING KEY, `V` INTEGER"). */
void sl_test_schema_format(sl_strbuf_t *out, const struct sl_source *src);

/* --- rendering (test_regress.c, with the shell's renderer) --- */

/*
 * Appends the regression-transcript rendering of one result entity of
 * sl_engine_execute(): a status's message, lists as aligned tables with a
 * row count, descriptions as "Label: value" lines and a field table,
 * anything else as compact JSON.  Deterministic: nothing that varies from
 * run to run is shown.
 */
void sl_test_render_entity(sl_strbuf_t *out, const cJSON *entity);

/* Appends v as compact JSON (NULL as null). */
void sl_test_json_append(sl_strbuf_t *out, const cJSON *v);

#endif
