/*
 * endpoint.c: the endpoints of ksqlDB's REST API.
 *
 * Stage: http.  Takes a complete request (server.c has checked the path,
 * the method, the credentials and the size), validates its JSON, hands it
 * to the engine API and answers as ksqlDB does:
 *
 *   POST /ksql            statements -> JSON array of entities
 *   POST /query           one SELECT -> ksqlDB's streamed JSON array
 *   POST /query-stream    one SELECT -> metadata + rows (delimited, JSON
 *                         array, or Server-Sent Events, by Accept)
 *   POST /close-query     ends a push query
 *   POST /inserts-stream  {"target":S} then one row a line -> one ack a line
 *   GET  /info, /healthcheck, /status[/<commandId>], /metrics
 *
 * Each request gets its own session (ksqlDB: SET in a request lasts for
 * that request), carrying the request's properties and variables.
 */
#include "http/internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CT_JSON "application/json"
#define CT_KSQL_V1 "application/vnd.ksql.v1+json"
#define CT_DELIMITED "application/vnd.ksqlapi.delimited.v1"
#define CT_SSE "text/event-stream"

/* ksqlDB's answer to a SELECT sent to /ksql (Errors.queryEndpoint). */
static const char query_endpoint_msg[] =
	"The following statement types should be issued to the websocket endpoint '/query':\n"
	"\t* PRINT\n"
	"\t* SELECT";

/* ------------------------------------------------------------- helpers */

const char *
sl_http_accept(const char *accept, const char *const *supported, const char *def)
{
	const char *p = accept;
	bool any = false;

	if (accept == NULL)
		return def;
	while (*p != '\0') {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char item[128];
		size_t n = 0;
		const char *params;
		while (len > 0 && isspace((unsigned char)*p)) {
			p++;
			len--;
		}
		for (size_t i = 0; i < len && n + 1 < sizeof(item); i++)
			item[n++] = p[i];
		item[n] = '\0';
		p = e ? e + 1 : p + len;
		params = strchr(item, ';');
		if (params != NULL) {
			const char *q = strstr(params, "q=");
			char *s = (char *)params;
			if (q != NULL && strtod(q + 2, NULL) <= 0.0)
				continue; /* q=0: not acceptable */
			*s = '\0';
		}
		for (size_t k = strlen(item); k > 0 && isspace((unsigned char)item[k - 1]); k--)
			item[k - 1] = '\0';
		if (item[0] == '\0')
			continue;
		any = true;
		if (strcmp(item, "*/*") == 0 || strcmp(item, "*") == 0)
			return def;
		size_t tl = strlen(item);
		if (tl > 2 && strcmp(item + tl - 2, "/*") == 0) {
			/* a range of one type: the default if it fits, else the first that does */
			if (strncasecmp(def, item, tl - 1) == 0)
				return def;
			for (int i = 0; supported[i] != NULL; i++)
				if (strncasecmp(supported[i], item, tl - 1) == 0)
					return supported[i];
			continue;
		}
		for (int i = 0; supported[i] != NULL; i++)
			if (strcasecmp(supported[i], item) == 0)
				return supported[i];
	}
	return any ? NULL : def;
}

static const char *
header(struct MHD_Connection *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* Parses the body as a JSON object; replies 400 and returns NULL when it
 * is not one. */
static cJSON *
body_object(sl_http_req_t *req, struct MHD_Connection *conn)
{
	cJSON *j = cJSON_ParseWithLength(req->body.data ? req->body.data : "", req->body.len);

	if (j == NULL || !cJSON_IsObject(j)) {
		cJSON_Delete(j);
		sl_http_reply_error(req, conn, 400, SL_HTTP_ERR_BAD_REQUEST,
				    "Malformed JSON in request");
		return NULL;
	}
	return j;
}

/* A property value as the engine keeps it: text. */
static char *
prop_text(const cJSON *v)
{
	char buf[64];

	if (cJSON_IsString(v))
		return strdup(v->valuestring);
	if (cJSON_IsBool(v))
		return strdup(cJSON_IsTrue(v) ? "true" : "false");
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (d == floor(d) && fabs(d) < 9007199254740992.0)
			snprintf(buf, sizeof(buf), "%.0f", d);
		else
			snprintf(buf, sizeof(buf), "%.17g", d);
		return strdup(buf);
	}
	return cJSON_PrintUnformatted(v);
}

