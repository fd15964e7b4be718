/*
 * test_rest.c: ksqlDB's REST test cases through the HTTP server.
 *
 * Used by --qtt (test_qtt.c) for the files of rest-query-validation-tests
 * (../shared/qtt/README.md: the query-validation fields plus "responses",
 * "expectedError" and "inputConditions").  Takes one case expansion and
 * hands on a verdict and the first difference found.  The case runs as
 * ksqlDB's RestTestExecutor runs it, against sluice's own server started in
 * this process:
 *
 *   1. a fresh test-mode engine with the case's topics (test_case.c), the
 *      server properties of ksqlDB's test server (rest_server_props:
 *      ksql.streams.auto.offset.reset=earliest, table scans on, ...), and
 *      sl_http_start() on 127.0.0.1, on any free port;
 *   2. the admin statements, those before the first one that starts with
 *      "SELECT ", each POSTed to /ksql after the quiescence barrier, with
 *      the case's properties as streamsProperties; the entities answered
 *      are the admin responses.  An error ends the case, which passes when
 *      it is the expected error;
 *   3. the inputs produced, each followed by the barrier; with
 *      inputConditions.waitForActivePushQuery only once the header of the
 *      (only) query has arrived and a push query runs;
 *   4. each SELECT POSTed to /query with the same properties; the JSON
 *      array it streams (header, rows, final message) is one query
 *      response.  A response that does not end by itself (a push query
 *      without LIMIT) is closed once it holds as many elements as
 *      expected, or after a timeout.  Test mode runs the persistent
 *      queries (which feed push queries) only in the barrier, so while a
 *      query streams the barrier is applied every few milliseconds;
 *   5. the expected outputs read from their topics (test_case.c; records
 *      after the expected ones are not checked: RestTestExecutor reads
 *      only as many as it expects);
 *   6. the responses compared with the expected ones, by the rules of
 *      RestTestExecutor.verifyResponses ("compare" below).
 *
 * As in ksqlDB's runner, a case that expects an error passes when every
 * statement succeeds and it has no query (-v says so).
 *
 * libcurl's multi interface drives the requests, so that this thread can
 * apply the barrier and produce inputs while a query streams.
 */
#include "sluice_test.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/engine.h"
#include "http/http.h"

/* How long a statement may take (POST /ksql). */
#define REST_STATEMENT_MS 60000
/* How long a query's response may take to end by itself. */
#define REST_QUERY_MS 30000
/* How long a push query without LIMIT is read at most. */
#define REST_OPEN_MS 10000
/* How long to wait for more after a push query without LIMIT has given as
 * many elements as expected. */
#define REST_GRACE_MS 300
/* How long to wait for the push query to run (ksqlDB's
 * MAX_QUERY_RUNNING_CHECK), before producing the inputs anyway. */
#define REST_PUSH_WAIT_MS 45000
/* One barrier's limit, and the pause between two while a query streams. */
#define REST_QUIESCE_MS 30000
#define REST_TICK_MS 20

/* The server properties of ksqlDB's REST test server (TestKsqlRestApp's
 * base configuration and RestQueryTranslationTest's), those that mean
 * something to sluice or may one day. */
static const char *const rest_server_props[][2] = {
	{ "ksql.streams.auto.offset.reset", "earliest" },
	{ "ksql.query.pull.table.scan.enabled", "true" },
	{ "ksql.query.pull.interpreter.enabled", "true" },
	{ "ksql.query.push.v2.registry.installed", "true" },
	{ "ksql.query.push.v2.enabled", "true" },
	{ "ksql.query.push.v2.new.latest.delay.ms", "0" },
	{ "ksql.headers.columns.enabled", "true" },
};

/* What the statements of a case have come to so far. */
typedef enum {
	REST_NEXT,   /* go on */
	REST_ENDED,  /* the expected error came: the case passed */
	REST_FAILED, /* the case failed; why says how */
} rest_step_t;

/* One request and its answer. */
typedef struct rest_http {
	CURL *easy;
	struct curl_slist *headers;
	sl_strbuf_t body;
	long status;
	bool done; /* the transfer is over (cc says how) */
	CURLcode cc;
	/* the elements of the top-level array seen so far (a /query stream) */
	size_t scanned;
	int depth;
	int base; /* depth of the elements: 1 in an array, 0 without; -1 unknown */
	bool in_str, esc;
	size_t start;
	size_t *spans; /* start and end of each element */
	int nelems, capelems;
} rest_http_t;

typedef struct rest_run {
	const sl_test_case_t *tc;
	bool verbose;
	sl_strbuf_t *why;
	sl_test_env_t *env;
	sl_engine_t *eng;
	sl_http_t *http;
	CURLM *multi;
	char base_url[64];
	cJSON *actual;  /* [{"admin": entity} / {"query": [elements]}] */
	int queries_ok; /* queries answered with 200 */
	bool got_error; /* some statement or query answered an error */
	int64_t next_quiesce;
} rest_run_t;

/* ---- the test files ---- */

bool
sl_test_rest_file(const char *path, const cJSON *root)
{
	const cJSON *tests = cJSON_GetObjectItemCaseSensitive(root, "tests");

	if (strstr(path, "rest-query-validation-tests/") != NULL)
		return true;
	for (const cJSON *tc = cJSON_IsArray(tests) ? tests->child : NULL; tc != NULL;
	     tc = tc->next)
		if (cJSON_HasObjectItem(tc, "responses") ||
		    cJSON_HasObjectItem(tc, "expectedError"))
			return true;
	return false;
}

