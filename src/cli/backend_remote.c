/*
 * backend_remote.c: the shell talking to a server over HTTP (see
 * backend.h).
 *
 * Stage: cli.  Speaks ksqlDB's REST API with libcurl, as ksqlDB's own CLI
 * does:
 *
 *   POST /ksql          {"ksql", "streamsProperties", "sessionVariables"}
 *                       -> a JSON array of entities, or an error object
 *   POST /query-stream  {"sql", "properties", "sessionVariables"}, delimited:
 *                       a metadata line, then one JSON array per row (an
 *                       error object on a line of its own ends it)
 *   POST /close-query   {"queryId"}: Ctrl-C on a push query
 *   GET  /info          checked when connecting; the banner shows it
 *
 * The server keeps no session between requests, so the session lives
 * here, as in ksqlDB's CLI: SET and UNSET change the properties sent with
 * every request, DEFINE and UNDEFINE the variables; they answer with the
 * same status entities the engine gives, so the output does not change
 * with the mode.  A query streams on a multi handle of its own, polled
 * together with the interrupt descriptor.
 */
#include "cli/backend.h"

#include <curl/curl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/parser.h"

#define REM_CT_DELIMITED "application/vnd.ksqlapi.delimited.v1"

typedef struct rem_backend {
	sl_backend_t base;
	char *url;  /* no trailing '/' */
	char *user; /* "user:password" or NULL */
	CURL *easy; /* requests that are not queries (kept alive) */
	sl_props_t props;
	sl_props_t vars;
	char *info; /* what GET /info said, for the banner */
} rem_backend_t;

typedef struct rem_query {
	sl_cli_query_t base;
	CURLM *multi;
	CURL *easy;
	struct curl_slist *headers;
	char *body;     /* the request body, alive during the transfer */
	sl_strbuf_t in; /* received and not yet consumed */
	size_t used;
	bool header_seen;
	bool done; /* the transfer ended */
	bool failed;
	CURLcode cc;
} rem_query_t;

static size_t
rem_collect(char *data, size_t size, size_t n, void *ctx)
{
	sl_strbuf_append(ctx, data, size * n);
	return size * n;
}

/* Common settings of an easy handle: where, who, what it sends. */
static struct curl_slist *
rem_setup(rem_backend_t *b, CURL *easy, const char *path, const char *body, const char *accept,
	  sl_strbuf_t *sink)
{
	char url[4096];
	struct curl_slist *h = NULL;

	snprintf(url, sizeof(url), "%s%s", b->url, path);
	curl_easy_reset(easy);
	curl_easy_setopt(easy, CURLOPT_URL, url);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, rem_collect);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, sink);
	if (b->user != NULL) {
		curl_easy_setopt(easy, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(easy, CURLOPT_USERPWD, b->user);
	}
	if (body != NULL) {
		curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body);
		h = curl_slist_append(h, "Content-Type: application/json");
	}
	if (accept != NULL) {
		char line[256];
		snprintf(line, sizeof(line), "Accept: %s", accept);
		h = curl_slist_append(h, line);
	}
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, h);
	return h;
}

/* One request on the backend's own handle; the answer in resp. */
static int
rem_request(rem_backend_t *b, const char *path, const char *body, sl_strbuf_t *resp, long *status,
	    sl_error_t *err)
{
	struct curl_slist *h = rem_setup(b, b->easy, path, body, "application/json", resp);
	CURLcode cc = curl_easy_perform(b->easy);

	curl_slist_free_all(h);
	if (cc != CURLE_OK)
		return sl_error_set(err, SL_EIO, "cannot reach the server at %s: %s", b->url,
				    curl_easy_strerror(cc));
	curl_easy_getinfo(b->easy, CURLINFO_RESPONSE_CODE, status);
	return SL_OK;
}

/* err from an error answer: ksqlDB's {"message": ...} when it is one. */
static int
rem_http_error(long status, const char *body, sl_error_t *err)
{
	cJSON *j = cJSON_Parse(body);
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(j, "message");
	int code = status == 404 ? SL_ENOTFOUND : status >= 500 ? SL_ERR : SL_EINVAL;

	if (cJSON_IsString(msg))
		sl_cli_error_from_message(err, code, msg->valuestring);
	else
		sl_error_set(err, code, "the server answered HTTP %ld: %.200s", status, body);
	cJSON_Delete(j);
	return code;
}