/*
 * Copies the members of obj (a JSON object, or absent) into p: "field"
 * names the request field for errors.  upper: keys in upper case (variable
 * names).  Properties given as ksqlDB's "ksql.streams.X" are also set as
 * "X", which is how sessions read them.  Replies 400 and returns false
 * when obj is not an object.
 */
static bool
copy_props(sl_http_req_t *req, struct MHD_Connection *conn, const cJSON *obj, const char *field,
	   sl_props_t *p, bool upper)
{
	const cJSON *it;

	if (obj == NULL || cJSON_IsNull(obj))
		return true;
	if (!cJSON_IsObject(obj)) {
		sl_http_reply_error(req, conn, 400, SL_HTTP_ERR_BAD_REQUEST,
				    "\"%s\" must be a JSON object", field);
		return false;
	}
	cJSON_ArrayForEach(it, obj)
	{
		char *v;
		if (it->string == NULL || cJSON_IsNull(it))
			continue;
		v = prop_text(it);
		if (v == NULL)
			continue;
		if (upper) {
			char *k = strdup(it->string);
			for (char *c = k; *c; c++)
				*c = (char)toupper((unsigned char)*c);
			sl_props_set(p, k, v);
			free(k);
		} else {
			sl_props_set(p, it->string, v);
			if (strncmp(it->string, "ksql.streams.", 13) == 0 &&
			    sl_props_get(p, it->string + 13) == NULL)
				sl_props_set(p, it->string + 13, v);
		}
		free(v);
	}
	return true;
}

/* A required string member, or a 400 reply ("No <name> in arguments", as
 * ksqlDB says it) and NULL. */
static const char *
need_string(sl_http_req_t *req, struct MHD_Connection *conn, const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (!cJSON_IsString(v)) {
		sl_http_reply_error(req, conn, 400, SL_HTTP_ERR_BAD_REQUEST, "No %s in arguments",
				    name);
		return NULL;
	}
	return v->valuestring;
}

/* ------------------------------------------------------------- /ksql */

static enum MHD_Result
ep_ksql(sl_http_req_t *req, struct MHD_Connection *conn)
{
	static const char *const types[] = { CT_JSON, CT_KSQL_V1, NULL };
	sl_engine_t *eng = req->h->eng;
	const char *ctype = sl_http_accept(header(conn, "Accept"), types, CT_JSON);
	cJSON *body, *results = NULL;
	const char *sql;
	sl_session_t *s = NULL;
	sl_exec_error_t e;
	enum MHD_Result rc;

	if (ctype == NULL)
		ctype = CT_JSON;
	if ((body = body_object(req, conn)) == NULL)
		return MHD_YES;
	if ((sql = need_string(req, conn, body, "ksql")) == NULL)
		goto done_body;
	s = sl_session_create(eng);
	if (!copy_props(req, conn, cJSON_GetObjectItemCaseSensitive(body, "streamsProperties"),
			"streamsProperties", sl_session_properties(s), false) ||
	    !copy_props(req, conn, cJSON_GetObjectItemCaseSensitive(body, "sessionVariables"),
			"sessionVariables", sl_session_variables(s), true))
		goto done_body;
	if (sl_engine_is_query(sql, strlen(sql))) {
		cJSON *j = cJSON_CreateObject();
		size_t len = strlen(sql);
		while (len > 0 && isspace((unsigned char)sql[len - 1]))
			len--;
		char *text = strndup(sql, len);
		cJSON_AddStringToObject(j, "@type", "statement_error");
		cJSON_AddNumberToObject(j, "error_code", SL_HTTP_ERR_QUERY_ENDPOINT);
		cJSON_AddStringToObject(j, "message", query_endpoint_msg);
		cJSON_AddStringToObject(j, "statementText", text);
		cJSON_AddItemToObject(j, "entities", cJSON_CreateArray());
		sl_http_reply_cjson(req, conn, 400, j, NULL);
		free(text);
		cJSON_Delete(j);
		goto done_body;
	}
	results = cJSON_CreateArray();
	sl_exec_error_init(&e);
	if (sl_engine_execute(eng, s, sql, strlen(sql), results, &e) == SL_OK)
		rc = sl_http_reply_cjson(req, conn, 200, results, ctype);
	else
		rc = sl_http_reply_exec_error(req, conn, &e, results);
	sl_exec_error_clear(&e);
	cJSON_Delete(results);
	cJSON_Delete(body);
	sl_session_destroy(s);
	return rc;
done_body:
	cJSON_Delete(body);
	if (s != NULL)
		sl_session_destroy(s);
	return MHD_YES;
}