/* The next number of t[*pos..len), outside strings: its start and length.
 * False when there is none. */
static bool
rest_next_number(const char *t, size_t len, size_t *pos, size_t *start, size_t *n)
{
	size_t i = *pos;

	while (i < len) {
		if (t[i] == '"') {
			for (i++; i < len && t[i] != '"'; i++)
				if (t[i] == '\\')
					i++;
			i++;
		} else if (t[i] == '-' || isdigit((unsigned char)t[i])) {
			*start = i;
			while (i < len &&
			       (isdigit((unsigned char)t[i]) || strchr("+-.eE", t[i]) != NULL))
				i++;
			*n = i - *start;
			*pos = i;
			return true;
		} else {
			i++;
		}
	}
	*pos = i;
	return false;
}

/* Gives each number of the values from v on its text: cJSON's preorder is
 * the order of the text. */
static void
rest_numbers_walk(cJSON *v, const char *t, size_t len, size_t *pos)
{
	size_t start, n;

	for (; v != NULL; v = v->next) {
		if (cJSON_IsNumber(v)) {
			if (rest_next_number(t, len, pos, &start, &n) && v->valuestring == NULL)
				v->valuestring = strndup(t + start, n);
		} else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
			rest_numbers_walk(v->child, t, len, pos);
		}
	}
}

void
sl_test_rest_numbers(cJSON *root, const char *text, size_t len)
{
	size_t pos = 0;

	if (root != NULL)
		rest_numbers_walk(root, text, len, &pos);
}

/* Parses text[0..len) keeping the text of its numbers; NULL if not JSON. */
static cJSON *
rest_json_parse(const char *text, size_t len)
{
	cJSON *v = cJSON_ParseWithLength(text != NULL ? text : "", len);
	sl_test_rest_numbers(v, text, len);
	return v;
}

/* Whether statement text is a query, as RestTestExecutor decides it. */
static bool
rest_is_query(const char *text)
{
	return strncmp(text, "SELECT ", 7) == 0;
}

/* The index of the first query of tc (nstmts when none). */
static int
rest_first_query(const sl_test_case_t *tc)
{
	int i = 0;
	while (i < tc->nstmts && !rest_is_query(tc->stmts[i]))
		i++;
	return i;
}

bool
sl_test_rest_skip_reason(const cJSON *tc, const sl_test_case_t *c, sl_strbuf_t *reason)
{
	int first = rest_first_query(c), nresp = 0;

	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(tc, "testPullWithProtoFormat"))) {
		sl_strbuf_puts(reason, "format PROTOBUF: testPullWithProtoFormat");
		return true;
	}
	for (const cJSON *r = c->responses != NULL ? c->responses->child : NULL; r != NULL;
	     r = r->next) {
		if (cJSON_HasObjectItem(r, "queryProto")) {
			sl_strbuf_puts(reason, "format PROTOBUF: queryProto responses");
			return true;
		}
		nresp++;
	}
	for (int i = first; i < c->nstmts; i++)
		if (!rest_is_query(c->stmts[i])) {
			sl_strbuf_printf(reason, "invalid case: statement %d follows a query",
					 i + 1);
			return true;
		}
	if (nresp > c->nstmts) {
		sl_strbuf_puts(reason, "invalid case: more responses than statements");
		return true;
	}
	if (c->wait_push && c->nstmts - first > 1) {
		sl_strbuf_puts(reason, "invalid case: waitForActivePushQuery with several queries");
		return true;
	}
	return false;
}

/* ---- JSON helpers ---- */

/* Appends v as compact JSON, numbers as their text was. */
static void
rest_json_append(sl_strbuf_t *out, const cJSON *v)
{
	bool obj = cJSON_IsObject(v);

	if (cJSON_IsNumber(v) && v->valuestring != NULL) {
		sl_strbuf_puts(out, v->valuestring);
	} else if (obj || cJSON_IsArray(v)) {
		sl_strbuf_putc(out, obj ? '{' : '[');
		for (const cJSON *c = v->child; c != NULL; c = c->next) {
			if (c != v->child)
				sl_strbuf_putc(out, ',');
			if (obj) {
				cJSON *name =
					cJSON_CreateString(c->string != NULL ? c->string : "");
				sl_test_json_append(out, name);
				cJSON_Delete(name);
				sl_strbuf_putc(out, ':');
			}
			rest_json_append(out, c);
		}
		sl_strbuf_putc(out, obj ? '}' : ']');
	} else {
		sl_test_json_append(out, v);
	}
}

static const char *
rest_str(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Whether a number's text is an integer (Jackson reads it as an Integer or
 * a Long) rather than a decimal (a BigDecimal, never equal to those).
 * Without its text, it counts as either. */
static int
rest_number_kind(const cJSON *v)
{
	if (v->valuestring == NULL)
		return -1;
	return strpbrk(v->valuestring, ".eE") == NULL ? 1 : 0;
}

/*
 * Equality of two values as Java's equals() on what Jackson reads them to:
 * objects member by member in any order with as many members, arrays item
 * by item, an integer never equal to a decimal (10 is not 10.0), numbers
 * otherwise by value (1.5 is 1.50 here), strings, booleans and null.
 */