static void
rem_add_props(cJSON *body, const char *name, const sl_props_t *p)
{
	cJSON *o = cJSON_AddObjectToObject(body, name);

	for (int i = 0; i < p->n; i++)
		cJSON_AddStringToObject(o, p->items[i].key, p->items[i].value);
}

/* The body of a /ksql or /query-stream request (malloc'd). */
static char *
rem_body(rem_backend_t *b, const char *sql_field, const char *sql, size_t len,
	 const char *props_field)
{
	cJSON *body = cJSON_CreateObject();
	char *text = strndup(sql, len), *out;

	if (text == NULL)
		abort();
	cJSON_AddStringToObject(body, sql_field, text);
	rem_add_props(body, props_field, &b->props);
	rem_add_props(body, "sessionVariables", &b->vars);
	out = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	free(text);
	if (out == NULL)
		abort();
	return out;
}

/*
 * SET, UNSET, DEFINE and UNDEFINE are the client's: they change what is
 * sent with the next requests.  Returns 1 when node was one of them (the
 * status entity appended, or err set), 0 otherwise.
 */
static int
rem_session_statement(rem_backend_t *b, const sl_node_t *n, const char *sql, size_t len,
		      cJSON *results, sl_error_t *err, int *rc)
{
	/* worded as the engine words them */
	bool prop = n->kind == SL_N_SET || n->kind == SL_N_UNSET;
	sl_props_t *p = prop ? &b->props : &b->vars;
	char msg[1024];

	*rc = SL_OK;
	switch (n->kind) {
	case SL_N_SET:
	case SL_N_DEFINE:
		sl_props_set(p, n->str, n->str2);
		if (prop)
			snprintf(msg, sizeof(msg), "property '%s' set to '%s'", n->str, n->str2);
		else
			snprintf(msg, sizeof(msg), "variable %s defined", n->str);
		break;
	case SL_N_UNSET:
	case SL_N_UNDEFINE:
		if (!sl_props_unset(p, n->str)) {
			*rc = sl_error_at(err, SL_ENOTFOUND, n->str_loc,
					  prop ? "property '%s' is not set" :
						 "variable %s is not defined",
					  n->str);
			sl_error_locate(err, sql, len);
			err->offset = -1;
			return 1;
		}
		snprintf(msg, sizeof(msg), prop ? "property '%s' unset" : "variable %s undefined",
			 n->str);
		break;
	default:
		return 0;
	}
	cJSON_AddItemToArray(results, sl_cli_status_entity(sql, len, msg));
	return 1;
}

static int
rem_execute(sl_backend_t *base, const char *sql, size_t len, cJSON *results, sl_error_t *err)
{
	rem_backend_t *b = (rem_backend_t *)base;
	sl_arena_t a;
	sl_node_t *node = NULL;
	sl_strbuf_t resp;
	long status = 0;
	char *body;
	int rc;

	sl_arena_init(&a, 0);
	if (sl_parse_one(sql, len, &a, &node, err) == SL_OK &&
	    rem_session_statement(b, node, sql, len, results, err, &rc)) {
		sl_arena_destroy(&a);
		return rc;
	}
	sl_arena_destroy(&a);
	sl_error_clear(err);

	sl_strbuf_init(&resp);
	body = rem_body(b, "ksql", sql, len, "streamsProperties");
	rc = rem_request(b, "/ksql", body, &resp, &status, err);
	free(body);
	if (rc == SL_OK) {
		cJSON *j = cJSON_Parse(resp.data != NULL ? resp.data : "");
		const cJSON *list =
			status == 200 ? j : cJSON_GetObjectItemCaseSensitive(j, "entities");
		const cJSON *it;
		cJSON_ArrayForEach(it, (cJSON_IsArray(list) ? list : NULL))
			cJSON_AddItemToArray(results, cJSON_Duplicate(it, true));
		if (status != 200)
			rc = rem_http_error(status, resp.data != NULL ? resp.data : "", err);
		else if (!cJSON_IsArray(j))
			rc = sl_error_set(err, SL_EIO, "the server's answer is not a JSON array");
		cJSON_Delete(j);
	}
	sl_strbuf_free(&resp);
	return rc;
}

