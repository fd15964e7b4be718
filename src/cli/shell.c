/*
 * shell.c: the shell object and the way lines become statements
 * (shell.h).
 *
 * Stage: cli.  Every source of input (the terminal, -f, -c, \i, RUN
 * SCRIPT, a pipe) goes through one reader: a line that starts with '\'
 * while no statement is open is a backslash command (commands.c);
 * anything else joins the pending text, and each statement that the
 * parser's splitter finds complete there (ended by a ';' outside strings,
 * quoted names and comments) runs at once.  At the end of a script a
 * last statement without ';' runs too.
 *
 * A statement runs as a query (query.c) when it is a SELECT, as a script
 * when it is RUN SCRIPT (the client reads the file, as ksqlDB's CLI does),
 * and otherwise through the backend, its entities rendered (render.c).
 * With echo (-a) each statement is printed before its output, with the
 * comments before it, and followed by a blank line: the transcript that
 * sluice-test writes, so that sql-tests scripts run through the shell
 * compare with their expected files.
 */
#include "cli/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/engine.h"
#include "parse/errfmt.h"
#include "parse/lexer.h"
#include "parse/parser.h"

#define SHELL_PROMPT "sluice> "
#define SHELL_PROMPT_MORE "    -> "
#define SHELL_MAX_DEPTH 16

/* ---- signals ---- */

static int intr_pipe[2] = { -1, -1 };
static volatile sig_atomic_t intr_armed;

static void
on_sigint(int sig)
{
	int saved = errno;
	char c = 'i';

	if (!intr_armed) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	if (write(intr_pipe[1], &c, 1) < 0) {
		/* the pipe is full: a Ctrl-C is pending already */
	}
	errno = saved;
}

