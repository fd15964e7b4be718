/*
 * sluiced.c: main() of the sluice server.
 *
 * Reads the configuration (--config FILE, --set key=value, and the
 * shortcuts --bootstrap-servers, --state-dir, --listen, --password-file,
 * --tls-cert, --tls-key), starts the engine (which connects to Kafka or
 * starts the embedded one and resumes every persistent query of the state
 * directory), runs --queries-file once like ksqlDB's headless mode, starts
 * the HTTP API (src/http) on the "listeners" address, then runs until
 * SIGTERM or SIGINT and shuts down cleanly: the HTTP API first (push
 * queries end), then the engine, committing what each query has processed.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/engine.h"
#include "http/http.h"
#include "parse/errfmt.h"
#include "util/props.h"
#include "bin/malloc_tune.h"

static volatile sig_atomic_t stop_requested;

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: sluiced [options]\n"
		"  --config FILE            read server properties from FILE (key=value lines)\n"
		"  --set KEY=VALUE          set one property (repeatable; wins over --config)\n"
		"  --bootstrap-servers B    Kafka to use (default: start the embedded Kafka)\n"
		"  --state-dir DIR          where the catalog and query state live\n"
		"                           (default: ./sluice-state; with the embedded\n"
		"                           Kafka a temporary directory removed on exit)\n"
		"  --queries-file FILE      run the statements of FILE at start-up\n"
		"  --listen ADDR:PORT       address of the HTTP API (default 127.0.0.1:8088;\n"
		"                           also http://ADDR:PORT; port 0: any free port)\n"
		"  --password-file FILE     require HTTP basic authentication with the users\n"
		"                           of FILE (user:password lines)\n"
		"  --tls-cert FILE          serve HTTPS with this PEM certificate ...\n"
		"  --tls-key FILE           ... and this PEM private key\n"
		"  --help                   this text\n");
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (n + 4096 > cap) {
			cap = cap ? cap * 2 : 8192;
			char *nb = realloc(buf, cap);
			if (nb == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		if (got == 0)
			break;
		n += got;
	}
	fclose(f);
	if (buf == NULL)
		buf = calloc(1, 1);
	else
		buf[n] = '\0';
	*len = n;
	return buf;
}

/* Removes the temporary state directory (flat: catalog and query files). */
static void
remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[8192];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/* One line per result of the queries file: the status message, or the
 * names that SHOW STREAMS / TABLES / QUERIES list. */
static void
print_entity(const char *path, const cJSON *e)
{
	const cJSON *st = cJSON_GetObjectItem(e, "commandStatus");
	const cJSON *msg = st ? cJSON_GetObjectItem(st, "message") : NULL;
	const char *lists[][3] = {
		{"streams", "name", "topic"}, {"tables", "name", "topic"}, {"queries", "id", "state"},
	};

	if (cJSON_IsString(msg)) {
		printf("sluiced: %s: %s\n", path, msg->valuestring);
		return;
	}
	for (size_t k = 0; k < sizeof(lists) / sizeof(lists[0]); k++) {
		const cJSON *arr = cJSON_GetObjectItem(e, lists[k][0]), *it;
		if (!cJSON_IsArray(arr))
			continue;
		printf("sluiced: %s: %s:", path, lists[k][0]);
		cJSON_ArrayForEach(it, arr) {
			const cJSON *a = cJSON_GetObjectItem(it, lists[k][1]);
			const cJSON *b = cJSON_GetObjectItem(it, lists[k][2]);
			printf(" %s (%s)", cJSON_IsString(a) ? a->valuestring : "?",
			       cJSON_IsString(b) ? b->valuestring : "?");
		}
		printf("\n");
	}
}

