/*
 * backend.c: the pieces both backends share (see backend.h).
 *
 * Stage: cli.  Query column bookkeeping, errors from a server's message
 * text, and the status entity of a session statement.
 */
#include "cli/backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
sl_cli_query_set_columns(sl_cli_query_t *q, const char *id, int ncols, const char *const *names,
			 const char *const *types)
{
	sl_cli_query_clear(q);
	q->id = strdup(id != NULL ? id : "");
	q->ncols = ncols;
	q->names = calloc((size_t)(ncols > 0 ? ncols : 1), sizeof(*q->names));
	q->types = calloc((size_t)(ncols > 0 ? ncols : 1), sizeof(*q->types));
	if (q->id == NULL || q->names == NULL || q->types == NULL)
		abort();
	for (int i = 0; i < ncols; i++) {
		q->names[i] = strdup(names[i] != NULL ? names[i] : "?");
		q->types[i] = strdup(types[i] != NULL ? types[i] : "STRING");
		if (q->names[i] == NULL || q->types[i] == NULL)
			abort();
	}
}

void
sl_cli_query_clear(sl_cli_query_t *q)
{
	for (int i = 0; i < q->ncols; i++) {
		free(q->names[i]);
		free(q->types[i]);
	}
	free(q->names);
	free(q->types);
	free(q->id);
	q->names = q->types = NULL;
	q->id = NULL;
	q->ncols = 0;
}

void
sl_cli_error_from_message(sl_error_t *err, int code, const char *msg)
{
	int line = 0, col = 0, used = 0;

	sl_error_clear(err);
	err->code = code;
	if (sscanf(msg, "line %d:%d: %n", &line, &col, &used) == 2 && used > 0 && line > 0 &&
	    col > 0) {
		err->line = line;
		err->col = col;
		msg += used;
	}
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
}

cJSON *
sl_cli_status_entity(const char *sql, size_t len, const char *message)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *st = cJSON_CreateObject();
	char *text = strndup(sql, len);

	cJSON_AddStringToObject(o, "@type", "currentStatus");
	cJSON_AddStringToObject(o, "statementText", text != NULL ? text : "");
	cJSON_AddItemToObject(o, "warnings", cJSON_CreateArray());
	cJSON_AddStringToObject(o, "commandId", "session/property");
	cJSON_AddStringToObject(st, "status", "SUCCESS");
	cJSON_AddStringToObject(st, "message", message);
	cJSON_AddNullToObject(st, "queryId");
	cJSON_AddItemToObject(o, "commandStatus", st);
	free(text);
	return o;
}