/* ------------------------------------------------------------- queries */

static enum MHD_Result
ep_query(sl_http_req_t *req, struct MHD_Connection *conn, bool stream_api)
{
	/* /query: ksqlDB's JSON array unless the client asks for another form */
	static const char *const query_types[] = { CT_JSON, CT_KSQL_V1, CT_DELIMITED, CT_SSE,
						   NULL };
	static const char *const stream_types[] = { CT_DELIMITED, CT_JSON, CT_SSE, NULL };
	sl_engine_t *eng = req->h->eng;
	const char *ctype, *sql;
	sl_http_fmt_t fmt;
	cJSON *body;
	sl_session_t *s = NULL;
	sl_props_t props;
	sl_tquery_t *t = NULL;
	sl_exec_error_t e;
	enum MHD_Result rc = MHD_YES;

	ctype = stream_api ? sl_http_accept(header(conn, "Accept"), stream_types, CT_DELIMITED) :
			     sl_http_accept(header(conn, "Accept"), query_types, CT_JSON);
	if (ctype == NULL)
		return sl_http_reply_error(req, conn, 406, 40600,
					   "cannot answer in any of the media types of the Accept "
					   "header: use %s, %s or %s",
					   stream_api ? CT_DELIMITED : CT_JSON,
					   stream_api ? CT_JSON : CT_DELIMITED, CT_SSE);
	if (strcmp(ctype, CT_DELIMITED) == 0)
		fmt = SL_FMT_DELIMITED;
	else if (strcmp(ctype, CT_SSE) == 0)
		fmt = SL_FMT_SSE;
	else if (stream_api)
		fmt = SL_FMT_JSON;
	else
		fmt = SL_FMT_QUERY;

	if ((body = body_object(req, conn)) == NULL)
		return MHD_YES;
	sl_props_init(&props);
	if ((sql = need_string(req, conn, body, stream_api ? "sql" : "ksql")) == NULL)
		goto done;
	s = sl_session_create(eng);
	if (!copy_props(req, conn,
			cJSON_GetObjectItemCaseSensitive(body, stream_api ? "properties" :
									    "streamsProperties"),
			stream_api ? "properties" : "streamsProperties", &props, false) ||
	    !copy_props(req, conn, cJSON_GetObjectItemCaseSensitive(body, "sessionVariables"),
			"sessionVariables", sl_session_variables(s), true))
		goto done;
	sl_exec_error_init(&e);
	if (sl_engine_query(eng, s, sql, strlen(sql), &props, &t, &e) != SL_OK) {
		rc = sl_http_reply_exec_error(req, conn, &e, NULL);
		sl_exec_error_clear(&e);
		goto done;
	}
	sl_exec_error_clear(&e);
	rc = sl_http_stream_start(req, conn, t, s, fmt, ctype);
	s = NULL; /* the stream owns it */
done:
	sl_props_free(&props);
	cJSON_Delete(body);
	if (s != NULL)
		sl_session_destroy(s);
	return rc;
}

static enum MHD_Result
ep_close_query(sl_http_req_t *req, struct MHD_Connection *conn)
{
	cJSON *body = body_object(req, conn);
	const char *id;
	enum MHD_Result rc = MHD_YES;

	if (body == NULL)
		return MHD_YES;
	if ((id = need_string(req, conn, body, "queryId")) != NULL) {
		if (sl_engine_close_query(req->h->eng, id)) {
			struct MHD_Response *r = MHD_create_response_from_buffer(
				0, (void *)"", MHD_RESPMEM_PERSISTENT);
			rc = r ? sl_http_queue(req, conn, 200, r) : MHD_NO;
		} else {
			rc = sl_http_reply_error(req, conn, 400, SL_HTTP_ERR_BAD_REQUEST,
						 "No query with id %s", id);
		}
	}
	cJSON_Delete(body);
	return rc;
}