static int
run_queries_file(sl_engine_t *eng, const char *path)
{
	size_t len;
	char *text = read_file(path, &len);
	sl_session_t *s;
	sl_exec_error_t e;
	cJSON *results;
	int rc;

	if (text == NULL) {
		fprintf(stderr, "sluiced: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	s = sl_session_create(eng);
	results = cJSON_CreateArray();
	sl_exec_error_init(&e);
	rc = sl_engine_execute(eng, s, text, len, results, &e);
	for (int i = 0; i < cJSON_GetArraySize(results); i++)
		print_entity(path, cJSON_GetArrayItem(results, i));
	if (rc != 0) {
		sl_strbuf_t sb;
		sl_strbuf_init(&sb);
		sl_errfmt_caret(&sb, text, len, &e.err);
		fprintf(stderr, "sluiced: %s:\n%s", path, sb.data);
		sl_strbuf_free(&sb);
	}
	sl_exec_error_clear(&e);
	cJSON_Delete(results);
	sl_session_destroy(s);
	free(text);
	return rc;
}

/* Binds the HTTP API's address ("listeners", --listen) and loads its
 * password and TLS files: before the engine starts, so that a port in use
 * or a missing file fails at once. */
static int
create_http(const sl_props_t *props, sl_http_t **out)
{
	const char *listeners = sl_props_get_or(props, "listeners", "http://127.0.0.1:8088");
	char host[256];
	int port, https;
	sl_error_t err;
	sl_http_config_t cfg = {
		.password_file = sl_props_get(props, "sluice.http.password.file"),
		.tls_cert = sl_props_get(props, "sluice.http.tls.cert"),
		.tls_key = sl_props_get(props, "sluice.http.tls.key"),
		.max_body = (size_t)sl_props_get_int(props, "sluice.http.max.body.bytes", 0),
		.threads = (int)sl_props_get_int(props, "sluice.http.threads", 0),
		.max_connections = (int)sl_props_get_int(props, "sluice.http.max.connections", 0),
		.heartbeat_ms = (int)sl_props_get_int(props, "sluice.http.heartbeat.ms", 0),
	};

	if (sl_http_parse_listener(listeners, host, sizeof(host), &port, &https, &err) != SL_OK) {
		fprintf(stderr, "sluiced: %s\n", err.msg);
		return -1;
	}
	if (https && cfg.tls_cert == NULL) {
		fprintf(stderr, "sluiced: listener %s is https: give --tls-cert and --tls-key\n",
			listeners);
		return -1;
	}
	cfg.listen = host;
	cfg.port = port;
	if (sl_http_create(&cfg, out, &err) != SL_OK) {
		fprintf(stderr, "sluiced: %s\n", err.msg);
		return -1;
	}
	return 0;
}

/* Serves the HTTP API (bound by create_http) and says where. */
static int
serve_http(sl_http_t *http, sl_engine_t *eng, const sl_props_t *props)
{
	const char *listeners = sl_props_get_or(props, "listeners", "http://127.0.0.1:8088");
	char host[256];
	int port, https;
	sl_error_t err;

	if (sl_http_serve(http, eng, &err) != SL_OK) {
		fprintf(stderr, "sluiced: %s\n", err.msg);
		return -1;
	}
	sl_http_parse_listener(listeners, host, sizeof(host), &port, &https, &err);
	fprintf(stderr, "sluiced: HTTP API on %s://%s%s%s:%d%s\n",
		sl_props_get(props, "sluice.http.tls.cert") ? "https" : "http",
		strchr(host, ':') ? "[" : "", host, strchr(host, ':') ? "]" : "",
		sl_http_port(http),
		sl_props_get(props, "sluice.http.password.file") ? " (basic authentication)" : "");
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"set", required_argument, NULL, 's'},
		{"bootstrap-servers", required_argument, NULL, 'b'},
		{"state-dir", required_argument, NULL, 'd'},
		{"queries-file", required_argument, NULL, 'q'},
		{"listen", required_argument, NULL, 'l'},
		{"password-file", required_argument, NULL, 'P'},
		{"tls-cert", required_argument, NULL, 'C'},
		{"tls-key", required_argument, NULL, 'K'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	sl_props_t props, sets;
	const char *queries_file = NULL, *config = NULL;
	char tmp_state[4096] = "";
	sl_engine_t *eng = NULL;
	sl_http_t *http = NULL;
	sl_error_t err;
	int opt, status = 0;

	sl_malloc_tune();
	sl_props_init(&props);
	sl_props_init(&sets);
	while ((opt = getopt_long(argc, argv, "c:s:b:d:q:l:P:C:K:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			break;
		case 's':
			if (sl_props_parse_assignment(&sets, optarg, &err) != SL_OK) {
				fprintf(stderr, "sluiced: --set %s: %s\n", optarg, err.msg);
				return 2;
			}
			break;
		case 'b':
			sl_props_set(&sets, "bootstrap.servers", optarg);
			break;
		case 'd':
			sl_props_set(&sets, "state.dir", optarg);
			break;
		case 'q':
			queries_file = optarg;
			break;
		case 'l':
			sl_props_set(&sets, "listeners", optarg);
			break;
		case 'P':
			sl_props_set(&sets, "sluice.http.password.file", optarg);
			break;
		case 'C':
			sl_props_set(&sets, "sluice.http.tls.cert", optarg);
			break;
		case 'K':
			sl_props_set(&sets, "sluice.http.tls.key", optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "sluiced: unexpected argument \"%s\"\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (config != NULL && sl_props_load_file(&props, config, &err) != SL_OK) {
		fprintf(stderr, "sluiced: %s\n", err.msg);
		return 2;
	}
	sl_props_merge(&props, &sets);
	if (sl_props_get(&props, "state.dir") == NULL) {
		if (sl_props_get(&props, "bootstrap.servers") == NULL &&
		    sl_props_get(&props, "kafka.bootstrap.servers") == NULL) {
			/* the embedded Kafka forgets everything on exit: so does a
			 * temporary state directory, so that a restart is clean */
			snprintf(tmp_state, sizeof(tmp_state), "%s/sluiced-XXXXXX",
				 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
			if (mkdtemp(tmp_state) == NULL) {
				fprintf(stderr, "sluiced: cannot create %s: %s\n", tmp_state,
					strerror(errno));
				return 1;
			}
			sl_props_set(&props, "state.dir", tmp_state);
		} else {
			sl_props_set(&props, "state.dir", "sluice-state");
		}
	}

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (create_http(&props, &http) != 0) {
		if (tmp_state[0] != '\0')
			remove_tree(tmp_state);
		sl_props_free(&props);
		sl_props_free(&sets);
		return 1;
	}
	sl_engine_config_t cfg = {.props = &props};
	if (sl_engine_create(&cfg, &eng, &err) != SL_OK) {
		fprintf(stderr, "sluiced: %s\n", err.msg);
		sl_http_stop(http);
		sl_props_free(&props);
		sl_props_free(&sets);
		return 1;
	}
	if (sl_engine_embedded_kafka(eng))
		printf("sluiced: started the embedded Kafka (in memory, a playground: its data "
		       "is lost on exit) at %s\n", sl_engine_bootstrap(eng));
	else
		printf("sluiced: using Kafka at %s\n", sl_engine_bootstrap(eng));
	printf("sluiced: state in %s\n", sl_props_get(&props, "state.dir"));
	fflush(stdout);
	if (queries_file != NULL && run_queries_file(eng, queries_file) != 0)
		status = 1;
	if (status == 0 && serve_http(http, eng, &props) != 0)
		status = 1;
	if (status == 0) {
		printf("sluiced: running; stop with SIGTERM or Ctrl-C\n");
		fflush(stdout);
		while (!stop_requested)
			usleep(200 * 1000); /* a signal ends the sleep early */
		printf("sluiced: shutting down\n");
	}
	sl_http_stop(http);
	sl_engine_destroy(eng);
	if (tmp_state[0] != '\0')
		remove_tree(tmp_state);
	sl_props_free(&props);
	sl_props_free(&sets);
	return status;
}