int
sl_shell_signals_init(void)
{
	struct sigaction sa;

	if (intr_pipe[0] >= 0)
		return intr_pipe[0];
	if (pipe(intr_pipe) != 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(intr_pipe[i], F_SETFL, fcntl(intr_pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(intr_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: a read ends with EINTR */
	signal(SIGPIPE, SIG_IGN);
	return intr_pipe[0];
}

bool
sl_shell_interrupted(void)
{
	char buf[64];
	bool any = false;

	while (intr_pipe[0] >= 0 && read(intr_pipe[0], buf, sizeof(buf)) > 0)
		any = true;
	return any;
}

void
sl_shell_intr_arm(bool on)
{
	intr_armed = on;
}

/* ---- output ---- */

void
sl_shell_emit(sl_shell_t *sh, sl_strbuf_t *out)
{
	if (out->len > 0 && !sh->silent)
		fwrite(out->data, 1, out->len, sh->out);
	if (fflush(sh->out) != 0 && errno == EPIPE)
		sh->quit = true; /* nobody reads the results any more (| head) */
	sl_strbuf_reset(out);
}

void
sl_shell_error(sl_shell_t *sh, const char *sql, size_t len, const sl_error_t *err)
{
	sl_strbuf_t sb;

	sl_strbuf_init(&sb);
	sl_errfmt_caret(&sb, sql, sql != NULL ? len : 0, err);
	fflush(sh->out);
	fflush(stdout);
	fputs(sb.data, stderr);
	fflush(stderr);
	sl_strbuf_free(&sb);
	sh->failures++;
}

/* ---- statements ---- */

cJSON *
sl_shell_fetch(sl_shell_t *sh, const char *sql, bool print_error)
{
	cJSON *results = cJSON_CreateArray();
	sl_error_t err;

	sl_error_clear(&err);
	if (sh->b->ops->execute(sh->b, sql, strlen(sql), results, &err) != SL_OK) {
		if (print_error)
			sl_shell_error(sh, sql, strlen(sql), &err);
		cJSON_Delete(results);
		return NULL;
	}
	return results;
}

/* Runs statement sql and renders its entities (those before an error
 * too). */
static int
shell_execute(sl_shell_t *sh, const char *sql, size_t len)
{
	cJSON *results = cJSON_CreateArray();
	const cJSON *e;
	sl_strbuf_t out;
	sl_error_t err;
	int rc;

	sl_error_clear(&err);
	sl_strbuf_init(&out);
	rc = sh->b->ops->execute(sh->b, sql, len, results, &err);
	cJSON_ArrayForEach(e, results)
		sl_cli_render_entity(&out, e, &sh->ps);
	sl_shell_emit(sh, &out);
	if (rc != SL_OK)
		sl_shell_error(sh, sql, len, &err);
	sl_strbuf_free(&out);
	cJSON_Delete(results);
	return rc;
}

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* What kind of statement sql is: the parsed node's kind, SL_N_INVALID
 * when it does not parse (the backend then reports why); *push for a
 * SELECT with EMIT; *path for RUN SCRIPT (malloc'd) and *path_loc where
 * it is written. */
static sl_node_kind_t
shell_classify(const char *sql, size_t len, bool *push, char **path, int *path_loc)
{
	sl_arena_t a;
	sl_node_t *node = NULL;
	sl_node_kind_t kind = SL_N_INVALID;

	*push = false;
	*path = NULL;
	sl_arena_init(&a, 0);
	if (sl_parse_one(sql, len, &a, &node, NULL) == SL_OK) {
		kind = node->kind;
		*push = kind == SL_N_SELECT && node->op != SL_EMIT_NONE;
		if (kind == SL_N_RUN_SCRIPT && node->str != NULL) {
			*path = strdup(node->str);
			*path_loc = node->str_loc;
		}
	}
	sl_arena_destroy(&a);
	return kind;
}

int
sl_shell_statement(sl_shell_t *sh, const char *sql, size_t len)
{
	double start = now_ms();
	bool push;
	char *path;
	int rc, path_loc = -1;
	sl_node_kind_t kind = shell_classify(sql, len, &push, &path, &path_loc);

	if (kind == SL_N_RUN_SCRIPT && path != NULL && access(path, R_OK) != 0) {
		/* worded as the engine words it, the caret under the name */
		sl_error_t err;
		sl_error_at(&err, SL_ENOTFOUND, path_loc, "cannot read script \"%s\": %s", path,
			    strerror(errno));
		sl_error_locate(&err, sql, len);
		err.offset = -1;
		sl_shell_error(sh, sql, len, &err);
		rc = SL_ENOTFOUND;
	} else if (kind == SL_N_RUN_SCRIPT && path != NULL)
		rc = sl_shell_run_file(sh, path);
	else if (sl_engine_is_query(sql, len))
		rc = sl_shell_query(sh, sql, len, push);
	else
		rc = shell_execute(sh, sql, len);
	free(path);
	if (kind != SL_N_SELECT && kind != SL_N_SHOW && kind != SL_N_DESCRIBE &&
	    kind != SL_N_PRINT && kind != SL_N_EXPLAIN && kind != SL_N_INSERT_VALUES)
		sl_cli_complete_stale(sh->comp);
	if (sh->timing && !sh->silent)
		fprintf(sh->out, "Time: %.3f ms\n", now_ms() - start);
	fflush(sh->out);
	return rc;
}

/* ---- readers: lines to statements ---- */

typedef struct reader {
	sl_strbuf_t pending; /* text not yet run: comments, an open statement */
	bool midline;        /* pending starts right after a statement's ';' */
	bool stop;           /* a statement failed and the script stops */
} reader_t;

static void
reader_init(reader_t *rd)
{
	sl_strbuf_init(&rd->pending);
	rd->midline = false;
	rd->stop = false;
}

/* Echoes the comments between statements (-a). */
static void
reader_echo_gap(sl_shell_t *sh, const char *text, size_t n, bool midline)
{
	sl_strbuf_t sb;

	sl_strbuf_init(&sb);
	sl_cli_transcript_gap(&sb, text, n, midline);
	if (sb.len > 0)
		fwrite(sb.data, 1, sb.len, sh->out);
	sl_strbuf_free(&sb);
}

/* Runs the statement text[start..end), after the gap text[from..start). */
static void
reader_statement(sl_shell_t *sh, reader_t *rd, const char *text, size_t from, size_t start,
		 size_t end)
{
	while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t' ||
			       text[end - 1] == '\n' || text[end - 1] == '\r'))
		end--;
	if (sh->echo) {
		reader_echo_gap(sh, text + from, start - from, rd->midline);
		fwrite(text + start, 1, end - start, sh->out);
		fputc('\n', sh->out);
	}
	rd->midline = true;
	if (sh->in != NULL && sh->depth == 0)
		sl_cli_input_remember(sh->in, text + start); /* the line editor copies */
	if (sl_shell_statement(sh, text + start, end - start) != SL_OK && !sh->interactive &&
	    !sh->continue_on_error)
		rd->stop = true;
	if (sh->echo)
		fputc('\n', sh->out);
	fflush(sh->out);
}

/* The offset of the first token at or after from (len when none). */
static size_t
reader_first_token(const char *text, size_t from, size_t len)
{
	sl_lexer_t lx;
	sl_token_t tok;

	sl_lexer_init(&lx, text + from, len - from);
	if (sl_lexer_next(&lx, &tok) == TK_EOF)
		return len;
	return from + (size_t)tok.offset;
}

/*
 * Runs the statements complete in the pending text; at the end of a
 * script (final) also what is left (a statement without ';', or one with
 * a string or comment left open, whose error then shows).
 */
static void
reader_run(sl_shell_t *sh, reader_t *rd, bool final)
{
	sl_arena_t a;
	sl_span_t *spans = NULL;
	sl_error_t err;
	int n = 0;
	size_t len = rd->pending.len, done = 0;
	char *text;

	if (len == 0)
		return;
	/* the text is copied: a statement's history entry must end at its
	 * end, and a nested script must not see it move */
	text = strndup(rd->pending.data, len);
	if (text == NULL)
		abort();
	sl_arena_init(&a, 0);
	if (sl_split(text, len, &a, &spans, &n, &err) != SL_OK) {
		size_t cut = err.offset >= 0 ? (size_t)err.offset : 0;
		if (sl_split(text, cut, &a, &spans, &n, &err) != SL_OK)
			n = 0;
	}
	for (int i = 0; i < n && !rd->stop && !sh->quit; i++) {
		size_t s = (size_t)spans[i].offset, e = s + (size_t)spans[i].len;
		if (text[e - 1] != ';')
			break; /* the open statement; at the end, run below */
		char keep = text[e];
		text[e] = '\0'; /* the history entry ends with the statement */
		reader_statement(sh, rd, text, done, s, e);
		text[e] = keep;
		done = e;
	}
	if (final && !rd->stop && !sh->quit) {
		size_t s = reader_first_token(text, done, len);
		if (s < len) {
			reader_statement(sh, rd, text, done, s, len);
			done = len;
		}
	}
	if (done > 0) {
		memmove(rd->pending.data, rd->pending.data + done, len - done);
		rd->pending.len = len - done;
		rd->pending.data[rd->pending.len] = '\0';
	}
	sl_arena_destroy(&a);
	free(text);
}

/* True when the pending text holds no token (only blanks, comments). */
static bool
reader_empty(const reader_t *rd)
{
	return rd->pending.len == 0 ||
	       reader_first_token(rd->pending.data, 0, rd->pending.len) == rd->pending.len;
}

/* True when the pending text ends inside a string, a quoted name or a
 * comment. */
static bool
reader_open(const reader_t *rd)
{
	sl_arena_t a;
	sl_span_t *spans;
	sl_error_t err;
	int n;
	bool open;

	if (rd->pending.len == 0)
		return false;
	sl_arena_init(&a, 0);
	open = sl_split(rd->pending.data, rd->pending.len, &a, &spans, &n, &err) != SL_OK;
	sl_arena_destroy(&a);
	return open;
}

/* The offset in line of a backslash outside strings, quoted names and
 * comments (where a backslash command starts), or -1. */
static int
reader_backslash(const char *line)
{
	sl_lexer_t lx;
	sl_token_t tok;
	int type;

	sl_lexer_init(&lx, line, strlen(line));
	while ((type = sl_lexer_next(&lx, &tok)) != TK_EOF) {
		if (type == TK_ILLEGAL)
			return line[tok.offset] == '\\' ? tok.offset : -1;
	}
	return -1;
}

/* Takes one line of input (without its newline).  A backslash command
 * may follow SQL on its line, or come in the middle of a statement (\x,
 * \q), but not inside an open string or comment. */
static void
reader_line(sl_shell_t *sh, reader_t *rd, const char *line)
{
	int cut = reader_open(rd) ? -1 : reader_backslash(line);
	const char *p = line + strspn(line, " \t\r");

	if (cut >= 0) {
		const char *cmd = line + cut;
		if (cmd != p) {
			/* the SQL before the command first */
			char *sql = strndup(line, (size_t)cut);
			if (sql == NULL)
				abort();
			reader_line(sh, rd, sql);
			free(sql);
			if (rd->stop || sh->quit)
				return;
		}
		if (reader_empty(rd)) {
			if (sh->echo)
				reader_echo_gap(sh, rd->pending.data, rd->pending.len, rd->midline);
			sl_strbuf_reset(&rd->pending);
		}
		if (sh->echo)
			fprintf(sh->out, "%s\n", cmd);
		if (sh->in != NULL && sh->depth == 0 && strncmp(cmd, "\\q", 2) != 0)
			sl_cli_input_remember(sh->in, cmd);
		if (sl_shell_command(sh, cmd) != SL_OK && !sh->interactive &&
		    !sh->continue_on_error)
			rd->stop = true;
		return;
	}
	if (reader_empty(rd) && sl_shell_word_command(sh, p))
		return;
	sl_strbuf_puts(&rd->pending, line);
	sl_strbuf_putc(&rd->pending, '\n');
	sh->pending = rd->pending.data;
	reader_run(sh, rd, false);
	sh->pending = rd->pending.data;
}

/* Ends a script: runs what is left, echoes the comments at its end. */
static void
reader_finish(sl_shell_t *sh, reader_t *rd)
{
	if (!rd->stop && !sh->quit)
		reader_run(sh, rd, true);
	if (sh->echo && !rd->stop && rd->pending.len > 0)
		reader_echo_gap(sh, rd->pending.data, rd->pending.len, rd->midline);
	sl_strbuf_free(&rd->pending);
	sh->pending = NULL;
	fflush(sh->out);
}

/* Feeds text[0..len) line by line; returns SL_OK, or SL_ERR when the
 * script stopped at a failed statement. */
static int
reader_text(sl_shell_t *sh, const char *text, size_t len)
{
	reader_t rd;
	sl_strbuf_t line;
	size_t i = 0;

	reader_init(&rd);
	sl_strbuf_init(&line);
	while (i < len && !rd.stop && !sh->quit) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t e = nl != NULL ? (size_t)(nl - text) : len;
		sl_strbuf_reset(&line);
		sl_strbuf_append(&line, text + i, e - i);
		reader_line(sh, &rd, line.data != NULL ? line.data : "");
		i = e + 1;
	}
	sl_strbuf_free(&line);
	reader_finish(sh, &rd);
	return rd.stop ? SL_ERR : SL_OK;
}

/* ---- entry points ---- */

int
sl_shell_run_text(sl_shell_t *sh, const char *text, size_t len)
{
	return reader_text(sh, text, len);
}

int
sl_shell_run_file(sl_shell_t *sh, const char *path)
{
	FILE *f;
	sl_strbuf_t text;
	char buf[8192];
	size_t n;
	int rc;

	if (sh->depth >= SHELL_MAX_DEPTH) {
		sl_error_t err;
		sl_error_set(&err, SL_EINVAL, "%s: scripts nested more than %d deep", path,
			     SHELL_MAX_DEPTH);
		sl_shell_error(sh, NULL, 0, &err);
		return SL_EINVAL;
	}
	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (f == NULL) {
		sl_error_t err;
		sl_error_set(&err, SL_EIO, "cannot read \"%s\": %s", path, strerror(errno));
		sl_shell_error(sh, NULL, 0, &err);
		return SL_EIO;
	}
	sl_strbuf_init(&text);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sl_strbuf_append(&text, buf, n);
	if (f != stdin)
		fclose(f);
	sh->depth++;
	rc = reader_text(sh, text.data != NULL ? text.data : "", text.len);
	sh->depth--;
	sl_strbuf_free(&text);
	return rc;
}

/* The REPL: prompts, line editing; Ctrl-C drops what was typed. */
static int
shell_interact(sl_shell_t *sh)
{
	reader_t rd;

	reader_init(&rd);
	while (!sh->quit) {
		bool cancelled = false;
		char *line;

		sh->ps.term_width = sl_cli_input_width(sh->in);
		sh->pending = rd.pending.data;
		line = sl_cli_input_line(
			sh->in, reader_empty(&rd) ? SHELL_PROMPT : SHELL_PROMPT_MORE, &cancelled);
		if (cancelled) {
			sl_strbuf_reset(&rd.pending);
			free(line);
			continue;
		}
		if (line == NULL) {
			fputs("\\q\n", stdout); /* Ctrl-D, as psql shows it */
			break;
		}
		reader_line(sh, &rd, line);
		free(line);
	}
	sl_strbuf_free(&rd.pending);
	sh->pending = NULL;
	return SL_OK;
}

int
sl_shell_run_stdin(sl_shell_t *sh)
{
	if (sh->interactive && sh->in != NULL)
		return shell_interact(sh);
	return sl_shell_run_file(sh, "-");
}

void
sl_shell_banner(sl_shell_t *sh, const char *extra)
{
	sl_strbuf_t sb;

	if (!sh->interactive || sh->quiet)
		return;
	sl_strbuf_init(&sb);
	sl_strbuf_printf(&sb, "sluice %s, the streaming SQL shell\n", PACKAGE_VERSION);
	sh->b->ops->describe(sh->b, &sb);
	sl_strbuf_putc(&sb, '\n');
	if (extra != NULL)
		sl_strbuf_printf(&sb, "%s\n", extra);
	sl_strbuf_puts(&sb, "Type \\? or help for help, \\h for SQL syntax; quit with \\q, exit or "
			    "Ctrl-D.\n\n");
	fputs(sb.data, stdout);
	fflush(stdout);
	sl_strbuf_free(&sb);
}

int
sl_shell_define(sl_shell_t *sh, const char *name, const char *value)
{
	sl_strbuf_t sql;
	cJSON *res;

	sl_strbuf_init(&sql);
	sl_strbuf_printf(&sql, "DEFINE %s = '", name);
	for (const char *p = value; *p != '\0'; p++) {
		if (*p == '\'')
			sl_strbuf_putc(&sql, '\'');
		sl_strbuf_putc(&sql, *p);
	}
	sl_strbuf_puts(&sql, "';");
	res = sl_shell_fetch(sh, sql.data, true);
	sl_strbuf_free(&sql);
	cJSON_Delete(res);
	return res != NULL ? SL_OK : SL_EINVAL;
}

sl_shell_t *
sl_shell_create(sl_backend_t *b, const sl_shell_config_t *cfg)
{
	sl_shell_t *sh = calloc(1, sizeof(*sh));
	const char *home = getenv("HOME");

	if (sh == NULL)
		abort();
	sh->b = b;
	sh->ps.format = cfg->format;
	sh->ps.null_text = strdup("NULL");
	sh->interactive = cfg->interactive;
	sh->echo = cfg->echo;
	sh->continue_on_error = cfg->continue_on_error;
	sh->quiet = cfg->quiet;
	sh->out = stdout;
	sh->comp = sl_cli_complete_create();
	if (cfg->history != NULL) {
		sh->history = strdup(cfg->history);
	} else if (home != NULL && *home != '\0') {
		sl_strbuf_t p;
		sl_strbuf_init(&p);
		sl_strbuf_printf(&p, "%s/.sluice_history", home);
		sh->history = sl_strbuf_steal(&p);
	}
	sl_shell_intr_arm(sh->interactive);
	if (sh->interactive)
		sh->in = sl_cli_input_open(sh);
	return sh;
}

void
sl_shell_destroy(sl_shell_t *sh)
{
	if (sh == NULL)
		return;
	if (sh->in != NULL)
		sl_cli_input_close(sh->in);
	if (sh->out != stdout)
		fclose(sh->out);
	sh->b->ops->destroy(sh->b);
	sl_cli_complete_destroy(sh->comp);
	free(sh->ps.null_text);
	free(sh->out_path);
	free(sh->history);
	free(sh);
}

sl_backend_t *
sl_shell_backend(sl_shell_t *sh)
{
	return sh->b;
}

bool
sl_shell_quit(const sl_shell_t *sh)
{
	return sh->quit;
}

int
sl_shell_status(const sl_shell_t *sh)
{
	/* at the prompt a failed statement was seen and answered */
	return sh->failures > 0 && !sh->interactive ? 1 : 0;
}
