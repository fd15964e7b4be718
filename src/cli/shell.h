/*
 * shell.h: the sluice shell, a psql-like REPL over a backend.
 *
 * Stage: cli.  Takes lines, from a terminal (libedit: history, search,
 * completion) or from scripts (-f, -c, \i, RUN SCRIPT, a pipe), gathers
 * them into statements (split at each ';' outside strings and comments
 * by the parser's splitter), runs backslash commands itself and hands
 * each statement to the backend (backend.h): SELECTs as queries whose rows
 * are drawn as they arrive, everything else as statements whose entities
 * are rendered (render.h).  Errors show with the line of SQL and a caret.
 *
 * Used by src/bin/sluice.c.  Runs on the main thread; the demo generator
 * (demo.c) has a thread and a backend of its own.
 */
#ifndef SL_CLI_SHELL_H
#define SL_CLI_SHELL_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/backend.h"
#include "cli/render.h"

typedef struct sl_shell sl_shell_t;

typedef struct sl_shell_config {
	bool interactive;       /* stdin is a terminal: prompt, banner, libedit */
	bool echo;              /* -a: print each statement before its output, as
				  * sluice-test's transcripts */
	bool continue_on_error; /* scripts go on after a failed statement */
	bool quiet;             /* -q: no banner */
	sl_cli_fmt_t format;
	const char *history; /* history file; NULL: $HOME/.sluice_history */
} sl_shell_config_t;

/*
 * Installs the shell's signal handlers (SIGINT, SIGWINCH; SIGPIPE
 * ignored) and returns the descriptor that becomes readable when the user
 * presses Ctrl-C, for the backend to poll.  Call once, before anything.
 */
int sl_shell_signals_init(void);

/* A shell on b (which it owns and destroys). */
sl_shell_t *sl_shell_create(sl_backend_t *b, const sl_shell_config_t *cfg);
void sl_shell_destroy(sl_shell_t *sh);

sl_backend_t *sl_shell_backend(sl_shell_t *sh);

/* DEFINE name='value' (-v), quietly.  Returns SL_OK or prints the error. */
int sl_shell_define(sl_shell_t *sh, const char *name, const char *value);

/* Runs text (statements and backslash commands), as -c does. */
int sl_shell_run_text(sl_shell_t *sh, const char *text, size_t len);

/* Runs the file at path, as -f and \i do. */
int sl_shell_run_file(sl_shell_t *sh, const char *path);

/* Reads the standard input to its end: the REPL on a terminal (after the
 * banner), a script otherwise. */
int sl_shell_run_stdin(sl_shell_t *sh);

/* Prints the banner lines (interactive start-up); extra (may be NULL) is
 * one more line, e.g. what the demo loaded. */
void sl_shell_banner(sl_shell_t *sh, const char *extra);

/* Whether \q (or exit) was given. */
bool sl_shell_quit(const sl_shell_t *sh);

/* The exit status: 0, or 1 when a statement of a script failed (at the
 * prompt failures do not count, as in psql). */
int sl_shell_status(const sl_shell_t *sh);

#endif
