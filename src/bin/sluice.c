/*
 * sluice.c: main() of the shell.
 *
 * Reads the options, then connects the shell (src/cli) to its backend: a
 * server given as http://HOST:PORT (its HTTP API, over libcurl), or,
 * without one, an in-process engine on the embedded Kafka (or on
 * --bootstrap-servers).  Then it runs -v definitions, the --demo example,
 * and either the -f files and -c statements in the order given, or the
 * standard input: the REPL on a terminal (with a banner), a script
 * otherwise.  Exit status: 0, 1 when a statement failed, 2 when the shell
 * could not start (bad options, no server, no Kafka).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/demo.h"
#include "cli/shell.h"
#include "util/props.h"
#include "bin/malloc_tune.h"

#ifndef SL_EXAMPLES_SRCDIR
#define SL_EXAMPLES_SRCDIR "examples"
#endif
#ifndef SL_EXAMPLES_DATADIR
#define SL_EXAMPLES_DATADIR "examples"
#endif

/* How many events a second the demo generator writes by default. */
#define DEMO_RATE 2.0
/* How many events a counted demo writes in test mode by default. */
#define DEMO_EVENTS 100

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: sluice [options] [http://HOST:PORT]\n"
		"\n"
		"With a server address, the shell uses that server's HTTP API; without one, it\n"
		"runs an engine in this process on an embedded, in-memory Kafka.\n"
		"\n"
		"  -f, --file FILE           run the statements of FILE, then exit (repeatable;\n"
		"                            - is the standard input)\n"
		"  -c, -e, --command SQL     run SQL (statements or \\commands), then exit\n"
		"                            (repeatable; -f and -c run in the order given)\n"
		"      --output FORMAT       table (default), csv or json\n"
		"  -v, --define NAME=VALUE   define a variable, as DEFINE (repeatable)\n"
		"      --continue-on-error   go on after a statement fails (the exit status is\n"
		"                            still 1)\n"
		"  -a, --echo-all            print each statement before its output\n"
		"  -q, --quiet               no banner\n"
		"      --history FILE        the history file (default ~/.sluice_history)\n"
		"  -u, --user USER:PASSWORD  basic authentication for the server\n"
		"      --demo NAME           load examples/NAME.sql and start its event\n"
		"                            generator (%s)\n"
		"      --demo-rate N         events a second the generator writes (default %.0f)\n"
		"      --demo-events N       write N events at once (the same every run)\n"
		"                            instead of starting the generator\n"
		"Embedded engine only:\n"
		"      --bootstrap-servers B use this Kafka instead of the embedded one\n"
		"      --state-dir DIR       keep the catalog and state here (default: memory)\n"
		"      --set KEY=VALUE       a server property (repeatable)\n"
		"      --test-mode           deterministic: persistent queries catch up before\n"
		"                            each statement, as under sluice-test\n"
		"\n"
		"  -h, --help                this text\n"
		"      --version             the version\n",
		sl_demo_names(), DEMO_RATE);
}

/* A -f or -c, in the order given. */
typedef struct script {
	bool is_file;
	const char *text;
} script_t;