/* ------------------------------------------------------------- /inserts-stream */

/*
 * The rows of /inserts-stream are inserted as their lines arrive; the
 * acks wait until the request ends (libmicrohttpd answers once the whole
 * request is in: HTTP/1.1 without full duplex).
 */
struct sl_http_inserts {
	sl_strbuf_t line; /* the line being received */
	sl_strbuf_t acks; /* the response body */
	bool json;        /* Accept: application/json: one array */
	bool have_args;
	bool stopped;    /* after an error that ends the stream */
	unsigned status; /* != 0: the arguments were refused */
	int code;
	char msg[SL_ERROR_MSG_MAX + 64];
	sl_session_t *s;
	sl_inserter_t *ins;
	long long seq;
};

void
sl_http_inserts_free(struct sl_http_inserts *ins)
{
	if (ins->ins != NULL)
		sl_inserter_close(ins->ins);
	if (ins->s != NULL)
		sl_session_destroy(ins->s);
	sl_strbuf_free(&ins->line);
	sl_strbuf_free(&ins->acks);
	free(ins);
}

static void
put_ack(struct sl_http_inserts *ins, const cJSON *ack)
{
	char *text = cJSON_PrintUnformatted(ack);

	if (ins->json)
		sl_strbuf_putc(&ins->acks, ins->acks.len == 0 ? '[' : ',');
	sl_strbuf_puts(&ins->acks, text);
	if (!ins->json)
		sl_strbuf_putc(&ins->acks, '\n');
	cJSON_free(text);
}

/* ksqlDB's InsertError: {"status":"error","seq":N,"error_code":..,"message":..} */
static void
put_insert_error(struct sl_http_inserts *ins, long long seq, const char *msg)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "status", "error");
	cJSON_AddNumberToObject(j, "seq", (double)seq);
	cJSON_AddNumberToObject(j, "error_code", SL_HTTP_ERR_BAD_REQUEST);
	cJSON_AddStringToObject(j, "message", msg);
	put_ack(ins, j);
	cJSON_Delete(j);
}

static void
refuse_args(struct sl_http_inserts *ins, unsigned status, int code, const char *msg)
{
	ins->status = status;
	ins->code = code;
	snprintf(ins->msg, sizeof(ins->msg), "%s", msg);
	ins->stopped = true;
}

static void
inserts_line(sl_http_t *h, struct sl_http_inserts *ins, const char *text, size_t len)
{
	cJSON *j;

	while (len > 0 && isspace((unsigned char)text[len - 1]))
		len--;
	while (len > 0 && isspace((unsigned char)*text)) {
		text++;
		len--;
	}
	if (ins->stopped || len == 0)
		return;
	j = cJSON_ParseWithLength(text, len);
	if (!ins->have_args) {
		const cJSON *target = cJSON_GetObjectItemCaseSensitive(j, "target");
		sl_error_t err;
		ins->have_args = true;
		if (j == NULL || !cJSON_IsObject(j)) {
			refuse_args(ins, 400, SL_HTTP_ERR_BAD_REQUEST, "Malformed JSON in request");
		} else if (!cJSON_IsString(target)) {
			refuse_args(ins, 400, SL_HTTP_ERR_BAD_REQUEST, "No target in arguments");
		} else {
			ins->s = sl_session_create(h->eng);
			sl_error_clear(&err);
			if (sl_engine_insert_open(h->eng, ins->s, target->valuestring, &ins->ins,
						  &err) != SL_OK) {
				char msg[sizeof(ins->msg)];
				sl_error_format(&err, msg, sizeof(msg));
				/* as ksqlDB: an unknown or wrong target is a bad
				 * statement */
				refuse_args(ins, 400, SL_HTTP_ERR_BAD_STATEMENT, msg);
				ins->ins = NULL;
			}
		}
		cJSON_Delete(j);
		return;
	}
	long long seq = ins->seq++;
	if (j == NULL || !cJSON_IsObject(j)) {
		/* as ksqlDB: a malformed row ends the stream */
		put_insert_error(ins, seq, "Invalid JSON in inserts stream");
		ins->stopped = true;
	} else {
		sl_error_t err;
		sl_error_clear(&err);
		if (sl_inserter_row(ins->ins, j, &err) == SL_OK) {
			cJSON *ack = cJSON_CreateObject();
			cJSON_AddStringToObject(ack, "status", "ok");
			cJSON_AddNumberToObject(ack, "seq", (double)seq);
			put_ack(ins, ack);
			cJSON_Delete(ack);
		} else {
			char msg[SL_ERROR_MSG_MAX + 64];
			sl_error_format(&err, msg, sizeof(msg));
			put_insert_error(ins, seq, msg);
		}
	}
	cJSON_Delete(j);
}