/* ---- queries ---- */

/* Takes the metadata line {"queryId", "columnNames", "columnTypes"}. */
static int
rem_query_header(rem_query_t *q, const char *line, size_t n)
{
	cJSON *j = cJSON_ParseWithLength(line, n);
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "queryId");
	const cJSON *names = cJSON_GetObjectItemCaseSensitive(j, "columnNames");
	const cJSON *types = cJSON_GetObjectItemCaseSensitive(j, "columnTypes");
	int ncols = cJSON_GetArraySize(names);
	const char **nv = calloc((size_t)ncols + 1, sizeof(*nv));
	const char **tv = calloc((size_t)ncols + 1, sizeof(*tv));
	int rc = SL_OK;

	if (nv == NULL || tv == NULL)
		abort();
	if (!cJSON_IsArray(names)) {
		rc = sl_error_set(&q->base.err, SL_EIO, "the server sent no query metadata");
		goto done;
	}
	for (int i = 0; i < ncols; i++) {
		const cJSON *nm = cJSON_GetArrayItem(names, i);
		const cJSON *ty = cJSON_GetArrayItem(types, i);
		nv[i] = cJSON_IsString(nm) ? nm->valuestring : "?";
		tv[i] = cJSON_IsString(ty) ? ty->valuestring : "STRING";
	}
	sl_cli_query_set_columns(&q->base, cJSON_IsString(id) ? id->valuestring : "", ncols, nv,
				 tv);
done:
	free(nv);
	free(tv);
	cJSON_Delete(j);
	return rc;
}

/* Hands on the complete lines received: the header, rows, an error.
 * Without fn (while opening) it stops after the header. */
static void
rem_query_lines(rem_query_t *q, sl_cli_row_fn fn, void *ctx)
{
	while (!q->failed && q->used < q->in.len && (fn != NULL || !q->header_seen)) {
		const char *line = q->in.data + q->used;
		const char *nl = memchr(line, '\n', q->in.len - q->used);
		size_t n;

		if (nl == NULL)
			break;
		n = (size_t)(nl - line);
		q->used += n + 1;
		while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' '))
			n--;
		if (n == 0)
			continue;
		if (!q->header_seen) {
			q->header_seen = true;
			if (rem_query_header(q, line, n) != SL_OK)
				q->failed = true;
		} else if (line[0] == '[') {
			fn(ctx, line, n);
		} else {
			char *text = strndup(line, n);
			rem_http_error(500, text, &q->base.err);
			free(text);
			q->failed = true;
		}
	}
}

/* Runs the transfer for up to timeout_ms (until the interrupt descriptor
 * is readable).  Returns false when the user interrupted. */
static bool
rem_query_pump(rem_query_t *q, int timeout_ms)
{
	rem_backend_t *b = (rem_backend_t *)q->base.b;
	struct curl_waitfd extra = { .fd = b->base.intr_fd, .events = CURL_WAIT_POLLIN };
	int running = 0, nfds = 0;
	CURLMsg *m;

	curl_multi_perform(q->multi, &running);
	if (running > 0) {
		curl_multi_poll(q->multi, b->base.intr_fd >= 0 ? &extra : NULL,
				b->base.intr_fd >= 0 ? 1 : 0, timeout_ms, &nfds);
		curl_multi_perform(q->multi, &running);
	}
	while ((m = curl_multi_info_read(q->multi, &nfds)) != NULL)
		if (m->msg == CURLMSG_DONE) {
			q->done = true;
			q->cc = m->data.result;
			/* a last line without its newline is still a line */
			if (q->in.len > 0 && q->in.data[q->in.len - 1] != '\n')
				sl_strbuf_putc(&q->in, '\n');
		}
	if (b->base.intr_fd >= 0) {
		struct pollfd p = { .fd = b->base.intr_fd, .events = POLLIN };
		if (poll(&p, 1, 0) > 0)
			return false;
	}
	return true;
}