static bool
rest_json_equal(const cJSON *e, const cJSON *a)
{
	const cJSON *x, *y;

	if (e == NULL || a == NULL)
		return e == a;
	if (cJSON_IsNull(e) || cJSON_IsNull(a))
		return cJSON_IsNull(e) && cJSON_IsNull(a);
	if (cJSON_IsBool(e) || cJSON_IsBool(a))
		return cJSON_IsBool(e) && cJSON_IsBool(a) && cJSON_IsTrue(e) == cJSON_IsTrue(a);
	if (cJSON_IsNumber(e) || cJSON_IsNumber(a)) {
		int ke, ka;
		if (!cJSON_IsNumber(e) || !cJSON_IsNumber(a))
			return false;
		ke = rest_number_kind(e);
		ka = rest_number_kind(a);
		if (ke >= 0 && ka >= 0 && ke != ka)
			return false;
		return e->valuedouble == a->valuedouble;
	}
	if (cJSON_IsString(e) || cJSON_IsString(a))
		return cJSON_IsString(e) && cJSON_IsString(a) &&
		       strcmp(e->valuestring, a->valuestring) == 0;
	if (cJSON_IsArray(e)) {
		if (!cJSON_IsArray(a) || cJSON_GetArraySize(e) != cJSON_GetArraySize(a))
			return false;
		for (x = e->child, y = a->child; x != NULL; x = x->next, y = y->next)
			if (!rest_json_equal(x, y))
				return false;
		return true;
	}
	if (cJSON_IsObject(e)) {
		if (!cJSON_IsObject(a) || cJSON_GetArraySize(e) != cJSON_GetArraySize(a))
			return false;
		for (x = e->child; x != NULL; x = x->next)
			if (!rest_json_equal(x, cJSON_GetObjectItemCaseSensitive(a, x->string)))
				return false;
		return true;
	}
	return false;
}

/* ---- HTTP ---- */

static void
rest_http_add_span(rest_http_t *h, size_t start, size_t end)
{
	if (h->nelems == h->capelems) {
		h->capelems = h->capelems ? h->capelems * 2 : 16;
		h->spans = realloc(h->spans, (size_t)h->capelems * 2 * sizeof(*h->spans));
		if (h->spans == NULL)
			abort();
	}
	h->spans[2 * h->nelems] = start;
	h->spans[2 * h->nelems + 1] = end;
	h->nelems++;
}

/* Finds the elements completed by the bytes that arrived: the objects of
 * the top-level array (or, without one, the top-level objects). */
static void
rest_http_scan(rest_http_t *h)
{
	for (; h->scanned < h->body.len; h->scanned++) {
		char c = h->body.data[h->scanned];

		if (h->in_str) {
			if (h->esc)
				h->esc = false;
			else if (c == '\\')
				h->esc = true;
			else if (c == '"')
				h->in_str = false;
			continue;
		}
		if (h->base < 0) {
			if (isspace((unsigned char)c))
				continue;
			h->base = c == '[' ? 1 : 0;
			if (c == '[') {
				h->depth = 1;
				continue;
			}
		}
		if (c == '"') {
			h->in_str = true;
		} else if (c == '{' || c == '[') {
			if (h->depth == h->base)
				h->start = h->scanned;
			h->depth++;
		} else if (c == '}' || c == ']') {
			h->depth--;
			if (h->depth == h->base)
				rest_http_add_span(h, h->start, h->scanned + 1);
		}
	}
}

static size_t
rest_http_write(char *data, size_t size, size_t n, void *ctx)
{
	rest_http_t *h = ctx;
	sl_strbuf_append(&h->body, data, size * n);
	rest_http_scan(h);
	return size * n;
}