void
sl_http_inserts_feed(sl_http_req_t *req, struct MHD_Connection *conn, const char *data, size_t len)
{
	static const char *const types[] = { CT_DELIMITED, CT_JSON, NULL };
	struct sl_http_inserts *ins = req->ins;

	if (ins == NULL) {
		const char *ct = sl_http_accept(header(conn, "Accept"), types, CT_DELIMITED);
		ins = req->ins = calloc(1, sizeof(*ins));
		if (ins == NULL)
			abort();
		sl_strbuf_init(&ins->line);
		sl_strbuf_init(&ins->acks);
		ins->json = ct != NULL && strcmp(ct, CT_JSON) == 0;
	}
	while (len > 0) {
		const char *nl = memchr(data, '\n', len);
		size_t n = nl ? (size_t)(nl - data) : len;
		if (ins->stopped) {
			sl_strbuf_reset(&ins->line);
			return;
		}
		if (ins->line.len + n > req->h->max_body) {
			char msg[128];
			snprintf(msg, sizeof(msg), "line longer than %zu bytes", req->h->max_body);
			if (!ins->have_args)
				refuse_args(ins, 413, 41300, msg);
			else
				put_insert_error(ins, ins->seq++, msg);
			ins->stopped = true;
			return;
		}
		sl_strbuf_append(&ins->line, data, n);
		if (nl == NULL)
			return;
		inserts_line(req->h, ins, ins->line.data, ins->line.len);
		sl_strbuf_reset(&ins->line);
		data += n + 1;
		len -= n + 1;
	}
}

static enum MHD_Result
ep_inserts_stream(sl_http_req_t *req, struct MHD_Connection *conn)
{
	struct sl_http_inserts *ins;

	if (req->ins == NULL)
		sl_http_inserts_feed(req, conn, "", 0);
	ins = req->ins;
	if (ins->line.len > 0) {
		inserts_line(req->h, ins, ins->line.data, ins->line.len);
		sl_strbuf_reset(&ins->line);
	}
	if (!ins->have_args)
		refuse_args(ins, 400, SL_HTTP_ERR_BAD_REQUEST, "Malformed JSON in request");
	if (ins->status != 0)
		return sl_http_reply_error(req, conn, ins->status, ins->code, "%s", ins->msg);
	if (ins->json)
		sl_strbuf_puts(&ins->acks, ins->acks.len == 0 ? "[]" : "]");
	return sl_http_reply_json(req, conn, 200, ins->acks.data ? ins->acks.data : "",
				  ins->json ? CT_JSON : CT_DELIMITED);
}

/* ------------------------------------------------------------- server state */