/* The transfer ended: an error answer, a broken connection, or the end. */
static sl_cli_qstate_t
rem_query_end(rem_query_t *q)
{
	long status = 0;

	if (q->failed)
		return SL_CLI_Q_FAILED;
	if (q->cc != CURLE_OK) {
		sl_error_set(&q->base.err, SL_EIO, "the query's connection broke: %s",
			     curl_easy_strerror(q->cc));
		q->failed = true;
		return SL_CLI_Q_FAILED;
	}
	curl_easy_getinfo(q->easy, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		rem_http_error(status, q->in.data != NULL ? q->in.data : "", &q->base.err);
		q->failed = true;
		return SL_CLI_Q_FAILED;
	}
	return SL_CLI_Q_ENDED;
}

static void rem_query_close(sl_cli_query_t *base);

static int
rem_query_open(sl_backend_t *base, const char *sql, size_t len, sl_cli_query_t **out,
	       sl_error_t *err)
{
	rem_backend_t *b = (rem_backend_t *)base;
	rem_query_t *q = calloc(1, sizeof(*q));

	if (q == NULL)
		abort();
	q->base.b = base;
	sl_strbuf_init(&q->in);
	q->multi = curl_multi_init();
	q->easy = curl_easy_init();
	if (q->multi == NULL || q->easy == NULL)
		abort();
	q->body = rem_body(b, "sql", sql, len, "properties");
	q->headers = rem_setup(b, q->easy, "/query-stream", q->body, REM_CT_DELIMITED, &q->in);
	curl_multi_add_handle(q->multi, q->easy);

	/* wait for the metadata line (or the error that replaces it) */
	while (!q->header_seen && !q->done) {
		if (!rem_query_pump(q, 1000)) {
			rem_query_close(&q->base);
			return sl_error_set(err, SL_ERR, "cancelled");
		}
		long status = 0;
		curl_easy_getinfo(q->easy, CURLINFO_RESPONSE_CODE, &status);
		if (status == 200)
			rem_query_lines(q, NULL, NULL);
	}
	if (!q->header_seen || q->failed) {
		if (rem_query_end(q) == SL_CLI_Q_ENDED)
			sl_error_set(&q->base.err, SL_EIO, "the server sent no query metadata");
		*err = q->base.err;
		rem_query_close(&q->base);
		return err->code != SL_OK ? err->code : SL_ERR;
	}
	*out = &q->base;
	return SL_OK;
}

static sl_cli_qstate_t
rem_query_poll(sl_cli_query_t *base, int timeout_ms, sl_cli_row_fn fn, void *ctx)
{
	rem_query_t *q = (rem_query_t *)base;
	size_t before = q->used;

	rem_query_lines(q, fn, ctx);
	if (!q->done && !q->failed && q->used == before)
		rem_query_pump(q, timeout_ms);
	rem_query_lines(q, fn, ctx);
	if (q->failed)
		return SL_CLI_Q_FAILED;
	if (q->done && q->used >= q->in.len)
		return rem_query_end(q);
	return SL_CLI_Q_RUNNING;
}

static void
rem_query_close(sl_cli_query_t *base)
{
	rem_query_t *q = (rem_query_t *)base;
	rem_backend_t *b;

	if (q == NULL)
		return;
	b = (rem_backend_t *)q->base.b;
	if (!q->done && q->base.id != NULL && q->base.id[0] != '\0') {
		cJSON *j = cJSON_CreateObject();
		char *body;
		sl_strbuf_t resp;
		sl_error_t err;
		long status;

		cJSON_AddStringToObject(j, "queryId", q->base.id);
		body = cJSON_PrintUnformatted(j);
		sl_strbuf_init(&resp);
		rem_request(b, "/close-query", body, &resp, &status, &err);
		sl_strbuf_free(&resp);
		cJSON_free(body);
		cJSON_Delete(j);
	}
	curl_multi_remove_handle(q->multi, q->easy);
	curl_easy_cleanup(q->easy);
	curl_multi_cleanup(q->multi);
	curl_slist_free_all(q->headers);
	free(q->body);
	sl_strbuf_free(&q->in);
	sl_cli_query_clear(&q->base);
	free(q);
}

static void
rem_describe(sl_backend_t *base, sl_strbuf_t *out)
{
	rem_backend_t *b = (rem_backend_t *)base;

	sl_strbuf_printf(out, "Server: %s (%s)", b->url, b->info);
}