/* Starts POSTing {"ksql": text, "streamsProperties": the case's} to path. */
static void
rest_http_start(rest_run_t *rr, rest_http_t *h, const char *path, const char *text)
{
	cJSON *req = cJSON_CreateObject();
	cJSON *props = rr->tc->properties != NULL ? cJSON_Duplicate(rr->tc->properties, true) :
						    cJSON_CreateObject();
	char url[128];
	char *body;

	memset(h, 0, sizeof(*h));
	sl_strbuf_init(&h->body);
	h->base = -1;
	cJSON_AddStringToObject(req, "ksql", text);
	cJSON_AddItemToObject(req, "streamsProperties", props);
	body = cJSON_PrintUnformatted(req);
	cJSON_Delete(req);
	snprintf(url, sizeof(url), "%s%s", rr->base_url, path);
	/* the media type of ksqlDB's own client (KsqlRestClient) */
	h->headers = curl_slist_append(NULL, "Content-Type: application/vnd.ksql.v1+json");
	h->headers = curl_slist_append(h->headers, "Accept: application/vnd.ksql.v1+json");
	h->easy = curl_easy_init();
	if (h->easy == NULL || body == NULL)
		abort();
	curl_easy_setopt(h->easy, CURLOPT_URL, url);
	curl_easy_setopt(h->easy, CURLOPT_HTTPHEADER, h->headers);
	curl_easy_setopt(h->easy, CURLOPT_COPYPOSTFIELDS, body);
	curl_easy_setopt(h->easy, CURLOPT_WRITEFUNCTION, rest_http_write);
	curl_easy_setopt(h->easy, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(h->easy, CURLOPT_PRIVATE, h);
	curl_easy_setopt(h->easy, CURLOPT_NOSIGNAL, 1L);
	cJSON_free(body);
	curl_multi_add_handle(rr->multi, h->easy);
}

/* The status of h's answer (0 before its headers). */
static long
rest_http_status(const rest_http_t *h)
{
	long status = 0;
	curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

/* Moves the transfers on, waiting up to wait_ms for something to happen. */
static void
rest_http_pump(rest_run_t *rr, int wait_ms)
{
	CURLMsg *msg;
	int running, left;

	curl_multi_perform(rr->multi, &running);
	while ((msg = curl_multi_info_read(rr->multi, &left)) != NULL) {
		rest_http_t *h = NULL;
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&h);
		h->done = true;
		h->cc = msg->data.result;
	}
	if (running > 0 && wait_ms > 0)
		curl_multi_poll(rr->multi, NULL, 0, wait_ms, NULL);
}

/* Ends the request (closing the connection if it is still open: a push
 * query ends with it) and frees it. */
static void
rest_http_end(rest_run_t *rr, rest_http_t *h)
{
	if (h->easy != NULL) {
		h->status = rest_http_status(h);
		curl_multi_remove_handle(rr->multi, h->easy);
		curl_easy_cleanup(h->easy);
		h->easy = NULL;
	}
	curl_slist_free_all(h->headers);
	h->headers = NULL;
}

static void
rest_http_free(rest_http_t *h)
{
	sl_strbuf_free(&h->body);
	free(h->spans);
}

/* The elements received, each parsed: a new array.  An element that is not
 * JSON becomes the string of its text. */
static cJSON *
rest_http_elements(const rest_http_t *h)
{
	cJSON *arr = cJSON_CreateArray();

	for (int i = 0; i < h->nelems; i++) {
		const char *t = h->body.data + h->spans[2 * i];
		size_t n = h->spans[2 * i + 1] - h->spans[2 * i];
		cJSON *v = rest_json_parse(t, n);
		if (v == NULL) {
			char *copy = strndup(t, n);
			v = cJSON_CreateString(copy);
			free(copy);
		}
		cJSON_AddItemToArray(arr, v);
	}
	return arr;
}

/* Applies the barrier; false with why set when a query failed to catch up. */
static bool
rest_quiesce(rest_run_t *rr)
{
	sl_error_t err;

	sl_error_clear(&err);
	rr->next_quiesce = sl_test_now_ms() + 50;
	if (sl_engine_quiesce(rr->eng, REST_QUIESCE_MS, &err) == SL_OK)
		return true;
	sl_strbuf_printf(rr->why, "quiesce: %s", err.msg);
	return false;
}

/* Why a transfer failed, or false when it did not. */
static bool
rest_http_failed(rest_run_t *rr, const rest_http_t *h, const char *path, int stmt)
{
	if (!h->done || h->cc == CURLE_OK)
		return false;
	sl_strbuf_printf(rr->why, "statement %d: POST %s: %s\n  %s", stmt + 1, path,
			 curl_easy_strerror(h->cc), rr->tc->stmts[stmt]);
	return true;
}

/* ---- errors ---- */

/* Appends what an error answer says: its status, @type and message. */
static void
rest_error_describe(sl_strbuf_t *out, const rest_http_t *h, const cJSON *body)
{
	const char *type = rest_str(body, "@type"), *msg = rest_str(body, "message");

	sl_strbuf_printf(out, "HTTP %ld", h->status);
	if (type != NULL)
		sl_strbuf_printf(out, " %s", type);
	if (msg != NULL) {
		sl_strbuf_printf(out, ": %s", msg);
	} else {
		sl_strbuf_puts(out, ": ");
		sl_strbuf_append(out, h->body.data != NULL ? h->body.data : "", h->body.len);
	}
}

/*
 * An error answer h to statement stmt, checked as RestTestExecutor's
 * handleErrorResponse checks it against expectedError (ExpectedErrorNode):
 * the status, the message containing the one expected, and the type:
 * KsqlStatementErrorMessage, a "statement_error" whose statementText
 * contains the case's last statement, or KsqlErrorMessage, any error.
 * True when it is the expected error; otherwise false with why set.
 */
static bool
rest_error(rest_run_t *rr, const rest_http_t *h, int stmt)
{
	const sl_test_case_t *tc = rr->tc;
	const cJSON *ee = tc->expected_error;
	cJSON *body = rest_json_parse(h->body.data, h->body.len);
	const char *etype = rest_str(ee, "type"), *emsg = rest_str(ee, "message");
	const cJSON *estatus = cJSON_GetObjectItemCaseSensitive(ee, "status");
	const char *msg = rest_str(body, "message"), *text = rest_str(body, "statementText");
	const char *type = rest_str(body, "@type");
	const char *last = tc->stmts[tc->nstmts - 1];
	sl_strbuf_t what, differ;
	bool ok;
	bool statement_error = etype != NULL && strstr(etype, "KsqlStatementErrorMessage") != NULL;

	sl_strbuf_init(&what);
	sl_strbuf_init(&differ);
	rest_error_describe(&what, h, body);
	rr->got_error = true;
	if (!tc->expect_error) {
		sl_strbuf_printf(rr->why, "statement %d: %s\n  %s", stmt + 1, what.data,
				 tc->stmts[stmt]);
		goto done;
	}
	if (cJSON_IsNumber(estatus) && estatus->valueint != h->status)
		sl_strbuf_puts(&differ, ", status");
	if ((etype != NULL && !cJSON_IsObject(body)) ||
	    (statement_error && (type == NULL || strcmp(type, "statement_error") != 0)))
		sl_strbuf_puts(&differ, ", type");
	if (statement_error && (text == NULL || strstr(text, last) == NULL))
		sl_strbuf_puts(&differ, ", statementText");
	if (emsg != NULL && (msg == NULL || strstr(msg, emsg) == NULL))
		sl_strbuf_puts(&differ, ", message");
	if (differ.len > 0) {
		sl_strbuf_printf(
			rr->why,
			"statement %d: not the expected error (%s differ%s)\n  expected:", stmt + 1,
			differ.data + 2, strchr(differ.data + 2, ',') ? "" : "s");
		if (cJSON_IsNumber(estatus))
			sl_strbuf_printf(rr->why, " HTTP %d", estatus->valueint);
		if (etype != NULL)
			sl_strbuf_printf(rr->why, " %s", etype);
		if (emsg != NULL)
			sl_strbuf_printf(rr->why, " with a message containing \"%s\"", emsg);
		sl_strbuf_printf(rr->why, "\n  actual:   %s", what.data);
		if (statement_error && (text == NULL || strstr(text, last) == NULL))
			sl_strbuf_printf(rr->why, "\n  statementText: %s (must contain \"%s\")",
					 text != NULL ? text : "(none)", last);
	} else if (rr->verbose) {
		sl_strbuf_printf(rr->why, "statement %d failed as expected: %s\n", stmt + 1,
				 what.data);
	}
done:
	ok = tc->expect_error && differ.len == 0;
	sl_strbuf_free(&differ);
	sl_strbuf_free(&what);
	cJSON_Delete(body);
	return ok;
}

/* ---- statements and queries ---- */

static void rest_elements_describe(sl_strbuf_t *out, const char *title, const cJSON *arr);

/* Sends the admin statements [0, n) to /ksql, one request each. */
static rest_step_t
rest_admin(rest_run_t *rr, int n)
{
	for (int i = 0; i < n; i++) {
		rest_http_t h;
		int64_t deadline;
		rest_step_t step = REST_NEXT;
		cJSON *entities;

		if (!rest_quiesce(rr))
			return REST_FAILED;
		rest_http_start(rr, &h, "/ksql", rr->tc->stmts[i]);
		deadline = sl_test_now_ms() + REST_STATEMENT_MS;
		while (!h.done && sl_test_now_ms() < deadline)
			rest_http_pump(rr, REST_TICK_MS);
		rest_http_end(rr, &h);
		if (!h.done) {
			sl_strbuf_printf(rr->why, "statement %d: no answer within %d s\n  %s",
					 i + 1, REST_STATEMENT_MS / 1000, rr->tc->stmts[i]);
			step = REST_FAILED;
		} else if (rest_http_failed(rr, &h, "/ksql", i)) {
			step = REST_FAILED;
		} else if (h.status != 200) {
			step = rest_error(rr, &h, i) ? REST_ENDED : REST_FAILED;
		} else if (!cJSON_IsArray(entities = rest_json_parse(h.body.data, h.body.len))) {
			sl_strbuf_printf(
				rr->why, "statement %d: the answer is not a JSON array: %.*s",
				i + 1, (int)h.body.len, h.body.data != NULL ? h.body.data : "");
			cJSON_Delete(entities);
			step = REST_FAILED;
		} else {
			while (entities->child != NULL) {
				cJSON *resp = cJSON_CreateObject();
				cJSON_AddItemToObject(
					resp, "admin",
					cJSON_DetachItemViaPointer(entities, entities->child));
				cJSON_AddItemToArray(rr->actual, resp);
			}
			cJSON_Delete(entities);
		}
		rest_http_free(&h);
		if (step != REST_NEXT)
			return step;
	}
	return REST_NEXT;
}

/* Whether query text runs until closed: EMIT CHANGES (or FINAL) without
 * LIMIT.  A scan of its words outside quotes. */
static bool
rest_open_ended(const char *text)
{
	bool emit = false, limit = false;

	for (const char *p = text; *p != '\0';) {
		if (*p == '\'' || *p == '"' || *p == '`') {
			const char *q = strchr(p + 1, *p);
			p = q != NULL ? q + 1 : p + strlen(p);
		} else if (isalpha((unsigned char)*p) || *p == '_') {
			size_t n = 1;
			while (isalnum((unsigned char)p[n]) || p[n] == '_')
				n++;
			emit |= n == 4 && strncasecmp(p, "EMIT", 4) == 0;
			limit |= n == 5 && strncasecmp(p, "LIMIT", 5) == 0;
			p += n;
		} else {
			p++;
		}
	}
	return emit && !limit;
}

/*
 * Reads the answer to query stmt until it ends.  With wait_push, once its
 * header has come and a push query runs, produces the inputs.  An
 * open-ended push query is closed after expect elements (-1: unknown) and
 * a grace period, or after REST_OPEN_MS.  False with why set when the
 * case failed on the way (inputs, barrier, or an answer that never ends).
 */
static bool
rest_query_read(rest_run_t *rr, rest_http_t *h, int stmt, bool wait_push, int expect)
{
	bool open = rest_open_ended(rr->tc->stmts[stmt]);
	int64_t deadline = sl_test_now_ms() + (open ? REST_OPEN_MS : REST_QUERY_MS);
	int64_t grace = -1;

	while (!h->done) {
		int64_t now;

		rest_http_pump(rr, REST_TICK_MS);
		if (h->done)
			break;
		now = sl_test_now_ms();
		if (wait_push && h->nelems > 0 && rest_http_status(h) == 200) {
			int64_t until = now + REST_PUSH_WAIT_MS;
			while (!h->done && sl_engine_push_queries(rr->eng) == 0 &&
			       sl_test_now_ms() < until)
				rest_http_pump(rr, 10);
			wait_push = false;
			if (!sl_test_env_inputs(rr->env))
				return false;
			now = sl_test_now_ms();
			deadline = now + (open ? REST_OPEN_MS : REST_QUERY_MS);
		}
		if (open && expect >= 0 && h->nelems >= expect) {
			if (grace < 0)
				grace = now + REST_GRACE_MS;
			else if (now >= grace)
				break;
		}
		if (now >= deadline) {
			if (open)
				break;
			cJSON *got = rest_http_elements(h);
			sl_strbuf_printf(rr->why,
					 "statement %d: the answer did not end within %d s\n  %s",
					 stmt + 1, REST_QUERY_MS / 1000, rr->tc->stmts[stmt]);
			rest_elements_describe(rr->why, "received", got);
			cJSON_Delete(got);
			return false;
		}
		if (now >= rr->next_quiesce && !rest_quiesce(rr))
			return false;
	}
	return true;
}

/* The number of elements expected in response index, or -1. */
static int
rest_expected_elements(const rest_run_t *rr, int index)
{
	const cJSON *exp = cJSON_GetArrayItem(rr->tc->responses, index);
	const cJSON *q = cJSON_GetObjectItemCaseSensitive(exp, "query");
	return cJSON_IsArray(q) ? cJSON_GetArraySize(q) : -1;
}

/* Sends the queries [first, nstmts) to /query, one after the other. */
static bool
rest_queries(rest_run_t *rr, int first)
{
	const sl_test_case_t *tc = rr->tc;

	for (int i = first; i < tc->nstmts; i++) {
		int expect = rest_expected_elements(rr, cJSON_GetArraySize(rr->actual));
		bool wait_push = tc->wait_push && i == first;
		rest_http_t h;
		bool ok;

		rest_http_start(rr, &h, "/query", tc->stmts[i]);
		ok = rest_query_read(rr, &h, i, wait_push, expect);
		rest_http_end(rr, &h);
		if (ok && rest_http_failed(rr, &h, "/query", i))
			ok = false;
		if (ok && h.status != 200) {
			ok = rest_error(rr, &h, i);
		} else if (ok) {
			cJSON *resp = cJSON_CreateObject();
			cJSON_AddItemToObject(resp, "query", rest_http_elements(&h));
			cJSON_AddItemToArray(rr->actual, resp);
			rr->queries_ok++;
		}
		rest_http_free(&h);
		if (!ok)
			return false;
	}
	return true;
}

/* ---- compare: RestTestExecutor.verifyResponses ---- */

/* The rows' columns of one response, compared in any order at the end
 * (RestTestExecutor.verifyResponseFields, when verifyOrder is off). */
typedef struct rest_pool {
	const cJSON **expected;
	const cJSON **actual;
	int n, cap;
} rest_pool_t;

static void
rest_pool_add(rest_pool_t *p, const cJSON *expected, const cJSON *actual)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->expected = realloc(p->expected, (size_t)p->cap * sizeof(*p->expected));
		p->actual = realloc(p->actual, (size_t)p->cap * sizeof(*p->actual));
		if (p->expected == NULL || p->actual == NULL)
			abort();
	}
	p->expected[p->n] = expected;
	p->actual[p->n] = actual;
	p->n++;
}