static enum MHD_Result
ep_state(sl_http_req_t *req, struct MHD_Connection *conn)
{
	sl_engine_t *eng = req->h->eng;
	unsigned status = 200;
	cJSON *j;
	enum MHD_Result rc;

	switch (req->ep) {
	case SL_EP_INFO:
		j = sl_engine_info(eng);
		break;
	case SL_EP_HEALTHCHECK:
		j = sl_engine_health(eng);
		if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(j, "isHealthy")))
			status = 503;
		break;
	default:
		j = sl_engine_status(eng);
		if (strcmp(req->url, "/status") != 0) {
			/* GET /status/<commandId>: one command's status */
			const char *id = req->url + strlen("/status/");
			const cJSON *all = cJSON_GetObjectItemCaseSensitive(j, "commandStatuses");
			const cJSON *one = cJSON_GetObjectItemCaseSensitive(all, id);
			if (!cJSON_IsString(one)) {
				cJSON_Delete(j);
				return sl_http_reply_error(req, conn, 404, SL_HTTP_ERR_NOT_FOUND,
							   "Command not found");
			}
			cJSON *cs = cJSON_CreateObject();
			cJSON_AddStringToObject(cs, "status", one->valuestring);
			cJSON_AddStringToObject(cs, "message", "");
			cJSON_Delete(j);
			j = cs;
		}
		break;
	}
	if (j == NULL)
		return sl_http_reply_error(req, conn, 500, SL_HTTP_ERR_SERVER_ERROR,
					   "the engine gave no answer");
	rc = sl_http_reply_cjson(req, conn, status, j, NULL);
	cJSON_Delete(j);
	return rc;
}

static enum MHD_Result
ep_metrics(sl_http_req_t *req, struct MHD_Connection *conn)
{
	sl_http_t *h = req->h;
	const union MHD_DaemonInfo *di;
	struct MHD_Response *r;
	sl_strbuf_t sb;

	sl_strbuf_init(&sb);
	sl_engine_metrics(h->eng, &sb);
	if (sb.len > 0 && sb.data[sb.len - 1] != '\n')
		sl_strbuf_putc(&sb, '\n');
	sl_strbuf_puts(&sb,
		       "# HELP sluice_http_requests_total HTTP requests answered, by endpoint and "
		       "status.\n"
		       "# TYPE sluice_http_requests_total counter\n");
	for (int ep = 0; ep < SL_EP_COUNT; ep++)
		for (int st = 0; st < 500; st++) {
			long n = atomic_load(&h->requests[ep][st]);
			if (n > 0)
				sl_strbuf_printf(&sb,
						 "sluice_http_requests_total{endpoint=\"%s\","
						 "status=\"%d\"} %ld\n",
						 sl_http_ep_path((sl_http_ep_t)ep), st + 100, n);
		}
	sl_strbuf_printf(&sb,
			 "# HELP sluice_push_subscribers Push queries streaming to HTTP clients.\n"
			 "# TYPE sluice_push_subscribers gauge\n"
			 "sluice_push_subscribers %d\n",
			 atomic_load(&h->push_subscribers));
	pthread_rwlock_rdlock(&h->streams_lock);
	int nstreams = h->nstreams;
	pthread_rwlock_unlock(&h->streams_lock);
	sl_strbuf_printf(&sb,
			 "# HELP sluice_http_streams Query responses (push and pull) being "
			 "streamed.\n"
			 "# TYPE sluice_http_streams gauge\n"
			 "sluice_http_streams %d\n",
			 nstreams);
	di = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	if (di != NULL)
		sl_strbuf_printf(&sb,
				 "# HELP sluice_http_connections Open HTTP connections.\n"
				 "# TYPE sluice_http_connections gauge\n"
				 "sluice_http_connections %u\n",
				 di->num_connections);
	r = MHD_create_response_from_buffer(sb.len, sb.data, MHD_RESPMEM_MUST_COPY);
	sl_strbuf_free(&sb);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/plain; version=0.0.4; charset=utf-8");
	return sl_http_queue(req, conn, 200, r);
}

enum MHD_Result
sl_http_endpoint_run(sl_http_req_t *req, struct MHD_Connection *conn)
{
	switch (req->ep) {
	case SL_EP_KSQL:
		return ep_ksql(req, conn);
	case SL_EP_QUERY:
		return ep_query(req, conn, false);
	case SL_EP_QUERY_STREAM:
		return ep_query(req, conn, true);
	case SL_EP_CLOSE_QUERY:
		return ep_close_query(req, conn);
	case SL_EP_INSERTS_STREAM:
		return ep_inserts_stream(req, conn);
	case SL_EP_INFO:
	case SL_EP_HEALTHCHECK:
	case SL_EP_STATUS:
		return ep_state(req, conn);
	case SL_EP_METRICS:
		return ep_metrics(req, conn);
	default:
		return sl_http_reply_error(req, conn, 404, SL_HTTP_ERR_NOT_FOUND, "not found");
	}
}
