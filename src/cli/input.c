/*
 * input.c: the terminal's line editor (libedit) for the shell.
 *
 * Stage: cli.  Reads lines at the prompt with libedit in emacs mode:
 * history kept in ~/.sluice_history (loaded at start, saved after every
 * statement), Ctrl-R for an incremental search back through it, Tab for
 * completion (complete.c), Ctrl-C to drop what was typed.
 *
 * libedit's own signal handling is off (it would re-raise SIGINT to the
 * process group): characters are read by input_getc(), which polls the
 * terminal together with the shell's interrupt descriptor, so that Ctrl-C
 * (a SIGINT, the terminal being in its usual ISIG mode) arrives as the
 * character ^C, bound to input_cancel().  SIGWINCH only sets a flag that
 * input_getc() turns into el_resize().
 */
#include "cli/internal.h"

#include <ctype.h>
#include <errno.h>
#include <histedit.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#define INPUT_HISTORY_SIZE 1000

struct sl_cli_input {
	sl_shell_t *sh;
	EditLine *el;
	History *hist;
	const char *prompt;
	bool cancelled;
};

static volatile sig_atomic_t winch;

static void
on_sigwinch(int sig)
{
	(void)sig;
	winch = 1;
}

static char *
input_prompt(EditLine *el)
{
	sl_shell_t *sh;

	el_get(el, EL_CLIENTDATA, &sh);
	return (char *)sh->in->prompt;
}

/* Reads one character for libedit: the terminal, or ^C for Ctrl-C. */
static int
input_getc(EditLine *el, wchar_t *wc)
{
	sl_shell_t *sh;
	char buf[MB_LEN_MAX];
	size_t n = 0;

	el_get(el, EL_CLIENTDATA, &sh);
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = sh->b->intr_fd, .events = POLLIN },
		};
		mbstate_t st;
		size_t m;
		char c;
		ssize_t k;

		if (winch) {
			winch = 0;
			el_resize(el);
		}
		if (poll(p, sh->b->intr_fd >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (p[1].revents & POLLIN) {
			sl_shell_interrupted();
			*wc = 3; /* ^C */
			return 1;
		}
		k = read(STDIN_FILENO, &c, 1);
		if (k == 0)
			return 0;
		if (k < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		buf[n++] = c;
		memset(&st, 0, sizeof(st));
		m = mbrtowc(wc, buf, n, &st);
		if (m == (size_t)-2 && n < sizeof(buf))
			continue;
		if (m == (size_t)-1 || m == (size_t)-2)
			*wc = (unsigned char)buf[0];
		return 1;
	}
}

/* ^C: the line typed so far is dropped. */
static unsigned char
input_cancel(EditLine *el, int ch)
{
	sl_shell_t *sh;

	(void)ch;
	el_get(el, EL_CLIENTDATA, &sh);
	sh->in->cancelled = true;
	return CC_NEWLINE;
}

/* Prints words in columns under the line being edited. */
static void
input_list(sl_cli_input_t *in, char **words)
{
	int width = sl_cli_input_width(in), colw = 0, n = 0, cols;

	for (; words[n] != NULL; n++)
		if ((int)strlen(words[n]) + 2 > colw)
			colw = (int)strlen(words[n]) + 2;
	cols = width > colw ? width / colw : 1;
	fputc('\n', stdout);
	for (int i = 0; i < n; i++)
		fprintf(stdout, "%-*s%s", colw, words[i],
			(i + 1) % cols == 0 || i + 1 == n ? "\n" : "");
	fflush(stdout);
}

/* Tab: completes the word before the cursor, or lists the choices. */
static unsigned char
input_complete(EditLine *el, int ch)
{
	sl_shell_t *sh;
	const LineInfo *li = el_line(el);
	size_t cur = (size_t)(li->cursor - li->buffer), start = 0, common;
	char *line = strndup(li->buffer, cur);
	char **words;
	unsigned char rc = CC_REFRESH;

	(void)ch;
	el_get(el, EL_CLIENTDATA, &sh);
	if (line == NULL)
		return CC_ERROR;
	words = sl_cli_complete_words(sh, line, cur, &start);
	if (words == NULL || words[0] == NULL) {
		rc = CC_REFRESH_BEEP;
		goto done;
	}
	/* the longest prefix the choices share (they already have the
	 * case of what was typed) */
	common = strlen(words[0]);
	for (int i = 1; words[i] != NULL; i++) {
		size_t k = 0;
		while (k < common && words[i][k] != '\0' &&
		       tolower((unsigned char)words[i][k]) == tolower((unsigned char)words[0][k]))
			k++;
		common = k;
	}
	if (words[1] == NULL || common > cur - start) {
		char *ins = strndup(words[0], common);
		el_deletestr(el, (int)(cur - start));
		el_insertstr(el, ins);
		if (words[1] == NULL) {
			/* a whole word: close the string it is in ('prop'), or
			 * go on to the next word (a directory goes on itself) */
			char last = common > 0 ? words[0][common - 1] : ' ';
			if (start > 0 && line[start - 1] == '\'')
				el_insertstr(el, "'");
			else if (last != '/')
				el_insertstr(el, " ");
		}
		free(ins);
	} else {
		input_list(sh->in, words);
		rc = CC_REDISPLAY;
	}
done:
	sl_cli_complete_free(words);
	free(line);
	return rc;
}

sl_cli_input_t *
sl_cli_input_open(sl_shell_t *sh)
{
	sl_cli_input_t *in = calloc(1, sizeof(*in));
	struct sigaction sa;
	HistEvent ev;

	if (in == NULL)
		abort();
	in->sh = sh;
	in->prompt = "";
	sh->in = in;
	in->hist = history_init();
	history(in->hist, &ev, H_SETSIZE, INPUT_HISTORY_SIZE);
	history(in->hist, &ev, H_SETUNIQUE, 1);
	if (sh->history != NULL)
		history(in->hist, &ev, H_LOAD, sh->history);

	in->el = el_init("sluice", stdin, stdout, stderr);
	el_set(in->el, EL_CLIENTDATA, sh);
	el_set(in->el, EL_SIGNAL, 0);
	el_set(in->el, EL_EDITOR, "emacs");
	el_set(in->el, EL_HIST, history, in->hist);
	el_set(in->el, EL_PROMPT, input_prompt);
	el_set(in->el, EL_GETCFN, input_getc);
	/* the wide calls keep these (static) names; the narrow ones would
	 * copy them and never free the copies */
	el_wset(in->el, EL_ADDFN, L"sl-complete", L"complete a keyword or name", input_complete);
	el_wset(in->el, EL_ADDFN, L"sl-cancel", L"drop the input", input_cancel);
	el_source(in->el, NULL); /* ~/.editrc, as other libedit programs */
	el_set(in->el, EL_BIND, "^I", "sl-complete", NULL);
	el_set(in->el, EL_BIND, "^C", "sl-cancel", NULL);
	el_set(in->el, EL_BIND, "^R", "em-inc-search-prev", NULL);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigwinch;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, NULL);
	return in;
}