static int
rest_pool_count(const cJSON **vals, int n, const cJSON *v)
{
	int k = 0;
	for (int i = 0; i < n; i++)
		k += rest_json_equal(vals[i], v);
	return k;
}

/* Appends the values of vals, one a line, under a title. */
static void
rest_values_describe(sl_strbuf_t *out, const char *title, const cJSON **vals, int n)
{
	sl_strbuf_printf(out, "\n  %s:", title);
	for (int i = 0; i < n; i++) {
		sl_strbuf_puts(out, "\n    ");
		rest_json_append(out, vals[i]);
	}
	if (n == 0)
		sl_strbuf_puts(out, " none");
}

/* Whether the pooled columns agree as multisets; else why, under path. */
static bool
rest_pool_check(rest_run_t *rr, const rest_pool_t *p, const char *path)
{
	for (int i = 0; i < p->n; i++) {
		int na = rest_pool_count(p->actual, p->n, p->actual[i]);
		int ne = rest_pool_count(p->expected, p->n, p->actual[i]);
		if (na == ne)
			continue;
		sl_strbuf_printf(rr->why, "%s: the rows differ (in any order): ", path);
		rest_json_append(rr->why, p->actual[i]);
		sl_strbuf_printf(rr->why, " received %d time%s, expected %d", na,
				 na == 1 ? "" : "s", ne);
		rest_values_describe(rr->why, "expected rows", p->expected, p->n);
		rest_values_describe(rr->why, "received rows", p->actual, p->n);
		return false;
	}
	return true;
}

