/*
 * demo.h: the examples and their event generators (sluice --demo).
 *
 * Stage: cli.  An example is a SQL script in examples/ (streams over
 * topics, continuous queries) and a generator that writes realistic events
 * into its input stream, through the shell's backend (INSERT INTO ...
 * VALUES), so that it works embedded and against a server alike.  The
 * generator runs on a thread of its own, with a backend of its own, at a
 * few events a second, using the wall clock for event times; or, given a
 * count, writes that many events at once with event times from a fixed
 * start, from a fixed seed, so that tests see the same data every time.
 */
#ifndef SL_CLI_DEMO_H
#define SL_CLI_DEMO_H

#include "cli/shell.h"

typedef struct sl_demo sl_demo_t;

/* The example names, for --help: "quickstart, clickstream, ...". */
const char *sl_demo_names(void);

/*
 * Finds example name (an example's name, looked up as NAME.sql in each of
 * dirs, a NULL-terminated list; or the path of its .sql file), runs its
 * script on sh without printing its results (errors still show), and
 * prepares its generator.  hint receives lines for the banner: what was
 * loaded and a query to try.  Returns SL_OK, or an error (printed).
 */
int sl_demo_load(sl_shell_t *sh, const char *name, const char *const *dirs, sl_demo_t **out,
		 sl_strbuf_t *hint);

/* Writes n events now, with event times from a fixed start. */
int sl_demo_generate(sl_demo_t *d, int n);

/* Starts writing events on a thread, rate a second. */
int sl_demo_start(sl_demo_t *d, double rate);

/* Stops the thread (if any) and frees d.  d may be NULL. */
void sl_demo_stop(sl_demo_t *d);

#endif