static const sl_backend_ops_t rem_ops;

static rem_backend_t *
rem_new(const char *url, const char *user, int intr_fd)
{
	rem_backend_t *b = calloc(1, sizeof(*b));
	size_t n = strlen(url);

	if (b == NULL)
		abort();
	while (n > 0 && url[n - 1] == '/')
		n--;
	b->base.ops = &rem_ops;
	b->base.intr_fd = intr_fd;
	b->url = strndup(url, n);
	b->user = user != NULL ? strdup(user) : NULL;
	b->easy = curl_easy_init();
	if (b->url == NULL || b->easy == NULL)
		abort();
	sl_props_init(&b->props);
	sl_props_init(&b->vars);
	return b;
}

static void
rem_destroy(sl_backend_t *base)
{
	rem_backend_t *b = (rem_backend_t *)base;

	if (b == NULL)
		return;
	curl_easy_cleanup(b->easy);
	sl_props_free(&b->props);
	sl_props_free(&b->vars);
	free(b->url);
	free(b->user);
	free(b->info);
	free(b);
}

static sl_backend_t *
rem_clone(sl_backend_t *base)
{
	rem_backend_t *b = (rem_backend_t *)base;
	rem_backend_t *c = rem_new(b->url, b->user, -1);

	sl_props_merge(&c->props, &b->props);
	sl_props_merge(&c->vars, &b->vars);
	c->info = strdup(b->info != NULL ? b->info : "");
	return &c->base;
}

static const sl_backend_ops_t rem_ops = {
	.execute = rem_execute,
	.query_open = rem_query_open,
	.query_poll = rem_query_poll,
	.query_close = rem_query_close,
	.describe = rem_describe,
	.clone = rem_clone,
	.destroy = rem_destroy,
};

/* "sluice 0.1.0, Kafka cluster ID" from GET /info's answer. */
static char *
rem_info_text(const char *body)
{
	cJSON *j = cJSON_Parse(body);
	const cJSON *info = cJSON_GetObjectItemCaseSensitive(j, "KsqlServerInfo");
	const cJSON *ver = cJSON_GetObjectItemCaseSensitive(info, "version");
	const cJSON *kafka = cJSON_GetObjectItemCaseSensitive(info, "kafkaClusterId");
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(info, "serverStatus");
	sl_strbuf_t sb;

	sl_strbuf_init(&sb);
	sl_strbuf_printf(&sb, "version %s", cJSON_IsString(ver) ? ver->valuestring : "unknown");
	if (cJSON_IsString(kafka))
		sl_strbuf_printf(&sb, ", Kafka cluster %s", kafka->valuestring);
	if (cJSON_IsString(status))
		sl_strbuf_printf(&sb, ", %s", status->valuestring);
	cJSON_Delete(j);
	return sl_strbuf_steal(&sb);
}

int
sl_backend_remote_create(const sl_backend_remote_config_t *cfg, sl_backend_t **out, sl_error_t *err)
{
	rem_backend_t *b;
	sl_strbuf_t resp;
	long status = 0;
	int rc;

	if (strncmp(cfg->url, "http://", 7) != 0 && strncmp(cfg->url, "https://", 8) != 0)
		return sl_error_set(err, SL_EINVAL,
				    "server address \"%s\" must start with http:// or https://",
				    cfg->url);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	b = rem_new(cfg->url, cfg->user, cfg->intr_fd);
	sl_strbuf_init(&resp);
	rc = rem_request(b, "/info", NULL, &resp, &status, err);
	if (rc == SL_OK && status != 200) {
		if (status == 401)
			rc = sl_error_set(err, SL_EINVAL,
					  "the server at %s wants a user and password "
					  "(--user USER:PASSWORD)",
					  b->url);
		else
			rc = rem_http_error(status, resp.data != NULL ? resp.data : "", err);
	}
	if (rc != SL_OK) {
		sl_strbuf_free(&resp);
		rem_destroy(&b->base);
		return rc;
	}
	b->info = rem_info_text(resp.data != NULL ? resp.data : "");
	sl_strbuf_free(&resp);
	*out = &b->base;
	return SL_OK;
}
