/*
 * reply.c: plain (non-streamed) responses and ksqlDB's error bodies.
 *
 * Stage: http.  Every error leaves as ksqlDB's KsqlErrorMessage:
 * {"@type":"generic_error","error_code":40000,"message":"..."}, or, when a
 * statement failed, KsqlStatementErrorMessage:
 * {"@type":"statement_error","error_code":40001,"message":"...",
 *  "statementText":"...","entities":[...]}.  error_code is the HTTP status
 * times 100, plus 1 for a bad statement (ksqlDB's Errors.java).
 */
#include "http/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
sl_http_error_code(unsigned status)
{
	if (status == 400)
		return SL_HTTP_ERR_BAD_STATEMENT;
	return (int)status * 100;
}

enum MHD_Result
sl_http_reply_json(sl_http_req_t *req, struct MHD_Connection *conn, unsigned status,
		   const char *json, const char *ctype)
{
	struct MHD_Response *r;

	r = MHD_create_response_from_buffer(strlen(json), (void *)json, MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				ctype ? ctype : "application/json");
	return sl_http_queue(req, conn, status, r);
}

enum MHD_Result
sl_http_reply_cjson(sl_http_req_t *req, struct MHD_Connection *conn, unsigned status,
		    const cJSON *j, const char *ctype)
{
	char *text = cJSON_PrintUnformatted(j);
	enum MHD_Result rc;

	if (text == NULL)
		return MHD_NO;
	rc = sl_http_reply_json(req, conn, status, text, ctype);
	cJSON_free(text);
	return rc;
}

cJSON *
sl_http_error_json(int code, const char *msg)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "@type", "generic_error");
	cJSON_AddNumberToObject(j, "error_code", code);
	cJSON_AddStringToObject(j, "message", msg);
	return j;
}

enum MHD_Result
sl_http_reply_error(sl_http_req_t *req, struct MHD_Connection *conn, unsigned status, int code,
		    const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	cJSON *j;
	enum MHD_Result rc;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	j = sl_http_error_json(code, msg);
	rc = sl_http_reply_cjson(req, conn, status, j, NULL);
	cJSON_Delete(j);
	return rc;
}

enum MHD_Result
sl_http_reply_exec_error(sl_http_req_t *req, struct MHD_Connection *conn, const sl_exec_error_t *e,
			 const cJSON *entities)
{
	unsigned status =
		e->http_status >= 400 && e->http_status < 600 ? (unsigned)e->http_status : 400;
	char msg[SL_ERROR_MSG_MAX + 64];
	cJSON *j;
	enum MHD_Result rc;

	sl_error_format(&e->err, msg, sizeof(msg));
	if (e->statement == NULL) {
		j = sl_http_error_json(status == 400 ? SL_HTTP_ERR_BAD_REQUEST : (int)status * 100,
				       msg);
	} else {
		j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "@type", "statement_error");
		cJSON_AddNumberToObject(j, "error_code",
					e->error_code ? e->error_code : sl_http_error_code(status));
		cJSON_AddStringToObject(j, "message", msg);
		cJSON_AddStringToObject(j, "statementText", e->statement);
		cJSON_AddItemToObject(j, "entities",
				      entities ? cJSON_Duplicate(entities, true) :
						 cJSON_CreateArray());
	}
	rc = sl_http_reply_cjson(req, conn, status, j, NULL);
	cJSON_Delete(j);
	return rc;
}