/* The expected value with {STATEMENT} replaced by the statement of the
 * response's index (RestTestExecutor.replaceMacros): a new value. */
static cJSON *
rest_macros(const rest_run_t *rr, const cJSON *expected, int index)
{
	const char *s = cJSON_IsString(expected) ? expected->valuestring : NULL;
	sl_strbuf_t out;
	cJSON *v;

	if (s == NULL || strstr(s, "{STATEMENT}") == NULL || index >= rr->tc->nstmts)
		return cJSON_Duplicate(expected, true);
	sl_strbuf_init(&out);
	for (const char *m; (m = strstr(s, "{STATEMENT}")) != NULL; s = m + 11) {
		sl_strbuf_append(&out, s, (size_t)(m - s));
		sl_strbuf_puts(&out, rr->tc->stmts[index]);
	}
	sl_strbuf_puts(&out, s);
	v = cJSON_CreateString(out.data != NULL ? out.data : "");
	sl_strbuf_free(&out);
	return v;
}

/*
 * RestTestExecutor.matchResponseFields: every member of expected (only
 * those: the rest of actual is not checked) must be in actual; an object
 * is matched the same way, a "NAME|starts_with" member must be a prefix of
 * the actual string, anything else must be equal (rest_json_equal), but
 * the "columns" of a query's rows go to the pool.  False with why set.
 */