enum {
	OPT_CONTINUE = 256,
	OPT_OUTPUT,
	OPT_HISTORY,
	OPT_DEMO,
	OPT_DEMO_RATE,
	OPT_DEMO_EVENTS,
	OPT_BOOTSTRAP,
	OPT_STATE_DIR,
	OPT_SET,
	OPT_TEST_MODE,
	OPT_VERSION,
};

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "command", required_argument, NULL, 'c' },
		{ "execute", required_argument, NULL, 'e' },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "define", required_argument, NULL, 'v' },
		{ "continue-on-error", no_argument, NULL, OPT_CONTINUE },
		{ "echo-all", no_argument, NULL, 'a' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "history", required_argument, NULL, OPT_HISTORY },
		{ "user", required_argument, NULL, 'u' },
		{ "demo", required_argument, NULL, OPT_DEMO },
		{ "demo-rate", required_argument, NULL, OPT_DEMO_RATE },
		{ "demo-events", required_argument, NULL, OPT_DEMO_EVENTS },
		{ "bootstrap-servers", required_argument, NULL, OPT_BOOTSTRAP },
		{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
		{ "set", required_argument, NULL, OPT_SET },
		{ "test-mode", no_argument, NULL, OPT_TEST_MODE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const example_dirs[] = { "examples", SL_EXAMPLES_SRCDIR,
						    SL_EXAMPLES_DATADIR, NULL };
	sl_shell_config_t cfg = { 0 };
	sl_props_t props, defines;
	script_t *scripts = calloc((size_t)argc + 1, sizeof(*scripts));
	int nscripts = 0, opt, status = 0;
	const char *user = NULL, *demo = NULL;
	double demo_rate = DEMO_RATE;
	int demo_events = -1;
	bool test_mode = false;
	sl_backend_t *b = NULL;
	sl_shell_t *sh = NULL;
	sl_demo_t *d = NULL;
	sl_strbuf_t hint;
	sl_error_t err;
	int intr;

	sl_malloc_tune();
	if (scripts == NULL)
		return 2;
	sl_props_init(&props);
	sl_props_init(&defines);
	sl_strbuf_init(&hint);
	while ((opt = getopt_long(argc, argv, "f:c:e:v:aqu:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
		case 'c':
		case 'e':
			scripts[nscripts].is_file = opt == 'f';
			scripts[nscripts++].text = optarg;
			break;
		case OPT_OUTPUT:
			if (!sl_cli_fmt_parse(optarg, &cfg.format)) {
				fprintf(stderr,
					"sluice: --output %s: expected table, csv or json\n",
					optarg);
				status = 2;
				goto done;
			}
			break;
		case 'v':
		case OPT_SET:
			if (sl_props_parse_assignment(opt == 'v' ? &defines : &props, optarg,
						      &err) != SL_OK) {
				fprintf(stderr, "sluice: %s %s: %s\n", opt == 'v' ? "-v" : "--set",
					optarg, err.msg);
				status = 2;
				goto done;
			}
			break;
		case OPT_CONTINUE:
			cfg.continue_on_error = true;
			break;
		case 'a':
			cfg.echo = true;
			break;
		case 'q':
			cfg.quiet = true;
			break;
		case OPT_HISTORY:
			cfg.history = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		case OPT_DEMO:
			demo = optarg;
			break;
		case OPT_DEMO_RATE:
			demo_rate = atof(optarg);
			break;
		case OPT_DEMO_EVENTS:
			demo_events = atoi(optarg);
			break;
		case OPT_BOOTSTRAP:
			sl_props_set(&props, "bootstrap.servers", optarg);
			break;
		case OPT_STATE_DIR:
			sl_props_set(&props, "state.dir", optarg);
			break;
		case OPT_TEST_MODE:
			test_mode = true;
			break;
		case 'h':
			usage(stdout);
			goto done;
		case OPT_VERSION:
			printf("sluice %s\n", PACKAGE_VERSION);
			goto done;
		default:
			usage(stderr);
			status = 2;
			goto done;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "sluice: one server address at most, not \"%s\"\n",
			argv[optind + 1]);
		status = 2;
		goto done;
	}

	intr = sl_shell_signals_init();
	if (optind < argc) {
		sl_backend_remote_config_t rc = { .url = argv[optind],
						  .user = user,
						  .intr_fd = intr };
		if (props.n > 0 || test_mode)
			fprintf(stderr, "sluice: --set, --bootstrap-servers, --state-dir and "
					"--test-mode are for the embedded engine; ignored\n");
		if (sl_backend_remote_create(&rc, &b, &err) != SL_OK) {
			fprintf(stderr, "sluice: %s\n", err.msg);
			status = 2;
			goto done;
		}
	} else {
		sl_backend_embedded_config_t ec = { .props = &props,
						    .test_mode = test_mode,
						    .intr_fd = intr };
		if (sl_backend_embedded_create(&ec, &b, &err) != SL_OK) {
			fprintf(stderr, "sluice: cannot start the engine: %s\n", err.msg);
			status = 2;
			goto done;
		}
	}

	cfg.interactive = nscripts == 0 && isatty(STDIN_FILENO);
	sh = sl_shell_create(b, &cfg);
	for (int i = 0; i < defines.n; i++)
		if (sl_shell_define(sh, defines.items[i].key, defines.items[i].value) != SL_OK) {
			status = 1;
			goto done;
		}
	if (demo != NULL) {
		if (sl_demo_load(sh, demo, example_dirs, &d, &hint) != SL_OK) {
			status = 1;
			goto done;
		}
		if (demo_events < 0 && test_mode)
			demo_events = DEMO_EVENTS;
		if (demo_events >= 0 ? sl_demo_generate(d, demo_events) != SL_OK :
				       sl_demo_start(d, demo_rate) != SL_OK) {
			status = 1;
			goto done;
		}
	}
	sl_shell_banner(sh, hint.len > 0 ? hint.data : NULL);
	for (int i = 0; i < nscripts && !sl_shell_quit(sh); i++) {
		int rc = scripts[i].is_file ?
				 sl_shell_run_file(sh, scripts[i].text) :
				 sl_shell_run_text(sh, scripts[i].text, strlen(scripts[i].text));
		if (rc != SL_OK && !cfg.continue_on_error)
			break;
	}
	if (nscripts == 0)
		sl_shell_run_stdin(sh);
	status = sl_shell_status(sh);

done:
	sl_demo_stop(d);
	if (sh != NULL)
		sl_shell_destroy(sh);
	else if (b != NULL)
		b->ops->destroy(b);
	sl_strbuf_free(&hint);
	sl_props_free(&props);
	sl_props_free(&defines);
	free(scripts);
	return status;
}
