/*
 * internal.h: the pieces of the shell, private to src/cli.
 *
 *   shell.c     the shell object, statement gathering, running a statement
 *   input.c     libedit: prompt, history, Ctrl-C at the prompt, Ctrl-R
 *   complete.c  tab completion (keywords, names fetched with SHOW/DESCRIBE)
 *   commands.c  backslash commands and help (\d, \x, \h, \?, ...)
 *   query.c     running a SELECT and drawing its rows
 *   demo.c      the example scripts and their event generators (--demo)
 */
#ifndef SL_CLI_INTERNAL_H
#define SL_CLI_INTERNAL_H

#include <stdio.h>

#include "cli/shell.h"
#include "util/error.h"
#include "util/strbuf.h"

typedef struct sl_cli_input sl_cli_input_t;
typedef struct sl_cli_complete sl_cli_complete_t;

struct sl_shell {
	sl_backend_t *b;
	sl_cli_pset_t ps;
	bool interactive;
	bool echo;
	bool continue_on_error;
	bool quiet;
	bool timing;
	bool quit;
	bool silent; /* results are dropped (a demo's script loading) */
	int failures;
	int depth; /* \i nesting */
	FILE *out; /* results: stdout, or the file of \o */
	char *out_path;
	char *history;      /* history file path */
	sl_cli_input_t *in; /* the terminal's editor; NULL when not interactive */
	sl_cli_complete_t *comp;
	const char *pending; /* the statement being typed (for completion) */
};

/* ---- shell.c ---- */

/* Runs one statement: echo, query or entities, timing, errors. */
int sl_shell_statement(sl_shell_t *sh, const char *sql, size_t len);

/* Runs sql quietly and returns its entities (caller deletes), or NULL
 * after printing the error when print_error. */
cJSON *sl_shell_fetch(sl_shell_t *sh, const char *sql, bool print_error);

/* Prints err for the statement text sql[0..len) (NULL: no caret) on
 * stderr and counts a failure. */
void sl_shell_error(sl_shell_t *sh, const char *sql, size_t len, const sl_error_t *err);

/* Writes out's text to the results (sh->out) and flushes; a closed pipe
 * there ends the shell (sh->quit). */
void sl_shell_emit(sl_shell_t *sh, sl_strbuf_t *out);

/* Whether Ctrl-C was pressed since the last call (the notice drained). */
bool sl_shell_interrupted(void);

/* Arms Ctrl-C (on: it interrupts; off: in a script, it ends the program). */
void sl_shell_intr_arm(bool on);

/* ---- query.c ---- */

/* Runs one SELECT; push says whether it is a push query (EMIT). */
int sl_shell_query(sl_shell_t *sh, const char *sql, size_t len, bool push);

/* ---- commands.c ---- */

/* Runs a backslash command line (with its '\').  Returns SL_OK or an
 * error (already printed). */
int sl_shell_command(sl_shell_t *sh, const char *line);

/* help / exit / quit as ksqlDB's CLI takes them; true when line was one. */
bool sl_shell_word_command(sl_shell_t *sh, const char *line);

/* ---- input.c ---- */

sl_cli_input_t *sl_cli_input_open(sl_shell_t *sh);
/* The next line (malloc'd, no newline), NULL at EOF; *cancelled when
 * Ctrl-C ended it (the caller drops what was typed). */
char *sl_cli_input_line(sl_cli_input_t *in, const char *prompt, bool *cancelled);
/* Adds a statement or command to the history and saves the file. */
void sl_cli_input_remember(sl_cli_input_t *in, const char *entry);
/* Terminal columns, 0 when unknown. */
int sl_cli_input_width(sl_cli_input_t *in);
void sl_cli_input_close(sl_cli_input_t *in);

/* ---- complete.c ---- */

sl_cli_complete_t *sl_cli_complete_create(void);
void sl_cli_complete_destroy(sl_cli_complete_t *c);
/* Names changed (after DDL): fetch them again at the next completion. */
void sl_cli_complete_stale(sl_cli_complete_t *c);
/*
 * The completions of the word ending at line[cur] (its start in *start),
 * in the context of what comes before it; NULL-terminated, malloc'd
 * (free with sl_cli_complete_free).
 */
char **sl_cli_complete_words(sl_shell_t *sh, const char *line, size_t cur, size_t *start);
void sl_cli_complete_free(char **words);

#endif