static bool
rest_match_fields(rest_run_t *rr, const cJSON *actual, const cJSON *expected, sl_strbuf_t *path,
		  int index, rest_pool_t *pool)
{
	size_t plen = path->len;
	bool ok = true;

	for (const cJSON *e = expected->child; e != NULL && ok; e = e->next) {
		const char *bar = strchr(e->string, '|');
		size_t klen = bar != NULL ? (size_t)(bar - e->string) : strlen(e->string);
		char *key = strndup(e->string, klen);
		const cJSON *a = cJSON_IsObject(actual) ?
					 cJSON_GetObjectItemCaseSensitive(actual, key) :
					 NULL;
		bool starts = bar != NULL && strcasecmp(bar + 1, "starts_with") == 0;

		path->len = plen;
		path->data[plen] = '\0';
		if (bar != NULL && !starts && strcasecmp(bar + 1, "equals") != 0) {
			sl_strbuf_printf(rr->why, "%s: unknown match operator \"%s\"", path->data,
					 bar + 1);
			ok = false;
		} else if (a == NULL) {
			sl_strbuf_printf(rr->why, "%s: no \"%s\" in ", path->data, key);
			rest_json_append(rr->why, actual);
			ok = false;
		} else {
			sl_strbuf_printf(path, "->%s", key);
			if (cJSON_IsObject(e)) {
				ok = cJSON_IsObject(a) &&
				     rest_match_fields(rr, a, e, path, index, pool);
				if (!cJSON_IsObject(a)) {
					sl_strbuf_printf(rr->why, "%s: expected an object, got ",
							 path->data);
					rest_json_append(rr->why, a);
				}
			} else if (starts) {
				ok = cJSON_IsString(e) && cJSON_IsString(a) &&
				     strncmp(a->valuestring, e->valuestring,
					     strlen(e->valuestring)) == 0;
				if (!ok) {
					sl_strbuf_printf(rr->why,
							 "%s: expected a string starting with ",
							 path->data);
					rest_json_append(rr->why, e);
					sl_strbuf_puts(rr->why, ", got ");
					rest_json_append(rr->why, a);
				}
			} else if (strstr(path->data, "query") != NULL &&
				   strstr(path->data, "row") != NULL &&
				   strcasecmp(key, "columns") == 0) {
				rest_pool_add(pool, e, a);
			} else {
				cJSON *want = rest_macros(rr, e, index);
				ok = rest_json_equal(want, a);
				if (!ok) {
					sl_strbuf_printf(rr->why, "%s: expected ", path->data);
					rest_json_append(rr->why, want);
					sl_strbuf_puts(rr->why, ", got ");
					rest_json_append(rr->why, a);
				}
				cJSON_Delete(want);
			}
		}
		free(key);
	}
	path->len = plen;
	path->data[plen] = '\0';
	return ok;
}

/* Appends the elements of a query response, one a line. */
static void
rest_elements_describe(sl_strbuf_t *out, const char *title, const cJSON *arr)
{
	sl_strbuf_printf(out, "\n  %s:", title);
	for (const cJSON *v = arr->child; v != NULL; v = v->next) {
		sl_strbuf_puts(out, "\n    ");
		rest_json_append(out, v);
	}
	if (arr->child == NULL)
		sl_strbuf_puts(out, " none");
}

/* Checks actual response index against the expected one (RqttAdminResponse
 * and RqttQueryResponse.verify). */
static bool
rest_verify_one(rest_run_t *rr, const cJSON *expected, const cJSON *actual, int index)
{
	const cJSON *e = expected->child, *a = actual->child;
	rest_pool_t pool = { 0 };
	sl_strbuf_t path;
	bool ok = true;

	sl_strbuf_init(&path);
	sl_strbuf_printf(&path, "responses[%d]->%s", index, e != NULL ? e->string : "?");
	if (e == NULL || e->next != NULL) {
		sl_strbuf_printf(rr->why, "responses[%d]: an expected response has one member",
				 index);
		ok = false;
	} else if (strcmp(e->string, a->string) != 0) {
		sl_strbuf_printf(rr->why,
				 "responses[%d]: expected %s response, got %s response: ", index,
				 e->string, a->string);
		rest_json_append(rr->why, a);
		ok = false;
	} else if (strcmp(e->string, "admin") == 0) {
		ok = cJSON_IsObject(e) && rest_match_fields(rr, a, e, &path, index, &pool) &&
		     rest_pool_check(rr, &pool, path.data);
	} else if (!cJSON_IsArray(e)) {
		sl_strbuf_printf(rr->why, "%s: the expected response is not an array", path.data);
		ok = false;
	} else if (cJSON_GetArraySize(e) != cJSON_GetArraySize(a)) {
		sl_strbuf_printf(rr->why, "%s: %d elements expected, %d received", path.data,
				 cJSON_GetArraySize(e), cJSON_GetArraySize(a));
		rest_elements_describe(rr->why, "expected", e);
		rest_elements_describe(rr->why, "received", a);
		ok = false;
	} else {
		int i = 0;
		for (const cJSON *x = e->child, *y = a->child; x != NULL && ok;
		     x = x->next, y = y->next, i++) {
			sl_strbuf_reset(&path);
			sl_strbuf_printf(&path, "responses[%d]->query[%d]", index, i);
			ok = cJSON_IsObject(x) && rest_match_fields(rr, y, x, &path, index, &pool);
		}
		sl_strbuf_reset(&path);
		sl_strbuf_printf(&path, "responses[%d]->query", index);
		ok = ok && rest_pool_check(rr, &pool, path.data);
	}
	free(pool.expected);
	free(pool.actual);
	sl_strbuf_free(&path);
	return ok;
}