char *
sl_cli_input_line(sl_cli_input_t *in, const char *prompt, bool *cancelled)
{
	const char *line;
	int count = 0;
	char *out;
	size_t n;

	in->prompt = prompt;
	in->cancelled = false;
	sl_shell_interrupted(); /* a Ctrl-C pressed while a statement ran */
	line = el_gets(in->el, &count);
	*cancelled = in->cancelled;
	if (in->cancelled) {
		fputs("^C\n", stdout); /* libedit left the cursor after the dropped text */
		fflush(stdout);
	}
	if (line == NULL || count <= 0)
		return in->cancelled ? strdup("") : NULL;
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	out = strndup(line, n);
	if (out == NULL)
		abort();
	return out;
}

void
sl_cli_input_remember(sl_cli_input_t *in, const char *entry)
{
	sl_strbuf_t sb;
	HistEvent ev;
	bool comment = strstr(entry, "--") != NULL;

	/* one history line per statement: a line break and the indent after
	 * it become one blank, unless a -- comment needs its line to end */
	sl_strbuf_init(&sb);
	for (const char *p = entry; *p != '\0'; p++) {
		if (*p == '\n' && !comment) {
			while (p[1] == ' ' || p[1] == '\t')
				p++;
			sl_strbuf_putc(&sb, ' ');
		} else {
			sl_strbuf_putc(&sb, *p);
		}
	}
	while (sb.len > 0 && isspace((unsigned char)sb.data[sb.len - 1]))
		sb.data[--sb.len] = '\0';
	if (sb.len > 0) {
		history(in->hist, &ev, H_ENTER, sb.data);
		if (in->sh->history != NULL)
			history(in->hist, &ev, H_SAVE, in->sh->history);
	}
	sl_strbuf_free(&sb);
}

int
sl_cli_input_width(sl_cli_input_t *in)
{
	struct winsize ws;

	(void)in;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

void
sl_cli_input_close(sl_cli_input_t *in)
{
	if (in == NULL)
		return;
	el_end(in->el);
	history_end(in->hist);
	free(in);
}