static bool
rest_verify(rest_run_t *rr)
{
	const cJSON *responses = rr->tc->responses;
	int nexp = cJSON_GetArraySize(responses), nact = cJSON_GetArraySize(rr->actual);
	const cJSON *e, *a;
	int i = 0;

	if (nact < nexp) {
		sl_strbuf_printf(rr->why, "%d responses expected, %d received:", nexp, nact);
		for (a = rr->actual->child; a != NULL; a = a->next) {
			sl_strbuf_puts(rr->why, "\n    ");
			rest_json_append(rr->why, a);
		}
		return false;
	}
	for (e = responses != NULL ? responses->child : NULL, a = rr->actual->child; e != NULL;
	     e = e->next, a = a->next, i++)
		if (!rest_verify_one(rr, e, a, i))
			return false;
	return true;
}

/* ---- the case ---- */

static void
rest_curl_init(void)
{
	static bool ready;

	if (!ready) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		atexit(curl_global_cleanup);
		ready = true;
	}
}

/* After the queries: what the expected error (if any) makes of them. */
static bool
rest_error_outcome(rest_run_t *rr)
{
	const sl_test_case_t *tc = rr->tc;

	if (!tc->expect_error)
		return true;
	if (rr->queries_ok > 0) {
		sl_strbuf_printf(rr->why,
				 "expected the last statement to fail (%s), but %d "
				 "quer%s succeeded",
				 tc->expect_msg != NULL ? tc->expect_msg : "any error",
				 rr->queries_ok, rr->queries_ok == 1 ? "y" : "ies");
		return false;
	}
	/* RestTestExecutor lets such a case pass: say so, with -v */
	if (!rr->got_error && rr->verbose)
		sl_strbuf_printf(rr->why,
				 "no error came, yet expected (%s): ksqlDB passes this too\n",
				 tc->expect_msg != NULL ? tc->expect_msg : "any");
	return true;
}

bool
sl_test_rest_case_run(const sl_test_case_t *tc, bool verbose, sl_strbuf_t *why)
{
	rest_run_t rr = { .tc = tc, .verbose = verbose, .why = why };
	sl_http_config_t cfg = { .listen = "127.0.0.1", .port = 0 };
	sl_props_t server;
	sl_error_t err;
	bool ok = false;
	int first = rest_first_query(tc);

	rest_curl_init();
	sl_props_init(&server);
	for (size_t i = 0; i < sizeof(rest_server_props) / sizeof(rest_server_props[0]); i++)
		sl_props_set(&server, rest_server_props[i][0], rest_server_props[i][1]);
	rr.env = sl_test_env_open(tc, &server, verbose, why);
	sl_props_free(&server);
	if (rr.env == NULL)
		return false;
	rr.eng = sl_test_env_engine(rr.env);
	sl_error_clear(&err);
	if (sl_http_start(rr.eng, &cfg, &rr.http, &err) != SL_OK) {
		sl_strbuf_printf(why, "cannot start the HTTP server: %s", err.msg);
		goto done;
	}
	snprintf(rr.base_url, sizeof(rr.base_url), "http://127.0.0.1:%d", sl_http_port(rr.http));
	rr.multi = curl_multi_init();
	rr.actual = cJSON_CreateArray();

	switch (rest_admin(&rr, first)) {
	case REST_ENDED:
		ok = true;
		goto done;
	case REST_FAILED:
		goto done;
	case REST_NEXT:
		break;
	}
	if (!tc->wait_push && !sl_test_env_inputs(rr.env))
		goto done;
	if (!rest_quiesce(&rr) || !rest_queries(&rr, first) || !rest_error_outcome(&rr))
		goto done;
	if (!rest_quiesce(&rr) || !sl_test_env_outputs(rr.env) || !rest_verify(&rr))
		goto done;
	ok = true;
	if (verbose)
		sl_strbuf_printf(why, "%d responses, %d inputs, %d outputs checked",
				 cJSON_GetArraySize(tc->responses), cJSON_GetArraySize(tc->inputs),
				 cJSON_GetArraySize(tc->outputs));

done:
	if (rr.multi != NULL)
		curl_multi_cleanup(rr.multi);
	cJSON_Delete(rr.actual);
	if (rr.http != NULL)
		sl_http_stop(rr.http);
	sl_test_env_close(rr.env);
	return ok;
}
